#!/bin/sh
# Nothing is left behind, whoever kills tcplab and however: every signal
# (KILL, TERM, INT, HUP, STOP then KILL), sent to the driver's PID and to its
# whole process group (what a CI runner's timeout, systemd or a shell's
# Ctrl-\ do), at moments spread over set-up, the steps, the end and the
# teardown, for run, check, a long run and up.  An up killed is followed by
# `tcplab clean`, and up is also killed (by each signal in turn, strace
# injecting it) at each system call on each path of keeping a lab: the
# record, every /run/netns entry, the keeper's socket.  After at most 2 s:
#   - no process of the run is left (the keeper included);
#   - no lab network namespace is pinned: the inodes of the lab's
#     namespaces, read from /proc/PID/task/TID/ns/net of the run's threads
#     before the kill, are in no /proc/*/task/*/ns/net, no open file and no
#     nsfs mount; and no orphaned TCP socket holds one in the kernel (the
#     global orphan count of /proc/net/sockstat is back to what it was);
#   - nothing is left in /run (netns, tcplab);
#   - after an up: an up of the same name succeeds (and down ends it).
# CI runs a sample of the delays (every signal, target and mode, each at
# two delays, the delays rotating over the phases); TCPLAB_KILL_ALL=1 runs
# every delay for every case.
. "$(dirname "$0")/lib.sh"
# a lab an up of this test kept is ended even when the test fails
trap '"$TCPLAB" clean >/dev/null 2>&1; rm -rf "$TMP"' EXIT

slow_scenario "$TMP/slow.tcp"

self_ns=$(stat -L -c %i /proc/self/ns/net)

