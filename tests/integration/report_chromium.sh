#!/bin/sh
# The classroom report in a real browser and on paper: `tcplab report -o
# DIR/` writes the page with its pcaps beside it; headless Chromium loads
# it from disk and prints it to PDF.  Checked on what Chromium made of it:
#  - the RFC 9293 state diagram is there, 20 transitions, the ones these
#    scenarios must take lit, ones they cannot take dimmed, and lit and dim
#    agreeing with the coverage matrix (no lit edge into a state the matrix
#    says no scenario reached, no dim box for a state it says was reached);
#  - the sections come in the order of a connection's life, whatever the
#    order on the command line, each IPv6 run folded into its scenario;
#  - no link is absolute, and every pcap link opens a file beside the page;
#  - printed, each scenario starts a page of its own (pdftotext per page);
#  - the console shows no error.
# A screenshot, the PDF and a picture of its first scenario page are kept in
# build/report-artifacts/ for a person to look at.
# Skips when chromium or poppler-utils (pdftotext, pdfinfo) are missing.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
	skip "chromium is not installed (Debian package chromium)"
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null ||
	skip "pdftotext/pdfinfo are not installed (Debian package poppler-utils)"
command -v python3 >/dev/null || skip "python3 is needed to read the DOM"
ARTIFACT_DIR=${ARTIFACT_DIR:-$(cd "$(dirname "$TCPLAB")" && pwd)/report-artifacts}
mkdir -p "$ARTIFACT_DIR" || fail "cannot create $ARTIFACT_DIR"

# out of life-cycle order on purpose
"$TCPLAB" report -o "$TMP/out/" rst-refused close-wait syn-recv >"$TMP/out.txt" 2>&1
rc=$?
# 1 only says that an expectation failed: the report is written all the same
[ $rc -le 1 ] || { cat "$TMP/out.txt"; fail "tcplab report: exit $rc"; }
page="$TMP/out/report.html"
[ -s "$page" ] || { cat "$TMP/out.txt"; fail "no report written"; }
[ "$(wc -l <"$TMP/out.txt")" -le 2 ] ||
	{ cat "$TMP/out.txt"; fail "report is not quiet without -v"; }
grep -q '<script' "$page" && fail "the report has a script"
ok "tcplab report -o DIR/ wrote $(wc -c <"$page") bytes, quietly"

# one browser at a time, never left behind: timeout ends it if it hangs
chrome() {
	timeout -k 5 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$TMP/chrome" --enable-logging=stderr --v=0 "$@"
}

url="file://$page"
chrome --screenshot="$ARTIFACT_DIR/report.png" --window-size=1280,2000 \
	"$url" >"$TMP/shot.out" 2>"$TMP/shot.err" ||
	{ cat "$TMP/shot.err"; fail "chromium could not take the screenshot"; }
[ -s "$ARTIFACT_DIR/report.png" ] || fail "no screenshot written"
chrome --dump-dom "$url" >"$TMP/dom.html" 2>"$TMP/dom.err" ||
	{ cat "$TMP/dom.err"; fail "chromium could not load the report"; }
if grep -E 'Uncaught|ERROR:CONSOLE|CONSOLE\([0-9]+\)' "$TMP/shot.err" "$TMP/dom.err"; then
	fail "the console reported an error"
fi
ok "the page loaded (screenshot $ARTIFACT_DIR/report.png), no console error"

