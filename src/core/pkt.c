// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pkt.c - decoding captured TCP segments (see pkt.h)
 *
 * Theory of operation
 *
 * A captured frame is peeled one header at a time, each step checking that
 * what it reads lies within the captured bytes:
 *
 *  - the link layer: Ethernet (with up to two 802.1Q/802.1ad tags), Linux
 *    cooked headers v1 and v2 (what libpcap writes for the "any" device),
 *    or none at all (raw IP, the version nibble telling v4 from v6);
 *  - IPv4 (options skipped with the header length; a fragment other than
 *    the first is not a segment we can read) or IPv6 (hop-by-hop, routing,
 *    destination options, fragment and AH extension headers walked);
 *  - the TCP header and its options.
 *
 * Lengths come from the IP header, never from the capture: a snap length
 * of 128 bytes keeps every header (Ethernet 14 + IPv6 40 + TCP 60 = 114)
 * and the payload length is still right.  Ethernet padding after a short
 * segment is ignored for the same reason.  When the IP length field is 0
 * (IPv4 or IPv6 "big" GSO packets, which a capture on a veth can see before
 * segmentation) the length on the wire stands in for it.  Anything that is
 * not TCP answers -ENOENT, so that the caller skips it; headers cut short or
 * lengths that contradict each other answer -EBADMSG.
 *
 * Options are written the way tcpdump writes them ("mss 1460,sackOK,TS val
 * 1 ecr 0,nop,wscale 7") into the 64 bytes struct tl_pkt has; SACK blocks
 * stay absolute.  A text that does not fit ends in "...".
 *
 * Relative numbers (pkt_relative): the first packet of each direction of a
 * connection - normally its SYN or SYN-ACK - gives that direction's ISN;
 * rseq is seq minus it, rack is ack minus the other direction's ISN (0 when
 * the segment carries no ACK), so a handshake reads seq 0; seq 0 ack 1;
 * seq 1 ack 1 as in textbooks and in Wireshark.  A SYN with a new sequence
 * number on a known 4-tuple starts a new incarnation of the connection.
 * When the other direction has no packet at all in the run (every one of
 * them dropped before any capture saw it), rack stays absolute.
 */
#include "pkt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rule.h"
#include "util.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8

/* Linux cooked capture: packet type of a frame this host sent */
#define SLL_OUTGOING 4
#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20

#define IPPROTO_TCP_NUM 6

/* A bounded text being appended to; @trunc once something did not fit */
struct pkt_text {
	char *buf;
	size_t len, pos;
	int trunc;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/**
 * text_add() - append formatted text, remembering a truncation
 * @t:		the text
 * @fmt:	printf format
 */
static void text_add(struct pkt_text *t, const char *fmt, ...) PRINTF(2, 3);

static void text_add(struct pkt_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->trunc || t->pos >= t->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->pos, t->len - t->pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->len - t->pos) {
		t->trunc = 1;
		t->buf[t->pos] = '\0';
		return;
	}
	t->pos += (size_t)n;
}

/**
 * text_end() - mark a truncated text with "..." where it was cut
 * @t:		the text
 */
static void text_end(struct pkt_text *t)
{
	size_t at;

	if (!t->trunc || t->len < 4)
		return;
	at = t->pos + 3 < t->len ? t->pos : t->len - 4;
	memcpy(t->buf + at, "...", 4);
	t->pos = at + 3;
}

int pkt_link_supported(int link)
{
	switch (link) {
	case PKT_LINK_EN10MB:
	case PKT_LINK_RAW:
	case PKT_LINK_RAW_FILE:
	case PKT_LINK_LINUX_SLL:
	case PKT_LINK_IPV4:
	case PKT_LINK_IPV6:
	case PKT_LINK_LINUX_SLL2:
		return 1;
	}
	return 0;
}

/**
 * link_strip() - find the network header behind the link layer
 * @link:	enum pkt_link
 * @p:		frame
 * @caplen:	captured bytes
 * @off:	set to the offset of the IP header
 * @ethertype:	set to its EtherType (0 when the IP version must tell)
 *
 * Return: 0, -ENOENT (not IP), -EBADMSG, -EPROTONOSUPPORT
 */
