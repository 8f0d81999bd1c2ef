#!/bin/sh
# The man pages: tcplab(1) and tcplab-scenario(5) pass mandoc's lint with no
# warning, man-db reads their NAME lines, and tcplab(1) documents every
# command and every option the binary's own --help lists.
# $1: the tcplab binary, $2: the source tree.
set -u
TCPLAB=$1
MAN=$2/man
fail() { echo "FAIL: $*"; exit 1; }
command -v mandoc >/dev/null ||
	{ echo "SKIP: mandoc is not installed (Debian package mandoc)"; exit 77; }

for page in "$MAN/tcplab.1" "$MAN/tcplab-scenario.5"; do
	[ -s "$page" ] || fail "no $page"
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	[ $? = 0 ] && [ -z "$out" ] || fail "mandoc -T lint $page: $out"
	mandoc -T utf8 "$page" >/dev/null 2>&1 || fail "mandoc cannot render $page"
	if command -v lexgrog >/dev/null; then
		lexgrog "$page" >/dev/null 2>&1 || fail "lexgrog finds no NAME line in $page"
	fi
done

commands=$("$TCPLAB" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF && !/^Commands:/ {print $1}')
[ -n "$commands" ] || fail "tcplab --help lists no command"
n=0
for c in $commands; do
	grep -q "^\.It Cm $c\b" "$MAN/tcplab.1" || fail "tcplab.1 does not describe '$c'"
	grep -q "^\.Cm $c\$" "$MAN/tcplab.1" || fail "tcplab.1's synopsis lacks '$c'"
	for o in $("$TCPLAB" "$c" --help | sed -n 's/^ \{1,\}\(-[^ ,]*\)\(, \(--[^ ]*\)\)\{0,1\}.*/\1 \3/p'); do
		case $o in
		--help | -h) continue ;;
		--*) pat="Fl Fl ${o#--}\\b" ;;
		*) pat="Fl ${o#-}\\b" ;;
		esac
		grep -q "$pat" "$MAN/tcplab.1" || fail "tcplab.1 does not document $c's $o"
		n=$((n + 1))
	done
done
echo "ok: man pages lint clean; $(echo $commands | wc -w) commands and $n options documented"
