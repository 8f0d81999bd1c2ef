#!/bin/sh
# A kept lab (tcplab up): its namespaces published under /run/netns so the
# seeds' tools work on it (ip netns exec ... ss shows the CLOSE_WAIT socket,
# nft shows the table), then tcplab down leaves nothing behind.  What an
# interrupted up leaves - an empty or partial record, namespaces mounted
# under the lab's prefix, with or without a record - clean and down remove
# (saying so, not "gone"), up takes over, and a record's pid is ended only
# if it still is that keeper.
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
# each veth end was made with one queue each way (not one per CPU, cut
# down after registration, which waits for a grace period)
for n in client server; do
	ip -d -n tcplab-$name-$n link show type veth >"$TMP/link" 2>&1 || fail "ip link show in $n"
	grep -q 'numtxqueues 1 numrxqueues 1' "$TMP/link" || { cat "$TMP/link"; fail "the $n veth end has more than one queue"; }
done
ok "both veth ends have one transmit and one receive queue"
# tcplab firewall installs the node's rules anew: a chain changed by hand
# (an input policy of drop) does not outlive it
ns=tcplab-$name-client
ip netns exec $ns nft add table inet tcplab &&
	ip netns exec $ns nft add chain inet tcplab input '{ type filter hook input priority 0; policy drop; }' ||
	fail "nft could not change the kept lab's table by hand"
"$TCPLAB" firewall $name client add output tcp dport 9 drop >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "tcplab firewall add failed"; }
ip netns exec $ns nft list table inet tcplab >"$TMP/table" 2>&1 || fail "nft list table"
grep -q 'policy drop' "$TMP/table" && { cat "$TMP/table"; fail "the hand-made drop policy survived tcplab firewall add"; }
grep -q 'tcp dport 9' "$TMP/table" || { cat "$TMP/table"; fail "the rule tcplab firewall added is not in the table"; }
"$TCPLAB" firewall $name client del output tcp dport 9 drop >/dev/null 2>&1 || fail "tcplab firewall del failed"
ok "tcplab firewall: the node's table holds its rules and no chain changed by hand"
cp /run/tcplab/$name "$TMP/record"
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

# The start time of process $1 (field 22 of /proc/PID/stat)
start_of() { sed 's/.*) //' /proc/"$1"/stat | cut -d' ' -f20; }

# mounted PREFIX: how many nsfs mounts under /run/netns/PREFIX
mounted() { awk -v p="/run/netns/$1" '$9 == "nsfs" && index($5, p) == 1' /proc/self/mountinfo | grep -c .; }

# The namespaces an interrupted up published: mounted, under the prefix
publish() { for n in client server; do ip netns add tcplab-$name-$n || fail "ip netns add"; done; }

ip netns add unrelated || fail "ip netns add"
: >/run/tcplab/$name
publish
"$TCPLAB" ls >"$TMP/out" 2>&1
grep -q "not kept completely" "$TMP/out" || { cat "$TMP/out"; fail "ls of an empty record"; }
"$TCPLAB" exec $name client -- true >"$TMP/out" 2>&1
grep -q "not kept completely" "$TMP/out" || { cat "$TMP/out"; fail "exec into an empty record"; }
"$TCPLAB" clean >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "clean of an empty record"; }
grep -q "$name was not kept completely.*2 namespaces" "$TMP/out" ||
	{ cat "$TMP/out"; fail "clean of an empty record does not say what it removed"; }
[ "$(mounted tcplab-)" = 0 ] && [ ! -e /run/netns/tcplab-$name-client ] ||
	{ ls -l /run/netns; fail "clean left the namespaces of an empty record mounted"; }
[ ! -e /run/tcplab/$name ] || fail "clean left the empty record"
[ "$(mounted unrelated)" = 1 ] || fail "clean touched a namespace that is no lab's"
ok "clean of an empty record: its lab's namespaces unmounted and removed, the record too, nothing else"

