// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_diag.c - sock_diag decoder on recorded dumps, request builders, and
 * the snapshot/destroy loops against a scripted peer
 *
 * The fixtures under tests/data/diag/ were written by `ss -t -a -i -m -D`
 * inside throw-away namespaces (see tests/data/diag/README.md).  Each is
 * checked field by field here, and rendered against a golden file
 * (NAME.txt); TCPLAB_UPDATE_GOLDEN=1 rewrites the golden files instead.
 * diag_snapshot() and diag_destroy() run against a forked process that
 * plays the kernel over a SOCK_SEQPACKET pair, and, when the test may
 * create a network namespace (root), once against the real kernel.
 */
#define _GNU_SOURCE /* unshare() */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "golden.h"
#include "util.h"

#ifndef TESTS_DATA_DIR
#error "TESTS_DATA_DIR must name the tests/data directory"
#endif

#define DIAG_DIR TESTS_DATA_DIR "/diag"
#define UNUSED __attribute__((unused))

/* The sequence number iproute2's ss puts on its requests (MAGIC_SEQ) */
#define SS_MAGIC_SEQ 123456

static const char *const fixtures[] = {
	"v4-established", "v6-established", "time-wait", "syn-recv",
	"close-wait",
};

/**
 * fixture_load() - read tests/data/diag/@name.raw
 * @name:	fixture name
 * @len:	set to its length
 *
 * Return: malloc'd bytes (aligned for netlink headers); fails the test if
 * the file cannot be read
 */
static void *fixture_load(const char *name, size_t *len)
{
	char file[128];
	void *buf;

	snprintf(file, sizeof(file), "%s.raw", name);
	buf = golden_read(DIAG_DIR, file, len);
	assert_true(*len > 0);
	return buf;
}

/**
 * fixture_parse() - decode fixture @name into @set, which must return 1
 * @name:	fixture name
 * @set:	destination (appended to)
 */
static void fixture_parse(const char *name, struct diag_set *set)
{
	size_t len;
	void *buf = fixture_load(name, &len);

	assert_int_equal(diag_parse(buf, len, set), 1);
	free(buf);
}

/**
 * find() - the socket of @set in @state from @sport to @dport
 * @set:	decoded sockets
 * @state:	enum diag_state
 * @sport:	local port
 * @dport:	remote port
 *
 * Return: the socket; fails the test if it is not there exactly once
 */
static const struct diag_sock *find(const struct diag_set *set, int state,
				    uint16_t sport, uint16_t dport)
{
	const struct diag_sock *hit = NULL;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct diag_sock *s = &set->v[i];

		if (s->state == state && s->src.port == sport &&
		    s->dst.port == dport) {
			if (hit)
				fail_msg("%s %u->%u listed twice",
					 diag_state_name(state), sport, dport);
			hit = s;
		}
	}
	if (!hit)
		fail_msg("no %s %u->%u", diag_state_name(state), sport, dport);
	return hit;
}

/**
 * assert_addr() - @a prints as @want
 * @a:		address
 * @want:	expected diag_addr_format() text
 */
static void assert_addr(const struct diag_addr *a, const char *want)
{
	char buf[64];

	assert_string_equal(diag_addr_format(a, buf, sizeof(buf)), want);
}

/**
 * line_cmp() - qsort() comparison of two rendered lines
 * @a:		one line
 * @b:		another
 *
 * Return: as strcmp()
 */
static int line_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/**
 * render() - the stable text form of a decoded dump, for golden files
 * @set:	decoded sockets
 * @out:	destination
 * @len:	its size
 *
 * Inode numbers, cookies, timer expiry and tcp_info values change from one
 * recording to the next and are left out; whether they are there is kept.
 * The kernel lists sockets in hash order, which changes too: lines are
 * sorted.
 */
static void render(const struct diag_set *set, char *out, size_t len)
{
	static char lines[64][256];
	size_t i, n = 0;

	assert_true(set->n <= ARRAY_SIZE(lines));
	for (i = 0; i < set->n; i++) {
		const struct diag_sock *s = &set->v[i];
		char src[64], dst[64];

		snprintf(lines[i], sizeof(lines[i]),
			 "%-11s %s %s timer=%s retrans=%u rq=%u wq=%u ino=%s "
			 "cookie=%s info=%s shutdown=%d cong=%s\n",
			 diag_state_name(s->state),
			 diag_addr_format(&s->src, src, sizeof(src)),
			 diag_addr_format(&s->dst, dst, sizeof(dst)),
			 diag_timer_name(s->timer), s->retrans, s->rqueue,
			 s->wqueue, s->inode ? "yes" : "0",
			 s->cookie ? "yes" : "0", s->has_info ? "yes" : "no",
			 s->shutdown == 0xff ? -1 : s->shutdown,
			 s->cong[0] ? s->cong : "-");
	}
	qsort(lines, set->n, sizeof(lines[0]), line_cmp);
	out[0] = '\0';
	for (i = 0; i < set->n && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s", lines[i]);
	assert_true(n < len);
}

/**
 * test_golden() - every fixture renders as its golden file says
 * @state:	unused
 */
static void test_golden(void **state UNUSED)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fixtures); i++) {
		struct diag_set set = { 0 };
		char got[8192], name[128];

		fixture_parse(fixtures[i], &set);
		render(&set, got, sizeof(got));
		diag_set_free(&set);

		snprintf(name, sizeof(name), "%s.txt", fixtures[i]);
		golden_check(DIAG_DIR, name, got);
	}
}

/**
 * test_fixture_format() - the fixtures are raw netlink, as ss -D wrote them
 * @state:	unused
 *
 * iproute2's ss copies each datagram it receives into the file: netlink
 * headers carrying its request's sequence number, IPv4 dump first, each
 * dump closed by NLMSG_DONE, nothing else.
 */
static void test_fixture_format(void **state UNUSED)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fixtures); i++) {
		size_t len;
		char *buf = fixture_load(fixtures[i], &len);
		const struct nlmsghdr *nlh = (const void *)buf;
		int rem = (int)len, dones = 0;

		for (; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			assert_int_equal(nlh->nlmsg_seq, SS_MAGIC_SEQ);
			assert_true(nlh->nlmsg_flags & NLM_F_MULTI);
			if (nlh->nlmsg_type == NLMSG_DONE)
				dones++;
			else
				assert_int_equal(nlh->nlmsg_type,
						 SOCK_DIAG_BY_FAMILY);
		}
		assert_int_equal(rem, 0);
		assert_int_equal(dones, 2);
		free(buf);
	}
}

