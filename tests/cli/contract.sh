#!/bin/sh
# The command-line contract, without a lab: every command has its own
# --help (usage on stdout, exit 0, the same as 'tcplab help CMD'); an option
# a command does not take - unknown, or another command's - is refused with
# a message naming it (exit 2) and nothing is done; -V and --version print
# the version.  $1: the tcplab binary.
set -u
TCPLAB=$1
TMP=$(mktemp -d /tmp/tcplab-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
n=0
fail() { echo "FAIL: $*"; exit 1; }
ok() { n=$((n + 1)); }

COMMANDS="list show run check report compare up down clean ls exec watch snapshot firewall"

# The commands the global help lists are exactly these.
"$TCPLAB" --help >out 2>err || fail "tcplab --help: exit $?"
listed=$(sed -n '/^Commands:/,/^$/p' out | awk 'NF && !/^Commands:/ {print $1}' | sort | tr '\n' ' ')
want=$(echo $COMMANDS | tr ' ' '\n' | sort | tr '\n' ' ')
[ "$listed" = "$want" ] || fail "tcplab --help lists '$listed', want '$want'"
ok

for c in $COMMANDS; do
	"$TCPLAB" "$c" --help >out 2>err || fail "tcplab $c --help: exit $?"
	[ -s err ] && fail "tcplab $c --help wrote to stderr: $(cat err)"
	head -1 out | grep -q "^usage: tcplab $c\b" || fail "tcplab $c --help: $(head -1 out)"
	"$TCPLAB" "$c" -h >out2 2>&1 || fail "tcplab $c -h: exit $?"
	cmp -s out out2 || fail "tcplab $c -h differs from --help"
	"$TCPLAB" help "$c" >out2 2>&1 || fail "tcplab help $c: exit $?"
	cmp -s out out2 || fail "tcplab help $c differs from tcplab $c --help"
	ok
done

# refused CMD ARGS... : exit 2, a message naming the first of ARGS (or the
# option given by NAMED=), no output
refused() {
	c=$1
	shift
	opt=${NAMED:-$1}
	"$TCPLAB" "$c" "$@" >out 2>err
	rc=$?
	[ $rc = 2 ] || fail "tcplab $c $*: exit $rc, want 2"
	[ -s out ] && fail "tcplab $c $*: wrote to stdout: $(cat out)"
	grep -q -- "tcplab $c: .*'${opt%%=*}'" err ||
		fail "tcplab $c $*: message does not name $opt: $(cat err)"
	ok
}

# options of other commands (issue: they were taken and ignored)
refused check -o x.html syn-sent
refused check --output x.html syn-sent
refused check --format md syn-sent
refused report --junit j.xml syn-sent
refused report --json r.json syn-sent
refused report --baseline b.json syn-sent
refused report --jobs 2 syn-sent
refused report -j 2 syn-sent
refused run --jobs 2 syn-sent
refused run --junit j.xml syn-sent
refused run -o x syn-sent
refused up --jobs 2 syn-sent
refused up --baseline b.json syn-sent
refused list --family 4
refused show -q syn-sent
refused down --firewall iptables x
refused clean --all
refused ls --json
refused watch --json x
refused snapshot --ladder x
refused exec --frobnicate x client
refused compare --jobs 2 a.json b.json
refused compare -F all a.json b.json
# unknown ones, long and short, alone and among others
refused run --frobnicate syn-sent
refused run -x syn-sent
NAMED=-x refused run -qx syn-sent
NAMED=
refused check --nope
# a value where none is taken, none where one is needed
refused run --quiet=yes syn-sent
refused check --jobs
refused check --junit
refused report -o
[ -e x.html ] || [ -e j.xml ] || [ -e r.json ] || [ -e x ] || [ -e report.html ] &&
	fail "a refused command wrote a file: $(ls)"
[ -e captures ] && fail "a refused command made a capture directory"
ok

# operands where none is taken
for c in list clean ls; do
	"$TCPLAB" "$c" extra >out 2>err
	rc=$?
	[ $rc = 2 ] || fail "tcplab $c extra: exit $rc, want 2"
	grep -q "extra" err || fail "tcplab $c extra: $(cat err)"
	ok
done

# unknown commands and help topics
"$TCPLAB" frobnicate >out 2>err
[ $? = 2 ] && grep -q "unknown command 'frobnicate'" err || fail "unknown command: $(cat err)"
"$TCPLAB" help frobnicate >out 2>err
[ $? = 2 ] && grep -q "frobnicate" err || fail "help of an unknown command: $(cat err)"
"$TCPLAB" >out 2>err
[ $? = 2 ] && grep -q "^usage:" err || fail "no command: $(cat err)"
ok

# the version
v=$("$TCPLAB" -V) || fail "tcplab -V: exit $?"
echo "$v" | grep -Eq '^tcplab [0-9]+\.[0-9]+\.[0-9]+$' || fail "tcplab -V: '$v'"
[ "$("$TCPLAB" --version)" = "$v" ] || fail "--version differs from -V"
ok

echo "ok: $n checks of the command-line contract"
