#!/bin/bash
# The bash completion (completion/tcplab.bash), sourced into bash and asked
# what it completes: commands, each command's options and no other's,
# option values, scenario names from 'tcplab list', kept-lab names.
# $1: the tcplab binary, $2: the source tree.
set -u
TMP=$(mktemp -d /tmp/tcplab-compl.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
ln -s "$1" "$TMP/tcplab"
mkdir "$TMP/cwd" && cd "$TMP/cwd" || exit 1   # no files beside the names
PATH=$TMP:$PATH
export TCPLAB_SCENARIOS=${TCPLAB_SCENARIOS:-$2/scenarios}
# shellcheck source=/dev/null
. "$2/completion/tcplab.bash"
n=0
fail() { echo "FAIL: $*"; exit 1; }

# complete LINE: the completions of LINE's last word (LINE ending in a
# blank completes an empty word), one a line, sorted.  Words are split as
# bash splits them for completion: at blanks, and around '='.
complete_line() {
	read -r -a COMP_WORDS <<<"${1//=/ = }"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMPREPLY=()
	_tcplab
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}

# has LINE WORD...: every WORD is among LINE's completions
has() {
	local line=$1 w got
	shift
	got=$(complete_line "$line")
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" || fail "'$line' does not complete '$w' (got: $(echo $got))"
	done
	n=$((n + 1))
}

# hasnt LINE WORD...: no WORD is among LINE's completions
hasnt() {
	local line=$1 w got
	shift
	got=$(complete_line "$line")
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" && fail "'$line' completes '$w'"
	done
	n=$((n + 1))
}

# exactly LINE WORDS: the completions are exactly WORDS
exactly() {
	local got
	got=$(complete_line "$1" | tr '\n' ' ')
	[[ $got == "$2" ]] || fail "'$1' completes '$got', want '$2'"
	n=$((n + 1))
}

complete -p tcplab | grep -q _tcplab || fail "no completion registered for tcplab"
has "tcplab " list show run check report up down clean help
exactly "tcplab ru" "run "
exactly "tcplab r" "report run "
has "tcplab -" --help --version -V
exactly "tcplab help ch" "check "
# each command's options, and not another command's
has "tcplab run -" -f --family --firewall --slow --quiet --packets --no-ladder --captures --no-captures --long --help
hasnt "tcplab run -" --jobs --junit --output --format
has "tcplab check --" --jobs --junit --json --baseline --verbose --captures
hasnt "tcplab check --" --output --format --quiet
has "tcplab report --" --output --format --family --verbose
hasnt "tcplab report --" --junit --json --baseline --jobs
exactly "tcplab up --no-" "--no-captures --no-ladder "
exactly "tcplab list -" "--help -h "
# option values
exactly "tcplab run --family " "4 6 both "
exactly "tcplab run -F " "iptables nftables "
exactly "tcplab check --firewall " "all iptables nftables "
exactly "tcplab report --format " "html md "
exactly "tcplab report --format=" "html md "
exactly "tcplab check --jobs " ""
# scenario names, from the catalogue
exactly "tcplab run syn-s" "syn-sent "
has "tcplab check -f 4 syn-" syn-sent syn-recv syn-retries syn-flood
all=$(tcplab list | awk '{print $1}' | sort | tr '\n' ' ')
[[ -n $all ]] || fail "tcplab list gave nothing"
exactly "tcplab show " "$all"
exactly "tcplab list " ""
exactly "tcplab clean " ""
# files where a file is taken
mkdir "$TMP/dir" && : >"$TMP/dir/mine.tcp" && : >"$TMP/dir/other.txt"
exactly "tcplab run $TMP/dir/" "$TMP/dir/mine.tcp "
exactly "tcplab check --junit $TMP/dir/o" "$TMP/dir/other.txt "
echo "ok: $n completion checks"