/**
 * test_v4_established() - listener and an established pair over 127.0.0.1
 * @state:	unused
 */
static void test_v4_established(void **state UNUSED)
{
	struct diag_set set = { 0 };
	const struct diag_sock *l, *c, *a;

	fixture_parse("v4-established", &set);
	assert_int_equal(set.n, 3);

	l = find(&set, DIAG_LISTEN, 8080, 0);
	assert_int_equal(l->src.family, AF_INET);
	assert_addr(&l->src, "127.0.0.1:8080");
	assert_addr(&l->dst, "0.0.0.0:0");
	assert_int_not_equal(l->inode, 0);
	assert_true(l->has_info);
	assert_int_equal(l->shutdown, 0);
	assert_int_equal(l->timer, DIAG_TIMER_OFF);
	assert_true(l->cong[0] != '\0');

	c = find(&set, DIAG_ESTABLISHED, 40000, 8080);
	assert_addr(&c->src, "127.0.0.1:40000");
	assert_addr(&c->dst, "127.0.0.1:8080");
	assert_int_not_equal(c->inode, 0);
	assert_int_not_equal(c->cookie, 0);
	assert_true(c->has_info);
	assert_int_equal(c->shutdown, 0);
	/* SYN + "hello" acknowledged; a loopback RTO is the 200 ms floor */
	assert_int_equal(c->info.bytes_acked, 6);
	assert_true(c->info.rto_us >= 200000);
	assert_true(c->info.snd_mss > 0);
	assert_true(c->info.segs_out >= 2);
	assert_int_equal(c->info.total_retrans, 0);

	a = find(&set, DIAG_ESTABLISHED, 8080, 40000);
	assert_int_equal(a->rqueue, 5); /* "hello", never read */
	assert_int_equal(a->info.bytes_received, 5);
	assert_int_not_equal(a->inode, c->inode);
	assert_int_not_equal(a->cookie, c->cookie);
	assert_true(a->uid == 0 && c->uid == 0);

	diag_set_free(&set);
}

/**
 * test_v6_established() - the same over ::1; the IPv4 dump is empty
 * @state:	unused
 */
static void test_v6_established(void **state UNUSED)
{
	struct diag_set set = { 0 };
	const struct diag_sock *l, *c, *a;

	fixture_parse("v6-established", &set);
	assert_int_equal(set.n, 3);

	l = find(&set, DIAG_LISTEN, 8080, 0);
	assert_int_equal(l->src.family, AF_INET6);
	assert_addr(&l->src, "[::1]:8080");
	assert_addr(&l->dst, "[::]:0");
	assert_true(l->has_info);

	c = find(&set, DIAG_ESTABLISHED, 40000, 8080);
	assert_int_equal(c->dst.family, AF_INET6);
	assert_addr(&c->src, "[::1]:40000");
	assert_addr(&c->dst, "[::1]:8080");
	assert_true(IN6_IS_ADDR_LOOPBACK(&c->dst.v6));
	assert_true(c->has_info);
	assert_int_not_equal(c->inode, 0);

	a = find(&set, DIAG_ESTABLISHED, 8080, 40000);
	assert_int_equal(a->rqueue, 5);

	diag_set_free(&set);
}

/**
 * test_time_wait() - the active closer's TIME_WAIT socket
 * @state:	unused
 */
static void test_time_wait(void **state UNUSED)
{
	struct diag_set set = { 0 };
	const struct diag_sock *tw;

	fixture_parse("time-wait", &set);
	assert_int_equal(set.n, 2);
	find(&set, DIAG_LISTEN, 8080, 0);

	tw = find(&set, DIAG_TIME_WAIT, 40000, 8080);
	assert_addr(&tw->src, "127.0.0.1:40000");
	assert_addr(&tw->dst, "127.0.0.1:8080");
	assert_int_equal(tw->inode, 0);
	assert_false(tw->has_info);
	assert_int_equal(tw->timer, DIAG_TIMER_TIMEWAIT);
	assert_true(tw->expires_ms > 0 && tw->expires_ms <= 60000);
	assert_int_equal(tw->shutdown, 0xff); /* not sent for timewait socks */
	assert_string_equal(tw->cong, "");
	assert_int_not_equal(tw->cookie, 0);

	diag_set_free(&set);
}

/**
 * test_syn_recv() - request socket, SYN_SENT, and the half-open client
 * @state:	unused
 */
static void test_syn_recv(void **state UNUSED)
{
	struct diag_set set = { 0 };
	const struct diag_sock *rq, *ss, *c;

	fixture_parse("syn-recv", &set);
	assert_int_equal(set.n, 4);
	find(&set, DIAG_LISTEN, 8080, 0);

	rq = find(&set, DIAG_SYN_RECV, 8080, 40000);
	assert_addr(&rq->src, "127.0.0.1:8080");
	assert_int_equal(rq->inode, 0);
	assert_false(rq->has_info);
	assert_int_equal(rq->timer, DIAG_TIMER_ON); /* SYN-ACK retransmit */
	assert_true(rq->expires_ms <= 1000);
	assert_int_not_equal(rq->cookie, 0);

	ss = find(&set, DIAG_SYN_SENT, 40001, 8081);
	assert_int_not_equal(ss->inode, 0);
	assert_true(ss->has_info);
	assert_int_equal(ss->timer, DIAG_TIMER_ON); /* SYN retransmit */
	assert_int_equal(ss->info.unacked, 1);

	/* the client saw the SYN-ACK: its side is established */
	c = find(&set, DIAG_ESTABLISHED, 40000, 8080);
	assert_true(c->has_info);

	diag_set_free(&set);
}

/**
 * test_close_wait() - FIN_WAIT2 (full, and orphaned) against CLOSE_WAIT
 * @state:	unused
 */
static void test_close_wait(void **state UNUSED)
{
	struct diag_set set = { 0 };
	const struct diag_sock *fw, *orphan, *cw;

	fixture_parse("close-wait", &set);
	assert_int_equal(set.n, 5);

	/* shutdown(SHUT_WR): still a full socket */
	fw = find(&set, DIAG_FIN_WAIT2, 40000, 8080);
	assert_int_not_equal(fw->inode, 0);
	assert_true(fw->has_info);
	assert_int_equal(fw->shutdown, 2); /* SEND_SHUTDOWN */

	/* close(): a timewait socket in its FIN_WAIT2 substate */
	orphan = find(&set, DIAG_FIN_WAIT2, 40001, 8080);
	assert_int_equal(orphan->inode, 0);
	assert_false(orphan->has_info);
	assert_int_equal(orphan->timer, DIAG_TIMER_TIMEWAIT);

	cw = find(&set, DIAG_CLOSE_WAIT, 8080, 40000);
	assert_int_equal(cw->shutdown, 1); /* RCV_SHUTDOWN: FIN received */
	assert_true(cw->has_info);
	find(&set, DIAG_CLOSE_WAIT, 8080, 40001);

	diag_set_free(&set);
}

