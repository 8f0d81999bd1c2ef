#!/bin/sh
# Hands-on: a kept lab driven with the system's own nc, python and ss through
# `tcplab exec`, as root and as uid 65534 (rootless): what `watch` printed
# (states, packets, drops with their rule), what `snapshot --json` returned,
# `firewall` add/del/list; kill -9 of watch leaves the lab intact, down
# leaves nothing, and kill -9 of the keeper takes every process with it.
. "$(dirname "$0")/lib.sh"

command -v nc >/dev/null || skip "nc (netcat-openbsd) is needed as the student's tool"
command -v python3 >/dev/null || skip "python3 is needed for a server that never closes"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed to drop root"

chmod 755 "$TMP"
cp "$TCPLAB" "$TMP/tcplab"
chmod 755 "$TMP/tcplab"
mkdir -m 700 "$TMP/xdg" "$TMP/cwd"
chown 65534:65534 "$TMP/xdg" "$TMP/cwd"
export TCPLAB_SCENARIOS="$SRC/scenarios"

# a server that accepts one connection and never closes it
NEVER='import socket,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 80)); s.listen(); c, a = s.accept(); time.sleep(60)'

tl() {
	if [ "$mode" = user ]; then
		(cd "$TMP/cwd" && XDG_RUNTIME_DIR="$TMP/xdg" setpriv --reuid=65534 \
			--regid=65534 --clear-groups "$TMP/tcplab" "$@")
	else
		"$TCPLAB" "$@"
	fi
}
# wait until file $1 has a line matching $2 (20 s: python starts slowly
# on a loaded machine)
await() {
	t=0
	until grep -q -- "$2" "$1" 2>/dev/null; do
		t=$((t + 1)); [ $t -gt 2000 ] && { cat "$1"; fail "$mode: no '$2' in $(basename "$1")"; }
		sleep 0.01
	done
}
# whatever a failure leaves: the watch, the labs
cleanup() {
	[ -n "${wpid:-}" ] && kill -9 $wpid 2>/dev/null
	for m in root user; do mode=$m; tl clean >/dev/null 2>&1; done
	rm -rf "$TMP"
}
trap cleanup EXIT
# every process in the PID namespace of keeper $1 (the keeper, its
# endpoints, and what tcplab exec started there)
in_pidns() {
	k=$(readlink /proc/"$1"/ns/pid) || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink $p/ns/pid 2>/dev/null)" = "$k" ] && echo "${p#/proc/}"
	done
}

before=$(host_state)
for mode in root user; do
	W="$TMP/watch-$mode"
	# one backend each: rules on a kept lab and their drops, both ways
	fw=nftables; [ "$mode" = user ] && fw=iptables
	tl up --empty -F $fw hands >"$TMP/up" 2>&1 || { cat "$TMP/up"; fail "$mode: up --empty"; }
	tl ls >"$TMP/ls"
	grep -q "^hands .*IPv4,$(echo $fw | cut -c1-3).*client 198.18.0.1, server 198.18.0.2" "$TMP/ls" ||
		{ cat "$TMP/ls"; fail "$mode: ls does not list the lab with its nodes"; }
	keeper=$(awk '/^hands / {print $3}' "$TMP/ls")
	alive "$keeper" || fail "$mode: no keeper $keeper"
	ok "$mode: up --empty -F $fw, ls lists it (keeper $keeper)"

	tl watch hands >"$W" 2>&1 &
	wpid=$!
	await "$W" "watching lab hands"

	# CLOSE_WAIT / FIN_WAIT2: the server never closes, the client does
	tl exec hands server -- python3 -c "$NEVER" &
	srv=$!
	await "$W" "server  LISTEN .*0.0.0.0:80"
	# nc sends "hi" and its FIN, then waits for a FIN that never comes
	printf hi >"$TMP/hi"
	tl exec hands client -- nc -N 198.18.0.2 80 <"$TMP/hi" >/dev/null &
	ncp=$!
	await "$W" "client  .*FIN_WAIT2 "
	await "$W" "server  .*CLOSE_WAIT"
	tl exec hands server -- ss -Htan state close-wait >"$TMP/ss"
	grep -q "198.18.0.2:80 *198.18.0.1:" "$TMP/ss" ||
		{ cat "$TMP/ss" "$W"; tl snapshot hands; fail "$mode: ss in the server does not show CLOSE_WAIT"; }
	tl snapshot --json hands >"$TMP/snap.json" || fail "$mode: snapshot --json"
	python3 - "$TMP/snap.json" <<'PY' || fail "$mode: snapshot --json lacks CLOSE_WAIT/FIN_WAIT2"
