#!/bin/sh
# Nothing is left behind and the host is never touched: after normal runs,
# and after kill -9 of tcplab at several moments of a scenario.
. "$(dirname "$0")/lib.sh"

before=$(host_state)
"$TCPLAB" run -q syn-sent syn-recv fin-wait-1 close-wait >/dev/null 2>&1 || fail "core scenarios failed"
after=$(host_state)
if [ "$before" != "$after" ]; then
	echo "$before" >"$TMP/before"; echo "$after" >"$TMP/after"
	diff "$TMP/before" "$TMP/after"
	fail "the host's links, addresses, routes, firewall or sysctls changed"
fi
ok "host links, addresses, routes, nft ruleset and net sysctls identical after a run"

slow_scenario "$TMP/slow.tcp"
base_orphans=$(orphans)
for delay in 0.001 0.01 0.05 0.3; do
	"$TCPLAB" run "$TMP/slow.tcp" >"$TMP/out" 2>&1 &
	pid=$!
	sleep $delay
	kids=$(descendants $pid)
	kill -9 $pid
	wait $pid 2>/dev/null
	gone_within 100 $kids ||
		fail "processes$left still alive 1 s after kill -9 (at ${delay}s)"
	case $delay in 0.05|0.3) [ -n "$kids" ] || fail "no lab processes seen at ${delay}s" ;; esac
	orphans_back_within 100 "$base_orphans" ||
		fail "an orphaned lab socket survived kill -9 at ${delay}s ($(orphans) orphans, $base_orphans before)"
	[ "$before" = "$(host_state)" ] || fail "host changed after kill -9 at ${delay}s"
	ok "kill -9 after ${delay}s: $(echo $kids | wc -w) lab processes and the orphaned FIN_WAIT1 socket gone, host unchanged"
done