/**
 * test_two_dumps_appended() - sets grow across calls; clear keeps memory
 * @state:	unused
 */
static void test_two_dumps_appended(void **state UNUSED)
{
	struct diag_set set = { 0 };
	struct diag_sock *v;

	fixture_parse("v4-established", &set);
	fixture_parse("v6-established", &set);
	assert_int_equal(set.n, 6);
	assert_int_equal(set.v[0].src.family, AF_INET);
	assert_int_equal(set.v[5].src.family, AF_INET6);

	v = set.v;
	diag_set_clear(&set);
	assert_int_equal(set.n, 0);
	assert_ptr_equal(set.v, v);
	diag_set_free(&set);
	assert_null(set.v);
	assert_int_equal(set.cap, 0);
	diag_set_free(&set); /* twice is harmless */
}

/**
 * test_truncated() - every cut inside a message is -EBADMSG, set untouched
 * @state:	unused
 *
 * A cut on a message boundary is a short read, not a fault: the messages
 * before it decode, and DONE is reported only if it was among them.
 */
static void test_truncated(void **state UNUSED)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fixtures); i++) {
		struct diag_set set = { 0 };
		size_t len, cut, next_boundary = 0, seen = 0;
		char *buf = fixture_load(fixtures[i], &len);
		int done_before = 0;

		/* one socket already there, which a fault must not lose */
		fixture_parse("time-wait", &set);
		assert_int_equal(set.n, 2);

		for (cut = 0; cut < len; cut++) {
			const struct nlmsghdr *nlh =
				(const void *)(buf + next_boundary);
			int r;

			if (cut == next_boundary) {
				r = diag_parse(buf, cut, &set);
				assert_int_equal(r, done_before);
				assert_int_equal(set.n, 2 + seen);
				set.n = 2;
				if (nlh->nlmsg_type == NLMSG_DONE)
					done_before = 1;
				else
					seen++;
				next_boundary += NLMSG_ALIGN(nlh->nlmsg_len);
				continue;
			}
			r = diag_parse(buf, cut, &set);
			if (r != -EBADMSG)
				fail_msg("%s cut at %zu: got %d", fixtures[i],
					 cut, r);
			assert_int_equal(set.n, 2);
		}
		free(buf);
		diag_set_free(&set);
	}
}

/**
 * msg_sock() - write one SOCK_DIAG_BY_FAMILY message header into @buf
 * @buf:	destination
 * @family:	idiag_family
 * @state:	idiag_state
 *
 * Return: the message; attributes may be added with mnl_attr_put()
 */
static struct nlmsghdr *msg_sock(void *buf, uint8_t family, uint8_t state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_msg *m;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->idiag_family = family;
	m->idiag_state = state;
	m->id.idiag_sport = htons(443);
	m->id.idiag_dport = htons(50000);
	m->id.idiag_src[0] = htonl(0xc6120001); /* 198.18.0.1 */
	m->id.idiag_dst[0] = htonl(0xc6120002);
	m->idiag_inode = 77;
	return nlh;
}

/**
 * msg_status() - write an NLMSG_ERROR or NLMSG_DONE carrying @err
 * @buf:	destination
 * @type:	NLMSG_ERROR or NLMSG_DONE
 * @seq:	sequence number
 * @err:	0 or -errno
 *
 * Return: the message length
 */
static size_t msg_status(void *buf, uint16_t type, uint32_t seq, int err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = seq;
	if (type == NLMSG_ERROR) {
		struct nlmsgerr *e;

		e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
		e->error = err;
	} else {
		nlh->nlmsg_flags = NLM_F_MULTI;
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &err,
		       sizeof(int));
	}
	return nlh->nlmsg_len;
}

/**
 * test_synthetic_fields() - cookie words, port order, NEW_SYN_RECV, CONG
 * @state:	unused
 */
static void test_synthetic_fields(void **state UNUSED)
{
	uint32_t buf[256] = { 0 };
	struct diag_set set = { 0 };
	struct nlmsghdr *nlh = msg_sock(buf, AF_INET, DIAG_NEW_SYN_RECV);
	struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct diag_sock *s;

	m->id.idiag_cookie[0] = 0x11223344;
	m->id.idiag_cookie[1] = 0x55667788;
	m->id.idiag_if = 3;
	m->idiag_timer = DIAG_TIMER_ON;
	m->idiag_retrans = 2;
	m->idiag_expires = 1500;
	m->idiag_uid = 1000;
	mnl_attr_put_strz(nlh, INET_DIAG_CONG, "a-very-long-congestion-name");
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, 3);
	mnl_attr_put_u32(nlh, INET_DIAG_MARK, 7); /* skipped */

	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), 0);
	assert_int_equal(set.n, 1);
	s = &set.v[0];
	assert_int_equal(s->state, DIAG_SYN_RECV);
	assert_int_equal(s->cookie, 0x5566778811223344ULL);
	assert_int_equal(s->ifindex, 3);
	assert_int_equal(s->retrans, 2);
	assert_int_equal(s->expires_ms, 1500);
	assert_int_equal(s->uid, 1000);
	assert_int_equal(s->inode, 77);
	assert_int_equal(s->shutdown, 3);
	assert_false(s->has_info);
	assert_int_equal(strlen(s->cong), sizeof(s->cong) - 1);
	assert_addr(&s->src, "198.18.0.1:443");
	assert_addr(&s->dst, "198.18.0.2:50000");
	diag_set_free(&set);
}

/**
 * test_tcp_info_lengths() - a short INFO is zero-filled, a long one cut
 * @state:	unused
 */
