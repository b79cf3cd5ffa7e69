#!/usr/bin/env bash
# Sourced by the lab targets: paths, the lab, and one converged 3-node cluster shared by every
# target that needs one (made by site.yml when the lab does not already hold it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
# ansible-test runs a copy of the targets below the collection's tests/output/
case $here in */tests/output/*) top=${here%%/tests/output/*} ;; *) top=$(cd "$here/../../../.." && pwd) ;; esac
lab=(python3 "$top/tests/lab/cli.py")  # lab.py, with its usual exec made cheap (cli.py)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ANSIBLE_HOST_KEY_CHECKING=false ANSIBLE_PIPELINING=true
inv="$work/inventory"

fail() { echo "FAIL: $*" >&2; exit 1; }
# has PATTERN TEXT: TEXT (a command's captured output) holds the extended regular expression PATTERN. Never
# `cmd | grep -q`: grep -q leaves at the first match, the command (the lab's exec relays output as it comes) dies
# writing to the closed pipe, pipefail fails the pipeline - and `! cmd | grep -q` then passes a check that found it.
has() { grep -qE -- "$1" <<< "$2"; }

# no_leak [-w N] WHAT SECRET LOG...: fails unless no LOG holds any N (default 16) characters in a row of SECRET (so
# neither the whole nor a half-masked one: that is a leak too). A LOG that cannot be read fails as well, rather than
# finding nothing.
no_leak() {
    local width=16 what secret at found rc=0
    if [ "$1" = -w ]; then width=$2; shift 2; fi
    what=$1 secret=$2; shift 2
    [ "${#secret}" -ge "$width" ] || fail "no_leak: the $what to look for has ${#secret} characters, fewer than $width"
    found=$(for (( at = 0; at + width <= ${#secret}; at++ )); do printf '%s\n' "${secret:$at:$width}"; done \
            | grep -lF -f - -- "$@") || rc=$?
    [ "$rc" != 2 ] || fail "no_leak: could not read the logs $*"
    [ "$rc" != 0 ] || fail "a piece of the $what shows in $(xargs <<< "$found")"
}
# turn_step LOG: the lines of the corosync-first task of a cold start in turns (more nodes than forks) in LOG
turn_step() { sed -n '/Start corosync on every node first/,/^TASK/p' "$1"; }
# changed_tasks LOG: "TASK [...] [node]" for each change in an ansible-playbook LOG, sorted (what differs between a
# check run and the run it predicts: diff <(changed_tasks CHECK) <(changed_tasks RUN))
changed_tasks() { awk '/^TASK \[/ { task = $0; sub(/ \*+$/, "", task) } /^changed: \[/ { print task, $2 }' "$1" | sort; }
# stack_down WHAT NODE...: fails with WHAT unless corosync and pacemaker are inactive on every NODE
stack_down() {
    local what=$1 n; shift
    for n in "$@"; do
        ! has "^active" "$("${lab[@]}" exec "$n" systemctl is-active corosync pacemaker || true)" || fail "$n: $what"
    done
}

# wait_until SECONDS WHAT COMMAND...: polls COMMAND twice a second until it succeeds, failing the target with WHAT after
# SECONDS; prints the seconds it took.
wait_until() {
    local limit=$1 what=$2 start; shift 2
    start=$(date +%s.%N)
    until "$@"; do
        (( $(echo "$(date +%s.%N) - $start > $limit" | bc) )) && fail "$what: not within $limit s"
        sleep 0.5
    done
    echo "$(date +%s.%N) - $start" | bc
}
# pid1 NODE: the PID of the node's init on this machine (0 while powered off); a new one means the node booted anew.
# (cli.py's pid1_of, the same as lab.py's status shows: the targets poll it every second while a node is fenced)
pid1() {
    python3 -c 'import os, sys; sys.path.insert(0, sys.argv[1]); import cli
if not os.path.exists(cli.state_file(sys.argv[2])): sys.exit("no lab node named %s" % sys.argv[2])
print(cli.pid1_of(sys.argv[2]))' "$top/tests/lab" "$1"
}

# play LOG PLAYBOOK [args...]: runs a playbook on the lab inventory; prints the total of changed=
play() {
    local log=$1 book=$2; shift 2
    ansible-playbook -i "$inv" "$book" "$@" > "$log" 2>&1 || {
        # every failed task's message (the tail alone may show only the plays that ran after it), then the end
        # (none is there when the playbook itself failed: a parse error, an unresolved module)
        grep -E -B2 -A3 '^(fatal|failed): \[' "$log" | cut -c1-2000 >&2 || true
        tail -40 "$log" >&2
        fail "$book $*"
    }
    awk '/ changed=/ { for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) { split($i, kv, "="); n += kv[2] } } END { print n + 0 }' "$log"
}

# dc_after_start NODE [SINCE]: the seconds from pacemaker's first start on NODE (this boot, or since the Unix time
# SINCE) to the first DC election after it, as the DC logs it (S_ELECTION -> S_INTEGRATION); empty when either is
# missing. Pacemaker's default dc-deadtime makes it 20 or more on a cold start; cluster_service's cold_start, seconds.
dc_after_start() {
    local since=(-b)
    [ -z "${2:-}" ] || since=(--since "@$2")
    "${lab[@]}" exec "$1" journalctl "${since[@]}" -o short-unix --no-pager -u pacemaker | awk '
        /Started pacemaker.service/ && !start { start = int($1) }
        /S_ELECTION -> S_INTEGRATION/ && start && !dc { dc = int($1) }
        END { if (start && dc) print dc - start }'
}

# online_count [NODE]: how many nodes NODE (default alice) sees joined: online, and neither pending nor unclean. A node
# online but pending is a corosync member whose join the DC has not finished: lost again before it, Pacemaker does not
# fence it, rightly (it never ran anything). Counted as back while pending, carol was frozen 3 s after rejoining in the
# fencing target and never fenced (found in a full run, reproduced by hand).
online_count() {
    grep '<node name=' <<< "$("${lab[@]}" exec "${1:-alice}" crm_mon -1 --output-as=xml 2>/dev/null || true)" \
        | grep 'online="true"' | grep 'pending="false"' | grep -c 'unclean="false"' || true
}

# A converged cluster of alice, bob and carol with the guide's p0, reused when already there.
ensure_cluster() {
    local suite
    suite=$("${lab[@]}" suite)
    if [ "$(online_count alice)" = 3 ] && has "^alice .* $suite +running=True" "$("${lab[@]}" status)"; then
        "${lab[@]}" inventory alice bob carol > "$inv"
        return
    fi
    "${lab[@]}" down alice bob carol
    "${lab[@]}" up alice bob carol
    "${lab[@]}" inventory alice bob carol > "$inv"
    printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/site-vars.yml"
    play "$work/ensure.log" "$top/site.yml" -e @"$work/site-vars.yml" >/dev/null
    [ "$(online_count alice)" = 3 ] || fail "the shared cluster did not come up"
}