# The DOM as Chromium built it, read with python3's own HTML parser
python3 - "$TMP/dom.html" "$TMP/out" >"$TMP/dom.check" 2>&1 <<'EOF'
import html.parser, os, sys

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.svg = 0          # depth inside the large diagram
        self.edges = []       # (class, from, to) of the large diagram
        self.boxes = {}       # state -> class, large diagram
        self.sections = []    # (id, group) in document order
        self.links = []
        self.cover_th = []
        self.reached = []
        self.in_cov = False
        self.row = None
        self.cell = None
    def handle_starttag(self, tag, a):
        a = dict(a)
        cls = (a.get('class') or '').split()
        if tag == 'svg' and 'fsm' in cls and 'small' not in cls and not self.edges:
            self.svg = 1
        elif self.svg and tag == 'svg':
            self.svg += 1
        if self.svg == 1 and tag == 'g' and 'edge' in cls:
            self.edges.append((cls[1], a['data-from'], a['data-to']))
        if self.svg == 1 and tag == 'g' and 'st' in cls:
            self.boxes.setdefault(a['data-state'], set()).add(cls[1])
        if tag == 'section' and 'run' in cls:
            self.sections.append((a['id'], a['data-group']))
        for k in ('href', 'src'):
            if k in a:
                self.links.append(a[k])
        if tag == 'table' and a.get('id') == 'coverage':
            self.in_cov = True
        if self.in_cov and tag == 'tr':
            self.row = []
        if self.in_cov and tag in ('td', 'th'):
            self.cell = ''
    def handle_endtag(self, tag):
        if self.svg and tag == 'svg':
            self.svg -= 1
            if not self.svg:
                self.svg = -1  # done with the large one
        if self.in_cov and tag in ('td', 'th') and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        if self.in_cov and tag == 'tr' and self.row is not None:
            if not self.cover_th:
                self.cover_th = self.row[1:]
            elif self.row and self.row[0] == 'reached':
                self.reached = self.row[1:]
            self.row = None
        if tag == 'table':
            self.in_cov = False
    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d

p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
bad = []
if len(p.edges) != 20:
    bad.append('the state diagram has %d transitions, not 20' % len(p.edges))
lit = {(f, t) for c, f, t in p.edges if c == 'lit'}
dim = {(f, t) for c, f, t in p.edges if c == 'dim'}
must = [('CLOSED', 'LISTEN'), ('CLOSED', 'SYN-SENT'), ('LISTEN', 'SYN-RECEIVED'),
        ('SYN-SENT', 'ESTABLISHED'), ('SYN-RECEIVED', 'ESTABLISHED'),
        ('ESTABLISHED', 'FIN-WAIT-1'), ('ESTABLISHED', 'CLOSE-WAIT'),
        ('FIN-WAIT-1', 'FIN-WAIT-2')]
never = [('LISTEN', 'SYN-SENT'), ('CLOSING', 'TIME-WAIT'),
         ('FIN-WAIT-1', 'CLOSING'), ('CLOSE-WAIT', 'LAST-ACK')]
for e in must:
    if e not in lit:
        bad.append('transition %s -> %s is not lit' % e)
for e in never:
    if e not in dim:
        bad.append('transition %s -> %s is lit, no scenario here takes it' % e)
reached = dict(zip(p.cover_th, p.reached))
if len(reached) != 11:
    bad.append('the coverage matrix has %d states' % len(reached))
for f, t in lit:
    if reached.get(t) != 'yes':
        bad.append('%s -> %s is lit, but the matrix says %s was not reached' % (f, t, t))
for st, r in reached.items():
    if r == 'yes' and st != 'CLOSED' and 'lit' not in p.boxes.get(st, set()):
        bad.append('the matrix has %s reached, its box is dim' % st)
order = ['listen', 'handshake', 'established', 'active-close', 'passive-close',
         'simultaneous-close', 'time-wait', 'closed', 'resets', 'timers',
         'keepalive', 'flood', 'other']
groups = [g for _, g in p.sections]
if [s for s, _ in p.sections] != ['run-syn-recv-ipv4-nftables',
                                  'run-close-wait-ipv4-nftables',
                                  'run-rst-refused-ipv4-nftables']:
    bad.append('sections %s: not one per scenario in life-cycle order' % p.sections)
if groups != sorted(groups, key=order.index):
    bad.append('chapters out of order: %s' % groups)
