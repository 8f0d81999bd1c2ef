# Shared helpers of the namespace tests (sourced, not run).
# Usage in a test: . "$(dirname "$0")/lib.sh" "$@"
# $1: the tcplab binary, $2: the source tree.
set -u

# Each namespace test runs in a network and mount namespace of its own, which
# stands in for "the host": what it compares before and after is exact, and
# other activity on the machine (another test, another user's labs) can
# neither fail it nor be touched by it.  /run is a fresh tmpfs in there, so
# kept labs (/run/tcplab, /run/netns) are the test's own too; the mounts
# the copy got under /run (a lab kept on the host: its /run/netns entries)
# are detached first, as a tmpfs over them would only hide them from the
# tests' own reading of /proc/self/mountinfo.  Private propagation: the
# host's mounts are not touched.
if [ -z "${TCPLAB_TEST_ISOLATED:-}" ] && [ "$(id -u)" = 0 ] &&
	command -v unshare >/dev/null; then
	export TCPLAB_TEST_ISOLATED=1
	exec unshare --net --mount --propagation private \
		sh -c 'awk "\$5 ~ \"^/run/\" { print \$5 }" /proc/self/mountinfo | sort -r |
			xargs -r -n 1 umount -l &&
			mount -t tmpfs -o mode=755 tcplab-test /run && ip link set lo up && exec "$0" "$@"' \
		"$0" "$@"
fi
TCPLAB=$1
SRC=$2
# the checkout's scenarios (a build tree has no shipped catalogue)
TCPLAB_SCENARIOS=${TCPLAB_SCENARIOS:-$SRC/scenarios}
export TCPLAB_SCENARIOS
TMP=$(mktemp -d /tmp/tcplab-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

[ "$(id -u)" = 0 ] || skip "namespace tests need root"
command -v ip >/dev/null || skip "ip (iproute2) is needed as a witness"

# The host's network state as independent tools see it; the lab must never
# change any of it.  Counters and other kernel-driven values are left out.
host_state() {
	echo "## netns"; ip netns list 2>/dev/null | sort
	echo "## links"; ip -o link show | sed 's/ qlen [0-9]*//' | awk '{$1=""; print}' | sed 's/link\/ether.*//' | sort
	echo "## addrs"; ip -o addr show | awk '{print $2, $3, $4}' | sort
	echo "## routes"; ip route show table all 2>/dev/null | sort
	echo "## nft"; if command -v nft >/dev/null; then nft list ruleset 2>&1; fi
	echo "## iptables-legacy"
	for t in iptables-legacy-save ip6tables-legacy-save; do
		command -v $t >/dev/null && $t 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
	done
	echo "## sysctl"
	sysctl -a 2>/dev/null | grep -E '^net\.(ipv4|ipv6|core|netfilter|unix)' |
		grep -Ev 'nf_conntrack_count|_random|stable_secret|hash_secret|tcp_mem|udp_mem|rt_cache_rebuild|base_reachable_time|route\.gc' | sort
}

# PIDs of every descendant of $1 (children first level and below).
descendants() {
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}

# Is $1 a live process?  A zombie waiting for its reaper has let go of
# everything and does not count.
alive() {
	[ -r /proc/"$1"/status ] || return 1
	! grep -q '^State:[[:space:]]*Z' /proc/"$1"/status 2>/dev/null
}

# The global count of orphaned TCP sockets (/proc/net/sockstat counts
# orphans across all namespaces): an orphan left in a dropped lab would
# keep its namespace alive in the kernel.
# slow_scenario FILE: a scenario that holds a FIN_WAIT1 orphan-to-be and
# then waits 30 s, to be killed in (kill, residue and rootless tests)
slow_scenario() {
	cat >"$1" <<'T'
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
}

orphans() { awk '/^TCP:/ { for (i = 1; i < NF; i++) if ($i == "orphan") print $(i + 1) }' /proc/net/sockstat; }

# gone_within TICKS PID...: poll every 10 ms until none of the PIDs is
# alive; after TICKS polls return 1, with the survivors in $left.
gone_within() {
	_ticks=$1; shift
	_t=0
	while :; do
		left=""
		for _k in "$@"; do alive "$_k" && left="$left $_k"; done
		[ -z "$left" ] && return 0
		_t=$((_t + 1)); [ $_t -gt "$_ticks" ] && return 1
		sleep 0.01
	done
}

# orphans_back_within TICKS BASE: poll every 10 ms until the orphan count
# is back to BASE; 1 if it is not after TICKS polls.
orphans_back_within() {
	_t=0
	while [ "$(orphans)" -gt "$2" ]; do
		_t=$((_t + 1)); [ $_t -gt "$1" ] && return 1
		sleep 0.01
	done
	return 0
}
