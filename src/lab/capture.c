// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c - packet capture on a node's interface (see capture.h)
 *
 * Theory of operation
 *
 * Opening.  A packet socket belongs to the namespace of the thread that
 * created it, whatever that thread does next: capture_open() creates an
 * AF_PACKET socket inside the node's namespace (netns_socket) and does
 * everything else from outside (an ioctl on a socket acts in the socket's
 * namespace).  The socket is created with protocol 0, so that it hears
 * nothing yet; the "tcp" filter (compiled by libpcap for the interface's
 * link type, returning the snap length) and the options are set on it, and
 * only then is it bound to the interface for every protocol.  From that
 * bind on the kernel queues every frame the interface sends or receives,
 * so a caller that opens the capture before the lab's first packet misses
 * none.
 *
 * Why not libpcap.  libpcap on Linux always maps a TPACKET_V3 ring, and
 * creates its socket for every protocol before binding it: the kernel
 * waits for an RCU grace period when a running packet socket is bound
 * again, when a ring is set up and when it is torn down (synchronize_net(),
 * 5 to 25 ms each on a loaded machine), which made packet capture most of
 * a short run's time.  A plain packet socket read with recvmmsg() needs
 * none of those; the one grace period left, when the socket is released,
 * is waited for on a thread of its own (see Closing).  What libpcap would
 * still do is small and fixed, and loading it is not (it brings D-Bus,
 * systemd and crypto libraries: eleven shared objects, 2 to 5 ms of CPU
 * in every process that captures): the filter "tcp" is the classic BPF
 * program libpcap compiles for it (capture_filter_build(); a unit test
 * compares the two for each link type and snap length), and the files are
 * written as libpcap's pcap_dump() writes them, in the nanosecond pcap
 * format (a 24-byte file header, a 16-byte header per frame, the host's
 * byte order), which tcpdump -r and Wireshark read (the captures test has
 * tcpdump read them).
 *
 * Reading.  Non-blocking recvmmsg() in batches; each frame comes with its
 * time stamp (SO_TIMESTAMPNS), its length on the wire (PACKET_AUXDATA: the
 * filter cut the frame to the snap length) and its packet type
 * (sockaddr_ll): PACKET_OUTGOING frames left the node through this
 * interface.  The socket gets a receive buffer of CAPTURE_RCVBUF_BYTES; a
 * frame that finds it full is dropped by the kernel and counted
 * (capture_stats).
 *
 * Clock.  The kernel stamps captured frames with CLOCK_REALTIME (the
 * software stamp taken when the frame reaches the packet socket); there is
 * no monotonic stamp to ask for.  capture_open() therefore measures once
 * the offset between CLOCK_REALTIME and CLOCK_MONOTONIC (the realtime
 * reading taken between two monotonic ones that are closest together, out
 * of a few tries) and capture_read() subtracts it from every stamp.  The
 * conversion is exact to within a microsecond or so unless the wall clock
 * is stepped during a run (an NTP step, a manual date change); slewing
 * shifts it by at most a few tens of microseconds per second.  The file
 * keeps the kernel's own (realtime) stamps, in nanoseconds.
 *
 * Direction.  Every frame goes to the file, so the pcap shows both
 * directions as tcpdump on that interface would; only outgoing TCP segments
 * become TL_PACKET events.
 *
 * Limits.  With max_packets set, frames beyond it are counted and dropped:
 * neither written nor decoded.  capture_stats() also reports the kernel's
 * own drops (receive buffer full).
 *
 * Closing.  capture_close() flushes and closes the file at once (it is
 * complete when the call returns), then releases the socket on a detached
 * thread: packet_release() waits for a grace period, so captures closed
 * one after the other overlap their waits and the caller goes on.  A
 * process that exits waits for the releases still in flight, together.
 *
 * Keeping.  A lab that serves the next run keeps its captures' sockets,
 * bound and filtered: capture_detach() closes the file and hands the
 * socket over, capture_reopen() makes a capture of it again with a new
 * file, after dropping what it heard in between (the lab's teardown).  So
 * a run on a kept lab neither creates a packet socket nor attaches its
 * filter (the kernel's BPF JIT) nor releases one.
 */
#define _GNU_SOURCE
#include "capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <pthread.h>
#include <stdint.h>
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

/* Frames taken by one recvmmsg() */
#define CAPTURE_VLEN 32

/* Receive buffer: what the kernel may queue between two reads */
#define CAPTURE_RCVBUF_BYTES (16 << 20)

/* ancillary data of one frame: its time stamp and its auxiliary data */
#define CAPTURE_CMSG_BYTES (CMSG_SPACE(sizeof(struct timespec)) + \
			    CMSG_SPACE(sizeof(struct tpacket_auxdata)))

/* the nanosecond pcap format's magic number, as libpcap writes it */
#define CAPTURE_PCAP_MAGIC_NS 0xa1b23c4dU

/* the file header of a pcap file (struct pcap_file_header) */
struct capture_pcap_hdr {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

/* the header of each frame in a pcap file (struct pcap_sf_pkthdr) */
struct capture_pcap_rec {
	uint32_t sec;
	uint32_t nsec;
	uint32_t caplen;
	uint32_t len;
};

struct capture {
	int fd;
	int link;               /* PKT_LINK_ value of the frames */
	FILE *f;                /* the pcap file, or NULL */
	int snaplen;
	int64_t real_minus_mono; /* ns */
	unsigned long max;      /* 0: no limit */
	unsigned long seen, stored, over, events;
	unsigned long arrived;  /* frames that came in through the interface */
	unsigned drops;         /* kernel drops so far */
	uint8_t *frames;        /* CAPTURE_VLEN x snaplen */
	char cmsg[CAPTURE_VLEN][CAPTURE_CMSG_BYTES]
		__attribute__((aligned(8)));
	char ifname[IF_NAMESIZE];
	char error[160];
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
 * link_type() - the link type of frames read from an interface
 * @arphrd:	the interface's hardware type (ARPHRD_*)
 *
 * A SOCK_RAW packet socket hands frames over from their link header on:
 * Ethernet (and loopback's all-zero Ethernet header) as they are; a device
 * with no link header (tun) gives the IP packet itself.
 *
 * Return: PKT_LINK_ value, or -1 for a type that is not decoded
 */
static int link_type(int arphrd)
{
	switch (arphrd) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:
		return PKT_LINK_EN10MB;
	case ARPHRD_NONE:
		return PKT_LINK_RAW;
	}
	return -1;
}

size_t capture_filter_build(int link, uint32_t snaplen,
			    struct sock_filter *out, size_t max)
{
	/*
	 * What libpcap compiles for "tcp" (optimised), the snap length in
	 * place of SNAP: an IPv4 packet of protocol 6, or an IPv6 packet
	 * whose next header is 6, or a fragment header (44) followed by 6.
	 */
#define SNAP 0xffffffffU
	static const struct sock_filter ether[] = {
		{ BPF_LD | BPF_H | BPF_ABS, 0, 0, 12 },	/* ethertype */
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0x0800 },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 23 },	/* IPv4 protocol */
		{ BPF_JMP | BPF_JEQ | BPF_K, 6, 7, 6 },
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 0x86dd },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 20 },	/* IPv6 next header */
		{ BPF_JMP | BPF_JEQ | BPF_K, 3, 0, 6 },
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 44 },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 54 },	/* after the fragment header */
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 6 },
		{ BPF_RET | BPF_K, 0, 0, SNAP },
		{ BPF_RET | BPF_K, 0, 0, 0 },
	};
	static const struct sock_filter raw[] = {
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 0 },	/* IP version */
		{ BPF_ALU | BPF_AND | BPF_K, 0, 0, 0xf0 },
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0x40 },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 9 },	/* IPv4 protocol */
		{ BPF_JMP | BPF_JEQ | BPF_K, 8, 9, 6 },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 0 },
		{ BPF_ALU | BPF_AND | BPF_K, 0, 0, 0xf0 },
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 0x60 },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 6 },	/* IPv6 next header */
		{ BPF_JMP | BPF_JEQ | BPF_K, 3, 0, 6 },
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 44 },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 40 },	/* after the fragment header */
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 6 },
		{ BPF_RET | BPF_K, 0, 0, SNAP },
		{ BPF_RET | BPF_K, 0, 0, 0 },
	};
	const struct sock_filter *prog = link == PKT_LINK_EN10MB ? ether
					 : link == PKT_LINK_RAW ? raw : NULL;
	size_t n = link == PKT_LINK_EN10MB ? ARRAY_SIZE(ether)
		   : ARRAY_SIZE(raw), i;

	if (!prog || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		out[i] = prog[i];
		if (out[i].code == (BPF_RET | BPF_K) && out[i].k == SNAP)
			out[i].k = snaplen;
	}
	return n;
