/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sockopt.h - the socket options a scenario may set (pure)
 *
 * Theory of operation: one table names each option as the scenario
 * language writes it ("user-timeout", "rcvbuf", "nodelay" ...), with the
 * setsockopt() level and name it stands for and the kind of value it
 * takes (a duration in milliseconds or whole seconds, a byte count, on or
 * off, a count).  The parser checks names and values against it; the
 * endpoint turns an (id, value) pair into the setsockopt() call with
 * sockopt_encode().  Nothing here touches a socket.
 */
#ifndef TCPLAB_SOCKOPT_H
#define TCPLAB_SOCKOPT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum sockopt_id {
	SOCKOPT_USER_TIMEOUT = 1, /* TCP_USER_TIMEOUT, ms */
	SOCKOPT_RCVBUF,           /* SO_RCVBUF, bytes */
	SOCKOPT_SNDBUF,           /* SO_SNDBUF, bytes */
	SOCKOPT_NODELAY,          /* TCP_NODELAY, on/off */
	SOCKOPT_LINGER,           /* SO_LINGER on, whole seconds */
	SOCKOPT_DEFER_ACCEPT,     /* TCP_DEFER_ACCEPT, whole seconds */
	SOCKOPT_FASTOPEN,         /* TCP_FASTOPEN, queue length (listener) */
	SOCKOPT_FASTOPEN_CONNECT, /* TCP_FASTOPEN_CONNECT, on/off */
	SOCKOPT_MAXSEG,           /* TCP_MAXSEG, bytes */
	SOCKOPT_QUICKACK,         /* TCP_QUICKACK, on/off */
};

enum sockopt_kind {
	SOCKOPT_MS,      /* a duration, kept in milliseconds */
	SOCKOPT_SECONDS, /* a duration in whole seconds */
	SOCKOPT_BYTES,   /* a byte count */
	SOCKOPT_BOOL,    /* on or off */
	SOCKOPT_COUNT,   /* a count */
};

struct sockopt_def {
	const char *name;       /* as a scenario writes it */
	enum sockopt_id id;
	int level, optname;     /* for setsockopt() */
	enum sockopt_kind kind;
	int64_t min, max;       /* the value's range, in its unit */
	const char *c_name;     /* "TCP_USER_TIMEOUT", for messages */
};

/* A chosen option and its value (in the option's unit) */
struct sockopt_set {
	uint16_t id;
	int32_t value;
};

/* sockopt_find() - the option called @name, or NULL */
const struct sockopt_def *sockopt_find(const char *name);

/* sockopt_by_id() - the option @id, or NULL */
const struct sockopt_def *sockopt_by_id(unsigned id);

/* sockopt_names() - every option name, comma-separated, into @buf */
const char *sockopt_names(char *buf, size_t len);

/*
 * sockopt_parse_value() - @s as a value of @d into *@v; 0, or -EINVAL with
 * what was wanted in @why
 */
int sockopt_parse_value(const struct sockopt_def *d, const char *s,
			int32_t *v, char *why, size_t len);

/*
 * sockopt_encode() - the setsockopt() argument for @o into @buf (at least
 * 16 bytes); returns its length, or 0 for an unknown option.  *@level and
 * *@optname are set too.
 */
socklen_t sockopt_encode(const struct sockopt_set *o, int *level, int *optname,
			 void *buf);

/* sockopt_format() - "user-timeout=1500ms" into @buf */
const char *sockopt_format(const struct sockopt_set *o, char *buf, size_t len);

#endif
