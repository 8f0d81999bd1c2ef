// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_pkt.c - the packet decoder reads recorded captures (tests/data/pcap,
 * made by record.sh) as tcpdump does: addresses, flags, numbers, options,
 * payload lengths; relative numbers start at each side's ISN; frames that
 * are not TCP are skipped and frames cut short refused; every link type a
 * capture may hand over decodes to the same segment.  The tcpdump-style
 * lines of each capture are golden files (tests/data/pcap/NAME.txt):
 * regenerate them with TCPLAB_UPDATE_GOLDEN=1 and review the diff.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "golden.h"
#include "pkt.h"
#include "rule.h"
#include "util.h"

#define PCAP_DIR TESTS_DATA_DIR "/pcap"

#define SYN RULE_TCP_SYN
#define ACK RULE_TCP_ACK
#define FIN RULE_TCP_FIN
#define RST RULE_TCP_RST
#define PSH RULE_TCP_PSH

/* One recorded frame */
struct frame {
	uint64_t t_ns;
	size_t caplen, len;
	uint8_t data[256];
};

/* A recorded capture, decoded */
struct rec {
	int link;
	size_t n;
	struct frame f[32];
	struct tl_pkt p[32];
};

/**
 * load() - read tests/data/pcap/@name with libpcap and decode every frame
 * @name:	file name
 * @r:		filled
 */
static void load(const char *name, struct rec *r)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	struct tl_pkt *pv[32];
	pcap_t *p;
	size_t i;

	p = golden_pcap_open(PCAP_DIR, name);
	memset(r, 0, sizeof(*r));
	r->link = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct frame *f = &r->f[r->n];

		assert_true(r->n < 32);
		assert_true(h->caplen <= sizeof(f->data));
		f->t_ns = (uint64_t)h->ts.tv_sec * NS_PER_S +
			  (uint64_t)h->ts.tv_usec;
		f->caplen = h->caplen;
		f->len = h->len;
		memcpy(f->data, data, h->caplen);
		assert_int_equal(pkt_decode(r->link, f->data, f->caplen,
					    f->len, &r->p[r->n]), 0);
		r->n++;
	}
	pcap_close(p);
	for (i = 0; i < r->n; i++)
		pv[i] = &r->p[i];
	assert_int_equal(pkt_relative(pv, r->n), 0);
}

/**
 * lines_check() - the tcpdump-style lines of a capture against its golden
 * file (NAME.txt for NAME.pcap), relative numbers and absolute ones
 * @name:	capture file name
 */
static void lines_check(const char *name)
{
	static char text[16384];
	struct rec r;
	char gname[128];
	size_t i, pos = 0;
	int rel;

	load(name, &r);
	for (rel = 1; rel >= 0; rel--) {
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos, "%s\n",
					rel ? "# relative" : "# absolute (-S)");
		for (i = 0; i < r.n; i++) {
			char line[256];
			int n = pkt_format_line(&r.p[i],
						(int64_t)(r.f[i].t_ns - r.f[0].t_ns),
						rel, line, sizeof(line));

			assert_int_equal(n, (int)strlen(line));
			pos += (size_t)snprintf(text + pos, sizeof(text) - pos,
						"%s\n", line);
		}
	}
	snprintf(gname, sizeof(gname), "%.*s.txt",
		 (int)(strlen(name) - strlen(".pcap")), name);
	golden_check(PCAP_DIR, gname, text);
}

/**
 * addr_is() - check an address and port
 * @a:		address
 * @ip:		expected text form
 * @port:	expected port
 */
static void addr_is(const struct diag_addr *a, const char *ip, uint16_t port)
{
	char buf[INET6_ADDRSTRLEN];

	assert_non_null(inet_ntop(a->family,
				  a->family == AF_INET ? (const void *)&a->v4
						       : (const void *)&a->v6,
				  buf, sizeof(buf)));
	assert_string_equal(buf, ip);
	assert_int_equal(a->port, port);
}

/* Expected flags, relative seq/ack, payload length of one segment */
struct seg {
	uint8_t flags;
	uint32_t rseq, rack, len;
};

