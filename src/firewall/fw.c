// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fw.c - the registry of firewall backends and the dispatch to them
 *
 * Theory of operation: the backends tcplab knows are listed, by hand, in
 * fw_backends[] below - no constructor tricks, no plug-in loading - so
 * that what a build can do is visible in one place.  The first entry is the
 * default.  An instance returned by a backend's open() starts with a
 * struct fw whose @backend points back at its table entry; fw_add() and
 * fw_close() dispatch through it.
 *
 * Adding a backend: write src/fw_BACKEND.c exposing a const struct
 * fw_backend, and add it to fw_backends[].
 */
#include "fw.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fw_ipt.h"
#include "fw_nft.h"
#include "util.h"

static const struct fw_backend *const fw_backends[] = {
	&fw_nft_backend,
	&fw_ipt_backend,
};

/**
 * fw_backend_find() - the backend called @name
 * @name:	"nftables", ...
 *
 * Return: its registry entry, or NULL if there is none by that name.
 */
const struct fw_backend *fw_backend_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(fw_backends); i++)
		if (!strcmp(fw_backends[i]->name, name))
			return fw_backends[i];
	return NULL;
}

static char fw_names[128];
static pthread_once_t fw_names_once = PTHREAD_ONCE_INIT;

/**
 * fw_names_fill() - write the registry's names into fw_names, once
 */
static void fw_names_fill(void)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(fw_backends) && n < sizeof(fw_names); i++)
		n += (size_t)snprintf(fw_names + n, sizeof(fw_names) - n,
				      "%s%s", i ? ", " : "",
				      fw_backends[i]->name);
}

/**
 * fw_backend_names() - the names of every backend, for messages
 *
 * Return: a static string, "nftables, iptables", in registry order.
 */
const char *fw_backend_names(void)
{
	pthread_once(&fw_names_once, fw_names_fill);
	return fw_names;
}

/**
 * fw_probe() - can backend @b run on this kernel?
 * @b:		the backend, from fw_backend_find()
 * @e:		why not: an environment error (exit class 3) for a kernel
 *		that lacks what the backend needs
 *
 * A backend without a probe is assumed to work; its fw_open() reports
 * what is missing.
 *
 * Return: 0 or -errno.
 */
int fw_probe(const struct fw_backend *b, struct err *e)
{
	if (!b)
		return err_set(e, -EINVAL, "no firewall backend given");
	return b->probe ? b->probe(e) : 0;
}

/**
 * fw_open() - open an instance of backend @b in the namespace @nsfd
 * @b:		the backend, from fw_backend_find()
 * @out:	set to the instance on success
 * @nsfd:	the node's network namespace
 * @e:		what failed, if anything
 *
 * Return: 0 or -errno.
 */
int fw_open(const struct fw_backend *b, struct fw **out, int nsfd,
	    struct err *e)
{
	int ret;

	if (!b || !out)
		return err_set(e, -EINVAL, "no firewall backend given");
	ret = b->open(out, nsfd, e);
	if (ret)
		return ret;
	(*out)->backend = b;
	return 0;
}

/**
 * fw_reset() - remove every rule of the instance, keeping it open
 * @fw:		the instance
 * @e:		what failed, if anything
 *
 * Return: 0, -EOPNOTSUPP when the backend has no reset (@e untouched), or
 * -errno.
 */
int fw_reset(struct fw *fw, struct err *e)
{
	if (!fw->backend->reset)
		return -EOPNOTSUPP;
	return fw->backend->reset(fw, e);
}

/**
 * fw_add() - add @n rules through the instance's backend, atomically
 * @fw:		the instance
 * @rules:	the rules, in order
 * @n:		how many; 0 does nothing
 * @e:		the rule that was refused, if any
 *
 * Return: 0 or -errno.
 */
int fw_add(struct fw *fw, const struct rule *rules, size_t n, struct err *e)
{
	if (!fw)
		return err_set(e, -EINVAL, "no firewall instance");
	if (!n)
		return 0;
	return fw->backend->add(fw, rules, n, e);
}

/**
 * fw_close() - close an instance (NULL is fine)
 * @fw:		the instance
 */
void fw_close(struct fw *fw)
{
	if (fw)
		fw->backend->close(fw);
}
