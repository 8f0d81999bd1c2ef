#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# record.py - re-record the netlink answers of tests/unit/kernel/test_netlink.c
#
# Usage (as root): unshare -n tests/data/netlink/record.py
#
# Run it in a throw-away network namespace (unshare -n): it adds an address
# to the namespace's loopback device.  Each answer the kernel gives is
# written as a hex dump, 16 bytes a line, exactly as recv() returned it:
#
#   refused-uncapped.hex  RTM_NEWADDR with prefix length 40, extended ACKs
#                         on: NLMSG_ERROR -EINVAL, the request's payload,
#                         then NLMSGERR_ATTR_MSG (sequence number 7)
#   refused-capped.hex    the same with capped ACKs: no payload (seq 7)
#   ack.hex               a good RTM_NEWADDR, capped: error 0 (seq 8)
#   link-dump.hex         an RTM_GETLINK dump, every datagram up to the one
#                         holding NLMSG_DONE (seq 9)
import os
import socket
import struct

SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
RTM_GETLINK = 18
RTM_NEWADDR = 20
NLMSG_DONE = 3
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLM_F_EXCL, NLM_F_CREATE, NLM_F_DUMP = 0x200, 0x400, 0x300
DIR = os.path.dirname(os.path.abspath(__file__))


def nl_socket(capped):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    if capped:
        s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    s.bind((0, 0))
    return s


def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


def msg(kind, flags, seq, body):
    return struct.pack("IHHII", 16 + len(body), kind, flags, seq, 0) + body


def newaddr(seq, plen):
    a = bytes([198, 18, 0, 1])
    body = struct.pack("BBBBI", socket.AF_INET, plen, 0, 0, 1)  # lo
    body += attr(2, a) + attr(1, a)  # IFA_LOCAL, IFA_ADDRESS
    return msg(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
               NLM_F_EXCL, seq, body)


def has_done(d):
    off = 0
    while off + 16 <= len(d):
        n, kind = struct.unpack_from("IH", d, off)
        if kind == NLMSG_DONE:
            return True
        off += (n + 3) & ~3
    return False


def save(name, data):
    with open(os.path.join(DIR, name), "w") as f:
        for i in range(0, len(data), 16):
            f.write(data[i:i + 16].hex() + "\n")


def main():
    for capped, name in ((False, "refused-uncapped.hex"),
                         (True, "refused-capped.hex")):
        s = nl_socket(capped)
        s.send(newaddr(7, 40))
        save(name, s.recv(65536))
    s = nl_socket(True)
    s.send(newaddr(8, 24))
    save("ack.hex", s.recv(65536))
    s = nl_socket(True)
    s.send(msg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 9,
               struct.pack("BBHiII", 0, 0, 0, 0, 0, 0)))
    out = b""
    while True:
        d = s.recv(65536)
        out += d
        if has_done(d):
            break
    save("link-dump.hex", out)


main()
