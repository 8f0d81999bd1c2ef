// SPDX-License-Identifier: GPL-2.0-or-later
/* snapshot.c - a kept lab's sockets, as ss -tanoi and as JSON (see snapshot.h) */
#include "snapshot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>

#include "text.h"

static void peer_text(const struct diag_sock *s, char *buf, size_t len)
{
	if (s->state == DIAG_LISTEN)
		snprintf(buf, len, "%s",
			 s->src.family == AF_INET6 ? "[::]:*" : "0.0.0.0:*");
	else
		diag_addr_format(&s->dst, buf, len);
}

static void info_line(FILE *f, const struct diag_tcpinfo *i, const char *cong)
{
	fprintf(f, "\t %s rto:%.6g rtt:%.6g/%.6g mss:%u cwnd:%u",
		cong[0] ? cong : "-", i->rto_us / 1000.0, i->rtt_us / 1000.0,
		i->rttvar_us / 1000.0, i->snd_mss, i->snd_cwnd);
	if (i->snd_ssthresh < 0x7fffffff)
		fprintf(f, " ssthresh:%u", i->snd_ssthresh);
	fprintf(f, " bytes_acked:%llu bytes_received:%llu segs_out:%u segs_in:%u",
		(unsigned long long)i->bytes_acked,
		(unsigned long long)i->bytes_received, i->segs_out, i->segs_in);
	if (i->unacked)
		fprintf(f, " unacked:%u", i->unacked);
	if (i->retrans || i->total_retrans)
		fprintf(f, " retrans:%u/%u", i->retrans, i->total_retrans);
	if (i->backoff)
		fprintf(f, " backoff:%u", i->backoff);
	if (i->probes)
		fprintf(f, " probes:%u", i->probes);
	fputc('\n', f);
}

int snapshot_text(FILE *f, const struct snapshot_node *nodes, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t k;

		fprintf(f, "%s== %s (%s)\n", i ? "\n" : "", nodes[i].name,
			nodes[i].addr);
		if (!nodes[i].set || !nodes[i].set->n) {
			fprintf(f, "(no TCP sockets)\n");
			continue;
		}
		fprintf(f, "%-11s %6s %6s %-28s %-28s %s\n", "State", "Recv-Q",
			"Send-Q", "Local Address:Port", "Peer Address:Port",
			"Process");
		for (k = 0; k < nodes[i].set->n; k++) {
			const struct diag_sock *s = &nodes[i].set->v[k];
			char la[64], pa[64], tm[48];

			diag_addr_format(&s->src, la, sizeof(la));
			peer_text(s, pa, sizeof(pa));
			text_timer(s, tm, sizeof(tm));
			fprintf(f, "%-11s %6u %6u %-28s %-28s", text_state(s->state),
				s->rqueue, s->wqueue, la, pa);
			if (tm[0])
				fprintf(f, " timer:(%s)", tm);
			if (s->inode)
				fprintf(f, " ino:%u", s->inode);
			fprintf(f, " sk:%llx\n", (unsigned long long)s->cookie);
			if (s->has_info && s->state != DIAG_LISTEN)
				info_line(f, &s->info, s->cong);
		}
	}
	return ferror(f) ? -EIO : 0;
}

#define J_ADD(o, k, v) json_object_object_add((o), (k), (v))

static json_object *addr_json(const struct diag_addr *a)
{
	char buf[64];
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (a->family == AF_INET6)
		inet_ntop(AF_INET6, &a->v6, buf, sizeof(buf));
	else
		inet_ntop(AF_INET, &a->v4, buf, sizeof(buf));
	J_ADD(o, "addr", json_object_new_string(buf));
	J_ADD(o, "port", json_object_new_int(a->port));
	return o;
}