#undef SNAP
}

/**
 * socket_setup() - filter and options on the (not yet bound) socket
 * @c:		capture being opened (fd and link set)
 * @e:		error detail
 *
 * Return: 0 or -errno
 */
static int socket_setup(struct capture *c, struct err *e)
{
	struct sock_filter insns[CAPTURE_FILTER_MAX];
	struct sock_fprog fprog;
	int one = 1, size = CAPTURE_RCVBUF_BYTES;

	fprog.len = (unsigned short)capture_filter_build(c->link,
							 (uint32_t)c->snaplen,
							 insns, ARRAY_SIZE(insns));
	fprog.filter = insns;
	if (!fprog.len)
		return err_set(e, -EPROTONOSUPPORT,
			       "capture on %s: no filter for link type %d",
			       c->ifname, c->link);
	if (setsockopt(c->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog,
		       sizeof(fprog)))
		return err_set(e, -errno,
			       "capture on %s: cannot attach the filter: %s",
			       c->ifname, strerror(errno));
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
	if (setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) ||
	    setsockopt(c->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)))
		return err_set(e, -errno, "capture on %s: cannot set options: %s",
			       c->ifname, strerror(errno));
	return 0;
}

/**
 * socket_bind() - start hearing every frame of the interface
 * @c:		capture being opened
 * @ifindex:	the interface
 * @e:		error detail
 *
 * Return: 0 or -errno
 */
