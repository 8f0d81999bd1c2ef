// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_netlink.c - the one netlink conversation: framing, answers, dispatch
 *
 * What is fed in:
 *  - answers recorded from a real kernel (tests/data/netlink/, made by
 *    record.py there: a refused RTM_NEWADDR with and without capped ACKs,
 *    an ACK, an RTM_GETLINK dump), and the nftables refusal that points at
 *    an attribute (tests/data/rules/add-badexpr.acks);
 *  - hand-made messages for what a kernel should never send: lengths cut,
 *    oversized or below a header, error numbers out of range, attributes
 *    running past their message;
 *  - datagrams through a socketpair, for the receive loop: several
 *    datagrams to one conversation, the deadline, an oversized datagram.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "golden.h"
#include "netlink.h"
#include "util.h"

#define DATA_DIR TESTS_DATA_DIR "/netlink"
#define RULES_DIR TESTS_DATA_DIR "/rules"

static union {
	struct nlmsghdr align;
	char b[16384];
} buf;

/**
 * load() - a recorded answer into buf
 * @dir:	directory
 * @name:	hex dump
 *
 * Return: its length
 */
static size_t load(const char *dir, const char *name)
{
	size_t n = golden_hex_load(dir, name, buf.b, sizeof(buf));

	assert_true(n >= sizeof(struct nlmsghdr));
	return n;
}

/**
 * put() - append a message with @plen bytes of @payload to buf
 * @used:	bytes already in buf; advanced (aligned)
 * @type:	nlmsg_type
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @payload:	its payload
 * @plen:	payload bytes
 *
 * Return: the message
 */
static struct nlmsghdr *put(size_t *used, uint16_t type, uint16_t flags,
			    uint32_t seq, const void *payload, size_t plen)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(buf.b + *used);

	memset(nlh, 0, MNL_ALIGN(sizeof(*nlh) + plen));
	nlh->nlmsg_len = (uint32_t)(sizeof(*nlh) + plen);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	if (plen)
		memcpy(nlh + 1, payload, plen);
	*used += MNL_ALIGN(nlh->nlmsg_len);
	return nlh;
}

/**
 * put_error() - append a capped NLMSG_ERROR for @seq with @error
 * @used:	as put()
 * @seq:	the request answered
 * @error:	0 or -errno
 *
 * Return: the message
 */
static struct nlmsghdr *put_error(size_t *used, uint32_t seq, int error)
{
	struct nlmsgerr ne = { .error = error };

	ne.msg.nlmsg_seq = seq;
	return put(used, NLMSG_ERROR, NLM_F_CAPPED, seq, &ne, sizeof(ne));
}

/* Counts what a walk or a dispatch handed out */
struct seen {
	int msgs;
	int links;
	int acks;
	int refusals;
	int stop_at;       /* a callback returns 1 at this count, 0: never */
	int fail_at;       /* a callback returns -EIO at this count */
};

static int count_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct seen *s = arg;

	s->msgs++;
	if (nlh->nlmsg_type == RTM_NEWLINK)
		s->links++;
	if (s->fail_at && s->msgs == s->fail_at)
		return -EIO;
	if (s->stop_at && s->msgs == s->stop_at)
		return 1;
	return 0;
}

static int count_ack(const struct nlmsghdr *nlh, const struct netlink_ack *a,
		     void *arg)
{
	struct seen *s = arg;

	(void)nlh;
	if (a->error)
		s->refusals++;
	else
		s->acks++;
	if (s->stop_at && s->acks + s->refusals == s->stop_at)
		return 1;
	return 0;
}

/* netlink_read() callback: walk one datagram; it counts as one */
static int count_datagram(const void *b, size_t len, void *arg)
{
	int r = netlink_walk(b, len, count_msg, arg);

	return r < 0 ? r : 1;
}

/**
 * test_ack_recorded() - a real kernel's refusals and ACK, decoded
 * @state:	unused
 *
 * Uncapped, the refused request's payload sits between struct nlmsgerr
 * and the attributes: the message must be found behind it all the same.
 */
