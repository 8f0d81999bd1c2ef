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
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "keeper.h"
#include "netns.h"
#include "userns.h"
#include "util.h"

#define KEPT_KEEPER_COMM "tcplab-keeper"

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

/* "eth0:1,eth1:2": each veth end and the node at its other end (a
 * star's hub has up to KEPT_MAX_IFS; more is a damaged record) */
static int ifs_parse(const char *spec, struct kept_node *nd)
{
	const char *p = spec;

	nd->nifs = 0;
	while (*p) {
		char name[16];
		int peer, used;

		if (nd->nifs == KEPT_MAX_IFS ||
		    sscanf(p, "%15[^:]:%d%n", name, &peer, &used) != 2 || peer < 0 ||
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
	int bad = 0;

	memset(out, 0, sizeof(*out));
	out->family = 4;
	while (next_line(text, len, &pos, line, sizeof(line))) {
		struct kept_node *nd;
		char a[128];

		if (sscanf(line, "keeper %d %llu", &out->keeper,
			   &out->keeper_start) >= 1 ||
		    sscanf(line, "up %d %llu", &out->up, &out->up_start) >= 1 ||
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
		/* a node line cut short: the record is partial, the lines
		 * after it still say what to tear down */
		nd = &out->nodes[out->nnodes];
		if (sscanf(line, "node %15s %127s %15s %45s", nd->name, a,
			   nd->addr4, nd->addr6) != 4 || ifs_parse(a, nd))
			bad = 1;
		else
			out->nnodes++;
	}
	if (bad || (out->family != 4 && out->family != 6))
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
	if (k->up)
		fprintf(f, "up %d %llu\n", k->up, k->up_start);
	for (i = 0; i < k->nnetns; i++)
		fprintf(f, "netns %s\n", k->netns[i]);
	if (k->keeper)
		fprintf(f, "keeper %d %llu\n", k->keeper, k->keeper_start);
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
			       "lab '%s' was not kept completely (its record %s is "
			       "empty or partial: an interrupted tcplab up?); "
			       "'tcplab down %s' removes what it left", name, path,
			       name);
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

int kept_stat_parse(const char *stat, char *comm, size_t clen, char *state,
		    unsigned long long *start)
{
	const char *open = strchr(stat, '('), *close = strrchr(stat, ')');
	const char *p;
	int field;

	if (!open || !close || close < open || close[1] != ' ' || !close[2])
		return -EINVAL;
	snprintf(comm, clen, "%.*s", (int)(close - open - 1), open + 1);
	*state = close[2];
	/* after the name: state is field 3, the start time field 22 */
	p = close + 2;
	for (field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	*start = strtoull(p, NULL, 10);
	return 0;
}

/* process @pid's name, state and start time; 0 or -errno */
static int proc_stat(int pid, char *comm, size_t clen, char *state,
		     unsigned long long *start)
{
	char path[64], stat[1024];

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (util_read_file(path, stat, sizeof(stat)) <= 0)
		return -ESRCH;
	return kept_stat_parse(stat, comm, clen, state, start);
}

unsigned long long kept_proc_start(int pid)
{
	unsigned long long start;
	char comm[64], state;

	return proc_stat(pid, comm, sizeof(comm), &state, &start) ? 0 : start;
}

int kept_proc_is(int pid, unsigned long long start, const char *comm)
{
	unsigned long long now;
	char name[64], state;

	/* a zombie has let go of everything; a pid of someone else now has
	 * another start time */
	if (pid <= 1 || !start ||
	    proc_stat(pid, name, sizeof(name), &state, &now))
		return 0;
	return now == start && state != 'Z' && state != 'X' &&
	       (!comm || !strcmp(name, comm));
}

int kept_alive(const struct kept_info *k)
{
	return kept_proc_is(k->keeper, k->keeper_start, KEPT_KEEPER_COMM);
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
	    (r = netns_move(ns->net)) < 0)
		return err_env(e, r, "cannot enter the lab's namespace: %s",
			       strerror(-r));
	return 0;
}

/* --- the record written ahead, and what removes a lab --------------------- */

/* the records directory, open and locked (creating and removing records
 * is one at a time); the fd or -errno */
static int dir_lock(int create, struct err *e)
{
	char dir[PATH_MAX];
	int fd, r = kept_dir(dir, sizeof(dir), create, e);

	if (r)
		return r;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT
				       : err_env(e, -errno, "cannot open %s: %s", dir,
						 strerror(errno));
	if (flock(fd, LOCK_EX) < 0) {
		r = -errno;
		close(fd);
		return err_set(e, r, "cannot lock %s: %s", dir, strerror(-r));
	}
	return fd;
}

/* the record of @name, as far as it can be read; 1 if there is one, 0 if
 * not, with *@partial set when it is empty or partial */
static int record_load(const char *name, struct kept_info *k, int *partial)
{
	char path[PATH_MAX], *text;
	size_t len;

	memset(k, 0, sizeof(*k));
	*partial = 0;
	if (kept_path(path, sizeof(path), "", name, "", NULL) ||
	    read_small(path, &text, &len))
		return 0;
	*partial = kept_parse(text, len, k) != 0 || !k->keeper;
	free(text);
	return 1;
}

/* is /run/netns entry @ent (a file name) lab @name's?  It is under the
 * lab's prefix and not under that of a recorded lab with a longer name
 * ("tcplab-a-b-client" is lab a-b's while a-b is recorded) */
static int entry_is_labs(const char *ent, const char *name)
{
	size_t n = strlen(name);
	const char *rest, *dash;

	if (strncmp(ent, "tcplab-", 7) || strncmp(ent + 7, name, n) ||
	    ent[7 + n] != '-' || !ent[7 + n + 1])
		return 0;
	rest = ent + 7 + n + 1;
	for (dash = strchr(rest, '-'); dash; dash = strchr(dash + 1, '-')) {
		char longer[KEPT_NAME_MAX], path[PATH_MAX];

		if (snprintf(longer, sizeof(longer), "%s-%.*s", name,
			     (int)(dash - rest), rest) >= (int)sizeof(longer))
			break;
		if (!kept_path(path, sizeof(path), "", longer, "", NULL) &&
		    access(path, F_OK) == 0)
			return 0;
	}
	return 1;
}

/* unmount and remove /run/netns entry @path; 1 if it was there, 0 if
 * not, -errno with @e set */
static int entry_remove(const char *path, struct err *e)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return err_set(e, -errno, "cannot unmount %s: %s", path,
			       strerror(errno));
	if (unlink(path) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	return err_set(e, -errno, "cannot remove %s: %s", path, strerror(errno));
}

/* remove what record @k names under /run/netns and every entry under the
 * lab's prefix; the count removed or -errno */
static int unpublish(const char *name, const struct kept_info *k,
		     struct err *e)
{
	char prefix[PATH_MAX], path[PATH_MAX];
	struct dirent *d;
	int i, n = 0, r = 0;
	DIR *dp;

	/* only root publishes */
	if (userns_outer_uid() != 0)
		return 0;
	snprintf(prefix, sizeof(prefix), "%s/tcplab-%s-", KEPT_NETNS_DIR, name);
	for (i = 0; k && i < k->nnetns && r >= 0; i++)
		if (!strncmp(k->netns[i], prefix, strlen(prefix)) &&
		    !strchr(k->netns[i] + strlen(prefix), '/') &&
		    (r = entry_remove(k->netns[i], e)) > 0)
			n++;
	dp = opendir(KEPT_NETNS_DIR);
	while (dp && r >= 0 && (d = readdir(dp))) {
		if (!entry_is_labs(d->d_name, name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", KEPT_NETNS_DIR, d->d_name);
		if ((r = entry_remove(path, e)) > 0)
			n++;
	}
	if (dp)
		closedir(dp);
	return r < 0 ? r : n;
}

/* end keeper @pid started at @start, if it still is that keeper: SIGTERM
 * (it aborts the lab's sockets, and its PID namespace goes with it), then
 * SIGKILL; 1 if it was running, 0 if not, -errno */
static int keeper_end(const char *name, int pid, unsigned long long start,
		      struct err *e)
{
	uint64_t t0 = util_now_ns();

	if (!kept_proc_is(pid, start, KEPT_KEEPER_COMM))
		return 0;
	kill(pid, SIGTERM);
	while (kept_proc_is(pid, start, KEPT_KEEPER_COMM)) {
		if (util_now_ns() - t0 > 2 * NS_PER_S)
			kill(pid, SIGKILL);
		if (util_now_ns() - t0 > 3 * NS_PER_S)
			return err_set(e, -ETIMEDOUT,
				       "the keeper of lab '%s' (pid %d) does not end",
				       name, pid);
		util_sleep_ns(NS_PER_MS);
	}
	return 1;
}

/* kept_remove() with the records directory locked (@dfd) */
static int remove_locked(int dfd, const char *name, int own,
			 struct kept_removed *out, struct err *e)
{
	static const char *const beside[] = { ".sock", ".fw" };
	char path[PATH_MAX];
	struct kept_info k;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	r = kept_path(path, sizeof(path), "", name, "", e);
	if (r)
		return r;
	out->record = record_load(name, &k, &out->partial);
	if (out->record && !own && !k.keeper &&
	    kept_proc_is(k.up, k.up_start, NULL))
		return err_env(e, -EBUSY, "lab '%s' is being kept by tcplab up "
			       "(pid %d) right now; try again when it is done",
			       name, k.up);
	r = keeper_end(name, k.keeper, k.keeper_start, e);
	if (r < 0)
		return r;
	out->keeper = r;
	r = unpublish(name, out->record ? &k : NULL, e);
	if (r < 0)
		return r;
	out->nnetns = r;
	for (i = 0; i < ARRAY_SIZE(beside); i++)
		if (!kept_path(path, sizeof(path), ".", name, beside[i], NULL))
			unlink(path);
	if (!out->record)
		return out->nnetns ? 0
				   : err_set(e, -ENOENT, "no kept lab '%s'", name);
	/* the record last: until it is gone, clean finds what is left */
	if (kept_path(path, sizeof(path), "", name, "", e) == 0 &&
	    unlink(path) < 0 && errno != ENOENT)
		return err_set(e, -errno, "cannot remove %s: %s", path,
			       strerror(errno));
	(void)fsync(dfd);
	return 0;
}

int kept_remove(const char *name, int own, struct kept_removed *out,
		struct err *e)
{
	int dfd, r;

	memset(out, 0, sizeof(*out));
	if (!kept_name_ok(name))
		return err_set(e, -EINVAL,
			       "'%s' is not a lab name (letters, digits, - and _)",
			       name);
	dfd = dir_lock(0, e);
	if (dfd == -ENOENT) /* no records directory: only entries to sweep */
		return remove_locked(-1, name, own, out, e);
	if (dfd < 0)
		return dfd;
	r = remove_locked(dfd, name, own, out, e);
	close(dfd);
	return r;
}

/* write all of @buf to @fd and fsync it; 0 or -errno */
static int write_sync(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return fsync(fd) < 0 ? -errno : 0;
}

int kept_create(const struct kept_info *k, struct err *e)
{
	struct kept_removed old;
	struct kept_info was;
	char path[PATH_MAX], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int dfd, fd, r, partial, tries;

	r = kept_path(path, sizeof(path), "", k->name, "", e);
	if (r)
		return r;
	dfd = dir_lock(1, e);
	if (dfd < 0)
		return dfd;
	for (tries = 0;; tries++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC,
			  0644);
		if (fd >= 0)
			break;
		r = -errno;
		if (r != -EEXIST) {
			err_env(e, r, "cannot create %s: %s", path, strerror(-r));
			goto out;
		}
		/* what an interrupted up or down left goes first */
		if (tries || !record_load(k->name, &was, &partial) ||
		    kept_proc_is(was.up, was.up_start, NULL) || kept_alive(&was)) {
			err_env(e, r, "a lab '%s' is kept already (tcplab down %s)",
				k->name, k->name);
			goto out;
		}
		r = remove_locked(dfd, k->name, 0, &old, e);
		if (r)
			goto out;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		r = -ENOMEM;
		goto undo;
	}
	kept_format(f, k);
	r = fclose(f) ? -ENOMEM : 0;
	if (!r)
		r = write_sync(fd, buf, len);
	free(buf);
	if (!r && fsync(dfd) < 0)
		r = -errno;
	if (r)
		goto undo;
	/* the record is on disk: entries an older tcplab left under the
	 * lab's prefix can go (the record names this up's own) */
	r = unpublish(k->name, NULL, e);
	if (r >= 0) {
		close(dfd);
		return fd;
	}
undo:
	err_set(e, r, "cannot write %s: %s", path, strerror(-r));
	close(fd);
	unlink(path);
out:
	close(dfd);
	return r;
}

int kept_add_keeper(int fd, int pid, struct err *e)
{
	unsigned long long start = kept_proc_start(pid);
	char line[64];
	int r;

	if (!start)
		return err_set(e, -ESRCH, "the lab keeper (pid %d) is gone", pid);
	snprintf(line, sizeof(line), "keeper %d %llu\n", pid, start);
	r = write_sync(fd, line, strlen(line));
	if (r)
		return err_set(e, r, "cannot record the lab keeper: %s",
			       strerror(-r));
	return 0;
}