static void test_tcp_info_lengths(void **state UNUSED)
{
	uint32_t buf[512] = { 0 };
	uint8_t info[1024];
	struct diag_set set = { 0 };
	struct nlmsghdr *nlh;
	uint32_t rto = 204000;

	/* 8 bytes: state, ca_state, retransmits, probes, backoff ... only */
	memset(info, 0, sizeof(info));
	info[0] = DIAG_ESTABLISHED;
	info[1] = 4; /* TCP_CA_Loss */
	info[2] = 2;
	info[4] = 3;
	memcpy(info + 8, &rto, sizeof(rto)); /* tcpi_rto: beyond the cut */
	nlh = msg_sock(buf, AF_INET, DIAG_ESTABLISHED);
	mnl_attr_put(nlh, INET_DIAG_INFO, 8, info);
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), 0);
	assert_true(set.v[0].has_info);
	assert_int_equal(set.v[0].info.ca_state, 4);
	assert_int_equal(set.v[0].info.retransmits, 2);
	assert_int_equal(set.v[0].info.backoff, 3);
	assert_int_equal(set.v[0].info.rto_us, 0);
	assert_int_equal(set.v[0].info.bytes_received, 0);

	/* longer than any struct tcp_info of today */
	memset(buf, 0, sizeof(buf));
	memset(info, 0xab, sizeof(info));
	memcpy(info + 8, &rto, sizeof(rto));
	nlh = msg_sock(buf, AF_INET, DIAG_ESTABLISHED);
	mnl_attr_put(nlh, INET_DIAG_INFO, sizeof(info), info);
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), 0);
	assert_int_equal(set.n, 2);
	assert_int_equal(set.v[1].info.rto_us, 204000);

	/* empty */
	memset(buf, 0, sizeof(buf));
	nlh = msg_sock(buf, AF_INET6, DIAG_ESTABLISHED);
	mnl_attr_put(nlh, INET_DIAG_INFO, 0, info);
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), 0);
	assert_true(set.v[2].has_info);
	assert_int_equal(set.v[2].info.rto_us, 0);
	diag_set_free(&set);
}

/**
 * test_malformed() - bad lengths, families and types are -EBADMSG
 * @state:	unused
 */
static void test_malformed(void **state UNUSED)
{
	uint32_t buf[256];
	struct diag_set set = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *a;

	/* nlmsg_len below the header size */
	memset(buf, 0, sizeof(buf));
	nlh = msg_sock(buf, AF_INET, DIAG_LISTEN);
	nlh->nlmsg_len = 8;
	assert_int_equal(diag_parse(buf, 64, &set), -EBADMSG);

	/* nlmsg_len beyond the buffer */
	memset(buf, 0, sizeof(buf));
	nlh = msg_sock(buf, AF_INET, DIAG_LISTEN);
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len - 4, &set), -EBADMSG);

	/* payload shorter than struct inet_diag_msg */
	nlh->nlmsg_len = (uint32_t)(MNL_NLMSG_HDRLEN + 20);
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), -EBADMSG);

	/* unknown address family */
	memset(buf, 0, sizeof(buf));
	nlh = msg_sock(buf, AF_UNIX, DIAG_LISTEN);
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), -EBADMSG);

	/* an attribute running past its message */
	memset(buf, 0, sizeof(buf));
	nlh = msg_sock(buf, AF_INET, DIAG_LISTEN);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, 0);
	a->nla_len = 64;
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), -EBADMSG);

	/* an attribute shorter than its own header */
	a->nla_len = 2;
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), -EBADMSG);

	/* SHUTDOWN without its byte */
	a->nla_len = 4;
	nlh->nlmsg_len -= 4;
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), -EBADMSG);

	/* a message type that is no inet_diag reply (RTM_NEWLINK) */
	memset(buf, 0, sizeof(buf));
	nlh = msg_sock(buf, AF_INET, DIAG_LISTEN);
	nlh->nlmsg_type = 16;
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), -EBADMSG);

	/* NOOP is skipped, an empty buffer is "more to come" */
	nlh->nlmsg_type = NLMSG_NOOP;
	assert_int_equal(diag_parse(buf, nlh->nlmsg_len, &set), 0);
	assert_int_equal(diag_parse(buf, 0, &set), 0);

	assert_int_equal(set.n, 0);
	diag_set_free(&set);
}

/**
 * test_nlmsg_error() - errors are returned and undo the buffer's sockets
 * @state:	unused
 */
static void test_nlmsg_error(void **state UNUSED)
{
	struct diag_set set = { 0 };
	size_t len, elen;
	char *fix = fixture_load("v4-established", &len);
	char *buf = calloc(1, len + 256);
	size_t first = NLMSG_ALIGN(((struct nlmsghdr *)fix)->nlmsg_len);

	assert_non_null(buf);

	/* alone */
	elen = msg_status(buf, NLMSG_ERROR, 1, -EPERM);
	assert_int_equal(diag_parse(buf, elen, &set), -EPERM);

	/* an ACK (error 0) is no failure */
	elen = msg_status(buf, NLMSG_ERROR, 1, 0);
	assert_int_equal(diag_parse(buf, elen, &set), 0);

	/* a truncated struct nlmsgerr */
	((struct nlmsghdr *)buf)->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
	assert_int_equal(diag_parse(buf, MNL_NLMSG_HDRLEN + 4, &set), -EBADMSG);

	/* after a socket: the error wins and the socket is not kept */
	memcpy(buf, fix, first);
	elen = msg_status(buf + first, NLMSG_ERROR, 1, -ENOBUFS);
	assert_int_equal(diag_parse(buf, first + elen, &set), -ENOBUFS);
	assert_int_equal(set.n, 0);

	/* a DONE that carries the dump's error */
	elen = msg_status(buf + first, NLMSG_DONE, 1, -EMSGSIZE);
	assert_int_equal(diag_parse(buf, first + elen, &set), -EMSGSIZE);
	assert_int_equal(set.n, 0);

	/* a clean DONE after it */
	elen = msg_status(buf + first, NLMSG_DONE, 1, 0);
	assert_int_equal(diag_parse(buf, first + elen, &set), 1);
	assert_int_equal(set.n, 1);

	/* nonsense error values */
	elen = msg_status(buf, NLMSG_ERROR, 1, 5);
	assert_int_equal(diag_parse(buf, elen, &set), -EBADMSG);

	free(buf);
	free(fix);
	diag_set_free(&set);
}

/**
 * test_many_sockets() - a thousand sockets, set growth
 * @state:	unused
 */