/**
 * segs_check() - compare the decoded segments with a table
 * @r:		decoded capture
 * @want:	expected segments
 * @n:		how many
 */
static void segs_check(const struct rec *r, const struct seg *want, size_t n)
{
	size_t i;

	assert_int_equal(r->n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(r->p[i].flags, want[i].flags);
		assert_int_equal(r->p[i].rseq, want[i].rseq);
		assert_int_equal(r->p[i].rack, want[i].rack);
		assert_int_equal(r->p[i].len, want[i].len);
	}
}

static void test_handshake_data_close(void **state)
{
	static const struct seg want[] = {
		{ SYN, 0, 0, 0 },	    { SYN | ACK, 0, 1, 0 },
		{ ACK, 1, 1, 0 },	    { PSH | ACK, 1, 1, 6 },
		{ ACK, 1, 7, 0 },	    { PSH | ACK, 1, 7, 6 },
		{ ACK, 7, 7, 0 },	    { FIN | ACK, 7, 7, 0 },
		{ FIN | ACK, 7, 8, 0 },	    { ACK, 8, 8, 0 },
	};
	struct rec r;

	(void)state;
	load("handshake-data-close.pcap", &r);
	assert_int_equal(r.link, PKT_LINK_EN10MB);
	segs_check(&r, want, ARRAY_SIZE(want));
	assert_int_equal(r.p[0].family, AF_INET);
	addr_is(&r.p[0].src, "198.18.0.1", 40312);
	addr_is(&r.p[0].dst, "198.18.0.2", 80);
	addr_is(&r.p[1].src, "198.18.0.2", 80);
	assert_int_equal(r.p[0].seq, 3469829604u);
	assert_int_equal(r.p[1].seq, 1577012320u);
	assert_int_equal(r.p[1].ack, 3469829605u);
	assert_int_equal(r.p[0].win, 64240);
	assert_string_equal(r.p[0].opts,
			    "mss 1460,sackOK,TS val 1782806482 ecr 0,nop,wscale 10");
	assert_string_equal(r.p[2].opts,
			    "nop,nop,TS val 1782806482 ecr 3912422699");
	lines_check("handshake-data-close.pcap");
}

static void test_ipv6(void **state)
{
	static const struct seg want[] = {
		{ SYN, 0, 0, 0 },	    { SYN | ACK, 0, 1, 0 },
		{ ACK, 1, 1, 0 },	    { PSH | ACK, 1, 1, 6 },
		{ ACK, 1, 7, 0 },	    { PSH | ACK, 1, 7, 6 },
		{ ACK, 7, 7, 0 },	    { FIN | ACK, 7, 7, 0 },
		{ FIN | ACK, 7, 8, 0 },	    { ACK, 8, 8, 0 },
	};
	struct rec r;

	(void)state;
	load("ipv6.pcap", &r);
	segs_check(&r, want, ARRAY_SIZE(want));
	assert_int_equal(r.p[0].family, AF_INET6);
	addr_is(&r.p[0].src, "fd00:198:18::1", 40314);
	addr_is(&r.p[0].dst, "fd00:198:18::2", 80);
	assert_string_equal(r.p[0].opts,
			    "mss 1440,sackOK,TS val 1298036841 ecr 0,nop,wscale 10");
	lines_check("ipv6.pcap");
}

static void test_syn_drop(void **state)
{
	static const struct seg want[] = {
		{ SYN, 0, 0, 0 }, { SYN, 0, 0, 0 }, { SYN, 0, 0, 0 },
	};
	uint64_t gap1, gap2;
	struct rec r;

	(void)state;
	load("syn-drop.pcap", &r);
	segs_check(&r, want, ARRAY_SIZE(want));
	/* the same SYN, sent again after 1 s, then after 2 s (backoff) */
	assert_int_equal(r.p[1].seq, r.p[0].seq);
	gap1 = r.f[1].t_ns - r.f[0].t_ns;
	gap2 = r.f[2].t_ns - r.f[1].t_ns;
	assert_true(gap1 > 900 * NS_PER_MS && gap1 < 1200 * NS_PER_MS);
	assert_true(gap2 > 1800 * NS_PER_MS && gap2 < 2400 * NS_PER_MS);
	lines_check("syn-drop.pcap");
}

