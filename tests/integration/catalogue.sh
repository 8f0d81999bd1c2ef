#!/bin/sh
# The whole catalogue passes over IPv4 and IPv6 with the nftables backend.
# Scenarios run in parallel, one tcplab process each (most of them wait on
# kernel timers); each must print PASS for both families.
. "$(dirname "$0")/lib.sh"
FIREWALL=${FIREWALL:-nftables}

names=$("$TCPLAB" list | awk '{print $1}')
[ "$(echo "$names" | wc -w)" -ge 20 ] || fail "expected the full catalogue, got: $names"
start=$(date +%s%N)
for n in $names; do
	( "$TCPLAB" run --firewall "$FIREWALL" --family both "$n" >"$TMP/$n.out" 2>&1
	  echo $? >"$TMP/$n.rc" ) &
done
wait
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
