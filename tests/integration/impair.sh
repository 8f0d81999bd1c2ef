#!/bin/sh
# Impairments through NFQUEUE: the seeded losses are the same segments run
# after run and family after family, and the results record the mechanism;
# a duplicate crosses the wire twice (tcpdump reads it from the capture);
# a rate spaces the segments as a link of that speed would (their ACKs
# leave the server 104 ms apart at 80 kbit/s for 1040-byte packets).
. "$(dirname "$0")/lib.sh"

# the same losses every run, in both families, on both backends
for fw in nftables iptables; do
	for f in 4 6; do
		for run in 1 2; do
			"$TCPLAB" run -C -f $f --firewall $fw seeded-loss >"$TMP/out" 2>&1 ||
				{ cat "$TMP/out"; fail "seeded-loss IPv$f $fw run $run"; }
			grep -o 'lost [A-Z,]* from [^ ]* (segment [0-9]*' "$TMP/out" |
				sed 's/from [^ ]* //' >"$TMP/lost.$fw.$f.$run"
		done
		cmp -s "$TMP/lost.$fw.$f.1" "$TMP/lost.$fw.$f.2" ||
			{ cat "$TMP/lost.$fw.$f."*; fail "IPv$f $fw: the losses differ between two runs"; }
		[ "$(sed 's/.*segment //' "$TMP/lost.$fw.$f.1" | tr '\n' ' ')" = "2 5 " ] ||
			{ cat "$TMP/lost.$fw.$f.1"; fail "IPv$f $fw: not segments 2 and 5 lost"; }
		[ "$(grep -c 'lost by impair 1 at seeded-loss.tcp' "$TMP/out")" = 2 ] ||
			{ cat "$TMP/out"; fail "IPv$f $fw: the ladder does not show the two losses as the impairment's"; }
	done
done
ok "seed 13 loses segments 2 and 5 in every run, both families, both backends"

# the results say how: nfqueue, and what it did
"$TCPLAB" check -f 4 --json "$TMP/r.json" seeded-loss >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "check seeded-loss"; }
python3 - "$TMP/r.json" <<'P' || fail "results JSON: no nfqueue mechanism or impair counts"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["rules"][0]
assert r["mechanism"] == "nfqueue", r
assert r["impair"]["lost"] == 2 and r["impair"]["seed"] == 13, r
assert r["impair"]["packets"] >= 12, r
assert "queue num 1 bypass" in r["nft"], r
P
ok "results JSON: mechanism nfqueue, 2 lost, seed 13"

# a duplicate is on the wire twice: the sender's capture, read by tcpdump
if command -v tcpdump >/dev/null 2>&1; then
	"$TCPLAB" run -f 4 -c "$TMP/cap" duplicate-segment >"$TMP/out" 2>&1 ||
		{ cat "$TMP/out"; fail "duplicate-segment"; }
	pcap=$(find "$TMP/cap" -name 'duplicate-segment-ipv4-client.pcap' | head -1)
	[ -n "$pcap" ] || fail "no client capture"
	n=$(tcpdump -nr "$pcap" 'tcp[tcpflags] & tcp-push != 0' 2>/dev/null |
		grep -c 'length 1000')
	[ "$n" = 2 ] || { tcpdump -nr "$pcap" 2>/dev/null; fail "tcpdump saw $n copies of the data segment, not 2"; }
	grep -q '(duplicate)' "$TMP/out" && ! grep -q '(retransmit)' "$TMP/out" ||
		{ cat "$TMP/out"; fail "the ladder does not draw the copy as a duplicate"; }
	ok "duplicate: tcpdump sees the data segment twice in the client's capture, the ladder draws the copy as a duplicate"
fi

# a rate: three 1040-byte packets at 80 kbit/s, 104 ms each on the link
mkdir -p "$TMP/s"
cat >"$TMP/s/slow.tcp" <<'T'
scenario slow
title "A slow link"
family   4
sysctl   client net.ipv4.tcp_early_retrans=0
server   listen 80
client   connect server 80 with maxseg=1000
server   accept within 50ms
impair   client->server dport 80 rate 80kbit
client   send 2964
expect   packets server>client flags ACK at 104ms,208ms,312ms within 600ms
expect   server socket bytes-received == 2964 port 80
T
"$TCPLAB" run -C "$TMP/s/slow.tcp" >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "rate 80kbit: the ACKs were not 104 ms apart"; }
ok "rate 80kbit: segments delivered 104 ms apart"