static void test_rst(void **state)
{
	/* a SYN to a closed port, then a connection the server aborts */
	static const struct seg want[] = {
		{ SYN, 0, 0, 0 },	 { RST | ACK, 0, 1, 0 },
		{ SYN, 0, 0, 0 },	 { SYN | ACK, 0, 1, 0 },
		{ ACK, 1, 1, 0 },	 { PSH | ACK, 1, 1, 6 },
		{ ACK, 1, 7, 0 },	 { RST | ACK, 1, 7, 0 },
	};
	struct rec r;

	(void)state;
	load("rst.pcap", &r);
	segs_check(&r, want, ARRAY_SIZE(want));
	addr_is(&r.p[1].src, "198.18.0.2", 81);
	assert_int_equal(r.p[1].seq, 0);
	assert_int_equal(r.p[1].win, 0);
	assert_string_equal(r.p[1].opts, "");
	addr_is(&r.p[2].src, "198.18.0.1", 40320);
	lines_check("rst.pcap");
}

static void test_truncated(void **state)
{
	struct tl_pkt p;
	struct rec r;
	size_t cut;

	(void)state;
	load("handshake-data-close.pcap", &r);
	/* the SYN: Ethernet 14, IPv4 20, TCP 20 + 20 of options */
	assert_int_equal(r.f[0].caplen, 74);
	for (cut = 0; cut < 74; cut++)
		assert_int_equal(pkt_decode(PKT_LINK_EN10MB, r.f[0].data, cut,
					    74, &p), -EBADMSG);
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, r.f[0].data, 74, 74, &p), 0);
	/* a TCP header longer than the IP packet says it is */
	r.f[0].data[14 + 20 + 12] = 0xf0;
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, r.f[0].data, 74, 74, &p),
			 -EBADMSG);
}

static void test_not_tcp(void **state)
{
	uint8_t f[256];
	struct tl_pkt p;
	struct rec r;

	(void)state;
	load("handshake-data-close.pcap", &r);
	memcpy(f, r.f[0].data, r.f[0].caplen);
	/* ARP */
	f[12] = 0x08;
	f[13] = 0x06;
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, 74, 74, &p), -ENOENT);
	f[13] = 0x00;
	/* UDP */
	f[14 + 9] = 17;
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, 74, 74, &p), -ENOENT);
	f[14 + 9] = 6;
	/* a fragment that is not the first */
	f[14 + 6] = 0x00;
	f[14 + 7] = 0x10;
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, 74, 74, &p), -ENOENT);
	f[14 + 7] = 0x00;
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, 74, 74, &p), 0);
	/* a link type nobody decodes */
	assert_int_equal(pkt_decode(147, f, 74, 74, &p), -EPROTONOSUPPORT);
	assert_false(pkt_link_supported(147));
}

/**
 * same_pkt() - the fields pkt_decode() fills are equal
 * @a:		one
 * @b:		the other
 */
static void same_pkt(const struct tl_pkt *a, const struct tl_pkt *b)
{
	assert_int_equal(a->family, b->family);
	assert_memory_equal(&a->src, &b->src, sizeof(a->src));
	assert_memory_equal(&a->dst, &b->dst, sizeof(a->dst));
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ack, b->ack);
	assert_int_equal(a->win, b->win);
	assert_int_equal(a->len, b->len);
	assert_string_equal(a->opts, b->opts);
}

