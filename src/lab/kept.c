// SPDX-License-Identifier: GPL-2.0-or-later
/* kept.c - kept labs' records and the way into them (see kept.h) */
#define _GNU_SOURCE
#include "kept.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "keeper.h"
#include "userns.h"
#include "util.h"

#define KEPT_ROOT_DIR "/run/tcplab"

int kept_dir(char *buf, size_t len, int create, struct err *e)
{
	uid_t uid = userns_outer_uid();
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (uid == 0)
		snprintf(buf, len, "%s", KEPT_ROOT_DIR);
	else if (xdg && xdg[0] == '/' && stat(xdg, &st) == 0 &&
		 S_ISDIR(st.st_mode) && st.st_uid == geteuid())
		snprintf(buf, len, "%s/tcplab", xdg);
	else
		snprintf(buf, len, "/tmp/tcplab-%u", (unsigned int)uid);
	if (!create)
		return 0;
	if (mkdir(buf, uid == 0 ? 0755 : 0700) && errno != EEXIST)
		return err_env(e, -errno, "cannot create %s: %s", buf,
			       strerror(errno));
	/* a directory someone else made for us is not ours to trust */
	if (lstat(buf, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (uid != 0 && (st.st_mode & 077)))
		return err_env(e, -EPERM,
			       "%s is not a private directory of this user", buf);
	return 0;
}

int kept_path(char *buf, size_t len, const char *prefix, const char *name,
	      const char *suffix, struct err *e)
{
	char dir[PATH_MAX - 128];
	int r;

	if (!kept_name_ok(name))
		return err_set(e, -EINVAL,
			       "'%s' is not a lab name (letters, digits, - and _)",
			       name);
	r = kept_dir(dir, sizeof(dir), 0, e);
	if (r)
		return r;
	snprintf(buf, len, "%s/%s%s%s", dir, prefix, name, suffix);
	return 0;
}

int kept_name_ok(const char *name)
{
	size_t i;

	if (!name || !*name || strlen(name) >= KEPT_NAME_MAX)
		return 0;
	for (i = 0; name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return 0;
	return 1;
}

/* the next line of @text from *@pos into @line (cut at @len); 0 at the end */
static int next_line(const char *text, size_t len, size_t *pos, char *line,
		     size_t llen)
{
	size_t n = 0;

	if (*pos >= len)
		return 0;
	while (*pos < len && text[*pos] != '\n') {
		if (n + 1 < llen)
			line[n++] = text[*pos];
		(*pos)++;
	}
	if (*pos < len)
		(*pos)++;
	line[n] = '\0';
	return 1;
}

/* "eth0:1,eth1:2": each veth end and the node at its other end */
static int ifs_parse(const char *spec, struct kept_node *nd)
{
	const char *p = spec;

	nd->nifs = 0;
	while (*p && nd->nifs < 2) {
		char name[16];
		int peer, used;

		if (sscanf(p, "%15[^:]:%d%n", name, &peer, &used) != 2 || peer < 0 ||
		    peer >= SCENARIO_MAX_NODES)
			return -EINVAL;
		snprintf(nd->ifname[nd->nifs], sizeof(nd->ifname[0]), "%s", name);
		nd->ifpeer[nd->nifs++] = peer;
		p += used;
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	return nd->nifs ? 0 : -EINVAL;
}

int kept_parse(const char *text, size_t len, struct kept_info *out)
{
	char line[512];
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	out->family = 4;
	while (next_line(text, len, &pos, line, sizeof(line))) {
		struct kept_node *nd;
		char a[128];

		if (sscanf(line, "keeper %d", &out->keeper) == 1 ||
		    sscanf(line, "family %d", &out->family) == 1 ||
		    sscanf(line, "firewall %15s", out->firewall) == 1 ||
		    sscanf(line, "rootless %d", &out->rootless) == 1 ||
		    sscanf(line, "since %lld", &out->since) == 1 ||
		    sscanf(line, "name %63s", out->name) == 1)
			continue;
		if (sscanf(line, "netns %127s", a) == 1) {
			if (out->nnetns < SCENARIO_MAX_NODES)
				snprintf(out->netns[out->nnetns++], sizeof(out->netns[0]),
					 "%s", a);
			continue;
		}
		if (strncmp(line, "node ", 5) || out->nnodes >= SCENARIO_MAX_NODES)
			continue;
		nd = &out->nodes[out->nnodes];
		if (sscanf(line, "node %15s %127s %15s %45s", nd->name, a,
			   nd->addr4, nd->addr6) != 4 || ifs_parse(a, nd))
			return -EINVAL;
		out->nnodes++;
	}
	if (out->family != 4 && out->family != 6)
		return -EINVAL;
	return out->nnodes ? 0 : -EINVAL;
}

void kept_format(FILE *f, const struct kept_info *k)
{
	int i;

	fprintf(f, "name %s\nfamily %d\nfirewall %s\nrootless %d\nsince %lld\n",
		k->name, k->family, k->firewall, k->rootless, k->since);
	for (i = 0; i < k->nnodes; i++) {
		const struct kept_node *nd = &k->nodes[i];
		int j;

		fprintf(f, "node %s ", nd->name);
		for (j = 0; j < nd->nifs; j++)
			fprintf(f, "%s%s:%d", j ? "," : "", nd->ifname[j], nd->ifpeer[j]);
		fprintf(f, " %s %s\n", nd->addr4, nd->addr6);
	}
}

static int read_small(const char *path, char **text, size_t *len)
{
	char *buf = malloc(65536);
	int fd, n;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	n = (int)read(fd, buf, 65535);
	close(fd);
	if (n < 0) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*text = buf;
	*len = (size_t)n;
	return 0;
}

int kept_read(const char *name, struct kept_info *out, struct err *e)
{
	char path[PATH_MAX], *text;
	size_t len;
	int r = kept_path(path, sizeof(path), "", name, "", e);

	if (r)
		return r;
	r = read_small(path, &text, &len);
	if (r == -ENOENT)
		return err_set(e, r, "no kept lab '%s' (tcplab ls lists them)", name);
	if (r)
		return err_set(e, r, "cannot read %s: %s", path, strerror(-r));
	r = kept_parse(text, len, out);
	free(text);
	if (r)
		return err_set(e, r,
			       "%s is not the record of a lab this tcplab can enter "
			       "(kept by an older tcplab?)", path);
	if (!out->name[0])
		snprintf(out->name, sizeof(out->name), "%s", name);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int kept_names(char (*names)[KEPT_NAME_MAX], int max)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	if (kept_dir(dir, sizeof(dir), 0, NULL))
		return -EINVAL;
	dp = opendir(dir);
	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dp)) && n < max)
		if (d->d_name[0] != '.' && kept_name_ok(d->d_name))
			snprintf(names[n++], KEPT_NAME_MAX, "%.63s", d->d_name);
	closedir(dp);
	qsort(names, (size_t)n, KEPT_NAME_MAX, cmp_name);
	return n;
}

