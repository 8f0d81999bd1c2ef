// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * record.c - record real NFLOG messages for tests/unit/test_nflog.c
 *
 * Run by record.sh inside a throwaway network namespace that already holds
 * the logging rules.  Listens to NFLOG groups 1 and 2 with nflog_open()
 * (the same set-up as the drop listener), then makes one kind of traffic at
 * a time and writes what each recv() on the listener's socket returned, as
 * hex, one buffer per line, to OUTDIR/NAME.hex.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "nflog.h"

static struct nflog *nl;
static const char *outdir;

/**
 * record_collect() - write every buffer that arrives within @ms of quiet
 * @name:	file name without .hex
 * @ms:		quiet time that ends the recording
 */
static void record_collect(const char *name, int ms)
{
	unsigned char buf[65536];
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.hex", outdir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	for (;;) {
		struct pollfd p = { .fd = nflog_fd(nl), .events = POLLIN };
		ssize_t n, i;

		if (poll(&p, 1, ms) <= 0)
			break;
		n = recv(nflog_fd(nl), buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			continue;
		for (i = 0; i < n; i++)
			fprintf(f, "%02x%s", buf[i],
				i + 1 == n ? "\n" : (i % 16 == 15 ? "\n" : " "));
		fprintf(f, "\n");
	}
	fclose(f);
}

/**
 * record_addr() - fill a socket address
 * @ss:		destination
 * @addr:	"127.0.0.1" or "::1"
 * @port:	port
 *
 * Return: its length.
 */
static socklen_t record_addr(struct sockaddr_storage *ss, const char *addr,
			     int port)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *a = (void *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		return sizeof(*a);
	} else {
		struct sockaddr_in *a = (void *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		return sizeof(*a);
	}
}

/**
 * record_syn() - a connect() whose SYN a rule logs and drops
 * @name:	output name
 * @addr:	destination address
 * @port:	destination port
 */
static void record_syn(const char *name, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t sl = record_addr(&ss, addr, port);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

	connect(fd, (struct sockaddr *)&ss, sl);
	record_collect(name, 150);
	close(fd);
}

/**
 * record_data() - 5 bytes of data on a connection, logged and dropped by
 * a rule on PSH segments
 * @name:	output name
 * @addr:	address of a listener of our own
 * @port:	its port
 */
static void record_data(const char *name, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t sl = record_addr(&ss, addr, port);
	int one = 1, l, c, a;

	l = socket(ss.ss_family, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&ss, sl) || listen(l, 1)) {
		perror("listen");
		exit(1);
	}
	c = socket(ss.ss_family, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&ss, sl)) {
		perror("connect");
		exit(1);
	}
	a = accept(l, NULL, NULL);
	if (send(c, "hello", 5, 0) != 5)
		perror("send");
	record_collect(name, 100);
	close(a);
	close(c);
	close(l);
}

/**
 * main() - record every case
 * @argc:	2
 * @argv:	program, OUTDIR
 *
 * Return: 0 on success.
 */
int main(int argc, char **argv)
{
	static const uint16_t groups[] = { 1, 2 };
	struct err e = { 0 };
	int self = netns_self();

	if (argc != 2 || self < 0) {
		fprintf(stderr, "usage: record OUTDIR (inside its namespace)\n");
		return 2;
	}
	outdir = argv[1];
	if (nflog_open(&nl, self, groups, 2, &e)) {
		fprintf(stderr, "record: %s\n", e.msg);
		return 1;
	}
	record_syn("nft-input-v4", "127.0.0.1", 7001);
	record_syn("nft-input-v6", "::1", 7001);
	record_syn("nft-output-v4", "127.0.0.1", 7002);
	record_syn("ipt-input-v4", "127.0.0.1", 7003);
	record_syn("ipt-input-v6", "::1", 7003);
	record_syn("ipt-output-v6", "::1", 7004);
	record_data("ipt-data-v4", "127.0.0.1", 7005);
	record_syn("nft-foreign-prefix", "127.0.0.1", 7006);
	nflog_close(nl);
	close(self);
	return 0;
}
