#!/usr/bin/env bash
# work, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# A fleet: three 2-node clusters in one inventory (each its own group, crm_cluster_group and crm_cluster_name set in
# its group vars, all of them in the group fleet), converged by one run of site.yml over the parent group. Each
# cluster gets its own nodelist, authkey and CIB; a cluster broken on purpose (a resource with an unknown agent, then
# its nodes powered off) fails alone and the others finish; check mode predicts and writes nothing; the rerun, the
# --check run and --limit to one cluster or one node change nothing; the fleet stopped whole and started with fewer
# forks than nodes starts corosync on every node first. One QNetd host (fq) serves f1 and f2.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
nodes=(f1a f1b f2a f2b f3a f3b)
"${lab[@]}" down "${nodes[@]}" fq
"${lab[@]}" up "${nodes[@]}" fq
mkdir -p "$work/fleet/group_vars"
inv="$work/fleet/hosts.yml"
"${lab[@]}" inventory --cluster f1=f1a,f1b --cluster f2=f2a,f2b --cluster f3=f3a,f3b --qnetd fq > "$inv"
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/fleet/group_vars/fleet.yml"
printf 'crm_resources: [{id: p0, agent: "ocf:heartbeat:NoSuchAgent"}]\n' > "$work/fleet/group_vars/f3.yml"
for c in f1 f2; do printf 'crm_qdevice: {host: fq}\n' > "$work/fleet/group_vars/$c.yml"; done

# fleet LOG [args...]: site.yml over the whole fleet; prints the run's exit code (a broken cluster fails the run).
fleet() {
    local log=$1 rc=0; shift
    ansible-playbook -i "$inv" "$top/site.yml" -e crm_fleet_group=fleet -f 6 "$@" > "$work/$log.log" 2>&1 || rc=$?
    echo "$rc"
}
# recap LOG HOST: that host's line of the recap
recap() { grep -E "^$2 +: ok=" "$work/$1.log" || fail "$2 is not in the recap of $1"; }
changed() { recap "$1" "$2" | grep -oE 'changed=[0-9]+' | cut -d= -f2; }
failed() { recap "$1" "$2" | grep -oE '(failed|unreachable)=[0-9]+' | cut -d= -f2 | paste -sd+ | bc; }
fingerprint() {
    for n in "${nodes[@]}"; do
        "${lab[@]}" exec "$n" sh -c 'ls -a /etc/corosync /var/lib/pacemaker/cib; sha256sum /etc/hosts; systemctl is-active corosync pacemaker; true'
    done
}
cib_has_p0() { has '<primitive id="p0"' "$("${lab[@]}" exec "$1" cibadmin --query --scope resources 2>&1 || true)"; }

# Check mode on six fresh servers predicts changes on every node and writes nothing.
before=$(fingerprint)
rc=$(fleet check1 --check --diff)
[ "$rc" = 0 ] || { tail -40 "$work/check1.log" >&2; fail "check mode on the fresh fleet failed (rc $rc)"; }
for n in "${nodes[@]}"; do [ "$(changed check1 "$n")" -gt 0 ] || fail "check mode predicts no change on $n"; done
[ "$(fingerprint)" = "$before" ] || fail "check mode wrote something"
"${lab[@]}" exec fq test ! -e /etc/corosync/qnetd/nssdb/qnetd-cacert.crt || fail "check mode made the QNetd CA"

# The run: f1 and f2 converge; f3's unknown agent fails f3 alone (its leader, then its other node by the guard),
# with nothing written to its CIB, and the run says which cluster failed.
rc=$(fleet apply1)
[ "$rc" != 0 ] || fail "the run with a broken cluster succeeded"
for n in f1a f1b f2a f2b; do [ "$(failed apply1 "$n")" = 0 ] || { recap apply1 "$n" >&2; fail "$n failed with f3"; }; done
for n in f3a f3b; do [ "$(failed apply1 "$n")" = 1 ] || { recap apply1 "$n" >&2; fail "$n did not fail"; }; done
grep -q "NoSuchAgent" "$work/apply1.log" || fail "the failure does not name the unknown agent"
grep -qE "f3[ab], which acts once for the cluster f3 \(f3\), failed above: f3[ab] stops with it" "$work/apply1.log" \
    || fail "f3's other node did not stop with its leader, saying why"
