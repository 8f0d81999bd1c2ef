// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c - packet capture on a node's interface (see capture.h)
 *
 * Theory of operation
 *
 * Opening.  A libpcap handle on Linux is an AF_PACKET socket, and a socket
 * belongs to the namespace of the thread that created it, whatever that
 * thread does next.  capture_open() therefore enters the node's namespace
 * (netns_enter), creates the handle, sets its options and activates it -
 * activation creates the socket, binds it to the interface and maps its
 * ring - reads the interface's hardware address, and goes back
 * (netns_leave) before doing anything else.  Once pcap_activate() has
 * returned, the kernel queues every frame the interface sends or receives,
 * so a caller that opens the capture before the lab's first packet misses
 * none.  The "tcp" filter is compiled and set afterwards, from outside (it
 * needs no namespace); frames queued before it are filtered by libpcap in
 * user space, not lost.
 *
 * Options: snap length 128 (headers; pkt_decode() takes lengths from the IP
 * header), no promiscuous mode (a veth end only ever receives what is for
 * it), immediate mode (each frame is handed over as soon as it arrives,
 * instead of when a ring block fills or times out: without it a short run
 * can end with its packets still in the kernel), nanosecond time stamps,
 * and non-blocking reads, so that capture_read() drains and returns.
 *
 * Clock.  The kernel stamps captured frames with CLOCK_REALTIME (the
 * software stamp taken when the frame reaches the packet socket).  libpcap
 * 1.10 on Linux lists only PCAP_TSTAMP_HOST for a veth (and adapter stamps
 * for capable NICs); PCAP_TSTAMP_HOST_HIPREC_UNSYNCED is refused with
 * PCAP_WARNING_TSTAMP_TYPE_NOTSUP, so there is no monotonic stamp to ask
 * for.  capture_open() therefore
 * measures once the offset between CLOCK_REALTIME and CLOCK_MONOTONIC (the
 * realtime reading taken between two monotonic ones that are closest
 * together, out of a few tries) and capture_read() subtracts it from every
 * stamp.  The conversion is exact to within a microsecond or so unless the
 * wall clock is stepped during a run (an NTP step, a manual date change);
 * slewing shifts it by at most a few tens of microseconds per second.
 *
 * Direction.  On Ethernet a frame whose source address is the interface's
 * own left through it; for the Linux cooked link types the kernel's packet
 * type says so.  Every frame goes to the file, so the pcap shows both
 * directions as tcpdump on that interface would; only outgoing TCP segments
 * become TL_PACKET events.  A link type that cannot tell (raw IP, e.g. a
 * tun device) records frames in the file but no events.
 *
 * Limits.  With max_packets set, frames beyond it are counted and dropped:
 * neither written nor decoded.  capture_stats() also reports the kernel's
 * own drops (ring full), which libpcap reads from the socket.
 */
#define _GNU_SOURCE
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netns.h"
#include "pkt.h"
#include "util.h"

/* Frames handled by one capture_read() call at most, to bound its time */
#define CAPTURE_READ_BATCH 4096

/* Kernel ring size: a few thousand header-only frames */
#define CAPTURE_BUFFER_BYTES (1 << 17)

struct capture {
	pcap_t *p;
	pcap_dumper_t *d;
	int link;
	int fd;
	int nano;               /* time stamps in ns (else us) */
	uint8_t mac[6];
	int has_mac;
	int64_t real_minus_mono; /* ns */
	unsigned long max;      /* 0: no limit */
	unsigned long seen, stored, over, events;
	char ifname[IF_NAMESIZE];
};

/**
 * clock_offset() - CLOCK_REALTIME minus CLOCK_MONOTONIC, in ns
 *
 * Return: the offset, from the tightest of a few readings
 */
static int64_t clock_offset(void)
{
	int64_t best = 0;
	uint64_t best_win = UINT64_MAX;
	int i;

	for (i = 0; i < 8; i++) {
		struct timespec rt;
		uint64_t m1, m2;

		m1 = util_now_ns();
		clock_gettime(CLOCK_REALTIME, &rt);
		m2 = util_now_ns();
		if (m2 - m1 < best_win) {
			int64_t r = (int64_t)rt.tv_sec * (int64_t)NS_PER_S +
				    rt.tv_nsec;

			best_win = m2 - m1;
			best = r - (int64_t)(m1 + (m2 - m1) / 2);
		}
	}
	return best;
}

