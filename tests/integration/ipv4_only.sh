#!/bin/sh
# An IPv4 lab sends no IPv6 at all: no router solicitation, no neighbour
# solicitation for duplicate address detection, no MLD report (the kernel's
# own Ip6Out counters of each node, read inside the lab, stay at 0 over
# 1.5 s - before, each node sent 5 or 6 such packets).
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/s"
cat >"$TMP/s/v4only.tcp" <<'T'
scenario v4only
title "An IPv4 lab sends no IPv6 at all"
family   4
topology client router server
server   listen 80
client   connect server 80
server   accept
wait     1500ms
expect   client counter Ip6OutRequests == 0
expect   router counter Ip6OutRequests == 0
expect   server counter Ip6OutRequests == 0
expect   client counter Ip6OutOctets == 0
expect   router counter Ip6OutOctets == 0
expect   server counter Ip6OutOctets == 0
T
"$TCPLAB" run "$TMP/s/v4only.tcp" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "an IPv4 lab sent IPv6 packets"; }
ok "IPv4 lab (client, router, server): no IPv6 packet sent over 1.5 s"

# and an IPv6 lab still has its IPv6
"$TCPLAB" run -q -f 6 syn-sent >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "IPv6 run failed"; }
ok "IPv6 labs unchanged"