static void test_ack_recorded(void **state)
{
	static const char *const refused[] = { "refused-uncapped.hex",
					       "refused-capped.hex" };
	struct netlink_ack a;
	struct err e = { 0 };
	size_t i, n;

	(void)state;
	for (i = 0; i < 2; i++) {
		n = load(DATA_DIR, refused[i]);
		assert_int_equal(buf.align.nlmsg_len, n);
		assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
		assert_int_equal(a.type, NLMSG_ERROR);
		assert_int_equal(a.seq, 7);
		assert_int_equal(a.error, -EINVAL);
		assert_string_equal(a.msg, "ipv4: Invalid prefix length");
		assert_int_equal(a.offset, 0);
	}
	err_clear(&e);
	assert_int_equal(netlink_ack_err(&e, &a), -EINVAL);
	assert_int_equal(e.code, -EINVAL);
	assert_string_equal(e.msg, "Invalid argument: ipv4: Invalid prefix length");

	load(DATA_DIR, "ack.hex");
	assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
	assert_int_equal(a.error, 0);
	assert_int_equal(a.seq, 8);
	assert_string_equal(a.msg, "");

	/* nftables points at the expression it refused */
	load(RULES_DIR, "add-badexpr.acks");
	assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
	assert_int_equal(a.error, -EINVAL);
	assert_int_equal(a.offset, 0x124);
	assert_string_equal(a.msg, "");
	err_clear(&e);
	assert_int_equal(netlink_ack_err(&e, &a), -EINVAL);
	assert_string_equal(e.msg, "Invalid argument");
}

/**
 * test_ack_done() - an end of dump: bare, with an error, with a message
 * @state:	unused
 */
static void test_ack_done(void **state)
{
	struct netlink_ack a;
	struct nlmsghdr *nlh;
	size_t used = 0;
	struct {
		int error;
		struct nlattr hdr;
		char text[12];
	} done = { -EMSGSIZE, { 4 + 12, NLMSGERR_ATTR_MSG }, "dump failed" };
	int zero = 0;

	(void)state;
	/* no payload at all (old kernels): a clean end */
	nlh = put(&used, NLMSG_DONE, NLM_F_MULTI, 3, NULL, 0);
	assert_int_equal(netlink_ack_parse(nlh, &a), 0);
	assert_int_equal(a.type, NLMSG_DONE);
	assert_int_equal(a.error, 0);

	used = 0;
	nlh = put(&used, NLMSG_DONE, NLM_F_MULTI, 3, &zero, sizeof(zero));
	assert_int_equal(netlink_ack_parse(nlh, &a), 0);
	assert_int_equal(a.error, 0);

	/* the dump's error, and the kernel's reason after it */
	used = 0;
	nlh = put(&used, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 3, &done,
		  sizeof(done));
	assert_int_equal(netlink_ack_parse(nlh, &a), 0);
	assert_int_equal(a.error, -EMSGSIZE);
	assert_string_equal(a.msg, "dump failed");

	/* without NLM_F_ACK_TLVS the attributes are not looked at */
	nlh->nlmsg_flags = NLM_F_MULTI;
	assert_int_equal(netlink_ack_parse(nlh, &a), 0);
	assert_string_equal(a.msg, "");
}

/**
 * test_ack_malformed() - short answers, bad numbers, bad attributes
 * @state:	unused
 */