int kept_node_find(const struct kept_info *k, const char *name)
{
	int i;

	for (i = 0; i < k->nnodes; i++)
		if (!strcmp(k->nodes[i].name, name))
			return i;
	return -1;
}

int kept_alive(const struct kept_info *k)
{
	char path[64], stat[256], *close_paren;

	if (k->keeper <= 1)
		return 0;
	/* "PID (tcplab-keeper) S ...": a zombie has let go of everything */
	snprintf(path, sizeof(path), "/proc/%d/stat", k->keeper);
	if (util_read_file(path, stat, sizeof(stat)) <= 0)
		return 0;
	close_paren = strrchr(stat, ')');
	return close_paren && strstr(stat, "(tcplab-keeper)") &&
	       close_paren[1] == ' ' && close_paren[2] != 'Z' &&
	       close_paren[2] != 'X';
}

int kept_rules_parse(const char *text, size_t len, struct kept_rules *out)
{
	char line[512];
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	while (next_line(text, len, &pos, line, sizeof(line))) {
		struct kept_rule *r = &out->v[out->n];
		int off = 0;

		if (!line[0] || line[0] == '#')
			continue;
		if (out->n >= KEPT_MAX_RULES)
			return -E2BIG;
		if (sscanf(line, "rule %u %15s %n", &r->id, r->node, &off) != 2 ||
		    !off || !line[off] || r->id == 0)
			return -EINVAL;
		snprintf(r->text, sizeof(r->text), "%s", line + off);
		out->n++;
	}
	return 0;
}