# The network namespace inodes held by the run: those its threads are in
# and those it has open, for the driver $1 and its children (the keeper,
# whose threads are the endpoints in the nodes).  One readlink, so that the
# sampling stays fast next to a run of a tenth of a second.
lab_inodes() {
	set -- "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null)
	for p in "$@"; do echo /proc/"$p"/task/*/ns/net /proc/"$p"/fd/*; done |
		xargs readlink 2>/dev/null | sed -n 's/^net:\[\([0-9]*\)\]$/\1/p' |
		grep -vx "$self_ns"
}

# Every namespace inode still referenced by a thread or an open file of a
# process of this test's mount namespace (lib.sh gave the test one of its
# own, which every process it starts inherits), or by an nsfs mount in it.
# A freed namespace's inode number is soon reused by someone else's new
# namespace: processes of other mount namespaces are not looked at.
self_mnt=$(readlink /proc/self/ns/mnt)
pinned_inodes() {
	find /proc/[0-9]*/ns/mnt -maxdepth 0 -printf '%h %l\n' 2>/dev/null |
		awk -v m="$self_mnt" '$2 == m { sub("/ns$", "", $1); print $1 }' |
		while read -r p; do echo "$p"/task/*/ns/net "$p"/fd/*; done |
		xargs -r readlink 2>/dev/null
	awk '$9 == "nsfs" { print $4 }' /proc/self/mountinfo
}

# The command line of a mode
cmdline() {
	case $1 in
	run) echo "run -q fin-wait-1" ;;
	check) echo "check -f 4 fin-wait-1 syn-recv" ;;
	long) echo "run -q $TMP/slow.tcp" ;;
	up) echo "up -C -q -L close-wait" ;;
	esac
}

# How long one whole run of a mode takes, in seconds (the phases of the
# kill delays are fractions of it)
measure() {
	t0=$(date +%s%N)
	# shellcheck disable=SC2046
	"$TCPLAB" $(cmdline "$1") >/dev/null 2>&1
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / 1000000 ))"
}

run_ms=$(measure run)
check_ms=$(measure check)
up_ms=$(measure up)
"$TCPLAB" down close-wait >/dev/null || fail "down after a whole up"
echo "# one run takes ${run_ms} ms, one check ${check_ms} ms, one up ${up_ms} ms"

# After an up was killed: the network namespaces still published under
# /run/netns (their nsfs inodes) and those of every tcplab process left in
# this test's mount namespace (a keeper that detached), added to the
# inodes seen; those processes to $kids; then tcplab clean.
clean_after_up() {
	awk '$9 == "nsfs" && $5 ~ "^/run/netns/" { print $4 }' /proc/self/mountinfo |
		tr -dc '0-9\n' >>"$TMP/ino"
	for p in $(pgrep -x 'tcplab|tcplab-keeper'); do
		[ "$(readlink /proc/"$p"/ns/mnt)" = "$self_mnt" ] || continue
		kids="$kids $p"
		lab_inodes "$p" >>"$TMP/ino"
	done
	sort -u -o "$TMP/ino" "$TMP/ino"
	"$TCPLAB" clean >"$TMP/clean" 2>&1 ||
		{ cat "$TMP/clean"; fail "$what: tcplab clean failed"; }
}

# After the residue check of a killed up: the same name can be kept again
# (kept: an expectation that a loaded machine missed does not count here)
up_again() {
	# shellcheck disable=SC2046
	"$TCPLAB" $(cmdline up) >"$TMP/again" 2>&1
	[ $? -le 1 ] && grep -q '^   lab kept' "$TMP/again" ||
		{ cat "$TMP/clean" "$TMP/again"; fail "$what: up after clean failed"; }
	"$TCPLAB" down close-wait >"$TMP/again" 2>&1 ||
		{ cat "$TMP/again"; fail "$what: down after up failed"; }
}

# residue WHAT BASE_ORPHANS: within 2 s no process of $pid $kids, no orphan
# above BASE_ORPHANS, no inode of $TMP/ino pinned, nothing in /run
residue() {
	deadline=$(( $(date +%s%N) + 2000000000 ))
	# shellcheck disable=SC2086
	gone_within 200 $pid $kids || fail "$1: processes$left alive 2 s after"
	while :; do
		pinned="" stray=""
		o=$(orphans)
		if [ "$o" -le "$2" ]; then
			[ -s "$TMP/ino" ] &&
				pinned=$(pinned_inodes | tr -dc '0-9\n' | sort -u | comm -12 - "$TMP/ino")
			stray=$(ls -A /run/netns /run/tcplab 2>/dev/null | grep -v '^/run\|^$' || true)
			[ -z "$pinned" ] && [ -z "$stray" ] && break
		fi
		if [ "$(date +%s%N)" -ge "$deadline" ]; then
			[ -n "$pinned" ] && fail "$1: lab namespaces $(echo $pinned) still pinned 2 s after"
			[ -n "$stray" ] && fail "$1: left in /run: $stray"
			fail "$1: $o orphaned TCP sockets 2 s after ($2 before)"
		fi
		sleep 0.02
	done
}

# kill_one MODE SIG TARGET DELAY_MS
kill_one() {
	mode=$1 sig=$2 target=$3 delay=$4
	base_orphans=$(orphans)
	# shellcheck disable=SC2046
	# (a background job of a script starts with SIGINT ignored: undo that,
	# as a terminal's foreground job has it)
	setsid env --default-signal=INT,QUIT "$TCPLAB" $(cmdline "$mode") >"$TMP/out" 2>&1 &
	pid=$!
	# watch the run's threads until the kill: a namespace made at any
	# moment is seen
	end=$(( $(date +%s%N) + delay * 1000000 ))
	kids="" inodes=""
	while :; do
		k=$(cat /proc/$pid/task/*/children 2>/dev/null)
		[ -n "$k" ] && kids=$(printf '%s\n%s\n' "$kids" "$k" | sort -u)
		i=$(lab_inodes $pid)
		[ -n "$i" ] && inodes=$(printf '%s\n%s\n' "$inodes" "$i" | sort -u)
		[ "$(date +%s%N)" -ge "$end" ] && break
		alive $pid || break
	done
	# (procps kill: every shell's builtin does not take a negative PID)
	[ $target = group ] && to=-$pid || to=$pid
	if [ "$sig" = STOPKILL ]; then
		/bin/kill -s STOP -- $to 2>/dev/null
		sleep 0.05
		/bin/kill -s KILL -- $to 2>/dev/null
	else
		/bin/kill -s "$sig" -- $to 2>/dev/null
	fi
	wait $pid 2>/dev/null
	printf '%s\n' $inodes | grep . | sort -u >"$TMP/ino"
	what="$mode: $sig to the $target at ${delay} ms"
	[ "$mode" = up ] && clean_after_up
	residue "$what" "$base_orphans"
	[ "$mode" = up ] && up_again
	nkill=$((nkill + 1))
	nns=$((nns + $(printf '%s\n' $inodes | grep -c .)))
	nproc=$((nproc + $(printf '%s\n' $kids | grep -c .)))
}