# "expect NODE received ... within D": the program reads on until it holds -
# text 60 ms on its way, bytes that a rate lets by one segment at a time
cat >"$TMP/s/late.tcp" <<'T'
scenario late
title "Text and bytes that arrive late"
family   4
server   listen 80
client   connect server 80 with maxseg=1000
server   accept within 50ms as sc
impair   client->server dport 80 delay 60ms
client   send "hello"
expect   sc received "hello" within 400ms
firewall server flush
impair   client->server dport 80 rate 80kbit
client   send 2964
expect   sc received bytes == 2969 within 1s
T
"$TCPLAB" run -C "$TMP/s/late.tcp" >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "received within: not read as it arrived"; }
grep -q 'received byte count confirmed' "$TMP/out" || { cat "$TMP/out"; fail "received bytes within"; }
# without "within" it is what was read so far: nothing yet
sed -i 's/received "hello" within 400ms/received "hello"/' "$TMP/s/late.tcp"
"$TCPLAB" run -C "$TMP/s/late.tcp" >"$TMP/out" 2>&1 &&
	{ cat "$TMP/out"; fail "received without within waited for the text"; }
grep -q 'expected server sc to have read "hello" (5 bytes), it read 0 bytes' "$TMP/out" ||
	{ cat "$TMP/out"; fail "received without within: not the failure expected"; }
ok "received within: text read as it arrives 60 ms late, bytes across several segments; without within, what was read so far (nothing yet)"

# "reorder" and nothing after: the held segment goes alone when its time
# is up ("after 40ms"; 100 ms by default), never kept for ever
cat >"$TMP/s/alone.tcp" <<'T'
scenario alone
title "A segment held for reordering, and no next one"
family   4
server   listen 80
client   connect server 80
server   accept within 50ms as sc
impair   client->server dport 80 reorder after 40ms
client   send "one"
expect   sc received "one" within 400ms
firewall server flush
impair   client->server dport 80 reorder
client   send "two"
expect   sc received "onetwo" within 400ms
expect   client socket total-retrans == 0 port 80
T
"$TCPLAB" run -C -p "$TMP/s/alone.tcp" >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "reorder: a lone segment held was not let go"; }
[ "$(grep -c 'let go alone (no next segment in time)' "$TMP/out")" = 2 ] ||
	{ cat "$TMP/out"; fail "reorder: the run does not say the segments went alone"; }
# as captured: each segment left the client, then the server's ACK of it
# (it can only acknowledge what it was given) no sooner than D later
at() { grep -E "$1" "$TMP/out" | head -1 | awk '{print $1 * 1000}'; }
s1=$(at 'Flags \[P\.\], seq 1:4,'); a1=$(at 'Flags \[\.\], ack 4,')
s2=$(at 'Flags \[P\.\], seq 4:7,'); a2=$(at 'Flags \[\.\], ack 7,')
awk -v a="$s1" -v b="$a1" -v c="$s2" -v d="$a2" \
	'BEGIN { exit !(a != "" && d != "" && b - a >= 40 && d - c >= 100) }' ||
	{ cat "$TMP/out"; fail "reorder: held $s1->$a1 ms (after 40ms), $s2->$a2 ms (default 100 ms)"; }
ok "reorder: a lone segment goes alone after 40 ms ($s1 -> $a1 ms), after 100 ms by default ($s2 -> $a2 ms)"

# reordering and delay are in the catalogue (reordered-segment, delayed-path)
for s in delayed-path reordered-segment; do
	"$TCPLAB" run -C -f 6 --firewall iptables $s >"$TMP/out" 2>&1 ||
		{ cat "$TMP/out"; fail "$s IPv6 iptables"; }
done
ok "delay and reorder: IPv6 on iptables"
