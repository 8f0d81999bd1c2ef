#!/bin/sh
# tcplab as a kselftest: KTAP on stdout as `tcplab check` prints it, and
# the exit status in kselftest's terms (0 pass, 1 fail, 4 KSFT_SKIP).
# Drop it into a kselftest directory (TEST_PROGS) or a KernelCI/LAVA test
# definition; TCPLAB_ARGS adds options (default --slow auto).
#
#   tcplab  0 held  1 failed  2 usage   3 environment  4 internal
#   ksft    0       1         1         4 (skip)       1
tcplab=${TCPLAB:-tcplab}
out=$(mktemp)
# shellcheck disable=SC2086
"$tcplab" check ${TCPLAB_ARGS:---slow auto} "$@" >"$out" 2>"$out.err"
rc=$?
if grep -q '^# Totals:' "$out"; then
	cat "$out"
elif [ $rc = 3 ]; then
	# nothing could run here (not root, no namespaces, no backend): a
	# plan of zero tests, skipped with the reason, as kselftest writes it
	echo "KTAP version 1"
	echo "1..0 # SKIP $(tail -1 "$out.err" | tr '\n' ' ')"
else
	# a usage or internal error: one failed test that says so
	echo "KTAP version 1"
	echo "1..1"
	echo "not ok 1 tcplab # $(tail -1 "$out.err" | tr '\n' ' ')"
fi
rm -f "$out" "$out.err"
case $rc in
0) exit 0 ;;
3) exit 4 ;;
*) exit 1 ;;
esac