static int link_strip(int link, const uint8_t *p, size_t caplen, size_t *off,
		      uint16_t *ethertype)
{
	int tags = 0;

	switch (link) {
	case PKT_LINK_EN10MB:
		if (caplen < 14)
			return -EBADMSG;
		*off = 14;
		*ethertype = get16(p + 12);
		while ((*ethertype == ETHERTYPE_VLAN ||
			*ethertype == ETHERTYPE_QINQ) && tags++ < 2) {
			if (caplen < *off + 4)
				return -EBADMSG;
			*ethertype = get16(p + *off + 2);
			*off += 4;
		}
		break;
	case PKT_LINK_LINUX_SLL:
		if (caplen < SLL_HDR_LEN)
			return -EBADMSG;
		*off = SLL_HDR_LEN;
		*ethertype = get16(p + 14);
		break;
	case PKT_LINK_LINUX_SLL2:
		if (caplen < SLL2_HDR_LEN)
			return -EBADMSG;
		*off = SLL2_HDR_LEN;
		*ethertype = get16(p);
		break;
	case PKT_LINK_RAW:
	case PKT_LINK_RAW_FILE:
		*off = 0;
		*ethertype = 0;
		break;
	case PKT_LINK_IPV4:
		*off = 0;
		*ethertype = ETHERTYPE_IPV4;
		break;
	case PKT_LINK_IPV6:
		*off = 0;
		*ethertype = ETHERTYPE_IPV6;
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	if (!*ethertype) {
		if (caplen < *off + 1)
			return -EBADMSG;
		switch (p[*off] >> 4) {
		case 4:
			*ethertype = ETHERTYPE_IPV4;
			break;
		case 6:
			*ethertype = ETHERTYPE_IPV6;
			break;
		default:
			return -ENOENT;
		}
	}
	if (*ethertype != ETHERTYPE_IPV4 && *ethertype != ETHERTYPE_IPV6)
		return -ENOENT;
	return 0;
}

/**
 * ipv4_strip() - read an IPv4 header
 * @p:		frame
 * @caplen:	captured bytes
 * @wirelen:	bytes on the wire
 * @off:	in: offset of the IP header; out: offset of the TCP header
 * @seglen:	set to the length of the TCP segment (header and payload)
 * @out:	addresses are filled in
 *
 * Return: 0, -ENOENT (not TCP, or not the first fragment), -EBADMSG
 */
static int ipv4_strip(const uint8_t *p, size_t caplen, size_t wirelen,
		      size_t *off, size_t *seglen, struct tl_pkt *out)
{
	const uint8_t *ip = p + *off;
	size_t ihl, tot;

	if (caplen < *off + 20)
		return -EBADMSG;
	if (ip[0] >> 4 != 4)
		return -EBADMSG;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20 || caplen < *off + ihl)
		return -EBADMSG;
	if (get16(ip + 6) & 0x1fff)
		return -ENOENT; /* a later fragment: no TCP header in it */
	if (ip[9] != IPPROTO_TCP_NUM)
		return -ENOENT;
	tot = get16(ip + 2);
	if (!tot && wirelen > *off) /* a GSO packet beyond 64 KiB */
		tot = wirelen - *off;
	if (tot < ihl)
		return -EBADMSG;
	out->family = AF_INET;
	out->src.family = out->dst.family = AF_INET;
	memcpy(&out->src.v4, ip + 12, 4);
	memcpy(&out->dst.v4, ip + 16, 4);
	*seglen = tot - ihl;
	*off += ihl;
	return 0;
}

/**
 * ipv6_strip() - read an IPv6 header and its extension headers
 * @p:		frame
 * @caplen:	captured bytes
 * @wirelen:	bytes on the wire
 * @off:	in: offset of the IP header; out: offset of the TCP header
 * @seglen:	set to the length of the TCP segment (header and payload)
 * @out:	addresses are filled in
 *
 * Return: 0, -ENOENT (not TCP, or not the first fragment), -EBADMSG
 */
