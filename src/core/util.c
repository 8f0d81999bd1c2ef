// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c - clock, durations, errno names, small file helpers */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
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

/*
 * One grammar for every number a user types (scenario files and command-line
 * options): DIGITS [ "." DIGITS ].  No sign, blank, exponent, hex, "nan" or
 * "inf" - strtod() accepts all of those, and a NaN turned into a duration
 * is undefined behaviour.  The value is kept as integers (a whole part and
 * nine fractional digits), so no float ever sits between the text and the
 * nanoseconds.
 */
int util_parse_fixed(const char *s, const char **end, uint64_t *whole,
		     uint32_t *frac9)
{
	uint64_t w = 0;
	uint32_t f = 0;
	int digits = 0, fdigits = 0, over = 0;

	if (!s)
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (w > (UINT64_MAX - 9) / 10)
			over = 1;
		else
			w = w * 10 + (uint64_t)(*s - '0');
	}
	if (!digits)
		return -EINVAL;
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++, fdigits++) {
			if (fdigits >= 9)
				return -EINVAL; /* finer than a nanosecond */
			f = f * 10 + (uint32_t)(*s - '0');
		}
		if (!fdigits)
			return -EINVAL; /* "1." */
		for (int k = fdigits; k < 9; k++)
			f *= 10;
	}
	if (end)
		*end = s;
	else if (*s)
		return -EINVAL;
	if (over)
		return -ERANGE;
	*whole = w;
	*frac9 = f;
	return 0;
}

int util_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	const char *end;
	uint64_t w;
	uint32_t f;
	int r;

	if (!s || !*s)
		return -EINVAL;
	for (end = s; *end; end++)
		if (*end < '0' || *end > '9')
			return -EINVAL;
	r = util_parse_fixed(s, NULL, &w, &f);
	if (r)
		return r;
	if (w > max)
		return -ERANGE;
	*out = w;
	return 0;
}

int util_parse_factor(const char *s, double *out)
{
	uint64_t w;
	uint32_t f;
	int r = util_parse_fixed(s, NULL, &w, &f);

	if (r)
		return r;
	if (w > 1000000)
		return -ERANGE;
	*out = (double)w + (double)f / 1e9;
	return 0;
}

int util_parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = { { "ns", 1 }, { "us", NS_PER_US }, { "ms", NS_PER_MS },
		      { "s", NS_PER_S }, { "min", 60 * NS_PER_S } };
	const uint64_t max = 3600 * NS_PER_S;
	const char *end;
	uint64_t w;
	uint32_t f;
	size_t i;
	int r;

	r = util_parse_fixed(s, &end, &w, &f);
	if (r == -EINVAL || (r == -ERANGE && !*end))
		return -EINVAL; /* a number alone, or not a number */
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (r == -ERANGE || w > max / units[i].mult)
			return -ERANGE;
		{
			unsigned __int128 v = (unsigned __int128)w * units[i].mult +
					      ((unsigned __int128)f * units[i].mult +
					       NS_PER_S / 2) / NS_PER_S;

			if (v > max)
				return -ERANGE;
			*ns = (uint64_t)v;
		}
		return 0;
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

/**
 * util_buf_init() - start writing into a buffer
 * @b:		state to initialise
 * @buf:	destination
 * @len:	its size
 */
void util_buf_init(struct util_buf *b, char *buf, size_t len)
{
	b->buf = buf;
	b->len = len;
	b->need = 0;
	if (buf && len)
		buf[0] = '\0';
}

/**
 * util_buf_printf() - append formatted text, cutting but counting
 * @b:		the buffer
 * @fmt:	printf format
 */
void util_buf_printf(struct util_buf *b, const char *fmt, ...)
{
	size_t room = b->need < b->len ? b->len - b->need : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->need : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->need += (size_t)n;
}

/**
 * util_buf_done() - the snprintf-style result of a text
 * @b:		the buffer
 *
 * Return: the length the whole text needed, without the terminating NUL
 */
int util_buf_done(const struct util_buf *b)
{
	return (int)b->need;
}

/**
 * util_grow() - room for one more element in a growing array
 * @vp:		the array (NULL when empty)
 * @cap:	its capacity in elements; updated
 * @n:		elements in use
 * @size:	bytes per element
 * @first:	capacity of a new array
 *
 * Return: 0, or -ENOMEM (the array is left as it was)
 */
int util_grow(void **vp, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t ncap;
	void *v;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : first;
	if (ncap < *cap || ncap > SIZE_MAX / size)
		return -ENOMEM;
	v = realloc(*vp, ncap * size);
	if (!v)
		return -ENOMEM;
	*vp = v;
	*cap = ncap;
	return 0;
}

uint64_t timing_tolerance(uint64_t ns, double slow)
{
	uint64_t t = ns / 8 > 4 * NS_PER_MS ? ns / 8 : 4 * NS_PER_MS;

	if (slow > 1)
		t += (uint64_t)((slow - 1) * (double)(40 * NS_PER_MS));
	return t;
}

uint64_t timing_rtt_slack(uint64_t ns, uint64_t srtt_ns)
{
	if (srtt_ns < NS_PER_MS)
		return 0;
	/* ns < 1 h and srtt < 1 h: the product fits in 64 bits only
	 * divided first */
	return ns / (200 * NS_PER_US) * srtt_ns / 1000;
}

int util_rel_path(const char *from, const char *to, char *out, size_t len)
{
	size_t common = 0, i, n = 0;
	int w;

	if (from[0] != '/' || to[0] != '/' || !len)
		return -EINVAL;
	/* the longest common prefix that ends at a component's end */
	for (i = 0;; i++) {
		int fe = !from[i] || from[i] == '/', te = !to[i] || to[i] == '/';

		if (fe && te)
			common = i;
		if (!from[i] || !to[i] || from[i] != to[i])
			break;
	}
	if (from[common] == '/' && !from[common + 1])
		common++; /* from is "/" */
	out[0] = '\0';
	/* one ".." for each component of @from past the common part */
	for (i = common; from[i]; i++) {
		if (from[i] == '/' && from[i + 1] && from[i + 1] != '/') {
			w = snprintf(out + n, len - n, "../");
			if (w < 0 || (size_t)w >= len - n)
				return -ENAMETOOLONG;
			n += (size_t)w;
		}
	}
	i = common;
	while (to[i] == '/')
		i++;
	w = snprintf(out + n, len - n, "%s", to + i);
	if (w < 0 || (size_t)w >= len - n)
		return -ENAMETOOLONG;
	n += (size_t)w;
	if (!n)
		snprintf(out, len, ".");
	return 0;
}
