#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# record.sh - re-record the sock_diag fixtures of tests/unit/test_diag.c
#
# Usage (as root): tests/data/diag/record.sh [FIXTURE...]
#
# Each fixture is made in a throw-away network namespace of its own, named
# tcplabfix<PID>, with only the loopback device up.  A small python3 script
# run inside it builds the sockets, waits (polling, with a deadline) until
# the kernel shows the states wanted, and then runs
#
#     ss -t -a -i -m -D FILE
#
# which writes the raw netlink replies of the inet_diag dump (AF_INET, then
# AF_INET6, each ending in NLMSG_DONE).  -i and -m make ss ask for tcp_info,
# the congestion control name and the memory attributes, so that the decoder
# meets attributes it must skip as well as those it reads.  Firewall rules
# (nft) are only ever added inside that namespace.  The namespace is deleted
# on exit, which also frees its sockets, TIME_WAIT ones included.
#
# After re-recording, regenerate the golden files:
#     TCPLAB_UPDATE_GOLDEN=1 build/tests/test_diag
# and review the diff.
set -eu

DIR=$(cd "$(dirname "$0")" && pwd)
NS=
ALL="v4-established v6-established time-wait syn-recv close-wait"

if [ "$(id -u)" != 0 ]; then
	echo "record.sh: must run as root (creates network namespaces)" >&2
	exit 3
fi

cleanup() {
	if [ -n "$NS" ]; then
		ip netns del "$NS" 2>/dev/null || true
		NS=
	fi
}
trap cleanup EXIT INT TERM

# ns_new - create this fixture's namespace, loopback up
ns_new() {
	NS=tcplabfix$$
	ip netns add "$NS"
	ip -n "$NS" link set lo up
}

# scenario NAME - build the sockets of NAME in $NS and record DIR/NAME.raw
scenario() {
	ip netns exec "$NS" python3 - "$1" "$DIR/$1.raw" <<'PY'
import socket, subprocess, sys, time

name, out = sys.argv[1], sys.argv[2]
keep = []

def wait_ss(state, count=1, extra=(), deadline=5.0):
    """poll `ss` until @count sockets are in @state (ss state name)"""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        r = subprocess.run(["ss", "-tanH", "state", state] + list(extra),
                           capture_output=True, text=True, check=True)
        if len(r.stdout.splitlines()) >= count:
            return
        time.sleep(0.01)
    sys.exit("%s: timed out waiting for %d %s socket(s)" % (name, count, state))

def listener(fam, addr, port):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    s.listen(16)
    keep.append(s)
    return s

def client(fam, addr, port, dport, block=True):
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((addr, port))
    if block:
        c.connect((addr, dport))
    else:
        c.setblocking(False)
        c.connect_ex((addr, dport))
    keep.append(c)
    return c

def accept(l):
    a, _ = l.accept()
    keep.append(a)
    return a

if name == "v4-established" or name == "v6-established":
    fam = socket.AF_INET if name[1] == "4" else socket.AF_INET6
    lo = "127.0.0.1" if fam == socket.AF_INET else "::1"
    l = listener(fam, lo, 8080)
    c = client(fam, lo, 40000, 8080)
    a = accept(l)
    c.sendall(b"hello")          # left unread: server Recv-Q 5
    wait_ss("established", 2)
elif name == "time-wait":
    l = listener(socket.AF_INET, "127.0.0.1", 8080)
    c = client(socket.AF_INET, "127.0.0.1", 40000, 8080)
    a = accept(l)
    c.close()                    # active close: the client ends in TIME_WAIT
    assert a.recv(16) == b""
    a.close()
    wait_ss("time-wait", 1)
elif name == "syn-recv":
    # drop the client's final ACK of the handshake to 8080, and every SYN to
    # 8081 (nobody listens there anyway)
    subprocess.run(["nft", "-f", "-"], check=True, text=True, input="""
table inet tcplabfix {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport 8080 tcp flags & (fin|syn|rst|ack) == ack drop
        tcp dport 8081 tcp flags & (fin|syn|rst|ack) == syn drop
    }
}
""")
    l = listener(socket.AF_INET, "127.0.0.1", 8080)
    c = client(socket.AF_INET, "127.0.0.1", 40000, 8080, block=False)
    d = client(socket.AF_INET, "127.0.0.1", 40001, 8081, block=False)
    wait_ss("syn-recv", 1)
    wait_ss("syn-sent", 1)
    wait_ss("established", 1)
elif name == "close-wait":
    l = listener(socket.AF_INET, "127.0.0.1", 8080)
    c1 = client(socket.AF_INET, "127.0.0.1", 40000, 8080)
    a1 = accept(l)
    c2 = client(socket.AF_INET, "127.0.0.1", 40001, 8080)
    a2 = accept(l)
    c1.shutdown(socket.SHUT_WR)  # c1: FIN_WAIT2, still a full socket
    keep.remove(c2)
    c2.close()                   # c2: orphaned, FIN_WAIT2 as a timewait socket
    wait_ss("close-wait", 2)
    wait_ss("fin-wait-2", 2)
else:
    sys.exit("unknown fixture " + name)

subprocess.run(["ss", "-t", "-a", "-i", "-m", "-D", out], check=True,
               stderr=subprocess.DEVNULL)
subprocess.run(["ss", "-tanoeiH"], check=True, stderr=subprocess.DEVNULL)
PY
}

for f in ${@:-$ALL}; do
	echo "== $f"
	ns_new
	scenario "$f"
	cleanup
done
