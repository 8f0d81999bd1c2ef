#!/bin/sh
# `tcplab report` given several kernels' results: nothing is run, and the
# page is a kernel x scenario matrix with the differences drawn.  On the
# results recorded on Debian's 5.10 and 7.3 kernels (tests/data/compare),
# loaded in headless Chromium and checked on the DOM it built:
#  - one matrix row per scenario, one cell per kernel; syn-retries-default
#    (the SYN schedule: 5.10 doubles its timeout, 7.3 is linear) marked as
#    differing, in every cell, and linking to its section; the others not;
#  - the two ladders share one time axis: each kernel's lane has its own
#    retransmissions (2 on 5.10, 5 on 7.3), and the retransmission at ~1 s
#    sits at the same x in both lanes, the one at ~3 s too, each at the x
#    of its time on the axis' gridlines;
#  - no script, no console error; well-formed XML (xmllint).
# Bad operands: a results file mixed with a scenario, or a single results
# file, exit 2 and write nothing.  The screenshot is kept in
# build/report-artifacts/kernels.png.
# $1: the tcplab binary, $2: the source tree, $3: the build tree.
set -u
TCPLAB=$1
DATA=$2/tests/data/compare
fail() { echo "FAIL: $*"; exit 1; }
TMP=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$TMP"' EXIT

# bad operands first: nothing written
"$TCPLAB" report -o "$TMP/bad.html" "$DATA/linux-5.10.json" syn-sent >"$TMP/err" 2>&1
[ $? = 2 ] || { cat "$TMP/err"; fail "results and a scenario: not exit 2"; }
grep -q "not both" "$TMP/err" || { cat "$TMP/err"; fail "no reason given"; }
"$TCPLAB" report -o "$TMP/bad.html" "$DATA/linux-5.10.json" >"$TMP/err" 2>&1
[ $? = 2 ] || { cat "$TMP/err"; fail "one results file: not exit 2"; }
[ -e "$TMP/bad.html" ] && fail "a refused report wrote its page"
echo "ok: mixed operands and a single results file refused (exit 2, nothing written)"

"$TCPLAB" report -o "$TMP/out/" "$DATA/linux-5.10.json" "$DATA/linux-7.3.json" \
	>"$TMP/out.txt" 2>&1
rc=$?
# 1: the kernels differ in behaviour (as compare says it)
[ $rc = 1 ] || { cat "$TMP/out.txt"; fail "report of two kernels: exit $rc, not 1"; }
page=$TMP/out/report.html
[ -s "$page" ] || fail "no page written"
grep -q '<script' "$page" && fail "the page has a script"
if command -v xmllint >/dev/null; then
	xmllint --noout "$page" || fail "the page is not well-formed XML"
fi
echo "ok: report of two kernels written ($(wc -c <"$page") bytes), exit 1 (they differ)"

CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
	{ echo "SKIP: chromium is not installed (Debian package chromium)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to read the DOM"; exit 77; }
ART=${3:-$TMP}/report-artifacts
mkdir -p "$ART" || fail "cannot create $ART"
chrome() {
	timeout -k 5 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$TMP/chrome" --enable-logging=stderr --v=0 "$@"
}
chrome --screenshot="$ART/kernels.png" --window-size=1000,1000 "file://$page" \
	>/dev/null 2>"$TMP/shot.err" || { cat "$TMP/shot.err"; fail "no screenshot"; }
chrome --dump-dom "file://$page" >"$TMP/dom.html" 2>"$TMP/dom.err" ||
	{ cat "$TMP/dom.err"; fail "chromium could not load the page"; }
if grep -E 'Uncaught|ERROR:CONSOLE|CONSOLE\([0-9]+\)' "$TMP/shot.err" "$TMP/dom.err"; then
	fail "the console reported an error"
fi