static void test_link_types(void **state)
{
	static const uint8_t mac_client[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t mac_server[6] = { 2, 0, 0, 0, 0, 2 };
	const char *files[] = { "handshake-data-close.pcap", "ipv6.pcap" };
	uint8_t f[300];
	struct tl_pkt p, q;
	struct rec r;
	size_t k, i;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(files); k++) {
		load(files[k], &r);
		for (i = 0; i < r.n; i++) {
			const struct frame *e = &r.f[i];
			size_t ip = e->caplen - 14;
			uint16_t et = (uint16_t)(e->data[12] << 8 | e->data[13]);
			int out = i == 0 || i == 2; /* sent by the client */
			struct tl_pkt want = r.p[i];

			want.rseq = want.rack = 0;
			if (i > 2)
				continue;
			/* direction from the source address */
			assert_int_equal(pkt_direction(PKT_LINK_EN10MB, e->data,
						       e->caplen, mac_client),
					 out ? PKT_DIR_OUT : PKT_DIR_IN);
			assert_int_equal(pkt_direction(PKT_LINK_EN10MB, e->data,
						       e->caplen, mac_server),
					 out ? PKT_DIR_IN : PKT_DIR_OUT);
			/* raw IP, both spellings, and the per-version types */
			assert_int_equal(pkt_decode(PKT_LINK_RAW, e->data + 14, ip,
						    ip, &p), 0);
			same_pkt(&p, &want);
			assert_int_equal(pkt_decode(PKT_LINK_RAW_FILE, e->data + 14,
						    ip, ip, &p), 0);
			same_pkt(&p, &want);
			assert_int_equal(pkt_decode(k ? PKT_LINK_IPV6
						      : PKT_LINK_IPV4,
						    e->data + 14, ip, ip, &p), 0);
			same_pkt(&p, &want);
			assert_int_equal(pkt_direction(PKT_LINK_RAW, e->data + 14,
						       ip, mac_client),
					 PKT_DIR_UNKNOWN);
			/* Linux cooked v1: packet type, ..., protocol */
			memset(f, 0, 16);
			f[1] = out ? 4 : 0;
			f[14] = (uint8_t)(et >> 8);
			f[15] = (uint8_t)et;
			memcpy(f + 16, e->data + 14, ip);
			assert_int_equal(pkt_decode(PKT_LINK_LINUX_SLL, f, ip + 16,
						    ip + 16, &p), 0);
			same_pkt(&p, &want);
			assert_int_equal(pkt_direction(PKT_LINK_LINUX_SLL, f,
						       ip + 16, NULL),
					 out ? PKT_DIR_OUT : PKT_DIR_IN);
			/* Linux cooked v2: protocol first, packet type at 10 */
			memset(f, 0, 20);
			f[0] = (uint8_t)(et >> 8);
			f[1] = (uint8_t)et;
			f[10] = out ? 4 : 0;
			memcpy(f + 20, e->data + 14, ip);
			assert_int_equal(pkt_decode(PKT_LINK_LINUX_SLL2, f, ip + 20,
						    ip + 20, &p), 0);
			same_pkt(&p, &want);
			assert_int_equal(pkt_direction(PKT_LINK_LINUX_SLL2, f,
						       ip + 20, NULL),
					 out ? PKT_DIR_OUT : PKT_DIR_IN);
			/* an 802.1Q tag after the addresses */
			memcpy(f, e->data, 12);
			f[12] = 0x81;
			f[13] = 0x00;
			f[14] = 0x00;
			f[15] = 0x07;
			memcpy(f + 16, e->data + 12, e->caplen - 12);
			assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f,
						    e->caplen + 4, e->caplen + 4,
						    &q), 0);
			same_pkt(&q, &want);
		}
	}
}