static int socket_bind(struct capture *c, int ifindex, struct err *e)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int err = 0;
	socklen_t len = sizeof(err);

	if (bind(c->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return err_set(e, -errno, "capture on %s: cannot bind: %s",
			       c->ifname, strerror(errno));
	/* bound to an interface that is down, the socket hears nothing */
	if (!getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) && err)
		return err_set(e, -err, "capture on %s: %s", c->ifname,
			       strerror(err));
	return 0;
}

/**
 * socket_open() - the packet socket, inside @nsfd; link type and ifindex
 * @c:		capture being opened (ifname set; gets fd and link)
 * @nsfd:	the node's namespace
 * @ifindex:	gets the interface's index
 * @e:		error detail
 *
 * Return: 0 or -errno
 */
static int socket_open(struct capture *c, int nsfd, int *ifindex,
		       struct err *e)
{
	struct ifreq ifr;

	/* protocol 0: the socket hears nothing until it is bound */
	c->fd = netns_socket(nsfd, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, 0);
	if (c->fd == -EPERM)
		return err_env(e, c->fd, "capture on %s: %s (needs CAP_NET_RAW)",
			       c->ifname, strerror(-c->fd));
	if (c->fd < 0)
		return err_set(e, c->fd, "capture on %s: %s", c->ifname,
			       strerror(-c->fd));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->ifname);
	if (ioctl(c->fd, SIOCGIFINDEX, &ifr) < 0)
		return err_set(e, errno == ENODEV ? -ENODEV : -errno,
			       "capture on %s: %s", c->ifname, strerror(errno));
	*ifindex = ifr.ifr_ifindex;
	if (ioctl(c->fd, SIOCGIFHWADDR, &ifr) < 0)
		return err_set(e, -errno, "capture on %s: %s", c->ifname,
			       strerror(errno));
	c->link = link_type(ifr.ifr_hwaddr.sa_family);
	if (c->link < 0 || !pkt_link_supported(c->link))
		return err_set(e, -EPROTONOSUPPORT,
			       "capture on %s: hardware type %d is not decoded",
			       c->ifname, ifr.ifr_hwaddr.sa_family);
	return 0;
}