static void test_ack_malformed(void **state)
{
	struct netlink_ack a;
	struct nlmsghdr *nlh;
	struct nlmsgerr *ne;
	struct nlattr *at;
	size_t used = 0;
	int err = -EPERM;

	(void)state;
	/* an NLMSG_ERROR too short for struct nlmsgerr */
	nlh = put(&used, NLMSG_ERROR, 0, 1, &err, sizeof(err));
	assert_int_equal(netlink_ack_parse(nlh, &a), -EBADMSG);

	/* error numbers that are no -errno */
	used = 0;
	nlh = put_error(&used, 1, 5);
	assert_int_equal(netlink_ack_parse(nlh, &a), -EBADMSG);
	ne = mnl_nlmsg_get_payload(nlh);
	ne->error = -5000;
	assert_int_equal(netlink_ack_parse(nlh, &a), -EBADMSG);
	err = 1;
	used = 0;
	nlh = put(&used, NLMSG_DONE, 0, 1, &err, sizeof(err));
	assert_int_equal(netlink_ack_parse(nlh, &a), -EBADMSG);

	/* not an answer at all */
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(netlink_ack_parse(nlh, &a), -EBADMSG);

	/* uncapped with a bogus request length: the error stands, the
	 * attributes are not looked for */
	load(DATA_DIR, "refused-uncapped.hex");
	ne = mnl_nlmsg_get_payload(&buf.align);
	ne->msg.nlmsg_len = 3;
	assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
	assert_int_equal(a.error, -EINVAL);
	assert_string_equal(a.msg, "");
	ne->msg.nlmsg_len = 0xfffffff0;
	assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
	assert_string_equal(a.msg, "");

	/* an attribute longer than its message, or shorter than its header */
	load(DATA_DIR, "refused-capped.hex");
	at = (struct nlattr *)(buf.b + MNL_NLMSG_HDRLEN +
			       MNL_ALIGN(sizeof(struct nlmsgerr)));
	assert_int_equal(at->nla_type, NLMSGERR_ATTR_MSG);
	at->nla_len = 200;
	assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
	assert_string_equal(a.msg, "");
	at->nla_len = 2;
	assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
	assert_string_equal(a.msg, "");

	/* a message without its NUL */
	load(DATA_DIR, "refused-capped.hex");
	buf.b[buf.align.nlmsg_len - 1] = 'x';
	assert_int_equal(netlink_ack_parse(&buf.align, &a), 0);
	assert_int_equal(a.error, -EINVAL);
	assert_string_equal(a.msg, "");
}

/**
 * test_walk() - every message of a recorded dump, and every cut of it
 * @state:	unused
 *
 * A cut on a message boundary is a shorter, good buffer; a cut anywhere
 * else is -EBADMSG, never a read past the end.
 */
static void test_walk(void **state)
{
	size_t n = load(DATA_DIR, "link-dump.hex"), cut, off;
	struct seen s = { 0 };
	int boundaries = 0;

	(void)state;
	assert_int_equal(netlink_walk(buf.b, n, count_msg, &s), 0);
	assert_int_equal(s.links, 1); /* lo */
	assert_int_equal(s.msgs, 2);  /* and NLMSG_DONE */

	for (cut = 0; cut < n; cut++) {
		int r;

		memset(&s, 0, sizeof(s));
		r = netlink_walk(buf.b, cut, count_msg, &s);
		for (off = 0; off < cut;
		     off += MNL_ALIGN(((struct nlmsghdr *)(buf.b + off))->nlmsg_len))
			;
		if (off == cut) {
			assert_int_equal(r, 0);
			boundaries++;
		} else {
			assert_int_equal(r, -EBADMSG);
		}
	}
	assert_int_equal(boundaries, 2); /* 0 and after the link */

	/* a callback stops the walk, with its value */
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	assert_int_equal(netlink_walk(buf.b, n, count_msg, &s), 1);
	assert_int_equal(s.msgs, 1);
	memset(&s, 0, sizeof(s));
	s.fail_at = 2;
	assert_int_equal(netlink_walk(buf.b, n, count_msg, &s), -EIO);
	assert_int_equal(netlink_walk(buf.b, 0, count_msg, &s), 0);
}

/**
 * test_walk_lengths() - lengths below a header, oversized, past INT_MAX
 * @state:	unused
 */
static void test_walk_lengths(void **state)
{
	static const uint32_t bad[] = { 0, 8, 15, 0x7fffffff, 0x80000010,
					0xfffffffd, 0xffffffff };
	struct seen s = { 0 };
	struct nlmsghdr *nlh;
	size_t used = 0, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		used = 0;
		nlh = put_error(&used, 1, 0);
		nlh->nlmsg_len = bad[i];
		assert_int_equal(netlink_walk(buf.b, used, count_msg, &s),
				 -EBADMSG);
		/* behind a good message */
		used = 0;
		put_error(&used, 1, 0);
		nlh = put_error(&used, 2, 0);
		nlh->nlmsg_len = bad[i];
		memset(&s, 0, sizeof(s));
		assert_int_equal(netlink_walk(buf.b, used, count_msg, &s),
				 -EBADMSG);
		assert_int_equal(s.msgs, 1);
	}
	/* a few bytes left over, too few for a header */
	used = 0;
	put_error(&used, 1, 0);
	assert_int_equal(netlink_walk(buf.b, used + 8, count_msg, &s),
			 -EBADMSG);
	/* an unaligned last message whose padding is cut is whole */
	used = 0;
	nlh = put(&used, RTM_NEWLINK, 0, 1, "abc", 3);
	memset(&s, 0, sizeof(s));
	assert_int_equal(netlink_walk(buf.b, nlh->nlmsg_len, count_msg, &s), 0);
	assert_int_equal(s.links, 1);
}

