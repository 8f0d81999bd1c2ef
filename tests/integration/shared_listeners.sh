#!/bin/sh
# The kernel's listening hash is one for the whole machine, whatever
# tcp_child_ehash_entries gives a namespace: a run's sock_diag dumps leave
# LISTEN out and look the lab's listeners up by port instead (diag_query()).
# While 3000 listeners of another namespace sit on the very ports the
# scenarios listen on, IPv4 and IPv6, runs still see their own listener
# (expect LISTEN, the socket table), once, abort a crashed host's sockets,
# and see none of the other namespace's.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 holds the other namespace's listeners"

unshare --net python3 - "$TMP/ready" <<'P' &
import socket, sys, time
held = []
for i in range(3000):
    fam = socket.AF_INET6 if i % 2 else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", 80 + i // 2))
    s.listen(1)
    held.append(s)
open(sys.argv[1], "w").write("%d\n" % len(held))
time.sleep(300)
P
holder=$!
trap 'kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/ready" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the other namespace's listeners were not ready in 30 s"
	kill -0 "$holder" 2>/dev/null || fail "the listener holder died"
	sleep 0.1
done
[ "$(cat "$TMP/ready")" = 3000 ] || fail "the holder has $(cat "$TMP/ready") listeners, not 3000"

"$TCPLAB" run -C -f both listen syn-sent syn-recv rst-after-restart >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "runs failed beside another namespace's 3000 listeners"; }
grep -Eq 'server +LISTEN' "$TMP/out" ||
	{ cat "$TMP/out"; fail "no socket table shows the server's listener"; }
grep -q 'crash: [1-9][0-9]* sockets\? destroyed' "$TMP/out" ||
	{ cat "$TMP/out"; fail "the crash destroyed nothing"; }
# rst-after-restart listens on 80 twice: still one listener in a table
awk '/LISTEN/ { if ($0 == last) bad = 1 } { last = $0 } END { exit !bad }' "$TMP/out" &&
	{ cat "$TMP/out"; fail "a table lists a listener twice"; }
# the lab's own: no listener on another port
grep -Eq 'LISTEN.*:(8[1-9]|9[0-9]|[1-9][0-9]{2,})[^0-9]' "$TMP/out" &&
	{ cat "$TMP/out"; fail "a listener of the other namespace shows in a run"; }
ok "runs see their own listeners, and none of another namespace's 3000"