grep -q "Failed in this run: the cluster group f3 (f3a, f3b)" "$work/apply1.log" || fail "the run does not say that f3 failed"
! cib_has_p0 f3a || fail "f3's CIB holds the broken p0"
for c in f1 f2; do
    grep -q "\"Cluster: $c (inventory group $c)\"" "$work/apply1.log" || fail "no status for $c"
    grep -q "\"Online: ${c}a ${c}b\"" "$work/apply1.log" || fail "$c: not both nodes online"
    grep -q "\"DC: ${c}[ab], quorate: True\"" "$work/apply1.log" || fail "$c not quorate"
done
[ "$(grep -c '"p0: Started"' "$work/apply1.log")" = 2 ] || fail "p0 not Started in both good clusters"

# Each cluster is its own: corosync.conf names it and only its nodes, its members are its nodes, its authkey is its own.
for c in f1 f2 f3; do
    conf=$("${lab[@]}" exec "${c}b" cat /etc/corosync/corosync.conf)
    has "cluster_name: $c\$" "$conf" || fail "${c}b's corosync.conf does not name the cluster $c"
    [ "$(grep -c 'ring0_addr' <<< "$conf")" = 2 ] || fail "${c}b's nodelist does not hold 2 nodes: $conf"
    [ "$(grep -oE 'name: f[0-9]+[ab]$' <<< "$conf" | sort -u | xargs)" = "name: ${c}a name: ${c}b" ] \
        || fail "${c}b's nodelist is not its own two nodes: $conf"
    members=$("${lab[@]}" exec "${c}a" corosync-quorumtool -l 2>&1 || true)
    [ "$(grep -oE ' f[0-9]+[ab]( |$)' <<< "$members" | xargs)" = "${c}a ${c}b" ] || fail "$c's members are not its own two nodes: $members"