/**
 * capture_new() - a capture with nothing open yet, for capture_open() and
 * capture_reopen()
 * @out:	gets the capture
 * @ifname:	the interface
 * @snaplen:	bytes kept of each frame (<= 0: CAPTURE_SNAPLEN_DEFAULT)
 * @max_packets: frames kept at most (<= 0: no limit)
 * @e:		error detail
 *
 * Return: 0 (*@out set, its fd -1) or -errno
 */
static int capture_new(struct capture **out, const char *ifname, int snaplen,
		       int max_packets, struct err *e)
{
	struct capture *c;

	if (!ifname || strlen(ifname) >= IF_NAMESIZE)
		return err_set(e, -EINVAL, "capture: bad interface name");
	if (snaplen <= 0)
		snaplen = CAPTURE_SNAPLEN_DEFAULT;
	c = calloc(1, sizeof(*c));
	if (c)
		c->frames = malloc((size_t)CAPTURE_VLEN * (size_t)snaplen);
	if (!c || !c->frames) {
		free(c);
		return err_set(e, -ENOMEM, "capture: out of memory");
	}
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	c->snaplen = snaplen;
	c->max = max_packets > 0 ? (unsigned long)max_packets : 0;
	c->fd = -1;
	*out = c;
	return 0;
}

/**
 * capture_start() - the file, and the clock offset: what a capture needs
 * besides its socket
 * @c:		capture (link set)
 * @pcap_path:	file to write, or NULL
 * @e:		error detail
 *
 * Return: 0 or -errno
 */
static int capture_start(struct capture *c, const char *pcap_path,
			 struct err *e)
{
	struct capture_pcap_hdr h = {
		.magic = CAPTURE_PCAP_MAGIC_NS,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = (uint32_t)c->snaplen,
		/* raw IP has a number of its own in files */
		.linktype = c->link == PKT_LINK_RAW ? PKT_LINK_RAW_FILE
						    : (uint32_t)c->link,
	};

	if (pcap_path) {
		c->f = fopen(pcap_path, "we");
		if (!c->f)
			return err_set(e, -errno, "capture on %s: %s: %s",
				       c->ifname, pcap_path, strerror(errno));
		if (fwrite(&h, sizeof(h), 1, c->f) != 1)
			return err_set(e, -EIO, "capture on %s: %s: %s",
				       c->ifname, pcap_path, strerror(errno));
	}
	c->real_minus_mono = clock_offset();
	return 0;
}

/* undo capture_new() and capture_start(); the socket is the caller's */
static void capture_free(struct capture *c)
{
	if (c->f)
		fclose(c->f);
	free(c->frames);
	free(c);
}

int capture_open(struct capture **out, int nsfd, const char *ifname,
		 const char *pcap_path, int snaplen, int max_packets,
		 struct err *e)
{
	struct capture *c;
	int rc, ifindex = 0;

