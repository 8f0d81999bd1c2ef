#!/bin/sh
# docs/architecture.md names every module of src/ in its own layer's
# section ("### LAYER (`src/LAYER`...)"), and names no module that is gone.
# $1: the tcplab binary (unused), $2: the source tree.
set -u
SRC=$2
DOC=$SRC/docs/architecture.md
fail() { echo "FAIL: $*"; exit 1; }
n=0
for f in "$SRC"/src/*/*.c "$SRC"/src/*/*.h; do
	layer=$(basename "$(dirname "$f")")
	mod=$(basename "$f"); mod=${mod%.[ch]}
	# the lines of the layer's section, up to the next heading
	awk -v l="$layer" '/^### / {on = ($2 == l)} /^##/ && !/^### / {on = 0} on' "$DOC" |
		grep -q "\`$mod\`" ||
		fail "docs/architecture.md does not name $layer/$(basename "$f") in its '### $layer' section"
	n=$((n + 1))
done
# and every module named there exists
for layer in $(sed -n 's/^### \([a-z]*\) .*/\1/p' "$DOC"); do
	[ -d "$SRC/src/$layer" ] || fail "docs/architecture.md has a layer '$layer' that src/ has not"
	for mod in $(awk -v l="$layer" '/^### / {on = ($2 == l)} /^##/ && !/^### / {on = 0} on' "$DOC" |
		sed -n 's/^- `\([a-z0-9_]*\)`.*/\1/p'); do
		ls "$SRC/src/$layer/$mod".[ch] >/dev/null 2>&1 ||
			fail "docs/architecture.md names $layer/$mod, which src/ has not"
	done
done
echo "ok: docs/architecture.md names all $n files of src/ in their layers"
