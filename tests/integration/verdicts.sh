#!/bin/sh
# Exit statuses: a wrong expectation fails (1) and says why; a broken
# scenario is refused (2) at its file:line:col before anything is built;
# an unknown name is a usage error (2); without root it is environment (3).
. "$(dirname "$0")/lib.sh"

cat >"$TMP/wrong.tcp" <<'T'
scenario wrong
title "A SYN that is dropped cannot give ESTABLISHED"
server   listen 80
firewall server input tcp dport 80 flags SYN drop
client   connect server 80
expect   client state ESTABLISHED port 80 within 30ms
T
"$TCPLAB" run "$TMP/wrong.tcp" >"$TMP/out" 2>&1
rc=$?
[ $rc = 1 ] || { cat "$TMP/out"; fail "wrong expectation: exit $rc, want 1"; }
grep -q "^FAIL wrong (IPv4, nftables): $TMP/wrong.tcp:6: expected client in state ESTABLISHED on port 80 within 30ms" "$TMP/out" ||
	{ cat "$TMP/out"; fail "the failure does not say why"; }
grep -Eq 'client +SYN-SENT' "$TMP/out" || { cat "$TMP/out"; fail "no socket table showing what was there instead"; }
ok "wrong expectation: exit 1 with its reason and the sockets seen"

before=$(host_state)
cat >"$TMP/bad.tcp" <<'T'
scenario bad
title "broken on line 4"
server   listen 80
firewall server input tcp dport 80 flags SYN bounce
T
"$TCPLAB" run syn-sent "$TMP/bad.tcp" >"$TMP/out" 2>&1
rc=$?
[ $rc = 2 ] || { cat "$TMP/out"; fail "bad scenario: exit $rc, want 2"; }
grep -q "^$TMP/bad.tcp:4:46: unexpected 'bounce'" "$TMP/out" || { cat "$TMP/out"; fail "no file:line:col error"; }
grep -q "^==" "$TMP/out" && fail "a lab was started although a scenario was invalid"
[ "$before" = "$(host_state)" ] || fail "a bad scenario changed the host"
ok "bad scenario: exit 2 at $TMP/bad.tcp:4:46, nothing run"

"$TCPLAB" run no-such-scenario >"$TMP/out" 2>&1
[ $? = 2 ] || fail "unknown scenario name: want exit 2"
grep -q "no scenario 'no-such-scenario'" "$TMP/out" || fail "unknown name not explained"
ok "unknown name: exit 2"

# a key the kernel keeps for the whole host is never written anywhere
mem_before=$(cat /proc/sys/net/ipv4/tcp_mem)
cat >"$TMP/global.tcp" <<'T'
scenario global
title "tcp_mem is not per-namespace"
sysctl   server net.ipv4.tcp_mem=1 2 3
server   listen 80
T
sed -i 's/tcp_mem=1 2 3/tcp_mem=1/' "$TMP/global.tcp"
"$TCPLAB" run "$TMP/global.tcp" >"$TMP/out" 2>&1
rc=$?
[ $rc = 3 ] || { cat "$TMP/out"; fail "global sysctl: exit $rc, want 3"; }
grep -q "global.tcp:3:17: sysctl net.ipv4.tcp_mem is not per-namespace on this kernel" "$TMP/out" ||
	{ cat "$TMP/out"; fail "the refusal does not say where and why"; }
[ "$mem_before" = "$(cat /proc/sys/net/ipv4/tcp_mem)" ] || fail "the host's tcp_mem changed"
ok "a sysctl that is not per-namespace is refused (exit 3) at its file:line, the host untouched"

# Not root: tcplab runs in a user namespace of its own (rootless.sh tests
# it at length, and the exit 3 where the kernel forbids it); a directory
# it may not write is a clear usage error, not a crash.
if command -v setpriv >/dev/null; then
	chmod 755 "$TMP" && cp "$TCPLAB" "$TMP/tcplab-copy" && chmod 755 "$TMP/tcplab-copy"
	(cd "$TMP" && TCPLAB_SCENARIOS="$SRC/scenarios" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$TMP/tcplab-copy" run syn-sent) >"$TMP/out" 2>&1
	rc=$?
	if grep -q "scenario directory\|no scenario" "$TMP/out"; then
		ok "not root: the source tree is closed to uid 65534 here (rootless.sh covers it)"
	else
		[ $rc = 2 ] || { cat "$TMP/out"; fail "not root in a directory it cannot write: exit $rc, want 2"; }
		grep -q "cannot create captures/.*Permission denied" "$TMP/out" ||
			{ cat "$TMP/out"; fail "not root: the capture directory's refusal is not said"; }
		ok "not root: runs without root; an unwritable capture directory is exit 2 with the reason"
	fi
fi