/**
 * pcap_status_errno() - map a libpcap activation status to -errno
 * @status:	what pcap_activate() or a setter returned (< 0)
 *
 * Return: -errno
 */
static int pcap_status_errno(int status)
{
	switch (status) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		return -ENETDOWN;
	}
	return -EIO;
}

/**
 * activate_in_ns() - create and activate the handle inside @nsfd
 * @c:		capture being opened (gets p, mac)
 * @nsfd:	the node's namespace
 * @snaplen:	snap length
 * @e:		error detail
 *
 * Return: 0 or -errno
 */
static int activate_in_ns(struct capture *c, int nsfd, int snaplen,
			  struct err *e)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int saved, rc, st, s;
	struct ifreq ifr;

	rc = netns_enter(nsfd, &saved);
	if (rc)
		return err_env(e, rc, "capture on %s: cannot enter the node's "
			       "namespace: %s", c->ifname, strerror(-rc));
	c->p = pcap_create(c->ifname, ebuf);
	if (!c->p) {
		rc = err_set(e, -ENOMEM, "capture on %s: %s", c->ifname, ebuf);
		goto leave;
	}
	if (pcap_set_snaplen(c->p, snaplen) || pcap_set_promisc(c->p, 0) ||
	    pcap_set_immediate_mode(c->p, 1) ||
	    pcap_set_buffer_size(c->p, CAPTURE_BUFFER_BYTES)) {
		rc = err_set(e, -EIO, "capture on %s: cannot set options: %s",
			     c->ifname, pcap_geterr(c->p));
		goto leave;
	}
	/* nanoseconds where libpcap can; microseconds otherwise */
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_NANO);
	st = pcap_activate(c->p);
	if (st < 0) {
		rc = pcap_status_errno(st);
		if (rc == -EPERM)
			err_env(e, rc, "capture on %s: %s (needs CAP_NET_RAW)",
				c->ifname, pcap_geterr(c->p));
		else if (*pcap_geterr(c->p))
			err_set(e, rc, "capture on %s: %s", c->ifname,
				pcap_geterr(c->p));
		else
			err_set(e, rc, "capture on %s: %s", c->ifname,
				pcap_statustostr(st));
		goto leave;
	}
	/* the interface's own address tells outgoing frames */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->ifname);
		if (!ioctl(s, SIOCGIFHWADDR, &ifr) &&
		    ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
			memcpy(c->mac, ifr.ifr_hwaddr.sa_data, 6);
			c->has_mac = 1;
		}
		close(s);
	}
	rc = 0;
leave:
	netns_leave(saved);
	return rc;
}

int capture_open(struct capture **out, int nsfd, const char *ifname,
		 const char *pcap_path, int snaplen, int max_packets,
		 struct err *e)
{
	struct bpf_program prog;
	struct capture *c;
	char ebuf[PCAP_ERRBUF_SIZE];
	int rc;

	*out = NULL;
	if (!ifname || strlen(ifname) >= IF_NAMESIZE)
		return err_set(e, -EINVAL, "capture: bad interface name");
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_set(e, -ENOMEM, "capture: out of memory");
	c->fd = -1;
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	c->max = max_packets > 0 ? (unsigned long)max_packets : 0;
	if (snaplen <= 0)
		snaplen = CAPTURE_SNAPLEN_DEFAULT;

