/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - the one monotonic clock, durations, small helpers
 *
 * Every event tcplab records (a step, a socket sample, a packet, a drop) is
 * stamped with util_now_ns(), CLOCK_MONOTONIC in nanoseconds, so that all of
 * them can be laid on one time axis.
 */
#ifndef TCPLAB_UTIL_H
#define TCPLAB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NS_PER_MS 1000000ULL
#define NS_PER_US 1000ULL
#define NS_PER_S 1000000000ULL

/* util_now_ns() - CLOCK_MONOTONIC now, in nanoseconds */
uint64_t util_now_ns(void);

/* util_sleep_ns() - sleep for @ns nanoseconds (restarted on EINTR) */
void util_sleep_ns(uint64_t ns);

/*
 * util_parse_fixed() - a plain decimal number: DIGITS [ "." DIGITS ]
 * @s:		the text
 * @end:	set to the first character after the number; NULL: the number
 *		must be the whole text
 * @whole:	its whole part
 * @frac9:	its fractional part in billionths (at most nine digits)
 *
 * No sign, blank, exponent, hex, "nan" or "inf".  Return: 0, -EINVAL (not
 * such a number), -ERANGE (the whole part does not fit 64 bits).
 */
int util_parse_fixed(const char *s, const char **end, uint64_t *whole,
		     uint32_t *frac9) WUR;

/* util_parse_u64() - DIGITS only, at most @max; -EINVAL if bad, -ERANGE */
int util_parse_u64(const char *s, uint64_t max, uint64_t *out) WUR;

/* util_parse_factor() - a plain decimal factor ("1.5"), finite by grammar */
int util_parse_factor(const char *s, double *out) WUR;

/*
 * util_parse_duration() - "50ms", "4s", "250us", "1.5s", "2min" to ns
 *
 * The number follows util_parse_fixed() (so "nanms", "1e3ms", "0x1p-3s"
 * are refused); 1 hour at most.  Return: 0, -EINVAL, -ERANGE (too long).
 */
int util_parse_duration(const char *s, uint64_t *ns) WUR;

/*
 * timing_tolerance() - how far a time @ns may be from the one expected:
 * max(4 ms, 12.5 % of @ns) as packetdrill has it, plus 40 ms for each unit
 * of slowness above 1 (@slow, --slow).  A slow machine (software
 * emulation, a loaded host) fires and sees timers late by a time of its
 * own - up to 290 ms measured under qemu TCG at a factor of 6.5 - while
 * the kernel's timers keep their proportions: a SYN at 2 s is still told
 * from one at 3 s.
 */
uint64_t timing_tolerance(uint64_t ns, double slow);

/*
 * timing_rtt_slack() - how much later than written a retransmission timer
 * at @ns comes on a connection whose smoothed round trip is @srtt_ns.
 * Linux's RTO is srtt + max(4 rttvar, 200 ms) and doubles at each timeout,
 * so a schedule written for a round trip near 0 (425 ms, 850 ms, 1.65 s)
 * comes later by srtt for each 200 ms of it: 86 ms of round trip, seen
 * under emulation, moves 1.65 s to 2.29 s.  0 when @srtt_ns is below
 * 1 ms (the round trip of a lab on a real machine).
 */
uint64_t timing_rtt_slack(uint64_t ns, uint64_t srtt_ns);

/* util_fmt_duration() - format @ns compactly ("1.000s", "50ms", "120us") */
const char *util_fmt_duration(uint64_t ns, char *buf, size_t len);

/* util_errno_name() - "ETIMEDOUT" for ETIMEDOUT; NULL when unknown */
const char *util_errno_name(int errnum);

/* util_errno_parse() - the errno value for a name such as "ECONNREFUSED" */
int util_errno_parse(const char *name);

/* util_write_file() - write @val to @path (opened now, in this thread's netns) */
int util_write_file(const char *path, const char *val) WUR;

/* util_read_file() - read up to @len-1 bytes of @path into @buf */
int util_read_file(const char *path, char *buf, size_t len) WUR;

/*
 * util_grow() - make room in the array *@vp, of *@cap elements of @size
 * bytes each holding @n, for one more: its capacity doubles, from @first.
 * Returns 0, or -ENOMEM with the array as it was.
 */
int util_grow(void **vp, size_t *cap, size_t n, size_t size,
	      size_t first) WUR;

/*
 * struct util_buf - text written into a fixed buffer, snprintf-style: what
 * does not fit is cut (the text stays NUL-terminated) but counted in @need
 */
struct util_buf {
	char *buf;   /* destination (may be NULL when @len is 0) */
	size_t len;  /* its size */
	size_t need; /* length of the whole text so far, written or not */
};

/* util_buf_init() - start writing into @buf of @len bytes ("" so far) */
void util_buf_init(struct util_buf *b, char *buf, size_t len);

/* util_buf_printf() - append formatted text */
void util_buf_printf(struct util_buf *b, const char *fmt, ...) PRINTF(2, 3);

/* util_buf_done() - the whole text's length, as snprintf() returns it */
int util_buf_done(const struct util_buf *b);

/*
 * util_rel_path() - @to as a path relative to the directory @from (both
 * absolute and without "." or ".." components, as realpath() gives them):
 * "pcaps/x.pcap", "../captures/x.pcap"; 0, or -ENAMETOOLONG, or -EINVAL
 * when one is not absolute
 */
int util_rel_path(const char *from, const char *to, char *out, size_t len) WUR;

/*
 * util_xml_esc() - write @s as XML/HTML text or attribute value: &, <, >,
 * " and ' as character references (&#39; for ', which HTML 4 and XML both
 * read), a carriage return as &#13; (a parser would turn a raw one into a
 * line feed), other control characters that XML 1.0 forbids as '?'; tab
 * and line feed as they are.  The one escaper of every XML and HTML writer.
 */
void util_xml_esc(FILE *f, const char *s);

#endif