static void test_many_sockets(void **state UNUSED)
{
	const size_t count = 1000;
	size_t one = MNL_NLMSG_HDRLEN +
		     NLMSG_ALIGN(sizeof(struct inet_diag_msg));
	char *buf = calloc(count + 1, one);
	struct diag_set set = { 0 };
	size_t i;

	assert_non_null(buf);
	for (i = 0; i < count; i++) {
		struct nlmsghdr *nlh = msg_sock(buf + i * one, AF_INET,
						DIAG_ESTABLISHED);
		struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);

		m->id.idiag_dport = htons((uint16_t)(10000 + i));
	}
	msg_status(buf + count * one, NLMSG_DONE, 0, 0);
	assert_int_equal(diag_parse(buf, count * one + MNL_NLMSG_HDRLEN + 4,
				    &set), 1);
	assert_int_equal(set.n, count);
	assert_true(set.cap >= count);
	for (i = 0; i < count; i++)
		assert_int_equal(set.v[i].dst.port, 10000 + i);
	diag_set_free(&set);
	free(buf);
}

/**
 * test_request_build() - the dump request asks for everything tcplab reads
 * @state:	unused
 */
static void test_request_build(void **state UNUSED)
{
	uint32_t buf[64];
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct inet_diag_req_v2 *req;
	size_t len;

	len = diag_request_build(buf, sizeof(buf), AF_INET6, 42);
	assert_int_equal(len, MNL_NLMSG_HDRLEN + sizeof(*req));
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_type, SOCK_DIAG_BY_FAMILY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_seq, 42);
	req = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(req->sdiag_family, AF_INET6);
	assert_int_equal(req->sdiag_protocol, IPPROTO_TCP);
	/* every state from ESTABLISHED to NEW_SYN_RECV (request sockets) */
	assert_int_equal(req->idiag_states & 0x1ffe, 0x1ffe);
	assert_true(req->idiag_ext & (1 << (INET_DIAG_INFO - 1)));
	assert_int_equal(req->id.idiag_sport, 0);
	assert_int_equal(req->id.idiag_cookie[0], INET_DIAG_NOCOOKIE);

	assert_int_equal(diag_request_build(buf, 40, AF_INET, 1), 0);
	assert_int_equal(diag_request_build(buf, sizeof(buf), AF_UNIX, 1), 0);
	assert_int_not_equal(diag_request_build(buf, sizeof(buf), AF_INET, 1),
			     0);
	assert_int_equal(req->sdiag_family, AF_INET);
}

/**
 * test_destroy_build() - SOCK_DESTROY names the socket as the dump did
 * @state:	unused
 */
static void test_destroy_build(void **state UNUSED)
{
	struct diag_set set = { 0 };
	const struct diag_sock *c;
	uint32_t buf[64] = { 0 };
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct inet_diag_req_v2 *req =
		(const void *)((const char *)buf + MNL_NLMSG_HDRLEN);
	struct in6_addr lo6 = IN6ADDR_LOOPBACK_INIT;
	size_t len;

	fixture_parse("v4-established", &set);
	c = find(&set, DIAG_ESTABLISHED, 40000, 8080);
	len = diag_destroy_build(buf, sizeof(buf), c, 9);
	assert_int_equal(len, MNL_NLMSG_HDRLEN + sizeof(*req));
	assert_int_equal(nlh->nlmsg_type, SOCK_DESTROY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 9);
	assert_int_equal(req->sdiag_family, AF_INET);
	assert_int_equal(req->sdiag_protocol, IPPROTO_TCP);
	assert_int_equal(req->idiag_states, 1 << DIAG_ESTABLISHED);
	assert_int_equal(req->id.idiag_sport, htons(40000));
	assert_int_equal(req->id.idiag_dport, htons(8080));
	assert_int_equal(req->id.idiag_src[0], htonl(INADDR_LOOPBACK));
	assert_int_equal(req->id.idiag_dst[0], htonl(INADDR_LOOPBACK));
	assert_int_equal(req->id.idiag_src[1], 0);
	assert_int_equal(req->id.idiag_cookie[0], (uint32_t)c->cookie);
	assert_int_equal(req->id.idiag_cookie[1], (uint32_t)(c->cookie >> 32));
	diag_set_free(&set);

	fixture_parse("v6-established", &set);
	c = find(&set, DIAG_LISTEN, 8080, 0);
	assert_int_not_equal(diag_destroy_build(buf, sizeof(buf), c, 1), 0);
	assert_int_equal(req->sdiag_family, AF_INET6);
	assert_memory_equal(req->id.idiag_src, &lo6, sizeof(lo6));
	assert_int_equal(req->id.idiag_dport, 0);
	assert_int_equal(diag_destroy_build(buf, 32, c, 1), 0);
	diag_set_free(&set);
}

/**
 * test_state_names() - names, ss/RFC spellings, round trips
 * @state:	unused
 */
static void test_state_names(void **state UNUSED)
{
	static const struct {
		const char *name;
		int state;
	} cases[] = {
		{ "SYN_SENT", DIAG_SYN_SENT },
		{ "syn-sent", DIAG_SYN_SENT },
		{ "Syn-Recv", DIAG_SYN_RECV },
		{ "SYN-RECEIVED", DIAG_SYN_RECV },
		{ "FIN_WAIT1", DIAG_FIN_WAIT1 },
		{ "FIN-WAIT-1", DIAG_FIN_WAIT1 },
		{ "fin_wait_2", DIAG_FIN_WAIT2 },
		{ "fin-wait2", DIAG_FIN_WAIT2 },
		{ "TIME-WAIT", DIAG_TIME_WAIT },
		{ "close", DIAG_CLOSE },
		{ "CLOSED", DIAG_CLOSE },
		{ "close-wait", DIAG_CLOSE_WAIT },
		{ "LAST-ACK", DIAG_LAST_ACK },
		{ "listen", DIAG_LISTEN },
		{ "Closing", DIAG_CLOSING },
		{ "ESTAB", DIAG_ESTABLISHED },
		{ "established", DIAG_ESTABLISHED },
		{ "", -1 },
		{ "SYN", -1 },
		{ "SYN_SENT ", -1 },
		{ "ESTABLISHEDESTABLISHEDXX", -1 },
		{ "UNKNOWN", -1 },
	};
	size_t i;
	int s;

	assert_string_equal(diag_state_name(DIAG_SYN_SENT), "SYN_SENT");
	assert_string_equal(diag_state_name(DIAG_SYN_RECV), "SYN_RECV");
	assert_string_equal(diag_state_name(DIAG_FIN_WAIT1), "FIN_WAIT1");
	assert_string_equal(diag_state_name(DIAG_FIN_WAIT2), "FIN_WAIT2");
	assert_string_equal(diag_state_name(DIAG_TIME_WAIT), "TIME_WAIT");
	assert_string_equal(diag_state_name(DIAG_CLOSE), "CLOSE");
	assert_string_equal(diag_state_name(DIAG_CLOSE_WAIT), "CLOSE_WAIT");
	assert_string_equal(diag_state_name(DIAG_LAST_ACK), "LAST_ACK");
	assert_string_equal(diag_state_name(DIAG_LISTEN), "LISTEN");
	assert_string_equal(diag_state_name(DIAG_CLOSING), "CLOSING");
	assert_string_equal(diag_state_name(DIAG_ESTABLISHED), "ESTABLISHED");
	assert_string_equal(diag_state_name(0), "UNKNOWN");
	assert_string_equal(diag_state_name(-1), "UNKNOWN");
	assert_string_equal(diag_state_name(DIAG_STATE_MAX), "UNKNOWN");

	for (s = DIAG_ESTABLISHED; s < DIAG_STATE_MAX; s++)
		assert_int_equal(diag_state_parse(diag_state_name(s)), s);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (diag_state_parse(cases[i].name) != cases[i].state)
			fail_msg("\"%s\": %d, want %d", cases[i].name,
				 diag_state_parse(cases[i].name),
				 cases[i].state);
	assert_int_equal(diag_state_parse(NULL), -1);
}

