#!/bin/sh
# Every bad input is refused before a lab exists: each class of malformed
# scenario file below makes `tcplab run`, `check` and `show` exit 2 (or 3)
# with FILE:LINE:COL and a message, and build nothing.  "Nothing built" is
# seen by strace as the independent witness: no new network namespace
# (unshare/clone/setns with CLONE_NEWNET), no new process (the keeper), no
# netlink socket.  A FIFO must not hang: every command runs under a
# timeout.  With TCPLAB_BAD_INPUT_BIN set (the ASan/UBSan build, see
# tests/sanitize.sh) the same table runs against that binary, and any
# sanitizer report fails it.
. "$(dirname "$0")/lib.sh"

BIN=${TCPLAB_BAD_INPUT_BIN:-$TCPLAB}
command -v strace >/dev/null || skip "strace is needed as the witness"
D=$TMP/bad
mkdir -p "$D"
n=0

# case NAME: the text on stdin becomes $D/NAME.tcp (name matches the file)
case_() {
	n=$((n + 1))
	cat >"$D/$1.tcp"
}
H='scenario NAME
title "t"'
hdr() { echo "$H" | sed "s/NAME/$1/"; }
# step NAME LINES...: a header, then the lines
step() {
	name=$1; shift
	{ hdr "$name"; printf '%s\n' "$@"; } | case_ "$name"
}

# --- the file itself
: | case_ empty
printf '# only a comment\n\n   \n' | case_ comments
printf '\n\n\n' | case_ blank
printf 'scenario nul\ntitle "a\000b"\n' | case_ nul
printf '\177ELF\002\001\001\000\000\000' | case_ elf
head -c 2000000 /dev/zero | tr '\0' '#' | case_ huge
{ hdr huge-text; echo "server listen 80"; yes 'wait 1ms' | head -n 150000; } | case_ huge-text
mkfifo "$D/fifo.tcp"; n=$((n + 1))
mkdir "$D/dir.tcp"; n=$((n + 1))
step unreadable "server listen 80"; chmod 000 "$D/unreadable.tcp"
ln -s loop-b.tcp "$D/loop-a.tcp"; ln -s loop-a.tcp "$D/loop-b.tcp"; n=$((n + 1))
ln -s nowhere.tcp "$D/dangling.tcp"; n=$((n + 1))
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock.tcp" && n=$((n + 1))
step other-name "server listen 80"; sed -i 's/^scenario other-name/scenario another/' "$D/other-name.tcp"
# --- the header
printf 'title "t"\nscenario a\n' | case_ no-scenario-first
printf 'scenario Bad\ntitle "t"\nserver listen 80\n' | case_ bad-name
printf 'scenario twice\nscenario twice\n' | case_ scenario-twice
printf 'scenario no-title\nserver listen 80\n' | case_ no-title
printf 'scenario unquoted\ntitle t\nserver listen 80\n' | case_ unquoted
printf 'scenario empty-title\ntitle ""\nserver listen 80\n' | case_ empty-title
printf 'scenario blank-title\ntitle "   "\nserver listen 80\n' | case_ blank-title
printf 'scenario title-twice\ntitle "a"\ntitle "b"\nserver listen 80\n' | case_ title-twice
printf 'scenario unterminated\ntitle "t\nserver listen 80\n' | case_ unterminated
printf 'scenario escape\ntitle "a\\qb"\nserver listen 80\n' | case_ escape
printf 'scenario control\ntitle "a\001b"\nserver listen 80\n' | case_ control
printf 'scenario del\ntitle "a\177b"\nserver listen 80\n' | case_ del
printf 'scenario utf8-bad\ntitle "caf\303("\nserver listen 80\n' | case_ utf8-bad
printf 'scenario utf8-overlong\ntitle "t"\nteaches "\300\257"\nserver listen 80\n' | case_ utf8-overlong
printf 'scenario utf8-surrogate\ntitle "t"\nteaches "\355\240\200"\nserver listen 80\n' | case_ utf8-surrogate
printf 'scenario utf8-cut\ntitle "t"\nteaches "\342\202"\nserver listen 80\n' | case_ utf8-cut
printf 'scenario utf8-high\ntitle "t"\nteaches "\364\220\200\200"\nserver listen 80\n' | case_ utf8-high
printf 'scenario utf8-word\ntitle "t"\nserv\303\251r listen 80\n' | case_ utf8-word
step family-5 "family 5" "server listen 80"
step topo-dup "topology a a" "a listen 80"
step topo-late "server listen 80" "topology a b"
step topo-name "topology A b" "b listen 80"
step topo-many "topology a b c d e" "a listen 80"
step topo-one "topology a" "a listen 80"
step sysctl-host "sysctl client kernel.panic=1" "server listen 80"
step sysctl-noeq "sysctl client net.ipv4.x" "server listen 80"
step sysctl-late "server listen 80" "sysctl client net.ipv4.tcp_syn_retries=2"
step sysctl-node "sysctl router net.ipv4.tcp_syn_retries=2" "server listen 80"
hdr no-steps | case_ no-steps
# --- numbers: DIGITS[.DIGITS] only
step wait-nan "server listen 80" "wait nanms"
step wait-NaN "server listen 80" "wait NaNms"
step wait-inf "server listen 80" "wait infs"
step wait-exp "server listen 80" "wait 1e3ms"
step wait-hex "server listen 80" "wait 0x1p-3s"
step wait-neg "server listen 80" "wait -5s"
step wait-plus "server listen 80" "wait +5s"
step wait-unit "server listen 80" "wait 2h"
step wait-long "server listen 80" "wait 61min"
step wait-fine "server listen 80" "wait 1.0000000001s"
step wait-dot "server listen 80" "wait .5s"
step within-nan "server listen 80" "server accept within NaNms"
step expires-nan "server listen 80" "expect server state LISTEN expires nans"
step at-nan "client connect 80" "expect client error ECONNREFUSED at nans"
step retrans-nan "client connect 80" "expect client retransmits at 1s,nans"
step retrans-order "client connect 80" "expect client retransmits at 3s,1s"
step port-0 "server listen 0"
step port-big "server listen 70000"
step port-hex "server listen 0x50"
step port-huge "server listen 99999999999999999999999999"
step port-name "server listen http"
step backlog-big "server listen 80 backlog 70000"
step send-0 "server listen 80" "client connect 80" "client send 0"
step send-exp "server listen 80" "client connect 80" "client send 1e3"
step send-big "server listen 80" "client connect 80" "client send 999999999"
step count-hex "server listen 80" "expect drops server count>=0x3"
step counter-exp "server listen 80" "expect server counter TcpExtListenDrops >= 1e3"
step counter-neg "server listen 80" "expect server counter TcpExtListenDrops >= -1"
step connect-count-0 "server listen 80" "client connect server 80 count 0"
step connect-count-big "server listen 80" "client connect server 80 count 5000"
step ka-ms "server listen 80" "client connect 80" "client keepalive idle 500ms intvl 1s count 2"
step ka-count "server listen 80" "client connect 80" "client keepalive idle 1s intvl 1s count 200"
# --- misplaced directives, unknown words
step unknown-directive "bounce 3"
step unknown-action "server dance"
step unknown-node "client connect router 80"
step connect-self "client connect client 80"
step expect-first "expect server state LISTEN" "server listen 80"
step drops-first "firewall server input tcp drop" "expect drops server count>=1"
step long-title "long title \"x\"" "server listen 80"
step hook "firewall server sideways tcp drop"
step udp "firewall server input udp drop"
step no-action "firewall server input tcp dport 80"
step flags "firewall server input tcp flags SYX drop"
step mask "firewall server input tcp flags SYN/ACK drop"
step rule-trailing "firewall server input tcp drop now"
step forward-host "firewall server forward tcp drop"
step forward-client "topology client router server" "firewall client forward tcp drop"
step ipv6-in-4 "family 4" "firewall server input ipv6 tcp drop" "server listen 80"
step ipv4-in-6 "family 6" "firewall server input ipv4 tcp drop" "server listen 80"
step ct "firewall server input tcp ct new drop"
step state "server listen 80" "expect server state SYN_SNET"
step closed-timer "server listen 80" "expect server state CLOSED timer on"
step timer "server listen 80" "expect server state LISTEN timer soon"
step errno "client connect 80" "expect client error EWHAT"
step expectation "server listen 80" "expect server smile"
step counter-typo "server listen 80" "expect server counter TcpExtListenDrop >= 1"
step counter-case "server listen 80" "expect server counter tcpextlistendrops >= 1"
step counter-prefix "server listen 80" "expect server counter Syncookies >= 1"
step cmp "server listen 80" "expect server counter TcpExtListenDrops => 1"
step packets "server listen 80" "expect packets client<server count>=1"
step pair-action "client,server listen 80"
step pair-same "client,client close"
step words "server listen 80 a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6"
step string-first "\"x\" listen 80"
printf 'scenario ctl-word\ntitle "t"\nserver listen 8\0010\n' | case_ ctl-word
{ hdr long-word; printf 'server %s\n' "$(head -c 3000 /dev/zero | tr '\0' x)"; } | case_ long-word
step close-trailing "server listen 80" "client connect 80" "client close now"

