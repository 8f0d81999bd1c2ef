#!/bin/sh
# Retransmission times follow the connection's round trip.  A schedule is
# written for a lab's round trip near 0 (425 ms, 850 ms, 1.65 s); the RTO
# is the smoothed round trip plus at least 200 ms, so on a slow path (here
# the SYN-ACK held 86 ms, as a loaded emulator does) every timeout comes
# later by about srtt per 200 ms.  The same schedule must still hold, with
# the times seen printed; and a round trip that big must not excuse a
# retransmission that came far too late (the failure names the round trip).
. "$(dirname "$0")/lib.sh"

# $1: name, $2: SYN-ACK delay, $3: the retransmission times expected
scen() {
	cat >"$TMP/$1.tcp" <<SC
scenario $1
title    "unacknowledged data on a path of a long round trip"
family   4
impair   server->client flags SYN,ACK delay $2
server   listen 80
client   connect server 80
server   accept within 500ms
client   sockopt user-timeout=2500ms
firewall server input tcp dport 80 drop
client   send 1000
expect   client retransmits at $3 port 80
expect   packets client>server flags PSH,ACK at 0s,210ms,$3
expect   client error ETIMEDOUT within 1500ms
SC
}

scen slow 86ms 425ms,850ms,1650ms
"$TCPLAB" run -F nftables "$TMP/slow.tcp" >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "the schedule on a 86 ms round trip"; }
grep -q "retransmissions at .*, 2\.[0-9]*s after client send" "$TMP/out" ||
	{ cat "$TMP/out"; fail "the third timeout did not come late (no round trip?)"; }
ok "a round trip of 86 ms: the third timeout later than 2 s, the schedule holds"

# a time far beyond what the round trip explains still fails, and says why
scen wrong 86ms 300ms,850ms,1650ms
"$TCPLAB" run -F nftables "$TMP/wrong.tcp" >"$TMP/out" 2>&1 && { cat "$TMP/out"; fail "300 ms taken for a timeout at about 620 ms"; }
grep -q "retransmission 1 came at .*later by up to .* for the round trip of" "$TMP/out" ||
	{ cat "$TMP/out"; fail "the failure does not name the round trip"; }
ok "a wrong time still fails, naming the round trip's share"