/**
 * test_dispatch_dump() - a recorded dump handed to its conversation
 * @state:	unused
 */
static void test_dispatch_dump(void **state)
{
	size_t n = load(DATA_DIR, "link-dump.hex");
	struct seen s = { 0 };
	struct netlink_conv c = { .seq = 9, .nseq = 1, .answers = 1,
				  .data = count_msg, .arg = &s };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(netlink_dispatch(&c, buf.b, n, &e), 1);
	assert_int_equal(s.links, 1);
	assert_int_equal(c.answered, 1);
	assert_string_equal(e.msg, "");

	/* someone else's dump: nothing is ours */
	memset(&s, 0, sizeof(s));
	c = (struct netlink_conv){ .seq = 10, .nseq = 1, .answers = 1,
				   .data = count_msg, .arg = &s };
	assert_int_equal(netlink_dispatch(&c, buf.b, n, &e), 0);
	assert_int_equal(s.msgs, 0);

	/* a recording: every number is taken, the end does not end it */
	memset(&s, 0, sizeof(s));
	c = (struct netlink_conv){ .data = count_msg, .ack = count_ack,
				   .arg = &s };
	assert_int_equal(netlink_dispatch(&c, buf.b, n, &e), 0);
	assert_int_equal(s.links, 1);
	assert_int_equal(s.acks, 1);

	/* a data callback's error ends it */
	memset(&s, 0, sizeof(s));
	s.fail_at = 1;
	c = (struct netlink_conv){ .seq = 9, .nseq = 1, .answers = 1,
				   .data = count_msg, .arg = &s };
	assert_int_equal(netlink_dispatch(&c, buf.b, n, &e), -EIO);
}

/**
 * test_dispatch_answers() - ACKs by sequence number, refusals, the end
 * @state:	unused
 */
static void test_dispatch_answers(void **state)
{
	struct seen s = { 0 };
	struct netlink_conv c = { .seq = 0xfffffffe, .nseq = 3, .answers = 3,
				  .ack = count_ack, .arg = &s };
	struct err e = { 0 };
	size_t used = 0, n;

	(void)state;
	/* a batch of three whose numbers wrap, answered over two datagrams
	 * with someone else's answer and a NOOP among them */
	put_error(&used, 0xfffffffe, 0);
	put_error(&used, 5, -EPERM);
	put(&used, NLMSG_NOOP, 0, 0xffffffff, NULL, 0);
	put_error(&used, 0xffffffff, -ENOENT);
	assert_int_equal(netlink_dispatch(&c, buf.b, used, &e), 0);
	assert_int_equal(c.answered, 2);
	used = 0;
	put_error(&used, 0, 0);
	put_error(&used, 1, 0); /* past the batch */
	assert_int_equal(netlink_dispatch(&c, buf.b, used, &e), 1);
	assert_int_equal(s.acks, 2);
	assert_int_equal(s.refusals, 1);
	assert_int_equal(c.answered, 3);

	/* over: later messages are checked, but go to no one */
	assert_int_equal(netlink_dispatch(&c, buf.b, used, &e), 1);
	assert_int_equal(s.acks, 2);
	assert_int_equal(netlink_dispatch(&c, buf.b, used - 4, &e), -EBADMSG);

	/* an ack callback ends it early */
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	c = (struct netlink_conv){ .seq = 1, .nseq = 2, .answers = 2,
				   .ack = count_ack, .arg = &s };
	used = 0;
	put_error(&used, 1, -EPERM);
	put_error(&used, 2, 0);
	assert_int_equal(netlink_dispatch(&c, buf.b, used, &e), 1);
	assert_int_equal(s.refusals, 1);
	assert_int_equal(s.acks, 0);

	/* no ack callback: a refusal ends it, decoded into the error */
	n = load(DATA_DIR, "refused-capped.hex");
	c = (struct netlink_conv){ .seq = 7, .nseq = 1, .answers = 1 };
	assert_int_equal(netlink_dispatch(&c, buf.b, n, &e), -EINVAL);
	assert_int_equal(e.code, -EINVAL);
	assert_string_equal(e.msg, "Invalid argument: ipv4: Invalid prefix length");

	/* and an ACK ends it well */
	n = load(DATA_DIR, "ack.hex");
	c = (struct netlink_conv){ .seq = 8, .nseq = 1, .answers = 1 };
	assert_int_equal(netlink_dispatch(&c, buf.b, n, NULL), 1);

	/* NLMSG_OVERRUN, or another control type, is no answer */
	used = 0;
	put(&used, NLMSG_OVERRUN, 0, 8, NULL, 0);
	c = (struct netlink_conv){ .seq = 8, .nseq = 1, .answers = 1 };
	assert_int_equal(netlink_dispatch(&c, buf.b, used, NULL), -EBADMSG);
	/* a malformed answer is -EBADMSG, not an error from the kernel */
	used = 0;
	put_error(&used, 8, 7);
	assert_int_equal(netlink_dispatch(&c, buf.b, used, NULL), -EBADMSG);
}

