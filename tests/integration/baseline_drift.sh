#!/bin/sh
# A baseline compares behaviour, not luck: three runs of the same kernel
# under two busy loops show no drift from a recorded baseline (the states
# that last microseconds and the counters the scheduler moves are notes,
# not drift), while a real difference - the SYN schedule with
# tcp_syn_linear_timeouts at the kernel's default instead of 0 - is always
# reported, with the schedule before and after.  The runs under load take
# --slow auto: their windows follow the speed measured at their start, as
# on any loaded CI machine.
. "$(dirname "$0")/lib.sh"

set -- close-wait closed closing established fin-wait-1 fin-wait-2 last-ack \
	rst-after-restart rst-refused syn-flood syn-recv time-wait syn-retries
"$TCPLAB" check --firewall all --json "$TMP/base.json" "$@" >"$TMP/ktap" 2>"$TMP/err" ||
	{ cat "$TMP/ktap" "$TMP/err"; fail "the baseline's run failed"; }
ok "baseline recorded: $(tail -1 "$TMP/ktap")"

# two busy loops, ours, ended by PID
busy() { while :; do :; done; }
busy & b1=$!
busy & b2=$!
trap 'kill $b1 $b2 2>/dev/null; rm -rf "$TMP"' EXIT
for i in 1 2 3; do
	"$TCPLAB" check --slow auto --firewall all --baseline "$TMP/base.json" "$@" \
		>"$TMP/ktap" 2>"$TMP/err"
	rc=$?
	[ $rc = 0 ] || { cat "$TMP/ktap" "$TMP/err"; fail "run $i under load: exit $rc (drift or failure)"; }
	grep -q 'no difference from the baseline' "$TMP/err" || { cat "$TMP/err"; fail "run $i: no verdict on the baseline"; }
	ok "run $i under two busy loops: $(tail -1 "$TMP/ktap"), no drift"
done
kill $b1 $b2 2>/dev/null

# the planted difference: linear SYN timeouts (Linux 6.11+; older kernels
# lack the key, and the same difference is planted in the baseline instead)
if [ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]; then
	mkdir "$TMP/sc"
	sed 's/tcp_syn_linear_timeouts=0 if-present/tcp_syn_linear_timeouts=4/' \
		"$SRC/scenarios/syn-retries.tcp" >"$TMP/sc/syn-retries.tcp"
	grep -q 'tcp_syn_linear_timeouts=4$' "$TMP/sc/syn-retries.tcp" || fail "the plant did not take"
	"$TCPLAB" check -f 4 --baseline "$TMP/base.json" "$TMP/sc/syn-retries.tcp" \
		>"$TMP/ktap" 2>"$TMP/err"
	rc=$?
	cat "$TMP/err"
	[ $rc = 1 ] || fail "linear SYN timeouts: exit $rc, want 1"
	grep -Eq '^syn-retries IPv4 nftables: client retransmissions: 2 at 1\.0[0-9]*s,2\.0[0-9]*s, the baseline 2 at 1\.0[0-9]*s,3\.0[0-9]*s$' "$TMP/err" ||
		fail "the SYN schedule before and after is not reported"
	ok "linear SYN timeouts reported with both schedules"
else
	python3 - "$TMP/base.json" <<'P' || fail "cannot plant the schedule"
import json, sys
d = json.load(open(sys.argv[1]))
for r in d['runs']:
    if r['name'] == 'syn-retries' and r['family'] == 4 and r['firewall'] == 'nftables':
        syns = [e for e in r['timeline'] if e['kind'] == 'packet' and e['node'] == 'client' and e['flags'] == 'S']
        syns[2]['t_us'] = syns[0]['t_us'] + 2000000  # a linear kernel's third SYN
json.dump(d, open(sys.argv[1], 'w'))
P
	"$TCPLAB" check -f 4 --baseline "$TMP/base.json" syn-retries >"$TMP/ktap" 2>"$TMP/err"
	rc=$?
	cat "$TMP/err"
	[ $rc = 1 ] || fail "planted schedule: exit $rc, want 1"
	grep -Eq 'client retransmissions: 2 at 1\.0[0-9]*s,3\.0[0-9]*s, the baseline 2 at 1\.0[0-9]*s,2\.0[0-9]*s$' "$TMP/err" ||
		fail "the SYN schedule before and after is not reported"
	ok "a baseline with another kernel's SYN schedule: reported with both schedules"
fi
