#!/bin/sh
# Several connections on one ladder: each arrow of a named connection says
# whose it is, in the terminal and in the report's SVG, on both families.
. "$(dirname "$0")/lib.sh"

for fam in 4 6; do
	out=$TMP/two-$fam
	"$TCPLAB" run -f $fam two-clients >"$out" 2>&1 ||
		{ cat "$out"; fail "two-clients failed (IPv$fam)"; }
	# each connection's first line: its ports and its name between them
	for c in a b; do
		grep -Eq "^ +\| :[0-9]+ +$c=s$c +:80 \|\$" "$out" ||
			{ cat "$out"; fail "IPv$fam: no ports line naming $c=s$c"; }
		grep -Eq "\|-+ $c=s$c: SYN seq 0 -+>\|" "$out" ||
			{ cat "$out"; fail "IPv$fam: no SYN arrow of $c"; }
		grep -Eq "\|<-+ $c=s$c: SYN/ACK seq 0 ack 1 -+\|" "$out" ||
			{ cat "$out"; fail "IPv$fam: no SYN-ACK arrow of $c"; }
	done
	# every state but the listener's says whose it is: on an arrow of
	# its own connection, or on a line of its own with the name
	sed -n '/^ *ms  *client/,/^PASS/p' "$out" |
		grep -E '(^ +[0-9.]+ +[A-Z][A-Z-]+ \|)|(\| [A-Z][A-Z-]+$)' |
		grep -v 'LISTEN$' | grep -Ev 'a=sa|b=sb' >"$TMP/unnamed"
	[ -s "$TMP/unnamed" ] && { cat "$out"; fail "IPv$fam: states on a line that names no connection: $(cat "$TMP/unnamed")"; }
	# each side's ESTABLISHED is drawn twice, once for a and once for b
	# (in whatever order the samples caught them)
	for side in '^ +[0-9.]+ +ESTABLISHED \|' '\| ESTABLISHED$'; do
		est=$(sed -n '/^ *ms  *client/,/^PASS/p' "$out" | grep -E "$side" |
			grep -Eo 'a=sa|b=sb' | sort | tr '\n' ' ')
		[ "$est" = "a=sa b=sb " ] ||
			{ cat "$out"; fail "IPv$fam: the ESTABLISHED states ($side) are of '$est', not one of a's and one of b's"; }
	done
	# every arrow between the two says whose it is: no unnamed one
	if grep -E '\|[-<]+ (SYN|ACK|FIN|RST|PSH)' "$out"; then
		cat "$out"; fail "IPv$fam: an arrow without its connection's name"
	fi
done
ok "two-clients: every arrow and state of the ladder names its connection"

"$TCPLAB" report -f 4 -o "$TMP/r.html" two-clients accept-queue-overflow \
	>"$TMP/report.out" 2>&1 || { cat "$TMP/report.out"; fail "report failed"; }
for l in 'a=sa: SYN seq 0' 'b=sb: SYN seq 0' 'c=sc: SYN seq 0'; do
	grep -q ">$l</text>" "$TMP/r.html" ||
		fail "the report's ladders lack '$l'"
done
ok "the report's SVG ladders name the connections"

# a star: one ladder per client host, each with its own connection only
"$TCPLAB" run -f 4 two-hosts >"$TMP/star" 2>&1 || { cat "$TMP/star"; fail "two-hosts failed"; }
sed -n '/^ *ms  *alice/,/^$/p' "$TMP/star" >"$TMP/alice"
sed -n '/^ *ms  *bob/,/^$/p' "$TMP/star" >"$TMP/bob"
grep -q 'a=sa: SYN seq 0' "$TMP/alice" && grep -q 'b=sb: SYN seq 0' "$TMP/bob" ||
	{ cat "$TMP/star"; fail "two-hosts: no ladder per host with its connection"; }
if grep -q 'CLOSE-WAIT\|a=sa' "$TMP/bob" || grep -q 'b=sb' "$TMP/alice"; then
	cat "$TMP/star"; fail "two-hosts: a ladder shows the other host's connection"
fi
ok "a star: each host's ladder shows its own connection"
