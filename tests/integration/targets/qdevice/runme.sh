#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# A two-node cluster (alice, bob) with a quorum device whose QNetd server is carol, outside the
# cluster: site.yml brings it up (both nodes connected; rerun and check mode change nothing); bob
# powered off: alice keeps quorum and p0; alice and bob cut apart, both reaching carol: exactly one
# keeps quorum, the other stops its resources; carol powered off: the cluster keeps quorum; the
# device removed again without a restart, p0 never stopped, and added again the same way.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
# its own lab: two cluster nodes and a QNetd host (the other targets' shared cluster is rebuilt after)
trap 'rc=$?; "${lab[@]}" uncut alice bob >/dev/null 2>&1 || true; "${lab[@]}" down alice bob carol; rm -rf "$work"; exit $rc' EXIT
"${lab[@]}" down alice bob carol
"${lab[@]}" up alice bob carol
# [cluster] alice bob; [qnetd] carol; the lab's connection variables for both groups
"${lab[@]}" inventory alice bob carol | sed -e 's/^carol .*/[qnetd]\n&/' > "$inv"
sed -n '/^\[cluster:vars\]/,$p' "$inv" | sed 's/^\[cluster:vars\]/[qnetd:vars]/' > "$work/qnetd-vars"
cat "$work/qnetd-vars" >> "$inv"

quorate() { has "Quorate: +Yes" "$("${lab[@]}" exec "$1" corosync-quorumtool -s 2>/dev/null || true)"; }
connected() { has "State:[[:space:]]+Connected" "$("${lab[@]}" exec "$1" corosync-qdevice-tool -s 2>/dev/null || true)"; }
p0_on() { "${lab[@]}" exec "$1" sh -c 'test -e /run/resource-agents/Dummy-p0.state'; }
conf() { "${lab[@]}" exec "$1" cat /etc/corosync/corosync.conf; }
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/base.yml"
printf 'crm_qdevice: {host: carol}\n' > "$work/qdevice.yml"
site() { local log=$1; shift; play "$log" "$top/site.yml" -e @"$work/base.yml" "$@"; }

# ---- 1. up with the device: check mode writes nothing; the run connects both nodes; rerun and check: no change
predicted=$(site "$work/check1.log" -e @"$work/qdevice.yml" --check --diff)
"${lab[@]}" exec carol test ! -e /etc/corosync/qnetd/nssdb/qnetd-cacert.crt || fail "check mode made the QNetd CA"
grep -qE '^\+[[:space:]]+model: net' "$work/check1.log" || fail "check mode's diff does not show the device's model"
made=$(site "$work/apply1.log" -e @"$work/qdevice.yml" --diff)
[ "$predicted" -eq "$made" ] || fail "check mode predicted $predicted changes, the run made $made:
$(diff <(changed_tasks "$work/check1.log") <(changed_tasks "$work/apply1.log"))"
wait_until 60 "alice's device connected" connected alice >/dev/null
wait_until 60 "bob's device connected" connected bob >/dev/null
for n in alice bob; do
    has "device \{" "$(conf "$n")" || fail "$n: no quorum.device in corosync.conf"
    ! has "two_node" "$(conf "$n")" || fail "$n: two_node left beside the device"
