#!/bin/sh
# A scheduling policy the user gives tcplab (chrt -f 1 tcplab ...: the way
# to have a run take the CPU from other work on a loaded machine) is kept:
# the keeper and every endpoint thread run under it, and the runs pass.
# Without one, tcplab takes none: its threads stay SCHED_OTHER.
. "$(dirname "$0")/lib.sh"

command -v chrt >/dev/null || skip "chrt (util-linux) is needed"
chrt -f 1 true 2>/dev/null || skip "no real-time policy can be had here"

# policies PID: the policy of each of the process's threads, one a line
policies() {
	for t in /proc/"$1"/task/*; do
		chrt -p "${t##*/}" | sed -n 's/.*scheduling policy: //p'
	done | sort | uniq -c
}

# kept NAME: the keeper's pid of kept lab NAME
kept() { awk '/^keeper/ {print $2}' /run/tcplab/"$1"; }

chrt -f 1 "$TCPLAB" up -C -q -L syn-recv >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "chrt -f 1 tcplab up failed"; }
trap '"$TCPLAB" down syn-recv >/dev/null 2>&1; "$TCPLAB" down close-wait >/dev/null 2>&1; rm -rf "$TMP"' EXIT
pid=$(kept syn-recv)
policies "$pid" >"$TMP/p"
grep -q SCHED_FIFO "$TMP/p" && ! grep -qv SCHED_FIFO "$TMP/p" ||
	{ cat "$TMP/p"; fail "the keeper's threads did not keep SCHED_FIFO"; }
n=$(ls /proc/"$pid"/task | wc -l)
[ "$n" -ge 3 ] || fail "the keeper has $n threads, not itself and two endpoints"
"$TCPLAB" down syn-recv >/dev/null 2>&1 || fail "tcplab down failed"
ok "under chrt -f 1 the keeper and its endpoint threads ($n threads) were SCHED_FIFO"

"$TCPLAB" up -C -q -L close-wait >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "tcplab up failed"; }
policies "$(kept close-wait)" >"$TMP/p"
grep -q SCHED_OTHER "$TMP/p" && ! grep -qv SCHED_OTHER "$TMP/p" ||
	{ cat "$TMP/p"; fail "tcplab took a policy nobody gave it"; }
"$TCPLAB" down close-wait >/dev/null 2>&1 || fail "tcplab down failed"
ok "without one, every thread stayed SCHED_OTHER"

chrt -f 1 "$TCPLAB" run -C -q -L syn-sent syn-recv fin-wait-1 close-wait >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "the card states failed under chrt -f 1"; }
grep -q '^4 passed, 0 failed' "$TMP/out" || { cat "$TMP/out"; fail "not 4 passed"; }
ok "the four card states pass under chrt -f 1"
