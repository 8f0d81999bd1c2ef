#!/bin/sh
# Captures: the pcap of a SYN_SENT run holds the first SYN and its
# retransmission (read back by tcpdump, an independent witness), the
# ladder shows them with the drops and states, and --packets prints them.
. "$(dirname "$0")/lib.sh"
command -v tcpdump >/dev/null || skip "tcpdump is needed as a witness"

cat >"$TMP/synre.tcp" <<'T'
scenario synre
title "a SYN and its retransmission, dropped"
sysctl   client net.ipv4.tcp_syn_linear_timeouts=0 if-present
server   listen 80
firewall server input tcp dport 80 flags SYN drop
client   connect server 80
expect   client state SYN_SENT port 80 within 50ms
expect   packets client>server flags SYN count>=2 within 1500ms
expect   drops server count>=2 within 100ms
T
"$TCPLAB" run --captures "$TMP/cap" --packets "$TMP/synre.tcp" >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "the capture scenario failed"; }
pcap=$(ls "$TMP"/cap/*/synre-ipv4-client.pcap) || fail "no pcap saved for the client"
n=$(tcpdump -nn -r "$pcap" 'tcp[tcpflags] & tcp-syn != 0 and dst port 80' 2>/dev/null | wc -l)
[ "$n" -ge 2 ] || { tcpdump -nn -r "$pcap"; fail "tcpdump sees $n SYNs in $pcap, want >= 2"; }
ok "tcpdump reads $n SYNs (first and retransmitted) from the saved pcap"
grep -q 'server  input dropped SYN from 198.18.0.1:[0-9]* - rule at synre.tcp:5' "$TMP/out" ||
	{ cat "$TMP/out"; fail "drop not attributed to its rule"; }
ok "drops attributed to the rule at synre.tcp:5"
grep -Eq '\|-+ SYN seq 0 -+X' "$TMP/out" ||
	{ cat "$TMP/out"; fail "no SYN arrow ending where it was dropped in the ladder"; }
grep -q 'dropped by rule' "$TMP/out" || { cat "$TMP/out"; fail "no drop in the ladder"; }
ok "ladder shows the SYNs and where they died"
grep -Eq '198\.18\.0\.1\.[0-9]+ > 198\.18\.0\.2\.80: Flags \[S\], seq 0' "$TMP/out" ||
	{ cat "$TMP/out"; fail "no tcpdump-style packet line"; }
ok "--packets prints tcpdump-style lines"

# Completeness: a whole connection with data both ways and a close on both
# sides.  Every segment crosses the veth, so tcpdump reads each one in both
# ends' pcaps, and tcplab prints each one once (where it left its sender).
cat >"$TMP/whole.tcp" <<'T'
scenario whole
title "a whole connection: handshake, data both ways, close on both sides"
server   listen 80
client   connect server 80
server   accept within 1s
client   send 3000
server   recv within 1s
server   send 500
client   recv within 1s
client   close
expect   server eof within 1s
server   close
expect   client state TIME_WAIT port 80 within 1s
T
"$TCPLAB" run --captures "$TMP/cap2" --packets "$TMP/whole.tcp" >"$TMP/out2" 2>&1 ||
	{ cat "$TMP/out2"; fail "the whole-connection scenario failed"; }
# "A.port > B.port: Flags [X]" of every segment, sorted
segs() { sed -n 's/.*\(198\.18\.[0-9.]* > 198\.18\.[0-9.]*: Flags \[[^]]*\]\).*/\1/p' | sort; }
for side in client server; do
	pcap=$(ls "$TMP"/cap2/*/whole-ipv4-$side.pcap) || fail "no pcap saved for the $side"
	tcpdump -nn -r "$pcap" tcp 2>/dev/null | segs >"$TMP/$side.segs"
done
grep -E '^ +[0-9.]+ 198\.18\.' "$TMP/out2" | segs >"$TMP/printed.segs"
n=$(wc -l <"$TMP/printed.segs")
[ "$n" -ge 9 ] || { cat "$TMP/out2"; fail "only $n segments printed for a whole connection"; }
for side in client server; do
	cmp -s "$TMP/$side.segs" "$TMP/printed.segs" || {
		diff "$TMP/$side.segs" "$TMP/printed.segs"
		fail "tcpdump reads other segments in the $side pcap than tcplab printed"
	}
done
ok "tcpdump reads the same $n segments in both ends' pcaps as tcplab printed"
