# bash completion for tcplab(1)                       -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Commands; each command's options, as its own --help lists them (so they
# never drift from the binary); the values of --family, --firewall and
# --format; files and directories where an option takes one; scenario
# names from 'tcplab list' (and *.tcp files) as operands; kept labs
# ('tcplab ls') for down, exec, watch, snapshot and firewall.  Needs nothing but bash.

_tcplab_commands="list show run check report up down clean ls exec watch snapshot firewall help"

# the options COMMAND takes, from 'tcplab COMMAND --help'
_tcplab_options()
{
	"$1" "$2" --help 2>/dev/null |
		sed -n 's/^ \{1,\}\(-[^ ,]*\)\(, \(--[^ ]*\)\)\{0,1\}.*/\1 \3/p'
}

_tcplab()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local tcplab=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} i
	COMPREPLY=()

	# --option=value: bash splits it at the '='
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = && COMP_CWORD -ge 3 ]]; then
		prev=${COMP_WORDS[COMP_CWORD-2]}
	fi
	if [[ $COMP_CWORD -eq 1 ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-h --help -V --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_tcplab_commands" -- "$cur"))
		fi
		return
	fi
	case $prev in
	-f | --family)
		COMPREPLY=($(compgen -W "4 6 both" -- "$cur"))
		return ;;
	-F | --firewall)
		if [[ $cmd == check || $cmd == report ]]; then
			COMPREPLY=($(compgen -W "nftables iptables all" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "nftables iptables" -- "$cur"))
		fi
		return ;;
	--format)
		COMPREPLY=($(compgen -W "html md" -- "$cur"))
		return ;;
	-s | --slow | -j | --jobs)
		return ;;
	-c | --captures)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	-o | --output | --junit | --json | --baseline)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_tcplab_options "$tcplab" "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	help)
		[[ $COMP_CWORD -eq 2 ]] &&
			COMPREPLY=($(compgen -W "$_tcplab_commands" -- "$cur")) ;;
	show | run | check | report | up)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -W "$("$tcplab" list 2>/dev/null | awk '{print $1}')" -- "$cur")
			$(compgen -f -X '!*.tcp' -- "$cur") $(compgen -d -- "$cur")) ;;
	down | exec | watch | snapshot | firewall)
		# the kept labs, as 'tcplab ls' lists them (root's or the user's)
		[[ $cmd == down || $COMP_CWORD -eq 2 || ($COMP_CWORD -eq 3 && $prev == -*) ]] &&
			COMPREPLY=($(compgen -W "$("$tcplab" ls 2>/dev/null | awk 'NR > 1 && NF > 3 {print $1}')" -- "$cur")) ;;
	esac
} &&
	complete -F _tcplab tcplab