/**
 * test_timer_names() - as `ss -o` prints them
 * @state:	unused
 */
static void test_timer_names(void **state UNUSED)
{
	assert_string_equal(diag_timer_name(DIAG_TIMER_OFF), "off");
	assert_string_equal(diag_timer_name(DIAG_TIMER_ON), "on");
	assert_string_equal(diag_timer_name(DIAG_TIMER_KEEPALIVE), "keepalive");
	assert_string_equal(diag_timer_name(DIAG_TIMER_TIMEWAIT), "timewait");
	assert_string_equal(diag_timer_name(DIAG_TIMER_PROBE), "persist");
	assert_string_equal(diag_timer_name(DIAG_TIMER_DELACK), "delack");
	assert_string_equal(diag_timer_name(6), "unknown");
	assert_string_equal(diag_timer_name(-1), "unknown");
}

/**
 * test_addr_format() - both families, and a buffer too small
 * @state:	unused
 */
static void test_addr_format(void **state UNUSED)
{
	struct diag_addr a = { .family = AF_INET, .port = 80 };
	char buf[64];

	inet_pton(AF_INET, "198.18.0.1", &a.v4);
	assert_addr(&a, "198.18.0.1:80");
	a.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::1", &a.v6);
	a.port = 65535;
	assert_addr(&a, "[fd00::1]:65535");
	assert_string_equal(diag_addr_format(&a, buf, 6), "[fd00");
	a.family = 0;
	assert_addr(&a, "?:65535");
}

/* What the scripted peer of the snapshot tests does */
enum peer_mode {
	PEER_REPLAY,	/* no TCPDIAG_GETSOCK (EINVAL), then a dump a family:
			   stale leftovers, then the fixture in pieces */
	PEER_EPERM,	/* refuse the first request */
	PEER_DESTROY,	/* ACK every SOCK_DESTROY; the second one ENOENT */
};

/**
 * peer_send_fixture() - send the sockets of one family from a fixture
 * @fd:		peer end
 * @fix:	fixture bytes
 * @len:	their length
 * @family:	family asked for
 * @seq:	sequence number of the request
 *
 * One datagram per socket, then the DONE alone, all with @seq.
 */
static void peer_send_fixture(int fd, char *fix, size_t len, int family,
			      uint32_t seq)
{
	struct nlmsghdr *nlh = (void *)fix;
	int rem = (int)len;
	char done[64];

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
		    m->idiag_family != family)
			continue;
		nlh->nlmsg_seq = seq;
		if (send(fd, nlh, nlh->nlmsg_len, 0) < 0)
			_exit(2);
	}
	if (send(fd, done, msg_status(done, NLMSG_DONE, seq, 0), 0) < 0)
		_exit(2);
}

/**
 * peer_run() - play the kernel's side of @mode on @fd, then exit
 * @fd:		peer end of the SOCK_SEQPACKET pair
 * @mode:	what to do
 *
 * Exits 0 when the requests looked as they should, 1 when not.
 */
static void peer_run(int fd, enum peer_mode mode)
{
	static const int families[] = { AF_INET, AF_INET6 };
	uint32_t buf[1024];
	size_t i, len;
	char *v4 = fixture_load("v4-established", &len);
	size_t v4len = len;
	char *v6 = fixture_load("v6-established", &len);

	if (mode == PEER_DESTROY) {
		struct nlmsghdr *nlh = (void *)buf;
		char ack[64];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int rem = (int)n, k = 0;

		for (; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			if (nlh->nlmsg_type != SOCK_DESTROY ||
			    !(nlh->nlmsg_flags & NLM_F_ACK))
				_exit(1);
			msg_status(ack, NLMSG_ERROR, nlh->nlmsg_seq,
				   ++k == 2 ? -ENOENT : 0);
			if (send(fd, ack, ((struct nlmsghdr *)ack)->nlmsg_len,
				 0) < 0)
				_exit(2);
		}
		_exit(k == 3 ? 0 : 1);
	}

	{
		/* both families in one request: the old TCPDIAG_GETSOCK */
		const struct nlmsghdr *req = (const void *)buf;
		char no[64];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0 || req->nlmsg_type != TCPDIAG_GETSOCK ||
		    !(req->nlmsg_flags & NLM_F_DUMP))
			_exit(1);
		send(fd, no, msg_status(no, NLMSG_ERROR, req->nlmsg_seq,
					mode == PEER_EPERM ? -EPERM : -EINVAL),
		     0);
		if (mode == PEER_EPERM)
			_exit(0);
	}
	for (i = 0; i < 2; i++) {
		const struct nlmsghdr *req = (const void *)buf;
		const struct inet_diag_req_v2 *r = mnl_nlmsg_get_payload(req);
		char stale[64];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		uint32_t seq;

		if (n <= 0 || req->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
		    r->sdiag_family != families[i] ||
		    !(req->nlmsg_flags & NLM_F_DUMP))
			_exit(1);
		seq = req->nlmsg_seq;
		if (mode == PEER_EPERM) {
			send(fd, stale, msg_status(stale, NLMSG_ERROR, seq,
						   -EPERM), 0);
			_exit(0);
		}
		/* the end of an earlier dump that was never read */
		if (send(fd, stale, msg_status(stale, NLMSG_DONE, seq - 7, 0),
			 0) < 0)
			_exit(2);
		peer_send_fixture(fd, families[i] == AF_INET ? v4 : v6,
				  families[i] == AF_INET ? v4len : len,
				  families[i], seq);
	}
	_exit(0);
}