python3 - "$TMP/dom.html" <<'PY' || fail "the page as Chromium read it is wrong (above)"
import html.parser, sys

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows = {}       # scenario -> [cell classes]
        self.row = None
        self.links = []
        self.ids = set()
        self.svgs = []       # [{kernel: [(class, x1, t_us)]}], [(x, label)]
        self.lane = None
        self.grid = []
        self.text = None
    def handle_starttag(self, tag, a):
        a = dict(a)
        cls = (a.get('class') or '').split()
        if 'id' in a:
            self.ids.add(a['id'])
        if tag == 'tr' and 'data-scenario' in a:
            self.row = self.rows.setdefault(a['data-scenario'], [])
        elif tag == 'td' and self.row is not None and cls and cls[0] in ('pass', 'fail', 'skip', 'none'):
            self.row.append(cls)
        if tag == 'a' and 'href' in a:
            self.links.append(a['href'])
        if tag == 'svg' and 'ladders' in cls:
            self.svgs.append(({}, []))
        if tag == 'g' and 'lane' in cls:
            self.lane = self.svgs[-1][0].setdefault(a['data-kernel'], [])
        if tag == 'line' and self.lane is not None and cls and cls[0] in ('sent', 'rtx', 'recv'):
            self.lane.append((cls[0], float(a['x1']), int(a['data-t-us'])))
        if tag == 'line' and 'grid' in cls:
            self.grid.append(float(a['x1']))
    def handle_endtag(self, tag):
        if tag == 'tr':
            self.row = None
        if tag == 'g':
            self.lane = None

p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
bad = []
if sorted(p.rows) != ['established', 'syn-flood', 'syn-retries-default']:
    bad.append('matrix rows %s' % sorted(p.rows))
for s, cells in p.rows.items():
    if len(cells) != 2:
        bad.append('%s has %d kernel cells' % (s, len(cells)))
    differs = [('drift' in c) for c in cells]
    want = s == 'syn-retries-default'
    if differs != [want, want]:
        bad.append('%s marked %s, expected %s' % (s, differs, want))
if '#cmp-syn-retries-default' not in p.links or 'cmp-syn-retries-default' not in p.ids:
    bad.append('syn-retries-default does not link to its section')
for l in p.links:
    if l.startswith('#') and l[1:] not in p.ids:
        bad.append('link %s goes nowhere' % l)
if len(p.svgs) != 1:
    bad.append('%d ladder drawings, expected 1' % len(p.svgs))
else:
    lanes = p.svgs[0][0]
    rtx = {k: [(x, t) for c, x, t in v if c == 'rtx'] for k, v in lanes.items()}
    if sorted(rtx) != ['A', 'B'] or len(rtx['A']) != 2 or len(rtx['B']) != 5:
        bad.append('retransmissions per lane: %s' % {k: len(v) for k, v in rtx.items()})
    else:
        # one time axis: ~1 s and ~3 s at the same x in both lanes
        for i, j in ((0, 0), (1, 2)):
            (xa, ta), (xb, tb) = rtx['A'][i], rtx['B'][j]
            if abs(xa - xb) > 6:
                bad.append('%d us at x=%.0f in A, %d us at x=%.0f in B: not one axis' % (ta, xa, tb, xb))
        # the axis: x proportional to time, gridlines at round times
        g = sorted(set(p.grid))
        if len(g) < 3:
            bad.append('%d gridlines' % len(g))
        else:
            per_s = None
            for c, x, t in lanes['B']:
                if t == 0:
                    if abs(x - g[0]) > 1:
                        bad.append('time 0 at x=%.0f, the axis starts at %.0f' % (x, g[0]))
            step = g[1] - g[0]
            xb, tb = rtx['B'][4]
            # 7.3's fifth retransmission, ~5.1 s: the gridlines are 1 s apart
            if abs((xb - g[0]) / step - tb / 1e6) > 0.05:
                bad.append('%d us drawn at x=%.0f, not on the axis (step %.1f px)' % (tb, xb, step))
    print('matrix %s; lanes %s' % ({s: len(c) for s, c in p.rows.items()},
          {k: len(v) for k, v in lanes.items()} if p.svgs else None))
for b in bad:
    print('BAD: ' + b)
sys.exit(1 if bad else 0)
PY
echo "ok: matrix of 3 scenarios x 2 kernels, syn-retries-default drawn as two ladders on one time axis ($ART/kernels.png)"