import json, sys
d = json.load(open(sys.argv[1]))
st = {(n["name"], s["state"], s["local"]["port"] if n["name"] == "server" else s["peer"]["port"])
      for n in d["nodes"] for s in n["sockets"]}
need = {("server", "CLOSE_WAIT", 80), ("client", "FIN_WAIT2", 80), ("server", "LISTEN", 80)}
sys.exit(0 if need <= st and d["lab"] == "hands" else 1)
PY
	tl snapshot hands | grep -A1 "^CLOSE-WAIT .*198.18.0.2:80 " | grep -q "rtt:" ||
		{ tl snapshot hands; fail "$mode: the snapshot table has no CLOSE-WAIT with tcp_info"; }
	ok "$mode: nc and python via exec: watch saw FIN_WAIT2 and CLOSE_WAIT, ss and snapshot --json agree"

	# SYN_RECV by hand: the client's firewall drops the SYN-ACK
	tl firewall hands client add input tcp sport 80 flags SYN,ACK drop >"$TMP/fw" ||
		{ cat "$TMP/fw"; fail "$mode: firewall add"; }
	grep -q "added rule 1: firewall client input tcp sport 80 flags SYN,ACK drop" "$TMP/fw" ||
		{ cat "$TMP/fw"; fail "$mode: firewall add did not say the rule"; }
	tl exec hands client -- nc -w 1 198.18.0.2 80 </dev/null 2>/dev/null &
	cli=$!
	await "$W" "DROP input \[S.\] 198.18.0.2:80 > 198.18.0.1:.* by rule 1: firewall client input tcp sport 80 flags SYN,ACK drop"
	await "$W" "server  .*SYN_RECV "
	await "$W" "Flags \[S\.\]"
	tl firewall hands list >"$TMP/fw"
	grep -q "iptables -A INPUT -p tcp --sport 80 --tcp-flags SYN,ACK,FIN,RST SYN,ACK -j DROP\|iptables -A INPUT -p tcp --sport 80 --tcp-flags FIN,SYN,RST,ACK SYN,ACK" "$TMP/fw" ||
		{ cat "$TMP/fw"; fail "$mode: firewall list"; }
	tl firewall hands client del 1 >"$TMP/fw" || { cat "$TMP/fw"; fail "$mode: firewall del"; }
	tl firewall hands list | grep -q "no firewall rules" || fail "$mode: the rule survived del"
	# the freed id goes to the next rule: watch names the new one
	tl firewall hands server add input tcp dport 80 flags SYN drop >/dev/null ||
		fail "$mode: firewall add after del"
	tl exec hands client -- nc -w 1 198.18.0.2 80 </dev/null 2>/dev/null
	await "$W" "DROP input \[S\] 198.18.0.1:.* > 198.18.0.2:80 by rule 1: firewall server input tcp dport 80 flags SYN drop"
	tl firewall hands server del input tcp dport 80 flags SYN drop >/dev/null ||
		fail "$mode: firewall del by its text"
	tl firewall hands client add input tcp dport 80 frob drop >"$TMP/fw" 2>&1
	[ $? = 2 ] || { cat "$TMP/fw"; fail "$mode: a bad rule is not exit 2"; }
	grep -q "column" "$TMP/fw" || { cat "$TMP/fw"; fail "$mode: a bad rule's error has no column"; }
	wait $cli
	ok "$mode: firewall add/list/del: watch attributed the SYN-ACK drop to its rule, saw SYN_RECV; a bad rule is exit 2"

	# kill -9 of watch: the lab stays
	kill -9 $wpid
	wait $wpid 2>/dev/null
	wpid=
	alive "$keeper" || fail "$mode: kill -9 of watch took the keeper"
	tl exec hands server -- ss -Htan state close-wait | grep -q 198.18.0.1 ||
		fail "$mode: the lab lost its sockets when watch was killed"
	ok "$mode: kill -9 of watch leaves the lab intact"

	kids=$(in_pidns "$keeper")
	# the keeper, python and the first nc (still waiting for a FIN)
	[ "$(echo $kids | wc -w)" -ge 3 ] || fail "$mode: the exec'd processes are not in the lab's PID namespace ($kids)"
	tl down hands >/dev/null || fail "$mode: down"
	for p in $keeper $kids; do
		t=0
		while alive $p; do
			t=$((t + 1)); [ $t -gt 200 ] && fail "$mode: process $p survived down"
			sleep 0.01
		done
	done
	wait $srv $ncp 2>/dev/null
	[ -z "$(ls -A "$TMP/xdg/tcplab" 2>/dev/null)" ] || { ls -la "$TMP/xdg/tcplab"; fail "$mode: records left"; }
	[ -z "$(ls -A /run/tcplab 2>/dev/null)" ] || fail "$mode: records left in /run/tcplab"
	[ -z "$(ls -A /run/netns 2>/dev/null)" ] || fail "$mode: /run/netns entries left"
	tl ls | grep -q "no kept labs" || fail "$mode: ls still lists a lab"
	ok "$mode: down ends the keeper and the processes exec started; no record left"

	# three nodes: the router forwards between them
	tl up --empty --topology client,router,server three >/dev/null 2>&1 || fail "$mode: up --empty --topology"
	tl ls | grep -q "^three .*client 198.18.0.1, router 198.18.0.2, server 198.18.1.2" ||
		{ tl ls; fail "$mode: ls does not show the three nodes"; }
	tl exec three server -- nc -l 80 </dev/null >/dev/null &
	t=0
	until tl snapshot three | grep -q "^LISTEN .*0.0.0.0:80"; do
		t=$((t + 1)); [ $t -gt 200 ] && fail "$mode: nc -l in the three-node lab"
		sleep 0.05
	done
	tl exec three client -- nc -z -w 2 198.18.1.2 80 || fail "$mode: no connection through the router"
	tl down three >/dev/null || fail "$mode: down three"
	ok "$mode: up --empty --topology client,router,server: client reaches the server through the router"

	# kill -9 of the keeper: every process of the lab goes with it
	base=$(orphans)
	tl up close-wait -C -q -L >/dev/null 2>&1 || fail "$mode: up close-wait"
	tl exec close-wait client -- sleep 60 &
	sl=$!
	keeper=$(tl ls | awk '/^close-wait / {print $3}')
	t=0
	until in_pidns "$keeper" | xargs -r ps -o comm= -p | grep -q sleep; do
		t=$((t + 1)); [ $t -gt 2000 ] && fail "$mode: exec'd sleep not in the lab's PID namespace"
		sleep 0.01
	done
	kids=$(in_pidns "$keeper")
	kill -9 "$keeper"
	for p in $keeper $kids; do
		t=0
		while alive $p; do
			t=$((t + 1)); [ $t -gt 200 ] && fail "$mode: process $p survived kill -9 of the keeper"
			sleep 0.01
		done
	done
	wait $sl 2>/dev/null
	tl ls | grep -q "^close-wait .* gone " || { tl ls; fail "$mode: ls does not say the lab is gone"; }
	tl exec close-wait client -- true 2>"$TMP/err"
	[ $? = 3 ] && grep -q "not running" "$TMP/err" || { cat "$TMP/err"; fail "$mode: exec into a dead lab"; }
	tl clean >/dev/null || fail "$mode: clean after kill -9"
	t=0
	while [ "$(orphans)" -gt "$base" ]; do
		t=$((t + 1)); [ $t -gt 500 ] && fail "$mode: an orphaned socket outlived the keeper"
		sleep 0.01
	done
	[ -z "$(ls -A /run/netns 2>/dev/null)" ] || fail "$mode: /run/netns entries left after clean"
	ok "$mode: kill -9 of the keeper ends every process of the lab; exec says it is gone (exit 3); clean removes the record"
done
[ "$before" = "$(host_state)" ] || fail "the host's network state changed"
ok "host links, addresses, routes, firewall and sysctls unchanged"
