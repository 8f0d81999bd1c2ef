#!/bin/sh
# A kept lab (tcplab up): its namespaces published under /run/netns so the
# seeds' tools work on it (ip netns exec ... ss shows the CLOSE_WAIT socket,
# nft shows the table), then tcplab down leaves nothing behind.
. "$(dirname "$0")/lib.sh"

name=close-wait
[ -e /run/tcplab/$name ] && skip "a lab '$name' is kept on this machine already"
before=$(ip netns list 2>/dev/null | sort)
"$TCPLAB" up -C -q -L "$name" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "tcplab up failed"; }
trap '"$TCPLAB" down $name >/dev/null 2>&1; rm -rf "$TMP"' EXIT
ip netns list | grep -q "^tcplab-$name-server" || fail "no /run/netns entry for the server"
ip netns exec tcplab-$name-server ss -Htan state close-wait | grep -q '198.18.0.2:80' ||
	{ ip netns exec tcplab-$name-server ss -tan; fail "ss does not show the kept CLOSE_WAIT socket"; }
ok "ip netns exec tcplab-$name-server ss shows CLOSE_WAIT after tcplab exited"
pid=$(awk '/^keeper/ {print $2}' /run/tcplab/$name)
alive "$pid" || fail "the kept lab's keeper is not running"
"$TCPLAB" down $name >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "tcplab down failed"; }
t=0
while alive "$pid"; do
	t=$((t + 1)); [ $t -gt 100 ] && fail "the keeper $pid survived tcplab down"
	sleep 0.01
done
[ "$before" = "$(ip netns list 2>/dev/null | sort)" ] || fail "namespaces left behind"
[ ! -e /run/tcplab/$name ] || fail "the record survived"
ok "tcplab down: keeper, namespaces and record gone"
"$TCPLAB" down $name >/dev/null 2>&1 && fail "down of a lab that is not kept succeeded"
ok "down of a lab that is not kept is an error"