done
has "Qdevice" "$("${lab[@]}" exec alice corosync-quorumtool -s)" || fail "corosync-quorumtool shows no Qdevice"
has "Total votes: +3" "$("${lab[@]}" exec alice corosync-quorumtool -s)" || fail "not 3 votes with the device"
[ "$(grep -c "Node ID" <<< "$("${lab[@]}" exec carol corosync-qnetd-tool -l)")" = 2 ] || fail "corosync-qnetd-tool does not list both nodes"
[ "$(site "$work/apply2.log" -e @"$work/qdevice.yml")" -eq 0 ] || fail "the rerun changed"
[ "$(site "$work/check2.log" -e @"$work/qdevice.yml" --check)" -eq 0 ] || fail "check mode after the run predicts changes"
grep -q "Quorum device: Connected (QNetd" "$work/apply2.log" || fail "the status output does not show the device"
! grep -qi "BEGIN.*PRIVATE\|qdevice-net-node.p12.*content" "$work"/*.log || fail "key material in the output"
no_leak "corosync authkey" "$("${lab[@]}" exec alice base64 -w0 /etc/corosync/authkey)" "$work"/*.log

# ---- 2. bob powered off: alice keeps quorum and runs p0
"${lab[@]}" poweroff bob
members() { "${lab[@]}" exec "$1" corosync-quorumtool -s 2>/dev/null | awk -F: '/^Nodes:/ { gsub(/ /, "", $2); print $2 }' || true; }
alone() { [ "$(members "$1")" = 1 ]; }
wait_until 60 "alice sees bob gone" alone alice >/dev/null
quorate alice || fail "alice lost quorum when bob went"
wait_until 60 "p0 on alice" p0_on alice >/dev/null
"${lab[@]}" start bob
wait_until 120 "bob back with his device" connected bob >/dev/null

# ---- 3. alice and bob cut apart, both reaching carol: exactly one keeps quorum
"${lab[@]}" cut alice bob
# each side alone in its membership, and QNetd's decision taken: exactly one side quorate
divided() { local q=0; alone alice && alone bob || return 1; quorate alice && q=$((q + 1)); quorate bob && q=$((q + 1)); [ $q = 1 ]; }
wait_until 60 "alice and bob each alone, one of them quorate" divided >/dev/null
sleep 2  # and still so a moment later
a=0; b=0; quorate alice && a=1; quorate bob && b=1
[ $((a + b)) -eq 1 ] || fail "after the cut alice quorate=$a, bob quorate=$b: not exactly one"
if [ $a -eq 1 ]; then winner=alice; loser=bob; else winner=bob; loser=alice; fi
wait_until 60 "p0 on the quorate side ($winner)" p0_on "$winner" >/dev/null
p0_off() { ! p0_on "$1"; }
wait_until 30 "p0 stopped on $loser, which has no quorum" p0_off "$loser" >/dev/null
echo "qdevice: after the cut $winner kept quorum and p0; $loser stopped its resources"
"${lab[@]}" uncut alice bob
wait_until 120 "both quorate again" quorate "$loser" >/dev/null

# ---- 4. carol powered off with both nodes up: the cluster keeps quorum
"${lab[@]}" poweroff carol
disconnected() { ! connected "$1"; }
wait_until 60 "alice's device notices carol gone" disconnected alice >/dev/null
{ quorate alice && quorate bob; } || fail "the cluster lost quorum with the QNetd host off"
"${lab[@]}" start carol
wait_until 120 "the device reconnects once carol is back" connected alice >/dev/null

# ---- 5. the device removed: a reload, no restart; p0 never stopped; two_node back
pids() { for n in alice bob; do "${lab[@]}" exec "$n" systemctl show -p MainPID --value corosync; done | tr '\n' ' '; }
before=$(pids)
where=alice
p0_on alice || where=bob
( while [ ! -e "$work/stop" ]; do p0_on "$where" || echo "p0 stopped at $(date +%s.%N)" >> "$work/p0-gaps"; sleep 0.5; done ) &
sampler=$!
site "$work/remove.log" >/dev/null
touch "$work/stop"; wait "$sampler"
[ ! -s "$work/p0-gaps" ] || fail "p0 stopped while the device was removed: $(head -3 "$work/p0-gaps")"
[ "$(pids)" = "$before" ] || fail "corosync restarted to remove the device"
for n in alice bob; do
    ! has "device \{" "$(conf "$n")" || fail "$n: the quorum.device section is still there"
    has "two_node: 1" "$(conf "$n")" || fail "$n: two_node is not back"
    [ "$("${lab[@]}" exec "$n" systemctl is-active corosync-qdevice || true)" != active ] || fail "$n: corosync-qdevice still runs"
done
{ quorate alice && quorate bob; } || fail "no quorum after the removal"
[ "$(site "$work/remove2.log")" -eq 0 ] || fail "the rerun without the device changed"

# ---- and added again to the running two-node cluster: a reload, no restart, p0 never stopped
before=$(pids)
: > "$work/p0-gaps"; rm -f "$work/stop"
( while [ ! -e "$work/stop" ]; do p0_on "$where" || echo "p0 stopped at $(date +%s.%N)" >> "$work/p0-gaps"; sleep 0.5; done ) &
sampler=$!
site "$work/readd.log" -e @"$work/qdevice.yml" >/dev/null
touch "$work/stop"; wait "$sampler"
[ ! -s "$work/p0-gaps" ] || fail "p0 stopped while the device was added: $(head -3 "$work/p0-gaps")"
[ "$(pids)" = "$before" ] || fail "corosync restarted to add the device to a running cluster"
wait_until 60 "alice's device connected again" connected alice >/dev/null
wait_until 60 "bob's device connected again" connected bob >/dev/null
[ "$(site "$work/readd2.log" -e @"$work/qdevice.yml")" -eq 0 ] || fail "the rerun after adding the device again changed"
