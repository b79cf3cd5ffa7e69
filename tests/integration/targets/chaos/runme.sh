#!/usr/bin/env bash
# top, work and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# The chaos run's short form (issue 26; `make chaos` is the long one): tests/chaos/chaos.py on a 3-node cluster of the
# lab's release (ch1-ch3) with a fence device per node, a group of an address and a web server, a promotable clone,
# site.yml and crm_attribute writing throughout, and one fault per round, in this order: a power-off, the BMC down
# while a node is partitioned (fencing cannot succeed: the cluster must block, not run the service twice), one of a
# node's two corosync links down, and a freeze. The nodes come from the seed (printed; CHAOS_SEED replays it).
# Any breached invariant fails the run: a sample with the service on two nodes, a lost acknowledged write, a round
# that does not settle or whose rerun changes something, a fencing that did not replace the node's PID 1, a fencing
# where only one link went down.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
seed=${CHAOS_SEED:-26}
kinds=${CHAOS_KINDS:-poweroff,bmc-down-partition,link-down,freeze}
rounds=${CHAOS_ROUNDS:-4}
rc=0
python3 "$top/tests/chaos/chaos.py" --rounds "$rounds" --seed "$seed" --kinds "$kinds" --in-order \
    --suite "$("${lab[@]}" suite)" --work "$work/chaos" --report "$work/report.txt" || rc=$?
if [ "$rc" != 0 ]; then
    for log in "$work"/chaos/site-*.log; do [ -f "$log" ] && { echo "--- $log"; tail -15 "$log"; }; done >&2
    fail "the chaos run (seed $seed, $rounds rounds of $kinds) broke an invariant or did not finish (rc=$rc)"
fi
cat "$work/report.txt"
# The report's own figures, read back: the run must have sampled, every round must be in it, and nothing may be lost.
has "split-brain samples 0, lost writes 0" "$(cat "$work/report.txt")" || fail "the report: $(head -1 "$work/report.txt")"
[ "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/chaos/rounds.json")" = "$rounds" ] \
    || fail "not every round is in rounds.json"
samples=$(wc -l < "$work/chaos/samples.txt")
[ "$samples" -gt $((rounds * 60)) ] || fail "only $samples samples in $rounds rounds"
