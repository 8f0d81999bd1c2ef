#!/bin/sh
# Refused before any lab, with a message, never a silent pass:
#  - a scenario named on the command line that runs in no family asked for
#    (a family 6 scenario under -f 4 printed nothing and exited 0; check
#    printed "1..0" and exited 0); without -f, run runs the family the
#    scenario declares;
#  - --slow and --jobs take digits only (--slow nan was accepted);
#  - down with a name that is no lab name says so (it exited 2 silently).
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/s"
printf 'scenario v6\ntitle "IPv6 only"\nfamily 6\nserver listen 80\nexpect server state LISTEN\n' >"$TMP/s/v6.tcp"
F=$TMP/s/v6.tcp

"$TCPLAB" run -f 4 "$F" >"$TMP/out" 2>&1; rc=$?
[ $rc = 2 ] || { cat "$TMP/out"; fail "run -f 4 of a family 6 scenario: exit $rc, want 2"; }
grep -q "^$F: scenario 'v6' runs in IPv6 only (family 6), not in the family asked for (-f 4): nothing was run" "$TMP/out" ||
	{ cat "$TMP/out"; fail "run -f 4: no clear message"; }
"$TCPLAB" check -f 4 "$F" >"$TMP/out" 2>&1; rc=$?
[ $rc = 2 ] || { cat "$TMP/out"; fail "check -f 4 of a family 6 scenario: exit $rc, want 2"; }
grep -q "nothing was run" "$TMP/out" && ! grep -q '^1\.\.0' "$TMP/out" ||
	{ cat "$TMP/out"; fail "check -f 4: a silent pass"; }
ok "a family 6 scenario under -f 4: exit 2, 'nothing was run' (run and check)"

"$TCPLAB" run "$F" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "run without -f failed"; }
grep -q '^PASS v6 (IPv6, nftables)' "$TMP/out" || { cat "$TMP/out"; fail "run without -f did not run IPv6"; }
ok "without -f, run runs the family the scenario declares"

for v in nan NaN inf 1e3 0x1p-3 -2 ''; do
	"$TCPLAB" run --slow "$v" syn-sent >"$TMP/out" 2>&1; rc=$?
	[ $rc = 2 ] && grep -q -- '--slow takes a factor' "$TMP/out" ||
		{ cat "$TMP/out"; fail "--slow '$v': exit $rc"; }
done
for v in 1e3 0x2 -1 2x; do
	"$TCPLAB" check -j "$v" syn-sent >"$TMP/out" 2>&1; rc=$?
	[ $rc = 2 ] && grep -q -- '--jobs takes' "$TMP/out" || { cat "$TMP/out"; fail "-j '$v': exit $rc"; }
done
ok "--slow and --jobs: digits only (nan, inf, exponents, hex refused)"

for n in a/b ../../etc . ..; do
	"$TCPLAB" down "$n" >"$TMP/out" 2>&1; rc=$?
	[ $rc = 2 ] && grep -q "'$n' is not a lab name" "$TMP/out" ||
		{ cat "$TMP/out"; fail "down '$n': exit $rc, no message"; }
done
ok "down refuses a path for a lab name, and says so"

# output paths and the baseline are checked before any run (they were
# checked after the whole run: exit 4, or "report written" after "cannot
# write")
for args in "check -f 4 --junit /proc/nope.xml" "check -f 4 --json /nonexistent/x.json" \
	"check -f 4 --junit $TMP" "check -f 4 --baseline /nonexistent.json" \
	"report -o /proc/nope.html"; do
	# shellcheck disable=SC2086
	"$TCPLAB" $args syn-sent >"$TMP/out" 2>&1; rc=$?
	[ $rc = 2 ] || { cat "$TMP/out"; fail "$args: exit $rc, want 2"; }
	grep -q "(nothing was run)" "$TMP/out" || { cat "$TMP/out"; fail "$args: no message"; }
	! grep -q '^ok \|^not ok \|report written\|^PASS\|^== ' "$TMP/out" || { cat "$TMP/out"; fail "$args: ran anyway"; }
done
ok "unwritable --junit/--json/-o and a missing --baseline: exit 2 before any run"
