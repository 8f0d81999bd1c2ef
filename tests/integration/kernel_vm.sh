#!/bin/sh
# Another kernel under qemu: lab/kernels fetches Debian's 6.1 kernel, boots
# it (no network device), runs a few scenarios inside with --slow auto and
# brings back KTAP, JSON and pcaps; then `tcplab compare` puts that kernel
# beside this machine's.  Skipped only where qemu or the kernel package
# cannot be had.  Not in a network namespace of its own as the other tests
# are: fetching needs Debian's archive.  The VM has no network device, and
# the labs of this machine's run are namespaces of their own as always.
TCPLAB_TEST_ISOLATED=1
. "$(dirname "$0")/lib.sh"

KVER=${TCPLAB_TEST_KERNEL:-6.1}
export TCPLAB="$1"
"$SRC/lab/kernels" fetch "$KVER" >"$TMP/fetch" 2>&1
rc=$?
[ $rc = 0 ] || { cat "$TMP/fetch"; [ $rc = 3 ] && skip "no qemu or no Debian $KVER kernel here"; fail "fetch: exit $rc"; }
ok "$(tail -1 "$TMP/fetch")"

set -- syn-sent established rst-refused syn-retries
"$SRC/lab/kernels" check -o "$TMP/vm" "$KVER" -- --slow auto -f 4 "$@" >"$TMP/out" 2>&1
rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { tail -30 "$TMP/vm/$KVER/console"*.log "$TMP/vm/$KVER/check.err" 2>/dev/null; fail "check in the VM: exit $rc"; }
d=$TMP/vm/$KVER
grep -q '^# Totals: pass:4 fail:0 xfail:0 xpass:0 skip:0 error:0$' "$d/check.ktap" ||
	{ cat "$d/check.ktap"; fail "not 4 passes in the VM"; }
grep -aq '^TCPLAB-VM-END rc=0' "$d/console.log" || fail "no end marker"
ls "$d"/captures/*/*.pcap >/dev/null 2>&1 || fail "no pcaps brought back"
python3 - "$d/check.json" "$KVER" <<'P' || fail "the VM's JSON is not of kernel $KVER"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['kernel'].startswith(sys.argv[2] + '.'), d['kernel']
assert all(r['slow'] > 1 for r in d['runs']), [r['slow'] for r in d['runs']]
P
ok "kernel $KVER: 4 scenarios passed in the VM, KTAP, JSON (slow > 1, measured) and pcaps back"

"$TCPLAB" check -f 4 --json "$TMP/host.json" "$@" >/dev/null 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "the same scenarios on this machine"; }
"$TCPLAB" compare --json "$TMP/cmp.json" "$TMP/host.json" "$d/check.json" >"$TMP/cmp" 2>&1
rc=$?
cat "$TMP/cmp"
[ $rc = 0 ] || [ $rc = 1 ] || fail "compare: exit $rc"
grep -q "^B = $KVER\." "$TMP/cmp" || fail "no column for kernel $KVER"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['kernels'])==2" "$TMP/cmp.json" ||
	fail "compare's JSON"
ok "compare: this machine's kernel beside $KVER"

# A field this kernel's tcp_info lacks (rcv_wnd came with 6.2): a SKIP that
# names the reason, never a failure and never a silent pass
case $KVER in
5.*|6.[01]|6.[01].*)
	"$SRC/lab/kernels" check -o "$TMP/vm2" "$KVER" -- --slow auto -f 4 receive-window >"$TMP/out2" 2>&1
	rc=$?
	# a skip leaves the exit status to the other runs: 0 here
	[ $rc = 0 ] && grep -aq '^TCPLAB-VM-END rc=0' "$TMP/vm2/$KVER/console.log" ||
		{ cat "$TMP/out2"; fail "receive-window on $KVER: exit $rc, not 0 for a skip"; }
	grep -q "^ok 1 receive-window.ipv4.nftables # SKIP .*rcv_wnd, which this kernel does not give" "$TMP/vm2/$KVER/check.ktap" ||
		{ cat "$TMP/out2" "$TMP/vm2/$KVER/check.ktap"; fail "receive-window on $KVER: not a SKIP with its reason"; }
	ok "receive-window on $KVER: a SKIP that says tcp_info has no rcv_wnd"
	;;
esac