static void test_ipv6_extension_headers(void **state)
{
	uint8_t f[300];
	struct tl_pkt p, want;
	struct rec r;
	size_t n;

	(void)state;
	load("ipv6.pcap", &r);
	want = r.p[3]; /* the request: 6 bytes of payload */
	want.rseq = want.rack = 0;
	n = r.f[3].caplen;
	/* a hop-by-hop header (8 bytes of padding) before TCP */
	memcpy(f, r.f[3].data, 14 + 40);
	f[14 + 6] = 0;
	f[14 + 5] = (uint8_t)(f[14 + 5] + 8);
	memset(f + 54, 0, 8);
	f[54] = 6;    /* next: TCP */
	f[56] = 1;    /* PadN, 4 bytes */
	f[57] = 4;
	memcpy(f + 62, r.f[3].data + 54, n - 54);
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, n + 8, n + 8, &p), 0);
	same_pkt(&p, &want);
	/* a later fragment is skipped */
	f[14 + 6] = 44;
	f[54] = 6;
	f[55] = 0;
	f[56] = 0x00;
	f[57] = 0x08; /* offset 1 (8 bytes) */
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, n + 8, n + 8, &p),
			 -ENOENT);
	/* an extension header that runs past the payload */
	f[14 + 6] = 0;
	f[55] = 200;
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, n + 8, n + 8, &p),
			 -EBADMSG);
	/* UDP */
	f[14 + 6] = 17;
	assert_int_equal(pkt_decode(PKT_LINK_EN10MB, f, n + 8, n + 8, &p),
			 -ENOENT);
}

/**
 * raw_tcp() - a raw IPv4 TCP segment with the options @opt (a multiple of 4)
 * @buf:	output (at least 100 bytes)
 * @opt:	options
 * @olen:	their length
 *
 * Return: its length
 */
static size_t raw_tcp(uint8_t *buf, const uint8_t *opt, size_t olen)
{
	size_t len = 20 + 20 + olen;

	memset(buf, 0, len);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	buf[8] = 64;
	buf[9] = 6;
	buf[12] = 198, buf[13] = 18, buf[15] = 1;
	buf[16] = 198, buf[17] = 18, buf[19] = 2;
	buf[20 + 1] = 1;  /* sport 1 */
	buf[20 + 3] = 2;  /* dport 2 */
	buf[20 + 12] = (uint8_t)((20 + olen) / 4 << 4);
	buf[20 + 13] = ACK;
	memcpy(buf + 40, opt, olen);
	return len;
}

static void test_options(void **state)
{
	static const uint8_t sack[] = {
		1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,	   /* TS 1 2 */
		1, 1, 5, 26, 0, 0, 0, 100, 0, 0, 0, 200, /* sack 3 blocks */
		0, 0, 1, 44, 0, 0, 1, 144, 0, 0, 2, 88, 0, 0, 2, 188,
	};
	static const uint8_t misc[] = {
		19, 18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* md5 */
		30, 4, 0, 0,					 /* mptcp */
		34, 2,						 /* tfo */
		99, 2,						 /* unknown */
		0, 0,						 /* eol */
	};
	static const uint8_t bad[] = { 2, 3, 0, 1, 4, 9, 0, 0 };
	uint8_t buf[100];
	struct tl_pkt p;
	size_t n;

	(void)state;
	n = raw_tcp(buf, sack, sizeof(sack));
	assert_int_equal(pkt_decode(PKT_LINK_RAW, buf, n, n, &p), 0);
	/* "nop,nop,TS val 1 ecr 2,nop,nop,sack 3 {100:200}{300:400}{600:700}"
	 * does not fit in 64 bytes: cut, and marked */
	assert_true(strlen(p.opts) < sizeof(p.opts));
	assert_string_equal(p.opts + strlen(p.opts) - 3, "...");
	assert_memory_equal(p.opts, "nop,nop,TS val 1 ecr 2,nop,nop,sack 3 {100:200}",
			    strlen("nop,nop,TS val 1 ecr 2,nop,nop,sack 3 {100:200}"));
	n = raw_tcp(buf, misc, sizeof(misc));
	assert_int_equal(pkt_decode(PKT_LINK_RAW, buf, n, n, &p), 0);
	assert_string_equal(p.opts, "md5,mptcp,tfo,unknown-99,eol");
	n = raw_tcp(buf, bad, sizeof(bad));
	assert_int_equal(pkt_decode(PKT_LINK_RAW, buf, n, n, &p), 0);
	/* a known option of the wrong length, then one that overruns */
	assert_string_equal(p.opts, "bad opt,nop,bad opt");
	assert_int_equal(p.len, 0);
	assert_int_equal(p.src.port, 1);
	assert_int_equal(p.dst.port, 2);
}

