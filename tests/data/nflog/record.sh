#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# record.sh - record the NFLOG fixtures of this directory (see README.md).
#
# Usage, as root, from the source tree after a build:
#   tests/data/nflog/record.sh [BUILD_DIR]
# Everything happens in an anonymous network namespace made by unshare(1),
# which the kernel frees, with its rules, when the script ends.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
build=${1:-$src/build}
bin=$(mktemp /tmp/tcplab-nflog-record.XXXXXX)
trap 'rm -f "$bin"' EXIT

cc -std=gnu11 -I"$src/src" "$here/record.c" "$build/libtcplabcore.a" \
	$(pkg-config --libs libmnl libnftnl libip4tc libip6tc) -lpthread -o "$bin"

unshare --net sh -eu -c '
ip link set lo up
nft -f - <<NFT
table inet rec {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 7001 counter log prefix "tcplab:1" group 1 drop
		tcp dport 7006 counter log prefix "someone-else" group 1 drop
	}
	chain output {
		type filter hook output priority 0; policy accept;
		tcp dport 7002 counter log prefix "tcplab:2" group 1 drop
	}
}
NFT
for ipt in iptables-legacy ip6tables-legacy; do
	$ipt -A INPUT -p tcp --dport 7003 -j NFLOG --nflog-group 2 --nflog-prefix tcplab:3
	$ipt -A INPUT -p tcp --dport 7003 -j DROP
	$ipt -A OUTPUT -p tcp --dport 7004 -j NFLOG --nflog-group 2 --nflog-prefix tcplab:4
	$ipt -A OUTPUT -p tcp --dport 7004 -j DROP
	$ipt -A OUTPUT -p tcp --dport 7005 --tcp-flags PSH PSH -j NFLOG --nflog-group 2 --nflog-prefix tcplab:5
	$ipt -A OUTPUT -p tcp --dport 7005 --tcp-flags PSH PSH -j DROP
done
"$0" "$1"
' "$bin" "$here"