# The delays, as per mille of a whole run: set-up, the steps, the end, the
# teardown (the last ones land after the expectations, while labs go).
phases=${TCPLAB_KILL_PHASES:-"5 30 100 250 400 550 700 850 950 990"}
all=${TCPLAB_KILL_ALL:-}
nkill=0 nns=0 nproc=0 idx=0
for mode in ${TCPLAB_KILL_MODES:-run check long up}; do
	case $mode in
	run) total=$run_ms ;;
	check) total=$check_ms ;;
	long) total=1000 ;; # set-up and FIN_WAIT1 in ~10 ms, then 30 s of wait
	up) total=$up_ms ;;
	esac
	for sig in KILL TERM INT HUP STOPKILL; do
		for target in pid group; do
			if [ -n "$all" ]; then
				picks=$phases
			else
				# two phases per case, rotating over all of them
				n=$(echo $phases | wc -w)
				a=$(( idx % n + 1 )); b=$(( (idx + n / 2) % n + 1 ))
				picks="$(echo $phases | cut -d' ' -f$a) $(echo $phases | cut -d' ' -f$b)"
				idx=$((idx + 1))
			fi
			for pm in $picks; do
				kill_one $mode $sig $target $(( total * pm / 1000 ))
			done
		done
	done
done

# up_traced OUT STRACE-ARGS...: tcplab up under strace (writing what it
# sees to OUT); its exit status in $rc.  strace would go on following a
# keeper that detached: it is let go of once the up has ended.  The up
# starts with the default action of every signal, as from a terminal.
up_traced() {
	o=$1; shift
	rm -f "$TMP/rc"
	# shellcheck disable=SC2016,SC2046
	strace -I1 -f -qq -o "$o" "$@" env --default-signal=INT,QUIT,HUP,TERM \
		sh -c '"$0" "$@"; echo $? >"'"$TMP"'/rc"' \
		"$TCPLAB" $(cmdline up) >"$TMP/out" 2>&1 &
	spid=$!
	t=0
	until [ -s "$TMP/rc" ]; do
		t=$((t + 1)); [ $t -gt 3000 ] && fail "up under strace did not end in 30 s"
		sleep 0.01
	done
	kill -s TERM $spid
	wait $spid 2>/dev/null
	rc=$(cat "$TMP/rc")
}

# Keeping a lab, killed at each system call on each of its paths: a first
# up under strace lists them (-y names each fd's file); then for the Kth,
# the Nth call of its name on that path, strace -P injects the signal on
# entry to it, once with the call skipped (error=EINTR: killed just before
# it) and once made (killed just after it).  The signals take turns (every
# one at every call with TCPLAB_KILL_ALL=1).
nexact=0
paths="/run/tcplab/close-wait /run/netns/tcplab-close-wait-client
	/run/netns/tcplab-close-wait-server /run/tcplab/.close-wait.sock"
if [ -n "${TCPLAB_KILL_MODES:-}" ] && ! echo " $TCPLAB_KILL_MODES " | grep -q ' up '; then
	:
elif ! command -v strace >/dev/null; then
	echo "# strace is missing: no kill at each system call of up"
else
	# shellcheck disable=SC2046
	up_traced "$TMP/trace" -y $(for p in $paths; do echo "-P $p"; done)
	[ "$rc" -le 1 ] && grep -q '^   lab kept' "$TMP/out" ||
		{ cat "$TMP/out"; fail "up under strace failed"; }
	"$TCPLAB" down close-wait >/dev/null || fail "down after an up under strace"
	sigs="KILL TERM INT HUP" turn=0
	for path in $paths; do
		calls=$(grep -F -e "$path\"" -e "<$path>" "$TMP/trace" |
			sed -n 's/^[0-9]* *\([a-z0-9_]*\)(.*/\1/p')
		[ -n "$calls" ] || fail "up made no system call on $path"
		k=0
		for call in $calls; do
			k=$((k + 1))
			nth=$(echo $calls | tr ' ' '\n' | head -n $k | grep -cx "$call")
			if [ -n "$all" ]; then picks=$sigs; else
				picks=$(echo $sigs | cut -d' ' -f$(( turn % 4 + 1 )))
				turn=$((turn + 1))
			fi
			for sig in $picks; do for at in before after; do
				base_orphans=$(orphans)
				[ $at = before ] && skip=error=EINTR: || skip=
				up_traced /dev/null -P "$path" \
					-e inject="$call":${skip}signal=$sig:when=$nth
				pid="" kids="" what="up: $sig $at $call #$nth on $path"
				[ "$rc" != 0 ] || fail "$what: the up was not killed"
				: >"$TMP/ino"
				clean_after_up
				residue "$what" "$base_orphans"
				up_again
				nexact=$((nexact + 1))
			done; done
		done
		echo "# up: killed before and after each of its $k system calls on $path:" $calls
	done
fi
ok "$nkill kills (KILL, TERM, INT, HUP, STOP+KILL; PID and group; run, check, long run, up) and $nexact kills of up before and after each system call on its paths: $nproc processes and $nns lab namespaces seen, none left 2 s after (clean after an up, and up again), no orphaned socket, /run empty"
