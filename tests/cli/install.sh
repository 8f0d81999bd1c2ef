#!/bin/sh
# cmake --install: the binary, the scenarios, the man pages and the bash
# completion land under the prefix; two installs are identical, whatever
# the DESTDIR or prefix; no path of the build machine is in any installed
# file; the installed binary finds its scenarios with TCPLAB_SCENARIOS
# unset, also after the whole prefix is moved.
# $1: the tcplab binary, $2: the source tree, $3: the build tree.
set -u
SRC=$(cd "$2" && pwd -P)
BUILD=$(cd "$3" && pwd -P)
TMP=$(mktemp -d /tmp/tcplab-install.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset TCPLAB_SCENARIOS

install_to() { # DESTDIR PREFIX
	DESTDIR=$1 cmake --install "$BUILD" --prefix "$2" >"$TMP/log" 2>&1 ||
		{ cat "$TMP/log"; fail "cmake --install (DESTDIR=$1 prefix $2)"; }
}
install_to "$TMP/d1" /usr
install_to "$TMP/d2" /usr
diff -r "$TMP/d1" "$TMP/d2" >"$TMP/diff" 2>&1 || { cat "$TMP/diff"; fail "two installs differ"; }
install_to "" "$TMP/p1"
install_to "" "$TMP/p2"
diff -r "$TMP/p1" "$TMP/p2" >"$TMP/diff" 2>&1 ||
	{ cat "$TMP/diff"; fail "installs to two prefixes differ"; }
diff -r "$TMP/d1/usr" "$TMP/p1" >"$TMP/diff" 2>&1 ||
	{ cat "$TMP/diff"; fail "the prefix changes what is installed"; }

P=$TMP/p1
for f in bin/tcplab share/man/man1/tcplab.1 share/man/man5/tcplab-scenario.5 \
	share/bash-completion/completions/tcplab; do
	[ -s "$P/$f" ] || fail "$f is not installed"
done
want=$(ls "$SRC/scenarios"/*.tcp | wc -l)
got=$(ls "$P/share/tcplab/scenarios"/*.tcp | wc -l)
[ "$got" = "$want" ] || fail "$got scenarios installed, $want shipped"

# no path of this build in any installed file (debug info and strings)
for dir in "$SRC" "$BUILD"; do
	if grep -rlF "$dir" "$P" >"$TMP/hits"; then
		fail "installed files name $dir: $(cat "$TMP/hits")"
	fi
	strings -a "$P/bin/tcplab" | grep -F "$dir" && fail "strings: $dir in bin/tcplab"
done

# the shipped catalogue, found from where the binary is
n=$("$P/bin/tcplab" list | wc -l)
[ "$n" = "$want" ] || fail "installed tcplab lists $n scenarios, want $want"
"$P/bin/tcplab" --help | grep -qF "$P/share/tcplab/scenarios" ||
	fail "tcplab --help does not name $P/share/tcplab/scenarios"
mv "$P" "$TMP/moved"
n=$("$TMP/moved/bin/tcplab" list | wc -l)
[ "$n" = "$want" ] || fail "a moved install lists $n scenarios, want $want"
"$TMP/moved/bin/tcplab" show syn-sent | grep -qF "$TMP/moved/share/tcplab/scenarios/syn-sent.tcp" ||
	fail "a moved install does not read its own scenarios"
echo "ok: reproducible, relocatable install with $want scenarios, man pages and completion"
