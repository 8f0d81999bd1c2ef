// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c - clock, durations, errno names, small file helpers */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t util_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

void util_sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / NS_PER_S),
			       .tv_nsec = (long)(ns % NS_PER_S) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int util_parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 },
		      { "s", 1e9 }, { "min", 60e9 } };
	char *end;
	double v;
	size_t i;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(end, units[i].unit)) {
			double r = v * units[i].mult;

			if (r > 3600e9)
				return -ERANGE;
			*ns = (uint64_t)(r + 0.5);
			return 0;
		}
	}
	return -EINVAL;
}

const char *util_fmt_duration(uint64_t ns, char *buf, size_t len)
{
	if (ns >= NS_PER_S)
		snprintf(buf, len, "%.3fs", (double)ns / 1e9);
	else if (ns >= NS_PER_MS)
		snprintf(buf, len, "%.3gms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.3gus", (double)ns / 1e3);
	return buf;
}

#define E(x) { x, #x }
static const struct {
	int num;
	const char *name;
} errnames[] = {
	E(EPERM),	 E(ENOENT),	  E(EINTR),	   E(EIO),
	E(EBADF),	 E(EAGAIN),	  E(ENOMEM),	   E(EACCES),
	E(EBUSY),	 E(EEXIST),	  E(EINVAL),	   E(ENFILE),
	E(EMFILE),	 E(ENOSPC),	  E(EPIPE),	   E(ERANGE),
	E(ENOTSOCK),	 E(EMSGSIZE),	  E(EPROTONOSUPPORT), E(EOPNOTSUPP),
	E(EAFNOSUPPORT), E(EADDRINUSE),	  E(EADDRNOTAVAIL), E(ENETDOWN),
	E(ENETUNREACH),	 E(ENETRESET),	  E(ECONNABORTED), E(ECONNRESET),
	E(ENOBUFS),	 E(EISCONN),	  E(ENOTCONN),	   E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN),	  E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS),	 E(ENOPROTOOPT),
};
#undef E

const char *util_errno_name(int errnum)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (errnames[i].num == errnum)
			return errnames[i].name;
	return NULL;
}

int util_errno_parse(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].num;
	return 0;
}

int util_write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

int util_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

void util_xml_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\r': fputs("&#13;", f); break;
		default:
			fputc(c < 0x20 && c != '\t' && c != '\n' ? '?' : c, f);
		}
	}
}