static void test_flags_format(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(pkt_flags_format(SYN, b, sizeof(b)), "S");
	assert_string_equal(pkt_flags_format(SYN | ACK, b, sizeof(b)), "S.");
	assert_string_equal(pkt_flags_format(FIN | PSH | ACK, b, sizeof(b)),
			    "FP.");
	assert_string_equal(pkt_flags_format(SYN | RULE_TCP_ECE | RULE_TCP_CWR,
					     b, sizeof(b)), "SEW");
	assert_string_equal(pkt_flags_format(0, b, sizeof(b)), "none");
}

static void test_relative_incarnations(void **state)
{
	/* a 4-tuple used twice: the second SYN starts over at 0 */
	struct tl_pkt v[6], *pv[6];
	size_t i;

	(void)state;
	memset(v, 0, sizeof(v));
	for (i = 0; i < 6; i++) {
		int back = i % 3 == 1;

		v[i].family = AF_INET;
		v[i].src.family = v[i].dst.family = AF_INET;
		v[i].src.v4.s_addr = htonl(back ? 0xc6120002 : 0xc6120001);
		v[i].dst.v4.s_addr = htonl(back ? 0xc6120001 : 0xc6120002);
		v[i].src.port = back ? 80 : 5000;
		v[i].dst.port = back ? 5000 : 80;
		pv[i] = &v[i];
	}
	v[0].flags = SYN, v[0].seq = 1000;
	v[1].flags = SYN | ACK, v[1].seq = 7000, v[1].ack = 1001;
	v[2].flags = ACK, v[2].seq = 1001, v[2].ack = 7001;
	v[3].flags = SYN, v[3].seq = 50000;
	v[4].flags = SYN | ACK, v[4].seq = 90000, v[4].ack = 50001;
	v[5].flags = ACK, v[5].seq = 50001, v[5].ack = 90001;
	assert_int_equal(pkt_relative(pv, 6), 0);
	for (i = 0; i < 6; i += 3) {
		assert_int_equal(v[i].rseq, 0);
		assert_int_equal(v[i + 1].rseq, 0);
		assert_int_equal(v[i + 1].rack, 1);
		assert_int_equal(v[i + 2].rseq, 1);
		assert_int_equal(v[i + 2].rack, 1);
	}
	/* nothing to do is fine */
	assert_int_equal(pkt_relative(pv, 0), 0);
}

static void test_format_line(void **state)
{
	struct tl_pkt p;
	char small[16], line[256];
	int n;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.src.family = p.dst.family = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &p.src.v4);
	inet_pton(AF_INET, "198.18.0.2", &p.dst.v4);
	p.src.port = 40312;
	p.dst.port = 80;
	p.flags = SYN;
	p.seq = 12345;
	p.win = 64240;
	snprintf(p.opts, sizeof(p.opts), "mss 1460");
	n = pkt_format_line(&p, 12345678000LL, 1, line, sizeof(line));
	assert_string_equal(line, "12.345678 198.18.0.1.40312 > 198.18.0.2.80: "
				  "Flags [S], seq 0, win 64240, options "
				  "[mss 1460], length 0");
	assert_int_equal(n, (int)strlen(line));
	/* like snprintf: cut, and the length that was needed */
	assert_int_equal(pkt_format_line(&p, 12345678000LL, 1, small,
					 sizeof(small)), n);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	/* a pure ACK has no seq; time before zero */
	p.flags = ACK;
	p.rack = 1;
	p.opts[0] = '\0';
	pkt_format_line(&p, -1500000, 1, line, sizeof(line));
	assert_string_equal(line, "-0.001500 198.18.0.1.40312 > 198.18.0.2.80: "
				  "Flags [.], ack 1, win 64240, length 0");
}

/*
 * Crafted segments: a RST the kernel itself sent (rst-refused, IPv4: id 0,
 * DF, TTL 64, as captured) comes out byte for byte, checksums included; the
 * IPv6 one is a crafted RST as captured, whose checksum tcpdump -vv calls
 * correct.  The decoder reads both back.
 */
