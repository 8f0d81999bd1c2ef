#!/bin/sh
# The whole catalogue passes over IPv4 and IPv6 with the nftables backend.
# Scenarios run in parallel, one tcplab process each (most of them wait on
# kernel timers), at most four per CPU at a time: with the whole catalogue
# started at once on two CPUs, labs wait tens of milliseconds for a CPU and
# the scenarios' 50 ms windows measure the machine's queue, not the kernel.
# Each must print PASS for both families.
. "$(dirname "$0")/lib.sh"
FIREWALL=${FIREWALL:-nftables}

names=$("$TCPLAB" list | awk '{print $1}')
[ "$(echo "$names" | wc -w)" -ge 20 ] || fail "expected the full catalogue, got: $names"
start=$(date +%s%N)
export TCPLAB FIREWALL TMP
echo "$names" | xargs -P $(( $(nproc) * 4 )) -n 1 sh -c '
	"$TCPLAB" run --firewall "$FIREWALL" --family both "$1" >"$TMP/$1.out" 2>&1
	echo $? >"$TMP/$1.rc"' sh
end=$(date +%s%N)
bad=0
for n in $names; do
	rc=$(cat "$TMP/$n.rc")
	if [ "$rc" != 0 ] || [ "$(grep -c "^PASS $n (IPv[46], $FIREWALL)" "$TMP/$n.out")" != 2 ]; then
		cat "$TMP/$n.out"
		echo "FAIL: $n (exit $rc)"
		bad=$((bad + 1))
	else
		ok "$n passes over IPv4 and IPv6 ($FIREWALL)"
	fi
done
[ $bad = 0 ] || fail "$bad scenario(s) failed"
ok "catalogue wall time $(( (end - start) / 1000000 )) ms"
