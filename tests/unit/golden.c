// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * golden.c - golden files and captured output for the unit tests
 *
 * Compiled into every unit test executable (tests/CMakeLists.txt).  Paths
 * are given as a directory (usually TESTS_DATA_DIR "/something") and a
 * file name inside it, so that a failure names the whole path.  Failures
 * go through cmocka's fail_msg() and assert_*() and end the current test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "golden.h"

/**
 * golden_update_mode() - whether golden files are to be rewritten
 *
 * Return: 1 when TCPLAB_UPDATE_GOLDEN=1 is in the environment, else 0.
 */
int golden_update_mode(void)
{
	const char *update = getenv("TCPLAB_UPDATE_GOLDEN");

	return update && !strcmp(update, "1");
}

/**
 * golden_path() - join @dir and @name into @path
 * @path:	destination
 * @size:	its size
 * @dir:	directory
 * @name:	file name inside it
 */
static void golden_path(char *path, size_t size, const char *dir,
			const char *name)
{
	int n = snprintf(path, size, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < size);
}

/**
 * read_whole() - all of an open file, then close it
 * @f:		the file, read from where it stands
 * @path:	its name, for messages
 * @len:	set to the number of bytes read (may be NULL)
 *
 * Return: malloc'd contents followed by a NUL byte (free() it).
 */
static char *read_whole(FILE *f, const char *path, size_t *len)
{
	char *buf;
	long sz;

	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	if (sz < 0)
		fail_msg("cannot size %s: %s", path, strerror(errno));
	rewind(f);
	buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	buf[sz] = '\0';
	if (len)
		*len = (size_t)sz;
	return buf;
}

/**
 * golden_read() - read @dir/@name whole
 * @dir:	directory
 * @name:	file name inside it
 * @len:	set to the number of bytes read (may be NULL)
 *
 * Return: malloc'd contents followed by a NUL byte (free() it), aligned
 * as malloc() aligns, so fit for netlink headers; fails the test if the
 * file cannot be read.
 */
void *golden_read(const char *dir, const char *name, size_t *len)
{
	char path[512];
	FILE *f;

	golden_path(path, sizeof(path), dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	return read_whole(f, path, len);
}

/**
 * golden_check() - compare @actual with the golden file @dir/@name, or
 * rewrite that file when TCPLAB_UPDATE_GOLDEN=1
 * @dir:	directory of the golden file
 * @name:	its name
 * @actual:	the text produced now
 */
void golden_check(const char *dir, const char *name, const char *actual)
{
	char path[512], *expected;
	FILE *f;

	golden_path(path, sizeof(path), dir, name);
	if (golden_update_mode()) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(actual, f);
		assert_int_equal(fclose(f), 0);
		return;
	}
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s is missing: run with TCPLAB_UPDATE_GOLDEN=1",
			 path);
	expected = read_whole(f, path, NULL);
	assert_string_equal(actual, expected);
	free(expected);
}

/**
 * golden_hex_load() - read a hex dump (white space ignored) from @dir/@name
 * @dir:	directory
 * @name:	file name inside it
 * @buf:	destination
 * @len:	its size
 *
 * Return: the number of bytes decoded (at most @len).
 */
size_t golden_hex_load(const char *dir, const char *name, void *buf,
		       size_t len)
{
	unsigned char *out = buf;
	unsigned int byte;
	char path[512];
	size_t n = 0;
	FILE *f;

	golden_path(path, sizeof(path), dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (n < len && fscanf(f, " %2x", &byte) == 1)
		out[n++] = (unsigned char)byte;
	fclose(f);
	return n;
}

/**
 * golden_pcap_open() - open the recorded capture @dir/@name, time stamps
 * in nanoseconds
 * @dir:	directory
 * @name:	file name inside it
 *
 * Return: the capture (pcap_close() it); fails the test if libpcap cannot
 * read it.
 */
struct pcap *golden_pcap_open(const char *dir, const char *name)
{
	char path[512], ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	golden_path(path, sizeof(path), dir, name);
	p = pcap_open_offline_with_tstamp_precision(path,
						    PCAP_TSTAMP_PRECISION_NANO,
						    ebuf);
	if (!p)
		fail_msg("%s: %s", path, ebuf);
	return p;
}

/**
 * golden_capture_open() - start capturing what is written to a FILE *
 * @c:		the capture, cleared here
 *
 * Return: the stream to write to; golden_capture_close() ends it.
 */
FILE *golden_capture_open(struct golden_capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
	return c->f;
}

/**
 * golden_capture_close() - end a capture started by golden_capture_open()
 * @c:		the capture
 *
 * Return: what was written, NUL-terminated (free() it).
 */
char *golden_capture_close(struct golden_capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	c->f = NULL;
	assert_non_null(c->text);
	return c->text;
}

/**
 * golden_write_tmp() - write @text to a new temporary file
 * @text:	contents
 * @suffix:	file name suffix, such as ".json"
 * @path:	set to the file's name (unlink() it when done)
 * @size:	size of @path
 */
void golden_write_tmp(const char *text, const char *suffix, char *path,
		      size_t size)
{
	FILE *f;
	int n, fd;

	n = snprintf(path, size, "/tmp/tcplab-test-XXXXXX%s", suffix);
	assert_true(n > 0 && (size_t)n < size);
	fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}