pcaps = 0
for l in p.links:
    if l.startswith('/') or l.startswith('file:') or '://' in l:
        bad.append('absolute link %s' % l)
    elif not l.startswith('#'):
        pcaps += 1
        if not os.path.isfile(os.path.join(sys.argv[2], l)):
            bad.append('link %s opens nothing beside the page' % l)
if pcaps < 6:
    bad.append('only %d pcap links' % pcaps)
print('%d lit, %d dim transitions; sections %s; %d pcap links' %
      (len(lit), len(dim), groups, pcaps))
for b in bad:
    print('BAD: ' + b)
sys.exit(1 if bad else 0)
EOF
st=$?
cat "$TMP/dom.check"
[ $st = 0 ] || fail "the page as Chromium read it is wrong (above)"
ok "state diagram lit as the coverage says, sections in life-cycle order, links relative"

# On paper: each scenario's section starts a page
chrome --no-pdf-header-footer --print-to-pdf="$TMP/report.pdf" "$url" \
	>"$TMP/pdf.out" 2>"$TMP/pdf.err" ||
	{ cat "$TMP/pdf.err"; fail "chromium could not print the report"; }
pages=$(pdfinfo "$TMP/report.pdf" | sed -n 's/^Pages: *//p')
[ "${pages:-0}" -ge 4 ] || fail "the PDF has ${pages:-no} pages"
n=0
for s in syn-recv close-wait rst-refused; do
	found=0
	i=1
	while [ $i -le "$pages" ]; do
		# the first two lines of text of page i: a chapter, then the title
		if pdftotext -f $i -l $i -layout "$TMP/report.pdf" - 2>/dev/null |
			grep -v '^[[:space:]]*$' | head -2 | grep -q "^ *$s: "; then
			found=$i
			break
		fi
		i=$((i + 1))
	done
	[ $found -gt 0 ] || fail "printed, $s does not start a page"
	n=$((n + 1))
	[ $n = 1 ] && command -v pdftoppm >/dev/null &&
		pdftoppm -f $found -l $found -r 70 -png "$TMP/report.pdf" "$ARTIFACT_DIR/report-page"
done
cp "$TMP/report.pdf" "$ARTIFACT_DIR/report.pdf"
ok "printed ($pages pages): each of the $n scenarios starts a page ($ARTIFACT_DIR/report.pdf)"

# This machine's kernel as one column: its results beside those recorded on
# 5.10 (tests/data/compare), one page, nothing run by report itself
"$TCPLAB" check -f 4 -F nftables --json "$TMP/host.json" syn-retries-default \
	>"$TMP/host.out" 2>&1 || { cat "$TMP/host.out"; fail "check --json on this kernel"; }
"$TCPLAB" report -o "$TMP/kernels.html" "$TMP/host.json" \
	"$SRC/tests/data/compare/linux-5.10.json" >"$TMP/kernels.out" 2>&1
rc=$?
[ $rc -le 1 ] || { cat "$TMP/kernels.out"; fail "report of two kernels: exit $rc"; }
chrome --dump-dom "file://$TMP/kernels.html" >"$TMP/kdom.html" 2>"$TMP/kdom.err" ||
	{ cat "$TMP/kdom.err"; fail "chromium could not load the kernels' page"; }
grep -q "<td>$(uname -r)</td>" "$TMP/kdom.html" ||
	fail "this kernel ($(uname -r)) is not a column"
grep -q '<tr data-scenario="syn-retries-default">' "$TMP/kdom.html" ||
	fail "no matrix row for syn-retries-default"
# a kernel with tcp_syn_linear_timeouts retransmits SYNs at 1, 2, 3 ... s,
# 5.10 at 1 s and 3 s: then the two schedules are drawn on one axis
if [ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]; then
	[ $rc = 1 ] || fail "this kernel and 5.10 do not differ (exit $rc)"
	grep -q 'class="ladders"' "$TMP/kdom.html" ||
		fail "the two SYN schedules are not drawn"