	*out = NULL;
	rc = capture_new(&c, ifname, snaplen, max_packets, e);
	if (rc)
		return rc;
	rc = socket_open(c, nsfd, &ifindex, e);
	if (!rc)
		rc = socket_setup(c, e);
	if (!rc)
		rc = capture_start(c, pcap_path, e);
	if (!rc)
		rc = socket_bind(c, ifindex, e);
	if (rc) {
		if (c->fd >= 0)
			close(c->fd);
		capture_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/**
 * socket_drain() - forget what a kept socket heard between two runs
 * @c:		capture being opened again (fd set)
 *
 * The frames queued since capture_detach() (a lab's teardown: the resets
 * of its aborted sockets) belong to no run; the kernel's drop counter
 * restarts at each reading.
 */
static void socket_drain(struct capture *c)
{
	struct tpacket_stats ks;
	socklen_t len = sizeof(ks);
	char frame[64];
	int n = 0;

	while (n++ < 100000 &&
	       recv(c->fd, frame, sizeof(frame), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
	(void)getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len);
}

int capture_reopen(struct capture **out, int fd, const char *ifname,
		   const char *pcap_path, int snaplen, int max_packets,
		   struct err *e)
{
	struct capture *c;
	struct ifreq ifr;
	int rc;

	*out = NULL;
	rc = capture_new(&c, ifname, snaplen, max_packets, e);
	if (rc)
		return rc;
	c->fd = fd;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->ifname);
	if (ioctl(c->fd, SIOCGIFHWADDR, &ifr) < 0) {
		rc = err_set(e, -errno, "capture on %s: %s", c->ifname,
			     strerror(errno));
		goto fail;
	}
	c->link = link_type(ifr.ifr_hwaddr.sa_family);
	rc = capture_start(c, pcap_path, e);
	if (rc)
		goto fail;
	socket_drain(c);
	*out = c;
	return 0;
fail:
	capture_free(c); /* the socket stays the caller's */
	return rc;
}

int capture_fd(const struct capture *c)
{
	return c ? c->fd : -1;
}

/**
 * stamp_mono() - a frame's time stamp on the monotonic clock
 * @c:		capture
 * @ts:		the kernel's (realtime) stamp
 *
 * Return: CLOCK_MONOTONIC ns
 */
static uint64_t stamp_mono(const struct capture *c, const struct timespec *ts)
{
	int64_t real = (int64_t)ts->tv_sec * (int64_t)NS_PER_S + ts->tv_nsec;
	int64_t mono = real - c->real_minus_mono;

	return mono > 0 ? (uint64_t)mono : 0;
}

/**
 * frame_meta() - a received frame's time stamp and length on the wire
 * @mh:		its message header (ancillary data read)
 * @ts:		gets the time stamp (now, if the kernel gave none)
 * @len:	gets the length on the wire (left as it is if unknown)
 */
static void frame_meta(struct msghdr *mh, struct timespec *ts, uint32_t *len)
{
	struct cmsghdr *cm;
	int stamped = 0;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(ts, CMSG_DATA(cm), sizeof(*ts));
			stamped = 1;
		} else if (cm->cmsg_level == SOL_PACKET &&
			   cm->cmsg_type == PACKET_AUXDATA) {
			struct tpacket_auxdata aux;

			memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
			*len = aux.tp_len;
		}
	}
	if (!stamped)
		clock_gettime(CLOCK_REALTIME, ts);
}

/**
 * frame_take() - one frame read from the socket: to the file, and to the
 * timeline if it is a TCP segment that left the node
 * @c:		capture
 * @data:	the frame (@caplen bytes of @len)
 * @caplen:	bytes captured
 * @len:	bytes on the wire
 * @ts:		kernel time stamp
 * @out:	1 if the frame left through the interface
 * @tl:		timeline
 * @node:	event node
 * @peer:	event peer
 *
 * Return: 1 if an event was appended, 0 if not, -ENOMEM
 */
static int frame_take(struct capture *c, const uint8_t *data, uint32_t caplen,
		      uint32_t len, const struct timespec *ts, int out,
		      struct timeline *tl, int node, int peer)
{
	struct tl_event ev;

	c->seen++;
	c->arrived += !out;
	if (c->max && c->stored >= c->max) {
		c->over++;
		return 0;
	}
	if (c->f) {
		struct capture_pcap_rec h = { .sec = (uint32_t)ts->tv_sec,
					      .nsec = (uint32_t)ts->tv_nsec,
					      .caplen = caplen, .len = len };

		/* a failed write shows when the file is flushed */
		if (fwrite(&h, sizeof(h), 1, c->f) == 1)
			(void)!fwrite(data, caplen, 1, c->f);
	}
	c->stored++;
	if (!out)
		return 0;
	memset(&ev, 0, sizeof(ev));
	if (pkt_decode(c->link, data, caplen, len, &ev.pkt))
		return 0; /* not TCP, or cut short: in the file only */
	ev.t_ns = stamp_mono(c, ts);
	ev.kind = TL_PACKET;
	ev.node = node;
	ev.peer = peer;
	if (timeline_add(tl, &ev))
		return -ENOMEM;
	c->events++;
	return 1;
}