static void test_build_tcp(void **state)
{
	static const uint8_t v4[] = {
		0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06,
		0xae, 0xa8, 0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01,
		0x00, 0x50, 0xd7, 0x34, 0x00, 0x00, 0x00, 0x00, 0xfe, 0xe4,
		0x49, 0xb3, 0x50, 0x14, 0x00, 0x00, 0x03, 0x8c, 0x00, 0x00,
	};
	static const uint8_t v6[] = {
		0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x06, 0x40, 0xfd, 0x00,
		0x01, 0x98, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x01, 0xfd, 0x00, 0x01, 0x98, 0x00, 0x18,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
		0xda, 0xe4, 0x00, 0x50, 0x19, 0x89, 0x33, 0x97, 0x00, 0x00,
		0x00, 0x00, 0x50, 0x04, 0x00, 0x00, 0x8a, 0x27, 0x00, 0x00,
	};
	struct pkt_seg s4 = {
		.family = 4, .src = { 198, 18, 0, 2 }, .dst = { 198, 18, 0, 1 },
		.sport = 80, .dport = 55092, .seq = 0, .ack = 4276373939u,
		.flags = RULE_TCP_RST | RULE_TCP_ACK, .win = 0,
	};
	struct pkt_seg s6 = {
		.family = 6,
		.src = { 0xfd, 0, 1, 0x98, 0, 0x18, [15] = 1 },
		.dst = { 0xfd, 0, 1, 0x98, 0, 0x18, [15] = 2 },
		.sport = 56036, .dport = 80, .seq = 428422039u,
		.ack = 12345, /* not on the wire without ACK */
		.flags = RULE_TCP_RST,
	};
	uint8_t buf[PKT_BUILD_MAX];
	struct tl_pkt p;

	(void)state;
	assert_int_equal(pkt_build_tcp(&s4, buf, sizeof(buf)), sizeof(v4));
	assert_memory_equal(buf, v4, sizeof(v4));
	assert_int_equal(pkt_decode(PKT_LINK_RAW, buf, sizeof(v4), sizeof(v4), &p), 0);
	assert_int_equal(p.flags, RULE_TCP_RST | RULE_TCP_ACK);
	assert_int_equal(p.ack, 4276373939u);
	assert_int_equal(pkt_build_tcp(&s6, buf, sizeof(buf)), sizeof(v6));
	assert_memory_equal(buf, v6, sizeof(v6));
	assert_int_equal(pkt_decode(PKT_LINK_RAW, buf, sizeof(v6), sizeof(v6), &p), 0);
	assert_int_equal(p.seq, 428422039u);
	assert_int_equal(p.src.port, 56036);
	assert_int_equal(pkt_build_tcp(&s6, buf, 59), -ENOSPC);
	s6.family = 5;
	assert_int_equal(pkt_build_tcp(&s6, buf, sizeof(buf)), -EINVAL);
}

/* tcpdump's letters back into flags, and what is refused */
static void test_flags_parse(void **state)
{
	static const char *const bad[] = { "", "RR", "X", "r", "R,A", "SYN" };
	char out[16];
	uint8_t f = 0;
	size_t i;

	(void)state;
	assert_int_equal(pkt_flags_parse("R.", &f), 0);
	assert_int_equal(f, RULE_TCP_RST | RULE_TCP_ACK);
	assert_int_equal(pkt_flags_parse("FSRP.UEW", &f), 0);
	assert_int_equal(f, 0xff);
	assert_int_equal(pkt_flags_parse("S", &f), 0);
	assert_string_equal(pkt_flags_format(f, out, sizeof(out)), "S");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pkt_flags_parse(bad[i], &f), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_data_close),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_syn_drop),
		cmocka_unit_test(test_rst),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_not_tcp),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_ipv6_extension_headers),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_flags_format),
		cmocka_unit_test(test_relative_incarnations),
		cmocka_unit_test(test_format_line),
		cmocka_unit_test(test_build_tcp),
		cmocka_unit_test(test_flags_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