	rc = activate_in_ns(c, nsfd, snaplen, e);
	if (rc)
		goto fail;
	c->real_minus_mono = clock_offset();
	c->nano = pcap_get_tstamp_precision(c->p) == PCAP_TSTAMP_PRECISION_NANO;
	c->link = pcap_datalink(c->p);
	if (!pkt_link_supported(c->link)) {
		rc = err_set(e, -EPROTONOSUPPORT,
			     "capture on %s: link type %s is not decoded",
			     ifname, pcap_datalink_val_to_name(c->link) ?: "?");
		goto fail;
	}
	if (pcap_compile(c->p, &prog, "tcp", 1, PCAP_NETMASK_UNKNOWN)) {
		rc = err_set(e, -EIO, "capture on %s: filter: %s", ifname,
			     pcap_geterr(c->p));
		goto fail;
	}
	rc = pcap_setfilter(c->p, &prog);
	pcap_freecode(&prog);
	if (rc) {
		rc = err_set(e, -EIO, "capture on %s: filter: %s", ifname,
			     pcap_geterr(c->p));
		goto fail;
	}
	if (pcap_setnonblock(c->p, 1, ebuf)) {
		rc = err_set(e, -EIO, "capture on %s: %s", ifname, ebuf);
		goto fail;
	}
	c->fd = pcap_get_selectable_fd(c->p);
	if (c->fd >= 0)
		fcntl(c->fd, F_SETFD, FD_CLOEXEC);
	if (pcap_path) {
		c->d = pcap_dump_open(c->p, pcap_path);
		if (!c->d) {
			rc = err_set(e, -EIO, "capture on %s: %s", ifname,
				     pcap_geterr(c->p));
			goto fail;
		}
	}
	*out = c;
	return 0;
fail:
	if (c->p)
		pcap_close(c->p);
	free(c);
	return rc;
}

int capture_fd(const struct capture *c)
{
	return c ? c->fd : -1;
}

/**
 * stamp_mono() - a packet's time stamp on the monotonic clock
 * @c:		capture
 * @ts:		libpcap's time stamp (tv_usec holds ns in nano precision)
 *
 * Return: CLOCK_MONOTONIC ns
 */
static uint64_t stamp_mono(const struct capture *c, const struct timeval *ts)
{
	int64_t real = (int64_t)ts->tv_sec * (int64_t)NS_PER_S +
		       (int64_t)ts->tv_usec * (c->nano ? 1 : (int64_t)NS_PER_US);
	int64_t mono = real - c->real_minus_mono;

	return mono > 0 ? (uint64_t)mono : 0;
}

int capture_read(struct capture *c, struct timeline *tl, int node, int peer)
{
	unsigned long wrote = c->stored;
	int appended = 0, n, rc = 0;

	for (n = 0; n < CAPTURE_READ_BATCH; n++) {
		struct pcap_pkthdr *h;
		const u_char *data;
		struct tl_event ev;

		rc = pcap_next_ex(c->p, &h, &data);
		if (rc == 0)
			break; /* nothing more pending */
		if (rc < 0) {
			rc = rc == PCAP_ERROR_BREAK ? 0 : -EIO;
			break;
		}
		rc = 0;
		c->seen++;
		if (c->max && c->stored >= c->max) {
			c->over++;
			continue;
		}
		if (c->d)
			pcap_dump((u_char *)c->d, h, data);
		c->stored++;
		if (pkt_direction(c->link, data, h->caplen,
				  c->has_mac ? c->mac : NULL) != PKT_DIR_OUT)
			continue;
		memset(&ev, 0, sizeof(ev));
		if (pkt_decode(c->link, data, h->caplen, h->len, &ev.pkt))
			continue; /* not TCP, or cut short: in the file only */
		ev.t_ns = stamp_mono(c, &h->ts);
		ev.kind = TL_PACKET;
		ev.node = node;
		ev.peer = peer;
		if (timeline_add(tl, &ev)) {
			rc = -ENOMEM;
			break;
		}
		c->events++;
		appended++;
	}
	if (c->d && c->stored != wrote)
		pcap_dump_flush(c->d);
	return rc ? rc : appended;
}

void capture_stats(struct capture *c, struct capture_stats *st)
{
	struct pcap_stat ps;

	memset(st, 0, sizeof(*st));
	st->seen = c->seen;
	st->stored = c->stored;
	st->over = c->over;
	st->events = c->events;
	st->capped = c->max && c->stored >= c->max;
	if (!pcap_stats(c->p, &ps))
		st->kernel_drops = ps.ps_drop;
}

const char *capture_error(struct capture *c)
{
	return pcap_geterr(c->p);
}

int capture_close(struct capture *c)
{
	int rc = 0;

	if (!c)
		return 0;
	if (c->d) {
		if (pcap_dump_flush(c->d))
			rc = -EIO;
		pcap_dump_close(c->d);
	}
	pcap_close(c->p);
	free(c);
	return rc;
}