/**
 * read_batch() - one recvmmsg() of up to CAPTURE_VLEN frames, taken
 * @c:		capture
 * @tl:		timeline
 * @node:	event node
 * @peer:	event peer
 * @appended:	events appended are added to it
 *
 * Return: frames read (0: none pending), or -EIO, -ENOMEM
 */
static int read_batch(struct capture *c, struct timeline *tl, int node,
		      int peer, int *appended)
{
	struct sockaddr_ll from[CAPTURE_VLEN];
	struct mmsghdr mm[CAPTURE_VLEN];
	struct iovec iov[CAPTURE_VLEN];
	int i, n;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < CAPTURE_VLEN; i++) {
		iov[i].iov_base = c->frames + (size_t)i * (size_t)c->snaplen;
		iov[i].iov_len = (size_t)c->snaplen;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &from[i];
		mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		mm[i].msg_hdr.msg_control = c->cmsg[i];
		mm[i].msg_hdr.msg_controllen = sizeof(c->cmsg[i]);
	}
	n = recvmmsg(c->fd, mm, CAPTURE_VLEN, MSG_DONTWAIT, NULL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		snprintf(c->error, sizeof(c->error), "%s: %s", c->ifname,
			 strerror(errno));
		return -EIO;
	}
	for (i = 0; i < n; i++) {
		uint32_t caplen = mm[i].msg_len, len = caplen;
		struct timespec ts;
		int r;

		if (caplen > (uint32_t)c->snaplen)
			caplen = (uint32_t)c->snaplen;
		frame_meta(&mm[i].msg_hdr, &ts, &len);
		r = frame_take(c, iov[i].iov_base, caplen, len, &ts,
			       from[i].sll_pkttype == PACKET_OUTGOING, tl, node,
			       peer);
		if (r < 0)
			return r;
		*appended += r;
	}
	return n;
}

int capture_read(struct capture *c, struct timeline *tl, int node, int peer)
{
	unsigned long wrote = c->stored;
	int appended = 0, total = 0, n;

	do {
		n = read_batch(c, tl, node, peer, &appended);
		total += n;
	} while (n == CAPTURE_VLEN && total < CAPTURE_READ_BATCH);
	if (c->f && c->stored != wrote)
		fflush(c->f);
	return n < 0 ? n : appended;
}

unsigned long capture_arrived(const struct capture *c)
{
	return c->arrived;
}

void capture_stats(struct capture *c, struct capture_stats *st)
{
	struct tpacket_stats ks;
	socklen_t len = sizeof(ks);

	/* the kernel's counters restart at each reading: add them up */
	if (!getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len))
		c->drops += ks.tp_drops;
	memset(st, 0, sizeof(*st));
	st->seen = c->seen;
	st->stored = c->stored;
	st->over = c->over;
	st->events = c->events;
	st->capped = c->max && c->stored >= c->max;
	st->kernel_drops = c->drops;
}

const char *capture_error(struct capture *c)
{
	return c->error[0] ? c->error : "no error recorded";
}

/* release a packet socket, waiting out the kernel's grace period */
static void *release_thread(void *arg)
{
	close((int)(intptr_t)arg);
	return NULL;
}

/**
 * release_later() - close @fd on a detached thread of its own
 * @fd:		a packet socket
 *
 * Closed at once if no thread can be had.
 */
static void release_later(int fd)
{
	pthread_attr_t attr;
	pthread_t t;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	if (pthread_create(&t, &attr, release_thread, (void *)(intptr_t)fd))
		close(fd);
	pthread_attr_destroy(&attr);
}

int capture_detach(struct capture *c, int *fd)
{
	int rc = 0;

	*fd = -1;
	if (!c)
		return 0;
	if (c->f) {
		if (fflush(c->f) || ferror(c->f))
			rc = -EIO;
		if (fclose(c->f))
			rc = -EIO;
	}
	*fd = c->fd;
	free(c->frames);
	free(c);
	return rc;
}

void capture_release(int fd)
{
	if (fd >= 0)
		release_later(fd);
}

int capture_close(struct capture *c)
{
	int fd, rc = capture_detach(c, &fd);

	capture_release(fd);
	return rc;
}