static json_object *info_json(const struct diag_tcpinfo *i, const char *cong)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	J_ADD(o, "cong", cong[0] ? json_object_new_string(cong) : NULL);
	J_ADD(o, "rto_us", json_object_new_int64(i->rto_us));
	J_ADD(o, "rtt_us", json_object_new_int64(i->rtt_us));
	J_ADD(o, "rttvar_us", json_object_new_int64(i->rttvar_us));
	J_ADD(o, "snd_mss", json_object_new_int64(i->snd_mss));
	J_ADD(o, "snd_cwnd", json_object_new_int64(i->snd_cwnd));
	J_ADD(o, "snd_ssthresh", json_object_new_int64(i->snd_ssthresh));
	J_ADD(o, "unacked", json_object_new_int64(i->unacked));
	J_ADD(o, "retransmits", json_object_new_int(i->retransmits));
	J_ADD(o, "retrans", json_object_new_int64(i->retrans));
	J_ADD(o, "total_retrans", json_object_new_int64(i->total_retrans));
	J_ADD(o, "backoff", json_object_new_int(i->backoff));
	J_ADD(o, "probes", json_object_new_int(i->probes));
	J_ADD(o, "bytes_acked", json_object_new_int64((int64_t)i->bytes_acked));
	J_ADD(o, "bytes_received", json_object_new_int64((int64_t)i->bytes_received));
	J_ADD(o, "segs_out", json_object_new_int64(i->segs_out));
	J_ADD(o, "segs_in", json_object_new_int64(i->segs_in));
	return o;
}

static json_object *sock_json(const struct diag_sock *s)
{
	json_object *o = json_object_new_object();
	char tm[48];

	if (!o)
		return NULL;
	J_ADD(o, "state", json_object_new_string(diag_state_name(s->state)));
	J_ADD(o, "local", addr_json(&s->src));
	J_ADD(o, "peer", s->state == DIAG_LISTEN ? NULL : addr_json(&s->dst));
	J_ADD(o, "recv_q", json_object_new_int64(s->rqueue));
	J_ADD(o, "send_q", json_object_new_int64(s->wqueue));
	if (text_timer(s, tm, sizeof(tm))[0]) {
		json_object *t = json_object_new_object();

		J_ADD(t, "kind", json_object_new_string(diag_timer_name(s->timer)));
		J_ADD(t, "expires_ms", json_object_new_int64(s->expires_ms));
		J_ADD(t, "retransmits", json_object_new_int(s->retrans));
		J_ADD(o, "timer", t);
	} else {
		J_ADD(o, "timer", NULL);
	}
	J_ADD(o, "inode", json_object_new_int64(s->inode));
	{
		char ck[24];

		snprintf(ck, sizeof(ck), "%llx", (unsigned long long)s->cookie);
		J_ADD(o, "cookie", json_object_new_string(ck));
	}
	J_ADD(o, "info", s->has_info ? info_json(&s->info, s->cong) : NULL);
	return o;
}

int snapshot_json(FILE *f, const char *lab, uint64_t t_ns,
		  const struct snapshot_node *nodes, int n)
{
	json_object *root = json_object_new_object(), *arr;
	const char *s;
	int i, r = 0;

	if (!root)
		return -ENOMEM;
	arr = json_object_new_array();
	J_ADD(root, "lab", json_object_new_string(lab));
	J_ADD(root, "t_ns", json_object_new_int64((int64_t)t_ns));
	J_ADD(root, "nodes", arr);
	for (i = 0; i < n; i++) {
		json_object *nd = json_object_new_object(), *socks;
		size_t k;

		socks = json_object_new_array();
		J_ADD(nd, "name", json_object_new_string(nodes[i].name));
		J_ADD(nd, "addr", json_object_new_string(nodes[i].addr));
		J_ADD(nd, "sockets", socks);
		for (k = 0; nodes[i].set && k < nodes[i].set->n; k++)
			json_object_array_add(socks, sock_json(&nodes[i].set->v[k]));
		json_object_array_add(arr, nd);
	}
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s || fprintf(f, "%s\n", s) < 0)
		r = -EIO;
	json_object_put(root);
	return r;
}