fi
ok "this kernel ($(uname -r)) and 5.10 side by side in one report (exit $rc)"

# Several connections: a star draws one ladder per client host, each with
# its own connection only (two-hosts: alice's and bob's, each with the
# server); and on a chain, the states of named connections of one node say
# whose they are (two-clients: a=sa and b=sb), never sharing one unnamed
# lane - read from the SVG text Chromium laid out
"$TCPLAB" report -f 4 -F nftables -o "$TMP/conns/" two-hosts two-clients \
	>"$TMP/conns.out" 2>&1 || { cat "$TMP/conns.out"; fail "report of two-hosts and two-clients"; }
chrome --dump-dom "file://$TMP/conns/report.html" >"$TMP/cdom.html" 2>"$TMP/cdom.err" ||
	{ cat "$TMP/cdom.err"; fail "chromium could not load the connections' page"; }
python3 - "$TMP/cdom.html" >"$TMP/cdom.check" 2>&1 <<'EOF'
import html.parser, sys

class P(html.parser.HTMLParser):
    """the ladders of each section: [(class, x, y, text)] per figure"""
    def __init__(self):
        super().__init__()
        self.sec = None
        self.ladders = {}
        self.text = None
    def handle_starttag(self, tag, a):
        a = dict(a)
        cls = (a.get('class') or '').split()
        if tag == 'section' and 'run' in cls:
            self.sec = a['id']
        if tag == 'figure' and 'ladder' in cls and self.sec:
            self.ladders.setdefault(self.sec, []).append([])
        if tag == 'text' and self.sec in self.ladders:
            self.text = [set(cls), int(float(a['x'])), int(float(a['y'])), '']
    def handle_endtag(self, tag):
        if tag == 'text' and self.text:
            self.ladders[self.sec][-1].append(tuple(self.text))
            self.text = None
    def handle_data(self, d):
        if self.text:
            self.text[3] += d

p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
bad = []
star = p.ladders.get('run-two-hosts-ipv4-nftables', [])
hosts = [[t for c, x, y, t in f if 'host' in c] for f in star]
if hosts != [['alice', 'server'], ['bob', 'server']]:
    bad.append('two-hosts: ladders between %s, not alice and bob each with the server' % hosts)
for f, own, other in zip(star, ('a=sa', 'b=sb'), ('b=sb', 'a=sa')):
    arrows = [t for c, x, y, t in f if c == {'lbl'}]
    names = [t for c, x, y, t in f if 'cn' in c]
    if not arrows or any(not a.startswith(own + ':') for a in arrows):
        bad.append('two-hosts: the %s ladder has arrows %s' % (own, arrows))
    if other in names or own not in names:
        bad.append('two-hosts: the %s ladder names states of %s' % (own, names))
chain = p.ladders.get('run-two-clients-ipv4-nftables', [])
if len(chain) != 1:
    bad.append('two-clients: %d ladders, not one' % len(chain))
for f in chain:
    cn = {(x, y): t for c, x, y, t in f if 'cn' in c}
    for c, x, y, t in f:
        # a connection's state: its name beneath, at the same x
        if 'st' in c and t != 'LISTEN' and cn.get((x, y + 11)) not in ('a=sa', 'b=sb'):
            bad.append('two-clients: state %s at y=%d says no connection' % (t, y))
    for n in ('a=sa', 'b=sb'):
        if list(cn.values()).count(n) < 4:
            bad.append('two-clients: only %d states of %s' % (list(cn.values()).count(n), n))
print('two-hosts: %d ladders %s; two-clients: %d states named' %
      (len(star), hosts, sum(len([1 for c, *_ in f if 'cn' in c]) for f in chain)))
for b in bad:
    print('BAD: ' + b)
sys.exit(1 if bad else 0)
EOF
st=$?
cat "$TMP/cdom.check"
[ $st = 0 ] || fail "the ladders of several connections are wrong (above)"
ok "a star: one ladder per client host, each its own; named connections' states say whose"
