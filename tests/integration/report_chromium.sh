#!/bin/sh
# The classroom report in a real browser: `tcplab report` writes one HTML
# file, headless Chromium loads it from disk, the DOM has the title and the
# coverage table, the console shows no error, and a screenshot is kept as
# an artifact (build/artifacts/report.png) for a person to look at.
# Skips when chromium (Debian package chromium) is not installed, or while
# this tcplab has no `report` command.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
	skip "chromium is not installed (Debian package chromium)"
"$TCPLAB" report --help >/dev/null 2>&1 || skip "this tcplab has no 'report' command yet"
ARTIFACT_DIR=${ARTIFACT_DIR:-$(cd "$(dirname "$TCPLAB")" && pwd)/artifacts}
mkdir -p "$ARTIFACT_DIR" || fail "cannot create $ARTIFACT_DIR"

"$TCPLAB" report syn-sent syn-recv -o "$TMP/report.html" >"$TMP/out" 2>&1
rc=$?
# 1 only says that an expectation failed: the report is written all the same
[ $rc -le 1 ] || { cat "$TMP/out"; fail "tcplab report: exit $rc"; }
[ -s "$TMP/report.html" ] || { cat "$TMP/out"; fail "no report written"; }
grep -q '<script' "$TMP/report.html" && fail "the report has a script"
grep -Eq '(src|href)="(https?:)?//' "$TMP/report.html" && fail "the report loads something from outside"
ok "tcplab report wrote $(wc -c <"$TMP/report.html") bytes"

# one browser at a time, never left behind: timeout ends it if it hangs
chrome() {
	timeout -k 5 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$TMP/chrome" --enable-logging=stderr --v=0 "$@"
}

url="file://$TMP/report.html"
chrome --screenshot="$ARTIFACT_DIR/report.png" --window-size=1280,2000 \
	"$url" >"$TMP/shot.out" 2>"$TMP/shot.err" ||
	{ cat "$TMP/shot.err"; fail "chromium could not take the screenshot"; }
[ -s "$ARTIFACT_DIR/report.png" ] || fail "no screenshot written"
ok "screenshot: $ARTIFACT_DIR/report.png"

chrome --dump-dom "$url" >"$TMP/dom.html" 2>"$TMP/dom.err" ||
	{ cat "$TMP/dom.err"; fail "chromium could not load the report"; }
grep -q '<title>tcplab report' "$TMP/dom.html" || fail "the page's title is not in the DOM"
grep -q 'id="coverage"' "$TMP/dom.html" || fail "the coverage table is not in the DOM"
grep -q 'class="run"' "$TMP/dom.html" || fail "no scenario section in the DOM"
grep -q '<svg' "$TMP/dom.html" || fail "no ladder diagram in the DOM"
if grep -E 'Uncaught|ERROR:CONSOLE|CONSOLE\([0-9]+\)' "$TMP/shot.err" "$TMP/dom.err"; then
	fail "the console reported an error"
fi
ok "the page loaded: title, coverage table, ladders; no console error"
