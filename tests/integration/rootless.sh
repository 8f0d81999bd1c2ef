#!/bin/sh
# Without root: tcplab enters a user namespace of its own and runs the same
# scenarios with the same results - both backends, both families, NFQUEUE
# (closing), per-namespace sysctls (synack-retries), three nodes
# (keepalive-nat) and a flood (syn-flood) - as uid 65534; the host is left
# as it was, kill -9 leaves nothing, and a kernel that forbids user
# namespaces gets exit 3 with the knob named.
. "$(dirname "$0")/lib.sh"

command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed to drop root"
[ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" != 0 ] ||
	skip "user namespaces are disabled on this machine (user.max_user_namespaces=0)"

# uid 65534 may have no way into the build tree: the binary and the
# scenarios go to a directory it can read.
chmod 755 "$TMP"
cp "$TCPLAB" "$TMP/tcplab"
cp -r "$SRC/scenarios" "$TMP/scenarios"
chmod -R a+rX "$TMP/tcplab" "$TMP/scenarios"
mkdir "$TMP/work" && chown 65534:65534 "$TMP/work"
export TCPLAB_SCENARIOS="$TMP/scenarios"
nobody() { (cd "$TMP/work" && setpriv --reuid=65534 --regid=65534 --clear-groups "$@"); }
nobody "$TMP/tcplab" run -C -q -L syn-sent >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; grep -q "user namespace" "$TMP/out" && skip "no user namespaces for uid 65534 here"; fail "syn-sent as uid 65534"; }
ok "syn-sent as uid 65534"

before=$(host_state)
# delayed-path: impairments without real-time priority for their verdicts
set -- syn-sent syn-recv closing synack-retries keepalive-nat syn-flood rst-refused \
	delayed-path
for fw in nftables iptables; do
	nobody "$TMP/tcplab" check -F $fw -f both -j2 "$@" >"$TMP/ktap" 2>"$TMP/err"
	rc=$?
	[ $rc = 0 ] || { cat "$TMP/ktap" "$TMP/err"; fail "check -F $fw as uid 65534 exited $rc"; }
	n=$(grep -c '^ok ' "$TMP/ktap")
	[ "$n" -ge 10 ] || { cat "$TMP/ktap"; fail "only $n runs passed with $fw"; }
	grep -q '^not ok' "$TMP/ktap" && fail "a run failed with $fw"
	ok "$n runs of $* passed as uid 65534 with $fw (both families)"
	grep -E '^(not )?ok' "$TMP/ktap" | sort >"$TMP/user-$fw"
done
[ "$before" = "$(host_state)" ] || fail "the host's network state changed"
ok "host links, addresses, routes, firewall and sysctls unchanged"

# The same results as root: every (scenario, family) verdict equal.
"$TCPLAB" check -F nftables -f both -j2 "$@" 2>/dev/null | grep -E '^(not )?ok' | sort >"$TMP/root"
cmp -s "$TMP/root" "$TMP/user-nftables" || { diff "$TMP/root" "$TMP/user-nftables"; fail "root and uid 65534 differ"; }
ok "the same verdicts as root ($(wc -l <"$TMP/root") runs)"

# exit statuses: a failed expectation is 1, a bad file 2, as with root
cat >"$TMP/work/wrong.tcp" <<'T'
scenario wrong
title "an expectation that cannot hold"
server listen 80
client connect server 80
expect client state LAST_ACK within 100ms
T
nobody "$TMP/tcplab" run -C -q -L "$TMP/work/wrong.tcp" >/dev/null 2>&1
[ $? = 1 ] || fail "a failed expectation as uid 65534 does not exit 1"
printf 'scenario bad\nserver frobnicate\n' >"$TMP/work/bad.tcp"
nobody "$TMP/tcplab" run -C "$TMP/work/bad.tcp" >/dev/null 2>&1
[ $? = 2 ] || fail "a scenario error as uid 65534 does not exit 2"
ok "exit statuses 1 and 2 as with root"

# kill -9 in the middle of a run leaves no process and no orphaned socket
slow_scenario "$TMP/work/slow.tcp"
base_orphans=$(orphans)
nobody "$TMP/tcplab" run -C "$TMP/work/slow.tcp" >"$TMP/out" 2>&1 &
pid=$!
t=0
until grep -q "FIN-WAIT-1 confirmed" "$TMP/out"; do
	t=$((t + 1)); [ $t -gt 300 ] && { cat "$TMP/out"; fail "FIN-WAIT-1 not reached as uid 65534"; }
	sleep 0.01
done
kids="$(descendants $pid)"
[ -n "$kids" ] || fail "no lab processes seen"
# the run is the setpriv'd tcplab itself: kill it, never setpriv's parent
kill -9 $(pgrep -P $pid 2>/dev/null) $pid 2>/dev/null
wait $pid 2>/dev/null
gone_within 200 $kids || fail "processes$left alive 2 s after kill -9"
orphans_back_within 200 "$base_orphans" || fail "an orphaned socket survived kill -9"
[ "$before" = "$(host_state)" ] || fail "the host changed after kill -9"
ok "kill -9 as uid 65534: $(echo $kids | wc -w) lab processes and the FIN_WAIT1 socket gone"

# A kernel that allows no user namespaces: exit 3 and the knob named.  A
# user namespace of the test's own gets user.max_user_namespaces=0 (a
# per-user-namespace limit: the host's is untouched), and uid 65534 runs
# tcplab inside it.
mkfifo "$TMP/go"
unshare --user sh -c "read x <'$TMP/go'; exec sh -c 'echo 0 >/proc/sys/user/max_user_namespaces &&
	cd $TMP/work && exec setpriv --reuid=65534 --regid=65534 --clear-groups $TMP/tcplab run -C syn-sent'" \
	>"$TMP/out" 2>&1 &
pid=$!
t=0
while [ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do
	t=$((t + 1)); [ $t -gt 500 ] && fail "the nested user namespace did not appear"
	sleep 0.01
done
echo "0 0 65536" >/proc/$pid/uid_map && echo "0 0 65536" >/proc/$pid/gid_map || fail "cannot map the nested namespace"
echo go >"$TMP/go"
wait $pid
rc=$?
[ $rc = 3 ] || { cat "$TMP/out"; fail "exit $rc, not 3, where user namespaces are forbidden"; }
grep -q "user.max_user_namespaces=0" "$TMP/out" || { cat "$TMP/out"; fail "the knob is not named"; }
[ "$(wc -l <"$TMP/out")" = 1 ] || { cat "$TMP/out"; fail "more than one line"; }
ok "user.max_user_namespaces=0: exit 3, $(cat "$TMP/out")"