static int ipv6_strip(const uint8_t *p, size_t caplen, size_t wirelen,
		      size_t *off, size_t *seglen, struct tl_pkt *out)
{
	const uint8_t *ip = p + *off;
	size_t plen, ext = 0, hlen;
	uint8_t next;
	int hops = 0;

	if (caplen < *off + 40)
		return -EBADMSG;
	if (ip[0] >> 4 != 6)
		return -EBADMSG;
	plen = get16(ip + 4);
	if (!plen && wirelen > *off + 40) /* jumbo or BIG TCP GSO packet */
		plen = wirelen - *off - 40;
	next = ip[6];
	out->family = AF_INET6;
	out->src.family = out->dst.family = AF_INET6;
	memcpy(&out->src.v6, ip + 8, 16);
	memcpy(&out->dst.v6, ip + 24, 16);
	*off += 40;
	while (next != IPPROTO_TCP_NUM) {
		const uint8_t *h = p + *off;

		if (++hops > 8)
			return -ENOENT;
		switch (next) {
		case 0:  /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			if (caplen < *off + 2)
				return -EBADMSG;
			hlen = ((size_t)h[1] + 1) * 8;
			break;
		case 44: /* fragment */
			if (caplen < *off + 8)
				return -EBADMSG;
			if (get16(h + 2) & 0xfff8)
				return -ENOENT;
			hlen = 8;
			break;
		case 51: /* authentication header */
			if (caplen < *off + 2)
				return -EBADMSG;
			hlen = ((size_t)h[1] + 2) * 4;
			break;
		default:
			return -ENOENT;
		}
		if (caplen < *off + hlen || ext + hlen > plen)
			return -EBADMSG;
		next = h[0];
		ext += hlen;
		*off += hlen;
	}
	*seglen = plen - ext;
	return 0;
}

/**
 * opts_format() - write TCP options as tcpdump does
 * @o:		the options (after the 20-byte header)
 * @olen:	their length
 * @buf:	output
 * @len:	its size
 */
static void opts_format(const uint8_t *o, size_t olen, char *buf, size_t len)
{
	struct pkt_text t = { buf, len, 0, 0 };
	size_t i = 0;

	buf[0] = '\0';
	while (i < olen) {
		uint8_t kind = o[i], l;
		const char *sep = t.pos ? "," : "";

		if (kind == 0) {
			text_add(&t, "%seol", sep);
			break;
		}
		if (kind == 1) {
			text_add(&t, "%snop", sep);
			i++;
			continue;
		}
		if (i + 1 >= olen || o[i + 1] < 2 || i + o[i + 1] > olen) {
			text_add(&t, "%sbad opt", sep);
			break;
		}
		l = o[i + 1];
		switch (kind) {
		case 2:
			if (l == 4)
				text_add(&t, "%smss %u", sep, get16(o + i + 2));
			else
				text_add(&t, "%sbad opt", sep);
			break;
		case 3:
			if (l == 3)
				text_add(&t, "%swscale %u", sep, o[i + 2]);
			else
				text_add(&t, "%sbad opt", sep);
			break;
		case 4:
			text_add(&t, "%ssackOK", sep);
			break;
		case 5: {
			unsigned nb = (unsigned)(l - 2) / 8, k;

			text_add(&t, "%ssack %u", sep, nb);
			for (k = 0; k < nb; k++)
				text_add(&t, " {%u:%u}", get32(o + i + 2 + 8 * k),
					 get32(o + i + 6 + 8 * k));
			break;
		}
		case 8:
			if (l == 10)
				text_add(&t, "%sTS val %u ecr %u", sep,
					 get32(o + i + 2), get32(o + i + 6));
			else
				text_add(&t, "%sbad opt", sep);
			break;
		case 19:
			text_add(&t, "%smd5", sep);
			break;
		case 29:
			text_add(&t, "%stcp-ao", sep);
			break;
		case 30:
			text_add(&t, "%smptcp", sep);
			break;
		case 34:
			text_add(&t, "%stfo", sep);
			break;
		default:
			text_add(&t, "%sunknown-%u", sep, kind);
		}
		i += l;
	}
	text_end(&t);
}

