#!/bin/sh
# The four core scenarios confirm their states, with the socket tables
# that show them (the whole catalogue is catalogue.sh).
. "$(dirname "$0")/lib.sh"

# each core state is confirmed, with its socket table
"$TCPLAB" run syn-sent syn-recv fin-wait-1 close-wait >"$TMP/core" 2>&1 ||
	{ cat "$TMP/core"; fail "the core four failed together"; }
# (states by RFC 9293's names, in the tables too)
for s in "client +state SYN-SENT confirmed" "server +state SYN-RECEIVED confirmed" \
	 "client +state FIN-WAIT-1 confirmed" "server +state CLOSE-WAIT confirmed" \
	 "client +state FIN-WAIT-2 confirmed" "server +state LISTEN confirmed" \
	 "state ESTABLISHED confirmed"; do
	grep -Eq "$s" "$TMP/core" || { cat "$TMP/core"; fail "missing: $s"; }
done
grep -Eq '^ +> client +SYN-SENT +0 +1 +198\.18\.0\.1:[0-9]+ +198\.18\.0\.2:80 +on,' "$TMP/core" ||
	{ cat "$TMP/core"; fail "no marked SYN-SENT row with a retransmit timer"; }
grep -Eq '^ +> server +SYN-RECEIVED .*198\.18\.0\.2:80 +198\.18\.0\.1:[0-9]+ +on,' "$TMP/core" ||
	{ cat "$TMP/core"; fail "no marked SYN-RECEIVED request socket row"; }
grep -q '^4 passed, 0 failed$' "$TMP/core" || fail "no summary line"
ok "core states confirmed with their socket tables"