/**
 * test_recv_run() - the receive loop over datagrams: several to one
 * conversation, the deadline, a datagram too large
 * @state:	unused
 *
 * A socketpair stands in for the netlink socket: the loop only receives.
 */
static void test_recv_run(void **state)
{
	size_t n = load(DATA_DIR, "link-dump.hex");
	size_t first = MNL_ALIGN(buf.align.nlmsg_len);
	struct seen s = { 0 };
	struct netlink_conv c = { .seq = 9, .nseq = 1, .answers = 1,
				  .data = count_msg, .arg = &s,
				  .timeout_ms = 50 };
	struct err e = { 0 };
	uint64_t t0;
	char *big;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	/* the link, then the end, as two datagrams */
	assert_int_equal(send(sv[1], buf.b, first, 0), (ssize_t)first);
	assert_int_equal(send(sv[1], buf.b + first, n - first, 0),
			 (ssize_t)(n - first));
	assert_int_equal(netlink_recv_run(sv[0], &c, &e), 0);
	assert_int_equal(s.links, 1);
	assert_true(c.over);

	/* nothing comes: the deadline */
	memset(&s, 0, sizeof(s));
	c = (struct netlink_conv){ .seq = 9, .nseq = 1, .answers = 1,
				   .data = count_msg, .arg = &s,
				   .timeout_ms = 30 };
	assert_int_equal(send(sv[1], buf.b, first, 0), (ssize_t)first);
	t0 = util_now_ns();
	assert_int_equal(netlink_recv_run(sv[0], &c, &e), -ETIMEDOUT);
	assert_true(util_now_ns() - t0 >= 30 * NS_PER_MS);
	assert_int_equal(s.links, 1);
	assert_string_equal(e.msg, ""); /* the caller says what it was doing */

	/* a datagram above the receive buffer fails and is drained, with
	 * what followed it */
	big = calloc(1, NETLINK_RECV_SIZE + 64);
	assert_non_null(big);
	memcpy(big, buf.b, first);
	assert_int_equal(send(sv[1], big, NETLINK_RECV_SIZE + 64, 0),
			 NETLINK_RECV_SIZE + 64);
	assert_int_equal(send(sv[1], buf.b + first, n - first, 0),
			 (ssize_t)(n - first));
	c = (struct netlink_conv){ .seq = 9, .nseq = 1, .answers = 1,
				   .timeout_ms = 30 };
	assert_int_equal(netlink_recv_run(sv[0], &c, &e), -EMSGSIZE);
	assert_int_equal(recv(sv[0], big, 16, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	free(big);

	/* reading what is queued, per datagram, without blocking */
	assert_int_equal(send(sv[1], buf.b, first, 0), (ssize_t)first);
	assert_int_equal(send(sv[1], buf.b + first, n - first, 0),
			 (ssize_t)(n - first));
	memset(&s, 0, sizeof(s));
	assert_int_equal(netlink_read(sv[0], count_datagram, &s, NULL), 2);
	assert_int_equal(s.msgs, 2);
	assert_int_equal(netlink_read(sv[0], count_datagram, &s, NULL), 0);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ack_recorded),
		cmocka_unit_test(test_ack_done),
		cmocka_unit_test(test_ack_malformed),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_walk_lengths),
		cmocka_unit_test(test_dispatch_dump),
		cmocka_unit_test(test_dispatch_answers),
		cmocka_unit_test(test_recv_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
