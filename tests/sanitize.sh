#!/bin/sh
# The bad-input table (tests/integration/bad_input.sh) and the fuzz
# replays (fuzz/corpus, fuzz/regress) against a build with AddressSanitizer
# and UBSan, where any report aborts (-fno-sanitize-recover=all).
# $1: the source tree, $2: the build directory to use (made if missing).
set -eu
src=$1 build=$2
command -v cc >/dev/null || { echo "SKIP: no C compiler"; exit 77; }
cmake -B "$build" -S "$src" -DCMAKE_BUILD_TYPE=Debug -DTCPLAB_SANITIZE=ON \
	>/dev/null
cmake --build "$build" -j2 --target tcplab fuzz_replay_scenario \
	fuzz_replay_diag fuzz_replay_nflog >/dev/null
bin=$build/tcplab
[ -x "$bin" ] || bin=$build/src/tcplab
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in scenario diag nflog; do
	"$build/tests/fuzz_replay_$t" "$src/fuzz/corpus/$t" "$src/fuzz/regress/$t" ||
		{ echo "FAIL: fuzz_replay_$t under ASan/UBSan"; exit 1; }
done
echo "ok: fuzz corpus and kept crashes replayed under ASan/UBSan"
# LeakSanitizer cannot run under ptrace (strace is the witness there); the
# replays above did check for leaks
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0
TCPLAB_BAD_INPUT_BIN=$bin exec "$src/tests/integration/bad_input.sh" "$bin" "$src"