n=$(ls -A "$D" | wc -l)
[ "$n" -ge 89 ] || fail "only $n classes of bad input"

# check FILE CMD: exit 2 or 3, FILE:LINE:COL on stderr, nothing built
check_one() {
	f=$1 cmd=$2
	timeout 10 strace -f -qq -o "$TMP/trace" \
		-e trace=unshare,setns,clone,clone3,fork,vfork,socket \
		"$BIN" $cmd "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 124 ] && fail "tcplab $cmd $f hangs"
	[ $rc = 2 ] || [ $rc = 3 ] || { cat "$TMP/err"; fail "tcplab $cmd $f: exit $rc, want 2 or 3"; }
	grep -q "^$f:[0-9][0-9]*:[0-9][0-9]*: ." "$TMP/err" ||
		{ cat "$TMP/err"; fail "tcplab $cmd $f: no $f:LINE:COL: message"; }
	if grep -E 'CLONE_NEWNET|^[0-9]+ +(clone|clone3|fork|vfork)\(|AF_NETLINK' "$TMP/trace" >/dev/null; then
		grep -E 'CLONE_NEWNET|clone|fork|AF_NETLINK' "$TMP/trace"
		fail "tcplab $cmd $f built something"
	fi
	if grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
		cat "$TMP/err"; fail "tcplab $cmd $f: sanitizer report"
	fi
}

for f in "$D"/*.tcp; do
	for cmd in run check show; do
		check_one "$f" $cmd
	done
done
ok "$n classes of bad input: run, check and show exit 2 or 3 at FILE:LINE:COL, create no namespace, process or netlink socket${TCPLAB_BAD_INPUT_BIN:+ (sanitizer build, no report)}"
