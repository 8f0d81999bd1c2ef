/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * err.h - one error convention for the whole of tcplab
 *
 * Functions return 0 or -errno.  Where context matters (scenario parsing,
 * planning, firewall commits, lab set-up) the caller also passes a struct err
 * that the innermost layer fills with a human sentence: what failed, on which
 * object, and where in the scenario file it was asked for.  Outer layers never
 * overwrite a message that is already set; they may prefix it.
 */
#ifndef TCPLAB_ERR_H
#define TCPLAB_ERR_H

#include <stddef.h>

#define WUR __attribute__((warn_unused_result))
#define PRINTF(a, b) __attribute__((format(printf, a, b)))

/* A position in a scenario file; file may be NULL for built-in objects. */
struct loc {
	const char *file;
	int line;
	int col;
};

struct err {
	int code;       /* -errno, 0 when unset */
	int exit_class; /* suggested exit status class, see ERR_EXIT_* */
	char msg[1024];
};

/* Exit statuses of the tcplab command (docs/architecture.md). */
enum {
	ERR_EXIT_OK = 0,
	ERR_EXIT_FAIL = 1,     /* an expectation failed */
	ERR_EXIT_USAGE = 2,    /* usage or scenario error */
	ERR_EXIT_ENV = 3,      /* not root, kernel feature missing */
	ERR_EXIT_INTERNAL = 4, /* a bug or an unexpected kernel answer */
};

/* err_set() - record a message unless one is already set; returns code */
int err_set(struct err *e, int code, const char *fmt, ...) PRINTF(3, 4);

/* err_at() - like err_set() with a "file:line:col: " prefix from @loc */
int err_at(struct err *e, int code, const struct loc *loc, const char *fmt, ...)
	PRINTF(4, 5);

/* err_env() - record an environment fault (exit class 3) */
int err_env(struct err *e, int code, const char *fmt, ...) PRINTF(3, 4);

/* err_prefix() - put "@fmt: " in front of a recorded message */
void err_prefix(struct err *e, const char *fmt, ...) PRINTF(2, 3);

/* err_clear() - forget any recorded error */
void err_clear(struct err *e);

/* err_exit_status() - exit status for a failed operation's error */
int err_exit_status(const struct err *e);

#endif
