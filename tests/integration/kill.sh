#!/bin/sh
# Nothing is left behind, whoever kills tcplab and however: every signal
# (KILL, TERM, INT, HUP, STOP then KILL), sent to the driver's PID and to its
# whole process group (what a CI runner's timeout, systemd or a shell's
# Ctrl-\ do), at moments spread over set-up, the steps, the end and the
# teardown, for run, check and a long run.  After at most 2 s:
#   - no process of the run is left (the keeper included);
#   - no lab network namespace is pinned: the inodes of the lab's
#     namespaces, read from /proc/PID/task/TID/ns/net of the run's threads
#     before the kill, are in no /proc/*/task/*/ns/net, no open file and no
#     nsfs mount; and no orphaned TCP socket holds one in the kernel (the
#     global orphan count of /proc/net/sockstat is back to what it was);
#   - nothing is left in /run (netns, tcplab).
# CI runs a sample of the delays (every signal, target and mode, each at
# two delays, the delays rotating over the phases); TCPLAB_KILL_ALL=1 runs
# every delay for every case.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/slow.tcp" <<'T'
scenario slow
title "FIN_WAIT1, then a long wait to be killed in"
server   listen 80
client   connect server 80
server   accept within 1s
firewall server input tcp dport 80 drop
client   close
expect   client state FIN_WAIT1 within 1s
wait     30s
T

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
echo "# one run takes ${run_ms} ms, one check ${check_ms} ms"

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
	deadline=$(( $(date +%s%N) + 2000000000 ))
	while :; do
		left="" pinned="" stray=""
		for k in $pid $kids; do alive "$k" && left="$left $k"; done
		o=$(orphans)
		if [ -z "$left" ] && [ "$o" -le "$base_orphans" ]; then
			[ -s "$TMP/ino" ] &&
				pinned=$(pinned_inodes | tr -dc '0-9\n' | sort -u | comm -12 - "$TMP/ino")
			stray=$(ls -A /run/netns /run/tcplab 2>/dev/null | grep -v '^/run\|^$' || true)
			[ -z "$pinned" ] && [ -z "$stray" ] && break
		fi
		if [ "$(date +%s%N)" -ge "$deadline" ]; then
			[ -n "$left" ] && fail "$what: processes$left alive 2 s after"
			[ -n "$pinned" ] && fail "$what: lab namespaces $(echo $pinned) still pinned 2 s after"
			[ -n "$stray" ] && fail "$what: left in /run: $stray"
			fail "$what: $o orphaned TCP sockets 2 s after ($base_orphans before)"
		fi
		sleep 0.02
	done
	nkill=$((nkill + 1))
	nns=$((nns + $(printf '%s\n' $inodes | grep -c .)))
	nproc=$((nproc + $(printf '%s\n' $kids | grep -c .)))
}

# The delays, as per mille of a whole run: set-up, the steps, the end, the
# teardown (the last ones land after the expectations, while labs go).
phases=${TCPLAB_KILL_PHASES:-"5 30 100 250 400 550 700 850 950 990"}
all=${TCPLAB_KILL_ALL:-}
nkill=0 nns=0 nproc=0 idx=0
for mode in ${TCPLAB_KILL_MODES:-run check long}; do
	case $mode in
	run) total=$run_ms ;;
	check) total=$check_ms ;;
	long) total=1000 ;; # set-up and FIN_WAIT1 in ~10 ms, then 30 s of wait
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
ok "$nkill kills (KILL, TERM, INT, HUP, STOP+KILL; PID and group; run, check, long run): $nproc processes and $nns lab namespaces seen, none left 2 s after, no orphaned socket, /run empty"
