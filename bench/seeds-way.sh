#!/bin/bash
# The four core states reproduced the way hand-made labs do it, with ip, nft,
# ncat and ss in a script - the baseline tcplab is compared with.  Uses its
# own namespaces (tcplab-seed-*) and removes them; run as root.
set -u
C=tcplab-seed-c S=tcplab-seed-s
cleanup() {
	[ -n "${LPID:-}" ] && kill "$LPID" 2>/dev/null
	[ -n "${CPID:-}" ] && kill "$CPID" 2>/dev/null
	ip netns del $C 2>/dev/null
	ip netns del $S 2>/dev/null
	LPID= CPID=
}
trap 'cleanup; rm -f $HOLD' EXIT
wait_state() { # ns state
	for _ in $(seq 1 300); do
		ip netns exec "$1" ss -Htan state "$2" | grep -q . && return 0
		sleep 0.001
	done
	echo "no $2 in $1" >&2
	return 1
}
lab() {
	ip netns add $C && ip netns add $S
	ip -n $C link add veth-c type veth peer name veth-s netns $S
	ip -n $C addr add 198.18.0.1/24 dev veth-c
	ip -n $S addr add 198.18.0.2/24 dev veth-s
	ip -n $C link set lo up; ip -n $C link set veth-c up
	ip -n $S link set lo up; ip -n $S link set veth-s up
	ip netns exec $S nft add table inet t
	ip netns exec $S nft add chain inet t in '{ type filter hook input priority 0; }'
	ip netns exec $C nft add table inet t
	ip netns exec $C nft add chain inet t in '{ type filter hook input priority 0; }'
}
# stdin of the servers: a fifo held open, so they never see EOF on it
HOLD=/tmp/tcplab-seed-hold.$$
mkfifo $HOLD
exec 7<>$HOLD
listen() { ip netns exec $S ncat -l -k 80 >/dev/null <$HOLD & LPID=$!; wait_state $S listening; }
connect() { ip netns exec $C ncat "$@" 198.18.0.2 80 </dev/null >/dev/null 2>&1 & CPID=$!; }

# syn-sent
lab; listen
ip netns exec $S nft add rule inet t in tcp dport 80 tcp flags syn drop
connect; wait_state $C syn-sent; cleanup
# syn-recv
lab; listen
ip netns exec $C nft add rule inet t in tcp sport 80 tcp flags '& (syn|ack) == syn|ack' drop
connect; wait_state $S syn-recv; cleanup
# fin-wait-1: connect, then drop everything at the server, then close
lab; listen
mkfifo /tmp/tcplab-seed-fifo.$$
exec 9<>/tmp/tcplab-seed-fifo.$$
ip netns exec $C ncat 198.18.0.2 80 </tmp/tcplab-seed-fifo.$$ >/dev/null 2>&1 9>&- & CPID=$!
wait_state $C established
ip netns exec $S nft add rule inet t in tcp dport 80 drop
exec 9>&-
wait_state $C fin-wait-1; rm -f /tmp/tcplab-seed-fifo.$$; cleanup
# close-wait: a server that never reads nor closes (it only waits to send),
# a client that closes
lab
mkfifo /tmp/tcplab-seed-fifo.$$
exec 8<>/tmp/tcplab-seed-fifo.$$
ip netns exec $S ncat -l 80 --send-only </tmp/tcplab-seed-fifo.$$ >/dev/null & LPID=$!
wait_state $S listening
connect --send-only
wait_state $S close-wait
exec 8>&-
rm -f /tmp/tcplab-seed-fifo.$$; cleanup