/**
 * peer_start() - fork a scripted peer on one end of a SOCK_SEQPACKET pair
 * @mode:	what the peer does
 * @pid:	set to its pid
 *
 * Return: our end
 */
static int peer_start(enum peer_mode mode, pid_t *pid)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    sv),
			 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (!*pid) {
		close(sv[0]);
		peer_run(sv[1], mode);
	}
	close(sv[1]);
	return sv[0];
}

/**
 * peer_wait() - reap the peer and check that it was content
 * @pid:	from peer_start()
 */
static void peer_wait(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/**
 * test_snapshot_replay() - a kernel that refuses the one dump of both
 * families gets one dump a family; stale messages skipped, set reset
 * @state:	unused
 */
static void test_snapshot_replay(void **state UNUSED)
{
	struct diag_set set = { 0 };
	pid_t pid;
	int fd;

	fixture_parse("time-wait", &set); /* must be cleared first */
	fd = peer_start(PEER_REPLAY, &pid);
	assert_int_equal(diag_snapshot(fd, &set), 0);
	peer_wait(pid);
	close(fd);

	/* in the order sent: IPv4 listener and pair, then the IPv6 ones */
	assert_int_equal(set.n, 6);
	assert_int_equal(set.v[0].src.family, AF_INET);
	assert_int_equal(set.v[0].state, DIAG_LISTEN);
	assert_int_equal(set.v[2].src.family, AF_INET);
	assert_int_equal(set.v[3].src.family, AF_INET6);
	assert_int_equal(set.v[3].state, DIAG_LISTEN);
	assert_int_equal(set.v[4].state, DIAG_ESTABLISHED);
	assert_int_equal(set.v[5].state, DIAG_ESTABLISHED);
	assert_int_equal(set.v[4].rqueue + set.v[5].rqueue, 5);
	diag_set_free(&set);
}

/**
 * test_snapshot_error() - a refused request fails the snapshot, set empty
 * @state:	unused
 */
static void test_snapshot_error(void **state UNUSED)
{
	struct diag_set set = { 0 };
	pid_t pid;
	int fd;

	fixture_parse("time-wait", &set);
	fd = peer_start(PEER_EPERM, &pid);
	assert_int_equal(diag_snapshot(fd, &set), -EPERM);
	peer_wait(pid);
	assert_int_equal(set.n, 0);

	/* the peer is gone: end of file */
	assert_int_equal(diag_snapshot(fd, &set), -EPIPE);
	close(fd);
	diag_set_free(&set);
}

/**
 * test_destroy_acks() - one batch, full sockets only, ENOENT not counted
 * @state:	unused
 *
 * syn-recv has a listener, a SYN_SENT and an established socket, which
 * are sent, and a request socket, which is not.
 */
static void test_destroy_acks(void **state UNUSED)
{
	struct diag_set set = { 0 };
	pid_t pid;
	int fd;

	fixture_parse("syn-recv", &set);
	fd = peer_start(PEER_DESTROY, &pid);
	assert_int_equal(diag_destroy(fd, &set), 2);
	peer_wait(pid);
	close(fd);

	/* nothing to destroy: nothing sent */
	diag_set_clear(&set);
	fixture_parse("time-wait", &set);
	set.v[0] = set.v[1]; /* TIME_WAIT twice */
	assert_int_equal(diag_destroy(-1, &set), 0);
	diag_set_free(&set);
}

/**
 * lo_up() - bring up the loopback device of this thread's netns
 *
 * Return: 0 or -errno
 */
static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int r = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		r = -errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			r = -errno;
	}
	close(fd);
	return r;
}

/**
 * tcp_socket() - a TCP socket bound to 127.0.0.1:@port
 * @port:	local port
 *
 * Return: the fd
 */
static int tcp_socket(uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/**
 * test_live() - snapshot and destroy against the kernel, in a new netns
 * @state:	unused
 *
 * The test process moves into a network namespace of its own, which the
 * kernel frees when it exits; skipped where that is not allowed.
 */
static void test_live(void **state UNUSED)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(8080),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct diag_set set = { 0 };
	const struct diag_sock *c;
	int nlfd, l, cl, a, r, err_a, err_c;
	char byte;

	if (unshare(CLONE_NEWNET) < 0) {
		print_message("live test skipped: unshare(CLONE_NEWNET): %s\n",
			      strerror(errno));
		skip();
	}
	assert_int_equal(lo_up(), 0);
	nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	assert_true(nlfd >= 0);

	assert_int_equal(diag_snapshot(nlfd, &set), 0);
	assert_int_equal(set.n, 0);

	l = tcp_socket(8080);
	assert_int_equal(listen(l, 4), 0);
	cl = tcp_socket(40000);
	assert_int_equal(connect(cl, (struct sockaddr *)&sa, sizeof(sa)), 0);
	a = accept(l, NULL, NULL);
	assert_true(a >= 0);

	assert_int_equal(diag_snapshot(nlfd, &set), 0);
	assert_int_equal(set.n, 3);
	find(&set, DIAG_LISTEN, 8080, 0);
	find(&set, DIAG_ESTABLISHED, 8080, 40000);
	c = find(&set, DIAG_ESTABLISHED, 40000, 8080);
	assert_true(c->has_info);
	assert_int_not_equal(c->inode, 0);
	assert_int_equal(c->shutdown, 0);
	assert_true(c->info.rto_us > 0);

	/*
	 * The listener and the first of the pair go for sure; the abort of
	 * one end sends a RST that may close the other before its own
	 * request comes (ENOENT, not counted).
	 */
	r = diag_destroy(nlfd, &set);
	assert_in_range(r, 2, 3);
	assert_int_equal(diag_snapshot(nlfd, &set), 0);
	assert_int_equal(set.n, 0);
	assert_int_equal(recv(a, &byte, 1, 0), -1);
	err_a = errno;
	assert_int_equal(recv(cl, &byte, 1, 0), -1);
	err_c = errno;
	assert_true(err_a == ECONNABORTED || err_c == ECONNABORTED);
	assert_true(err_a == ECONNABORTED || err_a == ECONNRESET);
	assert_true(err_c == ECONNABORTED || err_c == ECONNRESET);

	close(a);
	close(cl);
	close(l);
	close(nlfd);
	diag_set_free(&set);
}