done
# One QNetd host serves both clusters: each node of f1 and f2 connected, and QNetd lists both clusters.
connected() { has "State:[[:space:]]+Connected" "$("${lab[@]}" exec "$1" corosync-qdevice-tool -s 2>/dev/null || true)"; }
for n in f1a f1b f2a f2b; do wait_until 60 "$n's quorum device connected" connected "$n" >/dev/null; done
qnetd=$("${lab[@]}" exec fq corosync-qnetd-tool -l)
has 'Cluster "f1"' "$qnetd" || fail "QNetd does not serve f1: $qnetd"
has 'Cluster "f2"' "$qnetd" || fail "QNetd does not serve f2: $qnetd"
[ "$(grep -c "Node ID" <<< "$qnetd")" = 4 ] || fail "QNetd does not list the 4 nodes: $qnetd"
has "Total votes: +3" "$("${lab[@]}" exec f2a corosync-quorumtool -s)" || fail "f2 does not count the device's vote"
keys=$(for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" sha256sum /etc/corosync/authkey | cut -d' ' -f1; done)
[ "$(sort -u <<< "$keys" | wc -l)" = 3 ] || fail "want one authkey per cluster (3): $keys"
echo "fleet: f1 and f2 converged, f3 failed alone ($(grep -c . <<< "$keys") nodes, 3 authkeys)"

# The rerun with f3 still broken: f1 and f2 change nothing, f3 fails again.
rc=$(fleet apply2)
for n in f1a f1b f2a f2b; do
    [ "$(changed apply2 "$n")/$(failed apply2 "$n")" = 0/0 ] || { recap apply2 "$n" >&2; fail "rerun: $n"; }
done
[ "$(failed apply2 f3a)" = 1 ] || fail "rerun: f3a did not fail"

# f3 mended: the fleet converges, only f3 changes; then the rerun and --check change nothing.
rm "$work/fleet/group_vars/f3.yml"
[ "$(fleet apply3)" = 0 ] || { tail -40 "$work/apply3.log" >&2; fail "the mended fleet failed"; }
for n in f1a f1b f2a f2b; do [ "$(changed apply3 "$n")" = 0 ] || fail "mending f3 changed $n"; done
cib_has_p0 f3b || fail "f3 has no p0 after it was mended"
[ "$(grep -c '"p0: Started"' "$work/apply3.log")" = 3 ] || fail "p0 not Started in the three clusters"

# The fleet stopped whole, then started with fewer forks than nodes (2 for 6), as a fleet run with Ansible's default
# forks (5) is: Ansible starts the nodes in turns, so corosync starts first on every node of every cluster (a cluster's
# first node would otherwise elect a DC alone and, with fencing on, fence its peer as unseen; the fleet runs without
# fencing, so what is checked is that the step ran on every node and every cluster came back whole). Check mode
# predicts exactly the run's changes and starts nothing; then check mode and the rerun change nothing and skip the step.
total() { local n sum=0; for n in "${nodes[@]}"; do sum=$(( sum + $(changed "$1" "$n") )); done; echo "$sum"; }
for c in f1 f2 f3; do for n in "${c}b" "${c}a"; do "${lab[@]}" exec "$n" crm cluster stop >/dev/null 2>&1; done; done
stack_down "the stack still runs after crm cluster stop" "${nodes[@]}"
started=$(date +%s)
[ "$(fleet turns-check --check --diff -f 2)" = 0 ] || { tail -40 "$work/turns-check.log" >&2; fail "check mode of the fleet stopped whole failed"; }
stack_down "check mode started the stack" "${nodes[@]}"
[ "$(fleet turns -f 2)" = 0 ] || { tail -40 "$work/turns.log" >&2; fail "the fleet's start in turns failed"; }
for n in "${nodes[@]}"; do
    has "^changed: \[$n\]" "$(turn_step "$work/turns-check.log")" || fail "check mode does not predict corosync first on $n"
    has "^changed: \[$n\]" "$(turn_step "$work/turns.log")" || fail "corosync did not start first on $n"
done
[ "$(total turns-check)" = "$(total turns)" ] \
    || fail "check mode predicted $(total turns-check) changes for the start in turns, the run made $(total turns)"
for c in f1 f2 f3; do
    grep -q "\"Online: ${c}a ${c}b\"" "$work/turns.log" || fail "$c: not both nodes online after the start in turns"
    grep -q "\"DC: ${c}[ab], quorate: True\"" "$work/turns.log" || fail "$c not quorate after the start in turns"
done
[ "$(grep -c '"p0: Started"' "$work/turns.log")" = 3 ] || fail "p0 not Started in the three clusters after the start in turns"
[ "$(fleet check2 --check --diff -f 2)" = 0 ] || fail "check mode on the converged fleet failed"
[ "$(fleet apply4 -f 2)" = 0 ] || fail "the rerun failed"
for n in "${nodes[@]}"; do
    [ "$(changed check2 "$n")" = 0 ] || { grep -B3 "changed:" "$work/check2.log" >&2; fail "--check predicts a change on $n"; }
    [ "$(changed apply4 "$n")" = 0 ] || { grep -B3 "changed:" "$work/apply4.log" >&2; fail "the rerun changed $n"; }
done
has "Start corosync on every node first" "$(turn_step "$work/apply4.log")" || fail "the rerun's log has no corosync-first task"
! grep -qE '^(ok|changed): ' <<< "$(turn_step "$work/apply4.log")" || fail "the converged rerun ran the corosync-first start"
echo "fleet: stopped whole, started with 2 forks for 6 nodes (check, apply, check, apply) in $(( $(date +%s) - started )) s:" \
    "corosync first on every node ($(total turns) changes, as predicted), the three clusters back whole"

# --limit to one cluster or one node works as it does without a fleet.
for l in f2 f1b; do
    [ "$(fleet "limit-$l" --limit "$l")" = 0 ] || { tail -30 "$work/limit-$l.log" >&2; fail "--limit $l failed"; }
    ! grep -qE 'changed=[1-9]' "$work/limit-$l.log" || fail "--limit $l changed something"
done
[ "$(grep -oE '^f[0-9]+[ab] ' "$work/limit-f2.log" | xargs)" = "f2a f2b" ] || fail "--limit f2 did not run on f2 alone"
[ "$(grep -oE '^f[0-9]+[ab] ' "$work/limit-f1b.log" | xargs)" = "f1b" ] || fail "--limit f1b did not run on f1b alone"

# f3's nodes unreachable: f1 and f2 go on unchanged.
authkeys=()
for c in f1 f2 f3; do authkeys+=("$("${lab[@]}" exec "${c}a" base64 -w0 /etc/corosync/authkey)"); done
"${lab[@]}" poweroff f3a
"${lab[@]}" poweroff f3b
rc=$(fleet apply5)
[ "$rc" != 0 ] || fail "the run with an unreachable cluster succeeded"
for n in f1a f1b f2a f2b; do
    [ "$(changed apply5 "$n")/$(failed apply5 "$n")" = 0/0 ] || { recap apply5 "$n" >&2; fail "$n with f3 down"; }
done
grep -q "Failed in this run: the cluster group f3 (f3a, f3b)" "$work/apply5.log" || fail "the run does not say that f3 failed"

# No log of the run holds any cluster's authkey or a piece of it (read before f3 went).
for c in 0 1 2; do no_leak "authkey of f$((c + 1))" "${authkeys[$c]}" "$work"/*.log; done

"${lab[@]}" down "${nodes[@]}" fq
echo "fleet target: all checks passed"
