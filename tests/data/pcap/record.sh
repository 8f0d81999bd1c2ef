#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# record.sh - record the pcap fixtures of tests/unit/test_pkt.c and
# tests/unit/test_ladder.c (run as root; writes into this directory).
#
# Two throwaway namespaces, tcplabcap-a (client, 198.18.0.1,
# fd00:198:18::1) and tcplabcap-b (server, .2), joined by a veth pair
# created directly inside them; tcpdump runs inside tcplabcap-a on its veth
# end, snap length 128.  Nothing is created or changed in the namespace this
# script is started from, and everything is removed on exit.
#
# After recording, the golden files derived from the captures must be
# regenerated: TCPLAB_UPDATE_GOLDEN=1 ctest -L unit, then review the diff.
set -eu

DIR=$(cd "$(dirname "$0")" && pwd)
A=tcplabcap-a
B=tcplabcap-b
PY=${PYTHON:-python3}
TCPDUMP_PID=
SERVER_PID=

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
	[ -n "$TCPDUMP_PID" ] && kill "$TCPDUMP_PID" 2>/dev/null || true
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] || { echo "record.sh: needs root" >&2; exit 1; }

ip netns add $A
ip netns add $B
ip -n $A link add veth0 address 02:00:00:00:00:01 type veth \
	peer name veth0 address 02:00:00:00:00:02 netns $B
ip -n $A addr add 198.18.0.1/24 dev veth0
ip -n $B addr add 198.18.0.2/24 dev veth0
ip -n $A addr add fd00:198:18::1/64 dev veth0 nodad
ip -n $B addr add fd00:198:18::2/64 dev veth0 nodad
ip -n $A link set lo up
ip -n $B link set lo up
ip -n $A link set veth0 up
ip -n $B link set veth0 up
# the SYN-drop capture gives up after two retries (SYNs at 0, 1 s, 3 s);
# since Linux 6.5 the first tcp_syn_linear_timeouts (default 4) retries
# come every second instead of backing off: turn that off
ip netns exec $A sysctl -qw net.ipv4.tcp_syn_retries=2
if [ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]; then
	ip netns exec $A sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0
fi

# capture NAME: start tcpdump inside $A, return once it listens
capture() {
	rm -f "$DIR/$1.pcap" "$DIR/.tcpdump.err"
	ip netns exec $A tcpdump -n -U --immediate-mode -s 128 -i veth0 -w "$DIR/$1.pcap" tcp \
		2>"$DIR/.tcpdump.err" &
	TCPDUMP_PID=$!
	for _ in $(seq 100); do
		grep -q "listening on" "$DIR/.tcpdump.err" && return 0
		sleep 0.05
	done
	echo "record.sh: tcpdump did not start" >&2
	exit 1
}

# stop: let the last packets land, then stop tcpdump
stop() {
	sleep 0.3
	kill -INT "$TCPDUMP_PID"
	wait "$TCPDUMP_PID" || true
	TCPDUMP_PID=
	rm -f "$DIR/.tcpdump.err"
}

# server FAMILY ADDR PORT MODE: a one-connection server inside $B
#  echo:  read a request, answer "world\n", read EOF, close
#  abort: read a request, then close with SO_LINGER 0 (RST)
server() {
	ip netns exec $B $PY -c '
import socket, struct, sys
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2], int(sys.argv[3])))
s.listen(1)
open(sys.argv[5], "w").close()
c, _ = s.accept()
c.recv(100)
if sys.argv[4] == "abort":
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    sys.exit(0)
c.sendall(b"world\n")
while c.recv(100):
    pass
c.close()
' "$1" "$2" "$3" "$4" "$DIR/.ready" &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[ -e "$DIR/.ready" ] && { rm -f "$DIR/.ready"; return 0; }
		sleep 0.05
	done
	echo "record.sh: server did not start" >&2
	exit 1
}

# client FAMILY ADDR PORT SPORT MODE: one connection from $A
#  echo:  send "hello\n", read the answer, close, wait for the peer's FIN
#  wait:  send "hello\n", read until the peer resets or closes
#  syn:   connect only (it is expected to fail)
client() {
	ip netns exec $A $PY -c '
import socket, sys
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", int(sys.argv[4])))
try:
    s.connect((sys.argv[2], int(sys.argv[3])))
except OSError as e:
    print("connect:", e.strerror)
    sys.exit(0)
s.sendall(b"hello\n")
try:
    print("got", s.recv(100))
except OSError as e:
    print("recv:", e.strerror)
s.close()
' "$1" "$2" "$3" "$4"
}

# 1. IPv4 handshake, a request and an answer, orderly close
capture handshake-data-close
server 4 198.18.0.2 80 echo
client 4 198.18.0.2 80 40312
wait "$SERVER_PID"; SERVER_PID=
stop

# 2. the same over IPv6
capture ipv6
server 6 fd00:198:18::2 80 echo
client 6 fd00:198:18::2 80 40314
wait "$SERVER_PID"; SERVER_PID=
stop

# 3. the server's firewall drops every SYN to port 80: the client sends
#    its SYN three times (0, 1 s, 3 s) and gives up with ETIMEDOUT at 7 s
ip netns exec $B nft -f - <<NFT
table inet tcplabcap {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 80 tcp flags & (fin|syn|rst|ack) == syn drop
	}
}
NFT
capture syn-drop
client 4 198.18.0.2 80 40316
stop
ip netns exec $B nft delete table inet tcplabcap

# 4. resets: a SYN to port 81 where nobody listens (RST/ACK), then a
#    connection the server aborts with SO_LINGER 0 after the request
capture rst
client 4 198.18.0.2 81 40318
server 4 198.18.0.2 80 abort
client 4 198.18.0.2 80 40320
wait "$SERVER_PID"; SERVER_PID=
stop

ls -l "$DIR"/*.pcap