int pkt_decode(int link, const void *frame, size_t caplen, size_t wirelen,
	       struct tl_pkt *out)
{
	const uint8_t *p = frame;
	struct tl_pkt pk;
	size_t off, seglen, doff;
	uint16_t et;
	const uint8_t *th;
	int rc;

	memset(&pk, 0, sizeof(pk));
	if (wirelen < caplen)
		wirelen = caplen;
	rc = link_strip(link, p, caplen, &off, &et);
	if (rc)
		return rc;
	if (et == ETHERTYPE_IPV4)
		rc = ipv4_strip(p, caplen, wirelen, &off, &seglen, &pk);
	else
		rc = ipv6_strip(p, caplen, wirelen, &off, &seglen, &pk);
	if (rc)
		return rc;
	if (caplen < off + 20 || seglen < 20)
		return -EBADMSG;
	th = p + off;
	doff = (size_t)(th[12] >> 4) * 4;
	if (doff < 20 || doff > seglen || caplen < off + doff)
		return -EBADMSG;
	pk.src.port = get16(th);
	pk.dst.port = get16(th + 2);
	pk.seq = get32(th + 4);
	pk.ack = get32(th + 8);
	pk.flags = th[13];
	pk.win = get16(th + 14);
	pk.len = (uint32_t)(seglen - doff);
	opts_format(th + 20, doff - 20, pk.opts, sizeof(pk.opts));
	*out = pk;
	return 0;
}

enum pkt_dir pkt_direction(int link, const void *frame, size_t caplen,
			   const uint8_t *mac)
{
	const uint8_t *p = frame;

	switch (link) {
	case PKT_LINK_EN10MB:
		if (!mac || caplen < 12)
			return PKT_DIR_UNKNOWN;
		return memcmp(p + 6, mac, 6) ? PKT_DIR_IN : PKT_DIR_OUT;
	case PKT_LINK_LINUX_SLL:
		if (caplen < SLL_HDR_LEN)
			return PKT_DIR_UNKNOWN;
		return get16(p) == SLL_OUTGOING ? PKT_DIR_OUT : PKT_DIR_IN;
	case PKT_LINK_LINUX_SLL2:
		if (caplen < SLL2_HDR_LEN)
			return PKT_DIR_UNKNOWN;
		return p[10] == SLL_OUTGOING ? PKT_DIR_OUT : PKT_DIR_IN;
	}
	return PKT_DIR_UNKNOWN;
}

/* What is known of one direction's ISN */
enum { ISN_UNKNOWN, ISN_KNOWN, ISN_ABSENT };

/* One connection (4-tuple); direction 0 goes from @a to @b */
struct pkt_conn {
	struct diag_addr a, b;
	uint32_t isn[2];
	uint8_t st[2];
};

/**
 * conn_dir() - which direction of @c packet @p goes, -1 if another 4-tuple
 * @c:		connection
 * @p:		packet
 */
static int conn_dir(const struct pkt_conn *c, const struct tl_pkt *p)
{
	if (diag_addr_eq(&c->a, &p->src) && diag_addr_eq(&c->b, &p->dst))
		return 0;
	if (diag_addr_eq(&c->b, &p->src) && diag_addr_eq(&c->a, &p->dst))
		return 1;
	return -1;
}

