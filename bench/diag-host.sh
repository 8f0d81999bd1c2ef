#!/bin/sh
# What other namespaces' sockets cost a lab: bench_diag --host times a
# tcplab run of the four card states (the whole process) and a lab's
# sock_diag dump, first with nothing held, then while 100,000 listening
# sockets are held in network namespaces of the bench's own (the kernel's
# listening hash is one for the whole machine).  Called by bench/run, under
# its busy loops; as root:
#
#   bench/diag-host.sh BENCH_DIR TCPLAB [RUNS] [SOCKETS]
set -eu
B=$1 T=$2 runs=${3:-20} socks=${4:-100000}
cap=$(mktemp -d)
trap 'rm -rf "$cap"' EXIT
"$B/bench_diag" --host "$runs" "$socks" \
	"$T" run -c "$cap" syn-sent syn-recv fin-wait-1 close-wait