/**
 * listen_any() - a TCP listener on the wildcard address of @family
 * @family:	AF_INET or AF_INET6 (IPv6 only)
 * @port:	local port
 *
 * Return: the fd, or -1
 */
static int listen_any(int family, uint16_t port)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	int r;

	if (fd < 0)
		return -1;
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		r = bind(fd, (struct sockaddr *)&a6, sizeof(a6));
	} else {
		r = bind(fd, (struct sockaddr *)&a4, sizeof(a4));
	}
	if (r || listen(fd, 4)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Listeners the test leaves in a namespace of its own, next door */
#define OTHER_LISTENERS 3000

/**
 * same_sockets() - @a and @b list the same sockets (by cookie and state)
 * @a:		a set
 * @b:		another
 */
static void same_sockets(const struct diag_set *a, const struct diag_set *b)
{
	size_t i, j;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (a->v[i].cookie == b->v[j].cookie &&
			    a->v[i].state == b->v[j].state)
				break;
		assert_true(j < b->n);
	}
}

/**
 * test_live_query() - listeners looked up by port, the rest dumped, in a
 * namespace next to one holding thousands of listeners of its own
 * @state:	unused
 *
 * The listening hash is the machine's: the other namespace's listeners
 * are in the same table the queries would walk, and must show in none of
 * them; with the ports known, the query lists exactly what a full
 * snapshot lists.
 */
static void test_live_query(void **state UNUSED)
{
	static const uint16_t ports[] = { 9999, 8081, 8082, 8081 };
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(8081),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct diag_set all = { 0 }, set = { 0 };
	/* 8081 twice, as a scenario that listens again after a crash
	 * names it: one listener all the same */
	struct diag_query q = { .lports_known = 1, .lports = ports,
				.nlports = 4 };
	int *other, nlfd, l4, l6, cl, a, i, n = 0;
	size_t k;

	other = calloc(OTHER_LISTENERS, sizeof(*other));
	assert_non_null(other);
	if (unshare(CLONE_NEWNET) < 0) {
		print_message("live test skipped: unshare(CLONE_NEWNET): %s\n",
			      strerror(errno));
		free(other);
		skip();
	}
	/* next door: thousands of listeners, on the ports asked for too */
	for (i = 0; i < OTHER_LISTENERS; i++) {
		other[i] = listen_any(i & 1 ? AF_INET6 : AF_INET,
				      (uint16_t)(8081 + i / 2));
		n += other[i] >= 0;
	}
	assert_int_equal(n, OTHER_LISTENERS);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	assert_int_equal(lo_up(), 0);
	nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	assert_true(nlfd >= 0);

	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	assert_int_equal(set.n, 0);

	l4 = listen_any(AF_INET, 8081);
	l6 = listen_any(AF_INET6, 8082);
	assert_true(l4 >= 0 && l6 >= 0);
	cl = tcp_socket(40001);
	assert_int_equal(connect(cl, (struct sockaddr *)&sa, sizeof(sa)), 0);
	a = accept(l4, NULL, NULL);
	assert_true(a >= 0);

	/* both families: IPv4 first, listeners before the rest */
	assert_int_equal(diag_snapshot(nlfd, &all), 0);
	assert_int_equal(all.n, 4);
	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	same_sockets(&set, &all);
	for (k = 0; k + 1 < set.n; k++)
		assert_true(set.v[k].src.family <= set.v[k + 1].src.family);
	find(&set, DIAG_LISTEN, 8081, 0);
	find(&set, DIAG_LISTEN, 8082, 0);
	assert_true(find(&set, DIAG_ESTABLISHED, 40001, 8081)->has_info);

	/* one family, LISTEN only: the lookups alone */
	q.family = AF_INET6;
	q.states = 1U << DIAG_LISTEN;
	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	assert_int_equal(set.n, 1);
	find(&set, DIAG_LISTEN, 8082, 0);

	/* one family, every state: the dump goes in the datagram of the
	 * lookups, its sockets kept whatever their state, the lookups'
	 * listeners only of that family */
	q.family = AF_INET;
	q.states = 0;
	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	assert_int_equal(set.n, 3);
	for (k = 0; k < set.n; k++)
		assert_int_equal(set.v[k].src.family, AF_INET);
	find(&set, DIAG_LISTEN, 8081, 0);
	assert_true(find(&set, DIAG_ESTABLISHED, 40001, 8081)->has_info);
	assert_true(find(&set, DIAG_ESTABLISHED, 8081, 40001)->has_info);
	q.family = AF_INET6;
	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	assert_int_equal(set.n, 1);
	find(&set, DIAG_LISTEN, 8082, 0);
	/* the other states alone: the dump, no lookup */
	q.family = AF_INET;
	q.states = DIAG_STATES_BUT_LISTEN;
	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	assert_int_equal(set.n, 2);

	/* no port known to listen on: no listener; no tcp_info asked */
	q.family = AF_INET;
	q.states = 0;
	q.nlports = 0;
	q.no_info = 1;
	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	assert_int_equal(set.n, 2);
	assert_false(find(&set, DIAG_ESTABLISHED, 8081, 40001)->has_info);
	assert_false(find(&set, DIAG_ESTABLISHED, 40001, 8081)->has_info);

	/* the full dump of both families without tcp_info, as ss -tan */
	q.family = 0;
	q.lports_known = 0;
	assert_int_equal(diag_query(nlfd, &q, &set), 0);
	same_sockets(&set, &all);

	close(a);
	close(cl);
	close(l4);
	close(l6);
	close(nlfd);
	for (i = 0; i < OTHER_LISTENERS; i++)
		close(other[i]);
	free(other);
	diag_set_free(&all);
	diag_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_format),
		cmocka_unit_test(test_v4_established),
		cmocka_unit_test(test_v6_established),
		cmocka_unit_test(test_time_wait),
		cmocka_unit_test(test_syn_recv),
		cmocka_unit_test(test_close_wait),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_two_dumps_appended),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_synthetic_fields),
		cmocka_unit_test(test_tcp_info_lengths),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nlmsg_error),
		cmocka_unit_test(test_many_sockets),
		cmocka_unit_test(test_request_build),
		cmocka_unit_test(test_destroy_build),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_timer_names),
		cmocka_unit_test(test_addr_format),
		cmocka_unit_test(test_snapshot_replay),
		cmocka_unit_test(test_snapshot_error),
		cmocka_unit_test(test_destroy_acks),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_live_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