void kept_rules_format(FILE *f, const struct kept_rules *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		fprintf(f, "rule %u %s %s\n", r->v[i].id, r->v[i].node,
			r->v[i].text);
}

int kept_rules_read(const char *name, struct kept_rules *out, struct err *e)
{
	char path[PATH_MAX], *text;
	size_t len;
	int r = kept_path(path, sizeof(path), ".", name, ".fw", e);

	if (r)
		return r;
	r = read_small(path, &text, &len);
	if (r == -ENOENT) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (r)
		return err_set(e, r, "cannot read %s: %s", path, strerror(-r));
	r = kept_rules_parse(text, len, out);
	free(text);
	if (r)
		return err_set(e, r, "%s: not a list of rules", path);
	return 0;
}

int kept_rules_write(const char *name, const struct kept_rules *r,
		     struct err *e)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int rc = kept_path(path, sizeof(path), ".", name, ".fw", e);

	if (rc)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "we");
	if (!f)
		return err_set(e, -errno, "cannot write %s: %s", tmp, strerror(errno));
	kept_rules_format(f, r);
	if (fclose(f) || rename(tmp, path)) {
		rc = -errno;
		unlink(tmp);
		return err_set(e, rc, "cannot write %s: %s", path, strerror(-rc));
	}
	return 0;
}

const struct kept_rule *kept_rule_find(const struct kept_rules *r, unsigned id)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id == id)
			return &r->v[i];
	return NULL;
}

void kept_ns_close(struct kept_ns *ns)
{
	int i;

	if (ns->user >= 0)
		close(ns->user);
	if (ns->net >= 0)
		close(ns->net);
	if (ns->pid >= 0)
		close(ns->pid);
	for (i = 0; i < ns->n; i++)
		if (ns->node[i] >= 0)
			close(ns->node[i]);
	ns->user = ns->net = ns->pid = -1;
	ns->n = 0;
}

int kept_connect(const char *name, struct kept_ns *ns, struct err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[PATH_MAX];
	int fds[3 + SCENARIO_MAX_NODES], nfds, fd, r, i;
	uint32_t n = 0;

	ns->user = ns->net = ns->pid = -1;
	ns->n = 0;
	r = kept_path(path, sizeof(path), ".", name, ".sock", e);
	if (r)
		return r;
	if (strlen(path) >= sizeof(sa.sun_path))
		return err_set(e, -ENAMETOOLONG, "%s: path too long", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, -errno, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		if (r == -ENOENT || r == -ECONNREFUSED)
			return err_env(e, r,
				       "lab '%s' is not running (its keeper is gone); "
				       "'tcplab down %s' removes its record", name, name);
		return err_set(e, r, "cannot reach the keeper of lab '%s': %s",
			       name, strerror(-r));
	}
	nfds = keeper_recv_fds(fd, &n, fds, (int)ARRAY_SIZE(fds), 2000);
	close(fd);
	if (nfds < 0)
		return err_set(e, nfds, "the keeper of lab '%s' did not answer: %s",
			       name, strerror(-nfds));
	if (nfds < 4 || (int)n != nfds - 3) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		return err_set(e, -EPROTO, "the keeper of lab '%s' answered "
			       "without its namespaces (another user's lab?)", name);
	}
	ns->user = fds[0];
	ns->net = fds[1];
	ns->pid = fds[2];
	ns->n = (int)n;
	for (i = 0; i < ns->n; i++)
		ns->node[i] = fds[3 + i];
	return 0;
}

int kept_enter(const struct kept_ns *ns, struct err *e)
{
	struct stat a, b;
	int r = userns_join(ns->user);

	if (r)
		return err_env(e, r, "cannot join the lab's user namespace: %s",
			       strerror(-r));
	/* the keeper's network namespace: one this user namespace owns */
	if (fstat(ns->net, &a) == 0 && stat("/proc/thread-self/ns/net", &b) == 0 &&
	    (a.st_ino != b.st_ino || a.st_dev != b.st_dev) &&
	    setns(ns->net, CLONE_NEWNET) < 0)
		return err_env(e, -errno, "cannot enter the lab's namespace: %s",
			       strerror(errno));
	return 0;
}
