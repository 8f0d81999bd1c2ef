#!/bin/sh
# What tcplab's start-up adds to a process's: `tcplab --version`, `list`
# and `show syn-sent` against /bin/true (fork, exec, exit: the floor), each
# timed as a whole process by bench_time RUNS times, alternately, so that
# both see the same load.  Printed: the median and p90 of wall and CPU,
# and the median of the paired differences to /bin/true; with perf, the
# page faults of each (every one is a trap, which a virtual machine makes
# dear).  Called by bench/run (cli), under its busy loops; as root or not:
#
#   bench/cli-start.sh BENCH_DIR TCPLAB [RUNS]
set -eu
B=$1 T=$2 runs=${3:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$runs" ]; do
	"$B/bench_time" "$tmp/true" /bin/true
	"$B/bench_time" "$tmp/version" "$T" --version >/dev/null
	"$B/bench_time" "$tmp/list" "$T" list >/dev/null
	"$B/bench_time" "$tmp/show" "$T" show syn-sent >/dev/null
	i=$((i + 1))
done
# med_p90 FILE COLUMN: "median ms / p90 ms"
med_p90() {
	sort -n -k"$2,$2" "$1" | awk -v c="$2" '
		{ v[NR] = $c }
		END { printf "%.2f / %.2f", v[int(0.5 * (NR - 1) + 0.5) + 1] / 1e6,
		      v[int(0.9 * (NR - 1) + 0.5) + 1] / 1e6 }'
}
# delta FILE COLUMN: median of (FILE - true), run by run, in ms
delta() {
	paste "$1" "$tmp/true" | awk -v c="$2" '{ print $c - $(c + 2) }' |
		sort -n | awk '{ v[NR] = $1 } END { printf "%+.2f", v[int(0.5 * (NR - 1) + 0.5) + 1] / 1e6 }'
}
faults() {
	command -v perf >/dev/null 2>&1 || { echo "-"; return; }
	perf stat -x, -e page-faults -r 20 "$@" 2>&1 >/dev/null |
		awk -F, '/page-faults/ { printf "%d", $1 }'
}
echo "| start-up ($runs runs each) | wall median / p90 | CPU median / p90 | wall - /bin/true | CPU - /bin/true | page faults |"
echo "|---|---|---|---|---|---|"
for c in true version list show; do
	case $c in
	true) what=/bin/true; f=$(faults /bin/true) ;;
	version) what="tcplab --version"; f=$(faults "$T" --version) ;;
	list) what="tcplab list"; f=$(faults "$T" list) ;;
	show) what="tcplab show syn-sent"; f=$(faults "$T" show syn-sent) ;;
	esac
	if [ "$c" = true ]; then d1=; d2=; else d1="$(delta "$tmp/$c" 1) ms"; d2="$(delta "$tmp/$c" 2) ms"; fi
	echo "| $what | $(med_p90 "$tmp/$c" 1) ms | $(med_p90 "$tmp/$c" 2) ms | $d1 | $d2 | $f |"
done
