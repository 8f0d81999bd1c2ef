/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * golden.h - golden files and captured output for the unit tests
 *
 * Every unit test that compares rendered text with a file under tests/data
 * goes through golden_check(): the file is read whole and compared, or,
 * with TCPLAB_UPDATE_GOLDEN=1 in the environment, rewritten with what the
 * test produced (review the diff afterwards).  The other helpers read
 * recorded fixtures (raw bytes, hex dumps, pcap files) and capture what a
 * writer prints, into memory or into a temporary file.  Every failure fails the
 * running cmocka test; nothing here returns an error.
 */
#ifndef TCPLAB_TESTS_GOLDEN_H
#define TCPLAB_TESTS_GOLDEN_H

#include <stddef.h>
#include <stdio.h>

struct pcap;

/* Text captured from a FILE * into memory (open_memstream) */
struct golden_capture {
	FILE *f;
	char *text;
	size_t len;
};

int golden_update_mode(void);
void *golden_read(const char *dir, const char *name, size_t *len);
void golden_check(const char *dir, const char *name, const char *actual);
size_t golden_hex_load(const char *dir, const char *name, void *buf,
		       size_t len);
struct pcap *golden_pcap_open(const char *dir, const char *name);
FILE *golden_capture_open(struct golden_capture *c);
char *golden_capture_close(struct golden_capture *c);
void golden_write_tmp(const char *text, const char *suffix, char *path,
		      size_t size);

#endif /* TCPLAB_TESTS_GOLDEN_H */
