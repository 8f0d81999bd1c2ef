#!/bin/sh
# tcplab list parses every file of the catalogue, not only the lines it
# prints: a file that does not parse, wherever its mistake is, is reported
# on stderr at FILE:LINE:COL with the message 'show' gives for it, the
# others are still listed (sorted, each line as the whole catalogue's list
# prints it) and the exit status is 2.  An empty catalogue lists nothing
# and exits 0.  $1: the tcplab binary, $2: the source tree.
set -u
TCPLAB=$1
SRC=$2
TMP=$(mktemp -d /tmp/tcplab-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
n=0
ok() { n=$((n + 1)); }

TCPLAB_SCENARIOS=$SRC/scenarios "$TCPLAB" list >"$TMP/all" 2>"$TMP/err" ||
	fail "tcplab list of the shipped catalogue: exit $?: $(cat "$TMP/err")"
[ -s "$TMP/err" ] && fail "tcplab list of the shipped catalogue wrote to stderr: $(cat "$TMP/err")"
ok

# a catalogue of two good files around one whose mistake is on its last
# line, after a header that alone would parse
D=$TMP/cat
mkdir "$D"
cp "$SRC/scenarios/syn-sent.tcp" "$SRC/scenarios/listen.tcp" "$D/"
printf 'scenario middle\ntitle "fine so far"\nserver listen 80\nclient bogus 1\n' >"$D/middle.tcp"
TCPLAB_SCENARIOS=$D "$TCPLAB" list >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "tcplab list with a broken file: exit $rc, want 2"
grep -E '^(listen|syn-sent) ' "$TMP/all" >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want" ||
	fail "tcplab list with a broken file printed '$(cat "$TMP/out")', want '$(cat "$TMP/want")'"
ok
"$TCPLAB" show "$D/middle.tcp" >/dev/null 2>"$TMP/show"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "tcplab list: want one error line, got: $(cat "$TMP/err")"
grep -q "^$D/middle.tcp:4:8: unknown action 'bogus'" "$TMP/err" ||
	fail "tcplab list: no $D/middle.tcp:4:8: message: $(cat "$TMP/err")"
cmp -s "$TMP/err" "$TMP/show" ||
	fail "tcplab list said '$(cat "$TMP/err")', show said '$(cat "$TMP/show")'"
ok

mkdir "$TMP/empty"
TCPLAB_SCENARIOS=$TMP/empty "$TCPLAB" list >"$TMP/out" 2>"$TMP/err" ||
	fail "tcplab list of an empty catalogue: exit $?"
[ -s "$TMP/out" ] || [ -s "$TMP/err" ] && fail "tcplab list of an empty catalogue printed something"
ok

echo "ok: $n checks of tcplab list"
