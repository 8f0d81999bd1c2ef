// SPDX-License-Identifier: GPL-2.0-or-later
/* err.c - recording errors with their context (see err.h) */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct err *e, int code, int cls, const char *prefix,
		    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static int err_vset(struct err *e, int code, int cls, const char *prefix,
		    const char *fmt, va_list ap)
{
	size_t n = 0;

	if (!e || e->msg[0])
		return code;
	e->code = code;
	e->exit_class = cls;
	if (prefix)
		n = (size_t)snprintf(e->msg, sizeof(e->msg), "%s", prefix);
	if (n < sizeof(e->msg))
		vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	return code;
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, code, code == -EPERM || code == -EACCES ? ERR_EXIT_ENV
							    : ERR_EXIT_INTERNAL,
		 NULL, fmt, ap);
	va_end(ap);
	return code;
}

int err_env(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, code, ERR_EXIT_ENV, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int err_at(struct err *e, int code, const struct loc *loc, const char *fmt, ...)
{
	char prefix[300];
	va_list ap;

	if (loc && loc->file && loc->line > 0)
		snprintf(prefix, sizeof(prefix), "%s:%d:%d: ", loc->file,
			 loc->line, loc->col);
	else if (loc && loc->file)
		snprintf(prefix, sizeof(prefix), "%s: ", loc->file);
	else
		prefix[0] = '\0';
	va_start(ap, fmt);
	err_vset(e, code, ERR_EXIT_USAGE, prefix, fmt, ap);
	va_end(ap);
	return code;
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

int err_exit_status(const struct err *e)
{
	if (!e || !e->msg[0])
		return ERR_EXIT_INTERNAL;
	return e->exit_class ? e->exit_class : ERR_EXIT_INTERNAL;
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	char pre[256], old[sizeof(e->msg)];
	va_list ap;
	int n;

	if (!e || !e->msg[0])
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	n = snprintf(e->msg, sizeof(e->msg), "%s: ", pre);
	if (n > 0 && (size_t)n < sizeof(e->msg))
		memcpy(e->msg + n, old, sizeof(e->msg) - (size_t)n - 1);
	e->msg[sizeof(e->msg) - 1] = '\0';
}