# a record cut short before its keeper, its namespaces mounted: up takes over
grep -v '^keeper' "$TMP/record" | head -c -9 >/run/tcplab/$name
publish
"$TCPLAB" up -C -q -L "$name" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "up over a partial record"; }
"$TCPLAB" down $name >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "down after up over a partial record"; }
[ "$(mounted tcplab-)" = 0 ] && [ -z "$(ls -A /run/tcplab)" ] ||
	{ ls -lA /run/netns /run/tcplab; fail "up over a partial record, then down, left something"; }
ok "up over a partial record with its namespaces mounted: kept, then down leaves nothing"

# namespaces mounted under the prefix and no record at all
publish
"$TCPLAB" down $name >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "down of namespaces without a record"; }
grep -q "no record, but 2 namespaces" "$TMP/out" || { cat "$TMP/out"; fail "down does not say what it removed"; }
[ "$(mounted tcplab-)" = 0 ] || fail "down left namespaces without a record mounted"
ok "down removes the lab's namespaces even without a record"

# a recorded keeper pid that is another process now is never signalled
sleep 30 &
other=$!
{ grep -v '^keeper' "$TMP/record"; echo "keeper $other $(start_of $other)"; } >/run/tcplab/$name
"$TCPLAB" down $name >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "down of a record with a foreign pid"; }
alive $other || fail "down killed a process that is not the lab's keeper"
kill $other; wait $other 2>/dev/null
ok "down ends a recorded pid only if it still is a tcplab keeper"

# a record an up is still writing (its up alive, no keeper yet) is left
# alone; one whose up is gone (the same pid, another start time) is not
sleep 30 &
upper=$!
{ grep -v '^keeper\|^up ' "$TMP/record"; echo "up $upper $(start_of $upper)"; } >/run/tcplab/$name
"$TCPLAB" down $name >"$TMP/out" 2>&1; rc=$?
[ $rc = 3 ] && grep -q "being kept by tcplab up (pid $upper)" "$TMP/out" ||
	{ cat "$TMP/out"; fail "down of a lab being kept: exit $rc"; }
"$TCPLAB" up -C -q -L "$name" >"$TMP/out" 2>&1 && fail "up over a lab being kept succeeded"
grep -q "kept already" "$TMP/out" || { cat "$TMP/out"; fail "up over a lab being kept: no reason"; }
[ -e /run/tcplab/$name ] || fail "the record of a lab being kept was removed"
{ grep -v '^keeper\|^up ' "$TMP/record"; echo "up $upper $(( $(start_of $upper) + 1 ))"; } >/run/tcplab/$name
"$TCPLAB" clean >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "clean of a stale record"; }
[ ! -e /run/tcplab/$name ] || fail "clean left a record whose up is gone"
kill $upper; wait $upper 2>/dev/null
ok "a lab still being kept is left alone (down exit 3, up refused); its pid at another start time is not it"

# down itself killed half way: just before it unmounts the first entry
# (the keeper ended already), then just before it removes the record (all
# else gone): what is left is named by the record, and down again ends it
if command -v strace >/dev/null; then
	for at in "umount2 /run/netns/tcplab-$name-client" "unlink /run/tcplab/$name"; do
		set -- $at # (the call, the path)
		"$TCPLAB" up -C -q -L "$name" >"$TMP/out" 2>&1
		grep -q '^   lab kept' "$TMP/out" || { cat "$TMP/out"; fail "up"; }
		keeper=$(awk '/^keeper/ {print $2}' /run/tcplab/$name)
		strace -qq -o /dev/null -P "$2" -e inject="$1":error=EINTR:signal=KILL \
			"$TCPLAB" down $name >"$TMP/out" 2>&1 && fail "down was not killed before $at"
		[ -e /run/tcplab/$name ] || fail "down killed before $at: the record is gone"
		"$TCPLAB" down $name >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "down after down killed before $at"; }
		alive "$keeper" && fail "down killed before $at: the keeper lives on"
		[ "$(mounted tcplab-)" = 0 ] && [ -z "$(ls -A /run/tcplab)" ] ||
			{ ls -lA /run/netns /run/tcplab; fail "down after down killed before $at left something"; }
	done
	ok "down killed before it unmounts, or before it removes the record: down again ends what is left"
