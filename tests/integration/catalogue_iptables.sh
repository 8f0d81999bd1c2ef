#!/bin/sh
# The whole catalogue passes over IPv4 and IPv6 with the iptables (libiptc)
# backend, and the host's legacy and nft rulesets stay as they were.
. "$(dirname "$0")/lib.sh"
before=$(host_state)
FIREWALL=iptables sh "$(dirname "$0")/catalogue.sh" "$TCPLAB" "$SRC" || exit $?
[ "$before" = "$(host_state)" ] || fail "the host's rulesets or links changed"
ok "host legacy and nft rulesets identical after the iptables catalogue"
