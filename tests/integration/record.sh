#!/bin/sh
# `record NODE counter NAME`: a counter the scenario says matters goes into
# the baseline as behaviour.  The same handshake with the server's
# tcp_syncookies at 1 (cookies only when the SYN queue overflows) and at 2
# (a cookie for every SYN) moves TcpExtSyncookiesSent by 0 and by 1: with
# the counter recorded that is drift, reported with both values (exit 1);
# without the record line the same change is only a note (exit 0).
. "$(dirname "$0")/lib.sh"

# $1: directory, $2: tcp_syncookies, $3: the record line (or nothing)
scen() {
	mkdir -p "$1"
	cat >"$1/rec.tcp" <<SC
scenario rec
title    "a handshake, with its SYN cookies recorded"
family   4
sysctl   server net.ipv4.tcp_syncookies=$2
$3
server   listen 80
client   connect server 80
expect   client state ESTABLISHED port 80 within 1s
SC
}

line='record server counter TcpExtSyncookiesSent'
scen "$TMP/base" 1 "$line"
scen "$TMP/now" 2 "$line"
"$TCPLAB" check -F nftables --json "$TMP/base.json" "$TMP/base/rec.tcp" \
	>"$TMP/ktap" 2>"$TMP/err" || { cat "$TMP/ktap" "$TMP/err"; fail "the baseline's run failed"; }
python3 - "$TMP/base.json" <<'P' || fail "the baseline lacks the record"
import json, sys
r = json.load(open(sys.argv[1]))['runs'][0]['records']
assert r == [{'node': 'server', 'kind': 'counter', 'name': 'TcpExtSyncookiesSent',
              'loc': r[0]['loc'], 'delta': 0}], r
P
ok "baseline recorded: server counter TcpExtSyncookiesSent +0 in its records"

# the same scenario again: no drift
"$TCPLAB" check -F nftables --baseline "$TMP/base.json" "$TMP/base/rec.tcp" \
	>"$TMP/ktap" 2>"$TMP/err" || { cat "$TMP/ktap" "$TMP/err"; fail "the same run drifted"; }
ok "the same run again: no drift"

# recorded, and the kernel now sends a cookie: drift with both values
"$TCPLAB" check -F nftables --baseline "$TMP/base.json" "$TMP/now/rec.tcp" \
	>"$TMP/ktap" 2>"$TMP/err"
rc=$?
cat "$TMP/err"
[ $rc = 1 ] || fail "a recorded counter that changed: exit $rc, want 1"
grep -qx 'rec IPv4 nftables: server counter TcpExtSyncookiesSent (recorded): +1, the baseline +0' \
	"$TMP/err" || fail "the recorded counter's drift is not reported with both values"
ok "recorded counter +0 -> +1: drift, exit 1"

# not recorded: the same change is a note, no drift
scen "$TMP/base2" 1 ""
scen "$TMP/now2" 2 ""
"$TCPLAB" check -F nftables --json "$TMP/base2.json" "$TMP/base2/rec.tcp" \
	>"$TMP/ktap" 2>"$TMP/err" || { cat "$TMP/ktap" "$TMP/err"; fail "the second baseline's run failed"; }
"$TCPLAB" check -F nftables --json "$TMP/now2.json" --baseline "$TMP/base2.json" \
	"$TMP/now2/rec.tcp" >"$TMP/ktap" 2>"$TMP/err"
rc=$?
[ $rc = 0 ] || { cat "$TMP/ktap" "$TMP/err"; fail "an unrecorded counter that changed: exit $rc, want 0"; }
grep -q 'no difference from the baseline' "$TMP/err" || { cat "$TMP/err"; fail "no verdict on the baseline"; }
# the witness: the counter did move, unrecorded
python3 - "$TMP/now2.json" <<'P' || fail "TcpExtSyncookiesSent did not move by 1 unrecorded"
import json, sys
c = json.load(open(sys.argv[1]))['runs'][0]['counters']
assert {'node': 'server', 'name': 'TcpExtSyncookiesSent', 'delta': 1} in c, c
P
ok "the same change unrecorded: no drift, exit 0"