int pkt_relative(struct tl_pkt *const *v, size_t n)
{
	struct pkt_conn *conns = NULL;
	size_t nconn = 0, cap = 0, i, j, k;

	/* find every connection first, so that a failure changes nothing */
	for (i = 0; i < n; i++) {
		for (k = 0; k < nconn; k++)
			if (conn_dir(&conns[k], v[i]) >= 0)
				break;
		if (k < nconn)
			continue;
		if (util_grow((void **)&conns, &cap, nconn, sizeof(*conns), 8)) {
			free(conns);
			return -ENOMEM;
		}
		memset(&conns[nconn], 0, sizeof(conns[nconn]));
		conns[nconn].a = v[i]->src;
		conns[nconn].b = v[i]->dst;
		nconn++;
	}

	for (i = 0; i < n; i++) {
		struct tl_pkt *p = v[i];
		struct pkt_conn *c = NULL;
		int d = -1, o;

		for (k = 0; k < nconn; k++) {
			d = conn_dir(&conns[k], p);
			if (d >= 0) {
				c = &conns[k];
				break;
			}
		}
		if (!c)
			continue; /* cannot happen: every 4-tuple was listed */
		o = !d;
		if (c->st[d] != ISN_KNOWN) {
			c->isn[d] = p->seq;
			c->st[d] = ISN_KNOWN;
		} else if ((p->flags & RULE_TCP_SYN) && p->seq != c->isn[d]) {
			/* a new incarnation on the same 4-tuple */
			c->isn[d] = p->seq;
			if (!(p->flags & RULE_TCP_ACK))
				c->st[o] = ISN_UNKNOWN;
		}
		if (c->st[o] == ISN_UNKNOWN) {
			c->st[o] = ISN_ABSENT;
			for (j = i + 1; j < n; j++) {
				if (conn_dir(c, v[j]) == o) {
					c->isn[o] = v[j]->seq;
					c->st[o] = ISN_KNOWN;
					break;
				}
			}
		}
		p->rseq = p->seq - c->isn[d];
		if (!(p->flags & RULE_TCP_ACK))
			p->rack = 0;
		else if (c->st[o] == ISN_KNOWN)
			p->rack = p->ack - c->isn[o];
		else
			p->rack = p->ack;
	}
	free(conns);
	return 0;
}

int pkt_relative_timeline(struct timeline *tl)
{
	struct tl_pkt **v;
	size_t i, n = 0;
	int rc;

	v = malloc((tl->n ? tl->n : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < tl->n; i++)
		if (tl->v[i].kind == TL_PACKET || tl->v[i].kind == TL_DROP)
			v[n++] = &tl->v[i].pkt;
	rc = pkt_relative(v, n);
	free(v);
	return rc;
}

const char *pkt_flags_format(uint8_t flags, char *buf, size_t len)
{
	/* tcpdump's letters, in tcpdump's order; '.' is ACK */
	static const struct {
		uint8_t bit;
		char c;
	} letters[] = {
		{ RULE_TCP_FIN, 'F' }, { RULE_TCP_SYN, 'S' },
		{ RULE_TCP_RST, 'R' }, { RULE_TCP_PSH, 'P' },
		{ RULE_TCP_ACK, '.' }, { RULE_TCP_URG, 'U' },
		{ RULE_TCP_ECE, 'E' }, { RULE_TCP_CWR, 'W' },
	};
	size_t i, n = 0;

	if (!len)
		return buf;
	if (!flags) {
		snprintf(buf, len, "none");
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(letters) && n + 1 < len; i++)
		if (flags & letters[i].bit)
			buf[n++] = letters[i].c;
	buf[n] = '\0';
	return buf;
}

/**
 * addr_port() - "198.18.0.1.40312" or "fd00:198:18::1.40312" (tcpdump -n)
 * @a:		address and port
 * @buf:	output
 * @len:	its size
 */
static const char *addr_port(const struct diag_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4
						       : (const void *)&a->v6,
		       ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	snprintf(buf, len, "%s.%u", ip, a->port);
	return buf;
}

int pkt_format_line(const struct tl_pkt *p, int64_t t_ns, int relative,
		    char *buf, size_t len)
{
	char line[512];
	struct pkt_text t = { line, sizeof(line), 0, 0 };
	uint64_t at = t_ns < 0 ? (uint64_t)-t_ns : (uint64_t)t_ns;
	uint32_t seq = relative ? p->rseq : p->seq;
	uint32_t ack = relative ? p->rack : p->ack;
	char s[64], d[64], fl[16];

	line[0] = '\0';
	text_add(&t, "%s%llu.%06llu %s > %s: Flags [%s]", t_ns < 0 ? "-" : "",
		 (unsigned long long)(at / NS_PER_S),
		 (unsigned long long)(at % NS_PER_S / NS_PER_US),
		 addr_port(&p->src, s, sizeof(s)),
		 addr_port(&p->dst, d, sizeof(d)),
		 pkt_flags_format(p->flags, fl, sizeof(fl)));
	if (p->len)
		text_add(&t, ", seq %u:%u", seq, seq + p->len);
	else if (p->flags & (RULE_TCP_SYN | RULE_TCP_FIN | RULE_TCP_RST))
		text_add(&t, ", seq %u", seq);
	if (p->flags & RULE_TCP_ACK)
		text_add(&t, ", ack %u", ack);
	text_add(&t, ", win %u", p->win);
	if (p->opts[0])
		text_add(&t, ", options [%.*s]", (int)sizeof(p->opts), p->opts);
	text_add(&t, ", length %u", p->len);
	return snprintf(buf, len, "%s", line);
}

/**
 * pkt_flags_parse() - tcpdump's flag letters into TCP flags
 * @s:		"R", "R.", "S.", "." ...
 * @flags:	the flags
 *
 * Return: 0, or -EINVAL for an unknown or repeated letter or an empty word
 */
int pkt_flags_parse(const char *s, uint8_t *flags)
{
	static const char letters[] = "FSRP.UEW"; /* bit i is letter i */
	uint8_t f = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		const char *c = strchr(letters, *s);

		if (!c || (f & (1u << (c - letters))))
			return -EINVAL;
		f |= (uint8_t)(1u << (c - letters));
	}
	*flags = f;
	return 0;
}

