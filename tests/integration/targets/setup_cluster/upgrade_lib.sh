#!/usr/bin/env bash
# Sourced by the upgrade and links targets (after lib.sh): the samplers of a service and of quorum during a play,
# bounded in count and time, and their report. Uses work, lab, nodes and vip of the sourcing target.
# shellcheck disable=SC2154

# the service every 0.5 s from the lab bridge, until $work/stop (at most 2400 samples)
sample_service() {
    local i
    for ((i = 0; i < 2400; i++)); do
        [ -e "$work/stop" ] && return
        if body=$(curl -sf -m 1 "http://$vip:8080/" 2>/dev/null); then echo "$(date +%s.%N) ok $body"; else echo "$(date +%s.%N) fail"; fi
        sleep 0.5
    done
}
# quorum every second, from the first node with a DC (at most 1800 samples)
sample_quorum() {
    local i n q
    for ((i = 0; i < 1800; i++)); do
        [ -e "$work/stop" ] && return
        q=none
        for n in "${nodes[@]}"; do
            if out=$(on "$n" crm_mon --one-shot --output-as=xml 2>/dev/null) && grep -q 'current_dc .*present="true"' <<< "$out"; then
                grep -q 'with_quorum="true"' <<< "$out" && q=yes || q=no
                break
            fi
        done
        echo "$(date +%s.%N) $q"
        sleep 1
    done
}

# the nodes' PID 1: a node that rebooted (or was fenced) has a new one
pid1s() {
    "${lab[@]}" status --json | python3 -c "import json, sys; print(sorted((r['name'], r['pid1']) for r in json.load(sys.stdin) if r['name'] in sys.argv[1:]))" "${nodes[@]}"
}

# sampled LOG CMD...: runs CMD (a play) with both samplers beside it, into $work/service.samples and
# $work/quorum.samples; sets changed (CMD's output) and took (its seconds); fails if a node rebooted meanwhile
sampled() {
    local before s1 s2 started
    rm -f "$work/stop"
    before=$(pid1s)
    sample_service > "$work/service.samples" &
    s1=$!
    sample_quorum > "$work/quorum.samples" &
    s2=$!
    started=$(date +%s)
    # shellcheck disable=SC2034  # changed and took are read by the sourcing target
    changed=$("$@")
    # shellcheck disable=SC2034
    took=$(( $(date +%s) - started ))
    touch "$work/stop"
    wait "$s1" "$s2"
    [ "$(pid1s)" = "$before" ] || fail "a node rebooted (or was fenced) during $*"
}

# no_gap SERVICE: every sample answered, and from one node (the service neither stopped nor moved)
no_gap() {
    ! grep -q ' fail$' "$1" && [ "$(awk '{print $3}' "$1" | sort -u | wc -l)" = 1 ] && [ "$(wc -l < "$1")" -gt 2 ]
}

# summary SERVICE: "N requests, F failed, served by NODE[, NODE]"
summary() {
    echo "$(wc -l < "$1") requests, $(grep -c ' fail$' "$1") failed, served by $(awk '$2 == "ok" {print $3}' "$1" | sort -u | xargs | tr ' ' ',')"
}

# report_samples SERVICE QUORUM SECONDS LOG: the figures; fails on a lost quorum, or unless every gap is one
# failover (at most 3 gaps, none over 15 s: an address and a web server start in about a second; the rest is room
# for a loaded machine)
report_samples() {
    if grep -q ' no$\| none$' "$2"; then echo "quorum was lost at $(grep -c ' no$\| none$' "$2") samples" >&2; return 1; fi
    python3 - "$1" "$3" "$(grep -o '[a-z0-9]* upgraded in [0-9.]* s' "$4" | tr '\n' ',')" "$(wc -l < "$2")" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
gaps, start, longest = [], None, 0.0
for ts, state, *_ in rows:
    t = float(ts)
    if state == "fail" and start is None:
        start = t
    elif state == "ok" and start is not None:
        gaps.append(t - start)
        start = None
if start is not None:
    gaps.append(float(rows[-1][0]) - start)
failed = sum(1 for r in rows if r[1] == "fail")
longest = max(gaps, default=0.0)
served_by = sorted({r[2] for r in rows if r[1] == "ok"})
print("upgrade: %s s in all; per node: %s; %d requests, %d failed, %d gaps, the longest %.1f s; served by %s; "
      "quorum held at all %s samples" % (sys.argv[2], sys.argv[3].rstrip(","), len(rows), failed, len(gaps), longest,
                                         ", ".join(served_by), sys.argv[4]))
# the service moves at most once per node: a gap per move, each no longer than one failover of the group (an
# address and a web server that start in about a second; 15 s leaves room for a loaded machine)
sys.exit(0 if len(rows) > 20 and len(gaps) <= 3 and longest <= 15.0 else 1)
PY
}