fi
ip netns del unrelated

# An impairment cannot be kept: its verdicts come from the tcplab that
# exits once the lab is kept.  Refused at its line, before anything is
# built; one the scenario flushes before it ends is no obstacle.
before=$(host_state)
"$TCPLAB" up -C -q -L delayed-path >"$TMP/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "delayed-path.tcp:13:1: a kept lab cannot keep an impairment" "$TMP/out" ||
	{ cat "$TMP/out"; fail "up of a scenario with impair: exit $rc, not refused at its line"; }
[ -z "$(ls -A /run/tcplab 2>/dev/null)" ] && [ "$before" = "$(host_state)" ] ||
	{ ls -lA /run/tcplab; fail "a refused up left something"; }
mkdir -p "$TMP/s"
cat >"$TMP/s/flushed.tcp" <<'T'
scenario flushed
title "An impairment that ends before the lab is kept"
server   listen 80
impair   client->server delay 20ms
client   connect server 80
expect   client state ESTABLISHED within 200ms
firewall server flush
T
"$TCPLAB" up -C -q -L "$TMP/s/flushed.tcp" >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "up of a scenario whose impairment ends"; }
"$TCPLAB" down flushed >/dev/null || fail "down flushed"
ok "up refuses an impairment it could not keep (exit 2, nothing built), keeps one that ended"

# A kept star: the hub has a link to each of its three hosts, and every one
# is recorded (as the hub's veths in its namespace say, ip -n the witness)
# and watched: a connection from the hub to the third host crosses only the
# hub's third link, and watch shows it leave the hub too.
command -v nc >/dev/null || skip "nc is needed for the star's connection"
"$TCPLAB" up --empty -t star,hub,a,b,c star >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "up --empty a star"; }
trap '"$TCPLAB" down star >/dev/null 2>&1; "$TCPLAB" down $name >/dev/null 2>&1; rm -rf "$TMP"' EXIT
recorded=$(awk '$1 == "node" && $2 == "hub" {print $3}' /run/tcplab/star | tr , '\n' | cut -d: -f1 | sort)
veths=$(ip -n tcplab-star-hub -o link show type veth | awk '{sub(/@.*/, "", $2); print $2}' | sort)
[ "$(echo $recorded)" = "eth0 eth1 eth2" ] && [ "$recorded" = "$veths" ] ||
	{ cat /run/tcplab/star; ip -n tcplab-star-hub -o link; fail "the record names the hub's links '$(echo $recorded)', its namespace has '$(echo $veths)'"; }
"$TCPLAB" watch star >"$TMP/watch" 2>&1 &
wpid=$!
t=0
until grep -q "watching lab star" "$TMP/watch"; do
	t=$((t + 1)); [ $t -gt 1000 ] && { kill $wpid; fail "watch did not start"; }
	sleep 0.01
done
"$TCPLAB" exec star c -- timeout 10 nc -l 80 >/dev/null &
npid=$!
t=0
until ip netns exec tcplab-star-c ss -Hltn | grep -q ':80 '; do
	t=$((t + 1)); [ $t -gt 1000 ] && fail "nc does not listen in c"
	sleep 0.01
done
echo hi | "$TCPLAB" exec star hub -- nc -q0 -w1 198.18.2.2 80 || fail "hub cannot reach c over its third link"
wait $npid
t=0
until grep -q '^ *[0-9.]* hub  *198.18.2.1.[0-9]* > 198.18.2.2.80: Flags \[S\]' "$TMP/watch"; do
	t=$((t + 1)); [ $t -gt 1000 ] && { kill $wpid; cat "$TMP/watch"; fail "watch does not see the hub's third link"; }
	sleep 0.01
done
kill $wpid; wait $wpid 2>/dev/null
"$TCPLAB" down star >/dev/null || fail "down star"
ok "a kept star: the hub's three links recorded, usable, and watched"