/* The one's complement sum of @n bytes at @p added to @sum (unfolded) */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/**
 * pkt_build_tcp() - one crafted TCP segment as a whole IP packet
 * @seg:	what to write
 * @buf:	where
 * @len:	its size; PKT_BUILD_MAX is always enough
 *
 * Return: the packet's length, -ENOSPC, or -EINVAL for a bad family
 */
int pkt_build_tcp(const struct pkt_seg *seg, uint8_t *buf, size_t len)
{
	size_t ipl = seg->family == 6 ? 40 : 20, alen = seg->family == 6 ? 16 : 4;
	uint8_t *th = buf + ipl;
	uint32_t sum;

	if (seg->family != 4 && seg->family != 6)
		return -EINVAL;
	if (len < ipl + 20)
		return -ENOSPC;
	memset(buf, 0, ipl + 20);
	if (seg->family == 4) {
		buf[0] = 0x45;
		put16(buf + 2, (uint16_t)(ipl + 20));
		put16(buf + 6, 0x4000); /* DF */
		buf[8] = seg->ttl ? seg->ttl : 64;
		buf[9] = 6; /* TCP */
		memcpy(buf + 12, seg->src, 4);
		memcpy(buf + 16, seg->dst, 4);
		put16(buf + 10, csum_fold(csum_add(0, buf, 20)));
	} else {
		buf[0] = 0x60;
		put16(buf + 4, 20); /* payload length */
		buf[6] = 6;
		buf[7] = seg->ttl ? seg->ttl : 64;
		memcpy(buf + 8, seg->src, 16);
		memcpy(buf + 24, seg->dst, 16);
	}
	put16(th, seg->sport);
	put16(th + 2, seg->dport);
	put32(th + 4, seg->seq);
	put32(th + 8, seg->flags & RULE_TCP_ACK ? seg->ack : 0);
	th[12] = 5 << 4;
	th[13] = seg->flags;
	put16(th + 14, seg->win);
	/* pseudo-header: addresses, protocol, TCP length */
	sum = csum_add(0, seg->src, alen);
	sum = csum_add(sum, seg->dst, alen);
	sum += 6 + 20;
	put16(th + 16, csum_fold(csum_add(sum, th, 20)));
	return (int)(ipl + 20);
}
