#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# corosync_conf and the quorum role on a running 3-node cluster: the module's check/apply cycle
# and refusals on a scratch file; a reloadable change (expected_votes) applied without any
# restart; a totem change applied by a rolling restart during which a sampler asks every node
# once a second and finds a quorate majority at every sample.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
ensure_cluster
nodes=(alice bob carol)

play "$work/module.log" "$here/module.yml" >/dev/null

pids() { for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" systemctl show -p MainPID --value corosync; done | tr '\n' ' '; }
confs() { for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" sha256sum /etc/corosync/corosync.conf; done; }
expected_votes() { "${lab[@]}" exec "$1" corosync-quorumtool -s | awk -F: '/^Expected votes/ { gsub(/ /, "", $2); print $2 }'; }

# ---- reload: expected_votes, applied by corosync-cfgtool -R, no restart
before_pids=$(pids)
before_confs=$(confs)
printf 'crm_quorum: {expected_votes: 4}\n' > "$work/q4.yml"
predicted=$(play "$work/q-check1.log" "$here/quorum.yml" -e @"$work/q4.yml" --check --diff)
[ "$(confs)" = "$before_confs" ] || fail "check mode wrote corosync.conf"
grep -q "+	expected_votes: 4" "$work/q-check1.log" || fail "the diff does not show expected_votes"
made=$(play "$work/q-apply1.log" "$here/quorum.yml" -e @"$work/q4.yml")
{ [ "$made" -eq 4 ] && [ "$predicted" -eq "$made" ]; } || fail "check mode predicted $predicted changes, the run made $made (3 files, 1 reload)"
grep -q "Reload corosync.conf on the running cluster" "$work/q-apply1.log" || fail "no reload"
for n in "${nodes[@]}"; do [ "$(expected_votes "$n")" = 4 ] || fail "$n: expected votes $(expected_votes "$n"), not 4"; done
[ "$(pids)" = "$before_pids" ] || fail "corosync restarted for a reloadable change"
[ "$(play "$work/q-check2.log" "$here/quorum.yml" -e @"$work/q4.yml" --check)" -eq 0 ] || fail "check after apply"
[ "$(play "$work/q-apply2.log" "$here/quorum.yml" -e @"$work/q4.yml")" -eq 0 ] || fail "second run changed"
play "$work/q-back.log" "$here/quorum.yml" >/dev/null
for n in "${nodes[@]}"; do [ "$(expected_votes "$n")" = 3 ] || fail "$n: expected votes not back to 3"; done

# ---- rolling restart: totem.token, sampled once a second on every node
cmap_token() { "${lab[@]}" exec "$1" sh -c 'corosync-cmapctl -g totem.token 2>/dev/null || echo unset' | awk '{print $NF}'; }
token=5000
[ "$(cmap_token alice)" != 5000 ] || token=6000
sampler() {
    while [ ! -e "$work/stop" ]; do
        local quorate=0
        for n in "${nodes[@]}"; do
            [[ "$(timeout 5 "${lab[@]}" exec "$n" corosync-quorumtool -s 2>/dev/null)" == *"Quorate:          Yes"* ]] && quorate=$((quorate + 1))
        done
        echo "$(date +%s.%N) $quorate" >> "$work/samples"
        sleep 1
    done
}
before_pids=$(pids)
sampler &
sampler_pid=$!
start=$(date +%s)
changed=$(play "$work/token.log" "$here/token.yml" -e token="$token")
touch "$work/stop"
wait "$sampler_pid"
duration=$(( $(date +%s) - start ))
[ "$changed" -gt 3 ] || fail "the token change changed nothing"
grep -q "Restart the stack one node at a time" "$work/token.log" || fail "no rolling restart"
samples=$(wc -l < "$work/samples")
worst=$(sort -k2 -n "$work/samples" | head -1 | cut -d' ' -f2)
echo "rolling restart: ${duration}s, $samples samples, fewest quorate nodes in a sample: $worst"
[ "$samples" -ge 10 ] || fail "only $samples samples: the sampler did not sample"
[ "$worst" -ge 2 ] || fail "a sample found only $worst of 3 nodes quorate"
after_pids=$(pids)
for i in 1 2 3; do
    [ "$(echo "$before_pids" | cut -d' ' -f$i)" != "$(echo "$after_pids" | cut -d' ' -f$i)" ] || fail "node $i was not restarted"
done
for n in "${nodes[@]}"; do
    [ "$(cmap_token "$n")" = "$token" ] || fail "$n runs another token: $(cmap_token "$n")"
done
[ "$(online_count alice)" = 3 ] || fail "not all online after the rolling restart"
[ "$(play "$work/token2.log" "$here/token.yml" -e token="$token")" -eq 0 ] || fail "second token run changed"
[ "$(play "$work/token3.log" "$here/token.yml" -e token="$token" --check)" -eq 0 ] || fail "check mode after token run"

# ---- a roll never costs quorum: carol cut off, so restarting alice or bob would leave one vote of the
# two needed; the roll stops before it writes or restarts anything, and takes up where it stopped once
# carol is back
"${lab[@]}" partition carol
for _ in $(seq 30); do [ "$(online_count alice)" = 2 ] && break; sleep 1; done
[ "$(online_count alice)" = 2 ] || fail "carol still online for alice after the partition"
before_pids=$(pids)
before_confs=$(confs)
other=$((token + 1000))
# (-l alice,bob: the controller cannot reach carol either, and a stale SSH master to it would hang)
if ansible-playbook -i "$inv" -l alice,bob "$here/token.yml" -e token="$other" > "$work/token-cut.log" 2>&1; then
    fail "the roll went on with carol cut off"
fi
grep -q "restarting this node now would cost the cluster its quorum: 2 votes are present, 2 are needed" "$work/token-cut.log" \
    || { tail -20 "$work/token-cut.log"; fail "the refusal does not say why"; }
[ "$(pids | cut -d' ' -f1-2)" = "$(echo "$before_pids" | cut -d' ' -f1-2)" ] || fail "alice or bob restarted with carol cut off"
[ "$(confs | head -2)" = "$(echo "$before_confs" | head -2)" ] || fail "a file was written before the refused restart"
"${lab[@]}" heal carol
for _ in $(seq 60); do [ "$(online_count alice)" = 3 ] && break; sleep 1; done
[ "$(online_count alice)" = 3 ] || fail "carol did not come back after the heal"
[ "$(play "$work/token-back.log" "$here/token.yml" -e token="$other")" -gt 3 ] || fail "the roll did not resume"
for n in "${nodes[@]}"; do [ "$(cmap_token "$n")" = "$other" ] || fail "$n runs token $(cmap_token "$n") after the roll resumed"; done
[ "$(online_count alice)" = 3 ] || fail "not all online after the resumed roll"
echo "quorum target: all checks passed"
