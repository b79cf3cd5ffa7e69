#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# Redundant links on a 3-node cluster of its own (lt1-lt3 on Debian 13, lb1-lb3 on 12) with a fence device per node
# through the lab's BMC; the lab's second and third networks are links 1 and 2. site.yml from the cluster image
# (packages baked in: installation is tested elsewhere) with two links: both connected on every node, a rerun and
# check mode change nothing; a web service on a virtual IP; a third link added to the running cluster and removed
# (check mode, the diff, a reload each: corosync's PIDs unchanged, the service sampled every 0.5 s answers at every
# sample from the same node); link 0 of the second node cut while the cluster is sampled: 3 members throughout, p0
# stays, nobody is fenced, the health table names the link; link 1 preferred by one reload; link 1's port by a
# rolling restart; the port of both links and a new crypto_cipher (changes that cannot roll) refused with nothing
# written unless crm_corosync_coordinated_restart, then the whole cluster restarted with the new cipher on every node;
# bad links refused; the authkey rotated by a coordinated restart (playbooks/rotate-authkey.yml), refused without the
# variable or with a node offline; both links of the second node cut: it is fenced through the BMC, and rejoins once
# its cables are back.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
# shellcheck source=../setup_cluster/upgrade_lib.sh
source "$(dirname "$0")/../setup_cluster/upgrade_lib.sh"
# nodes of its own, named by release: the test command runs it on both releases in two streams side by side
suite=$("${lab[@]}" suite)
nodes=("l${suite:0:1}1" "l${suite:0:1}2" "l${suite:0:1}3")
first=${nodes[0]} second=${nodes[1]}
vip=10.213.7.$([ "$suite" = trixie ] && echo 62 || echo 63)  # the web service's address, one per release
on() { "${lab[@]}" exec "$@"; }
# on a failure, what the nodes' cluster logs say about membership and fencing, before the nodes go
why() {
    local n
    on "$first" crm_mon -1 --fence-history=3 >&2 || true
    for n in "${nodes[@]}"; do
        echo "--- $n: corosync and pacemaker, membership and fencing, the last 15 minutes" >&2
        on "$n" journalctl -u corosync -u pacemaker --since -15min --no-pager -o short-precise 2>/dev/null \
            | grep -E "TOTEM|QUORUM|KNET|[Ff]enc|stonith|lost|[Tt]oken|Stopping|error|fail" | tail -n 40 >&2 || true
        # why a unit did not start (systemd's own words: a result of "resources" names no cause in systemctl's reply)
        echo "--- $n: systemd on corosync and pacemaker, the last 15 minutes" >&2
        on "$n" journalctl --since -15min --no-pager -o short-precise _PID=1 2>/dev/null \
            | grep -E "corosync|pacemaker" | tail -n 20 >&2 || true
        on "$n" systemctl status corosync pacemaker --no-pager --lines=5 >&2 2>&1 || true
    done
}
trap 'rc=$?; touch "$work/stop"; [ $rc -eq 0 ] || why; "${lab[@]}" down "${nodes[@]}"; rm -rf "$work"; exit $rc' EXIT
"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up --image cluster "${nodes[@]}"
"${lab[@]}" inventory "${nodes[@]}" > "$inv"
printf 'crm_resources: [{id: p0, agent: Dummy}]\n' > "$work/vars.yml"
two='{"crm_links": "{{ [ansible_host, lab_address1] }}"}'
three='{"crm_links": "{{ [ansible_host, lab_address1, lab_address2] }}"}'
site() { local log=$1; shift; play "$log" "$top/site.yml" -e @"$work/vars.yml" -e @"$top/tests/lab/fencing.yml" "$@"; }
pids() { for n in "${nodes[@]}"; do on "$n" systemctl show -p MainPID --value corosync; done | tr '\n' ' '; }
confs() { for n in "${nodes[@]}"; do on "$n" sha256sum /etc/corosync/corosync.conf; done; }
members() { on "${1:-$first}" corosync-quorumtool -s | awk -F: '/^Total votes/ { gsub(/ /, "", $2); print $2 }'; }
# the peers each node reaches on LINK, from corosync's own statistics (stats.knet.nodeN.linkL.connected; link 0 also
# counts the node itself)
connected() { local n total=0; for n in "${nodes[@]}"; do
    total=$(( total + $(on "$n" corosync-cmapctl -m stats stats.knet. | grep -c "link$1.connected (u8) = 1") )); done; echo "$total"; }
settle() { on "$first" crm_resource --wait --timeout 120s >/dev/null; }
fenced() { on "$first" crm_mon --one-shot --fence-history=3 --output-as=xml 2>/dev/null | grep -c '<fence_event .*status="success"' || true; }
# a coordinated restart is a cold start (no node runs): cluster_service's cold_start gives each node's CIB a 2 s
# dc-deadtime before pacemaker starts, so the first DC comes seconds after pacemaker started, not after Pacemaker's
# 20 s (without it the cluster was down for 27-29 s here); the set is gone from every node's CIB once the nodes are in.
# cold_start_fast SINCE: SINCE is the time (s) before the restart; prints the seconds from start to DC.
cold_start_fast() {
    local dc n took
    dc=$(on "$first" crm_mon --one-shot --output-as=xml | grep -o '<current_dc [^>]*name="[^"]*"' | sed 's/.*name="//; s/"$//')
    took=$(dc_after_start "$dc" "$1")
    { [ -n "$took" ] && [ "$took" -lt 15 ]; } \
        || fail "the cold start's first DC ($dc) came ${took:-never} s after its pacemaker started (want < 15)"
    for n in "${nodes[@]}"; do
        ! has hacluster-crm-bootstrap "$(on "$n" cibadmin --query --local --scope crm_config)" \
            || fail "the cold start's dc-deadtime set is left in $n's CIB"
    done
    echo "$took"
}

# ---- site.yml from the cluster image with two links
site "$work/site.log" -e "$two" >/dev/null
[ "$(members)" = 3 ] || fail "the cluster did not come up"
for _ in $(seq 30); do [ "$(connected 1)" = 6 ] && break; sleep 1; done
{ [ "$(connected 1)" = 6 ] && [ "$(connected 0)" = 9 ]; } || fail "not every pair is connected on both links: $(on "$first" corosync-cfgtool -n)"
[ "$(site "$work/site-check.log" -e "$two" --check)" = 0 ] || fail "check mode after the first run predicts changes"
[ "$(site "$work/site2.log" -e "$two")" = 0 ] || fail "a rerun changed something"
settle
echo "links: site.yml from the cluster image with two links, both connected between every pair; rerun and check mode change nothing"
for n in "${nodes[@]}"; do on "$n" mkdir -p /srv/www; done
play "$work/service.log" "$here/../setup_cluster/upgrade_service.yml" -e vip="$vip" >/dev/null
curl -sf -m 2 "http://$vip:8080/" >/dev/null || fail "the web service does not answer on $vip"

# ---- a third link added to the running cluster, then removed (check mode, the diff, check and rerun): a reload
# each, corosync's PIDs unchanged, and the web service answers at every sample from the same node
p0=$(pids)
c0=$(confs)
predicted=$(site "$work/add-check.log" -e "$three" --check --diff)
[ "$(confs)" = "$c0" ] || fail "check mode wrote corosync.conf"
grep -q "^+		ring2_addr: 10.213.9." "$work/add-check.log" || fail "the diff does not show ring2_addr"
sampled site "$work/add.log" -e "$three"
{ [ "$changed" -gt 0 ] && [ "$predicted" = "$changed" ]; } || fail "check mode predicted $predicted changes, the run made $changed"
grep -q "Reload corosync.conf on the running cluster" "$work/add.log" || fail "link 2 was not added by a reload"
[ "$(pids)" = "$p0" ] || fail "corosync restarted to add a link"
for _ in $(seq 30); do [ "$(connected 2)" = 6 ] && break; sleep 1; done
[ "$(connected 2)" = 6 ] || fail "link 2 is not connected between every pair: $(on "$first" corosync-cfgtool -n)"
no_gap "$work/service.samples" || fail "the service had a gap while link 2 was added"
added="$took s, $(summary "$work/service.samples")"
[ "$(site "$work/add-check2.log" -e "$three" --check)" = 0 ] || fail "check mode after the add predicts changes"
[ "$(site "$work/add2.log" -e "$three")" = 0 ] || fail "a rerun after the add changed something"
sampled site "$work/remove.log" -e "$two"
grep -q "Reload corosync.conf on the running cluster" "$work/remove.log" || fail "link 2 was not removed by a reload"
{ [ "$(pids)" = "$p0" ] && [ "$(connected 2)" = 0 ]; } || fail "corosync restarted to remove a link, or link 2 is still up"
no_gap "$work/service.samples" || fail "the service had a gap while link 2 was removed"
[ "$(connected 1)" = 6 ] || fail "removing link 2 took link 1 down: $(on "$first" corosync-cfgtool -n)"
echo "links: link 2 added ($added) and removed ($took s, $(summary "$work/service.samples")) by a reload each," \
    "corosync's PIDs unchanged"

# ---- link 0 of $second cut: 3 members at every sample, p0 does not move
where=$(on "$first" crm_resource --resource p0 --locate --quiet)
before_fenced=$(fenced)
"${lab[@]}" link-down "$second" 0
for _ in $(seq 60); do
    m=$(members "$first"); [ "$m" = 3 ] || fail "the cluster lost $second with link 1 up: $m members"
    [ "$(on "$first" crm_resource --resource p0 --locate --quiet)" = "$where" ] || fail "p0 moved while link 0 of $second was down"
    [ "$(fenced)" = "$before_fenced" ] || fail "a node was fenced while only link 0 of $second was down"
    sleep 0.5
done
has "= 0" "$(on "$first" corosync-cmapctl -m stats stats.knet.node"$(on "$second" corosync-cmapctl -g \
    runtime.votequorum.this_node_id | awk '{print $NF}')".link0.connected)" || fail "corosync does not see link 0 of $second down"
# the health table names the node and the link (WARN), from the other nodes' views; the lab reaches the cut node
# only on link 0, so the table is made without it (its row says so: FAIL, which the play's own check then reports)
ansible-playbook -i "$inv" -l "!$second" "$top/playbooks/health.yml" > "$work/health-cut.log" 2>&1 || true
grep -q "reachable | $second | FAIL" "$work/health-cut.log" || fail "the health play did not run: $(tail -5 "$work/health-cut.log")"
grep -q "corosync links | $first | WARN | $second: link 0 down, running on link 1" "$work/health-cut.log" \
    || fail "the health table does not name $second's link 0: $(grep 'corosync links' "$work/health-cut.log")"
"${lab[@]}" link-up "$second" 0
for _ in $(seq 30); do [ "$(connected 0)" = 9 ] && break; sleep 1; done
[ "$(connected 0)" = 9 ] || fail "link 0 of $second did not come back"
play "$work/health-healed.log" "$top/playbooks/health.yml" >/dev/null
grep -q "corosync links | $first | OK | 2 links to 2 nodes connected" "$work/health-healed.log" \
    || fail "the link warning did not clear: $(grep 'corosync links' "$work/health-healed.log")"
! grep -q "corosync links | .* | WARN" "$work/health-healed.log" || fail "a link warning is left after the heal"
echo "links: 30 s with link 0 of $second cut, 3 members at all 60 samples, p0 stayed on $where"

# ---- link 1 preferred: a reload
printf 'crm_link_options: [{linknumber: 1, knet_link_priority: 10}]\n' > "$work/prio.yml"
made=$(site "$work/prio.log" -e "$two" -e @"$work/prio.yml")
{ [ "$made" -gt 0 ] && [ "$(pids)" = "$p0" ]; } || fail "link 1's priority was not applied by a reload ($made changes)"
on "$first" grep -A2 "interface {" /etc/corosync/corosync.conf > "$work/interface"
grep -q "knet_link_priority: 10" "$work/interface" || fail "no priority in corosync.conf"

echo "links: link 1's priority applied by one reload, corosync's PIDs unchanged"

# ---- link 1's port: a rolling restart (link 0 keeps the nodes talking)
printf 'crm_link_options: [{linknumber: 1, knet_link_priority: 10, mcastport: 5410}]\n' > "$work/port1.yml"
c1=$(confs)
predicted=$(site "$work/port1-check.log" -e "$two" -e @"$work/port1.yml" --check --diff)
[ "$(confs)" = "$c1" ] || fail "check mode of the roll wrote corosync.conf"
grep -q "^+		mcastport: 5410" "$work/port1-check.log" || fail "the diff does not show link 1's new port"
made=$(site "$work/port1.log" -e "$two" -e @"$work/port1.yml")
grep -q "Restart the stack one node at a time" "$work/port1.log" || fail "link 1's port was not rolled"
[ "$predicted" = "$made" ] || fail "check mode predicted $predicted changes for the roll, the run made $made"
p1=$(pids)
{ [ "$p1" != "$p0" ] && [ "$(members)" = 3 ]; } || fail "the roll did not restart corosync, or lost a node"
for _ in $(seq 30); do [ "$(connected 1)" = 6 ] && break; sleep 1; done
[ "$(connected 1)" = 6 ] || fail "link 1 is not connected on its new port"
settle

# ---- the port of both links and a new crypto_cipher: cannot roll (a node restarted with either could not talk to
# the others; a reload of the cipher let nodes drop out, see _corosync.py); refused with nothing written, then a
# coordinated restart
printf 'crm_link_options: [{linknumber: 0, mcastport: 5420}, {linknumber: 1, knet_link_priority: 10, mcastport: 5421}]\ncrm_crypto_cipher: aes128\n' \
    > "$work/ports.yml"
c1=$(confs)
if (site "$work/ports-refused.log" -e "$two" -e @"$work/ports.yml") >/dev/null 2>&1; then fail "a change that cannot roll was not refused"; fi
grep -q "cannot roll one node at a time: totem.crypto_cipher changes from aes256 to aes128; no link keeps its port and transport" \
    "$work/ports-refused.log" || fail "the refusal does not say why: $(grep -A3 'cannot roll' "$work/ports-refused.log" | head -5)"
{ [ "$(confs)" = "$c1" ] && [ "$(pids)" = "$p1" ]; } || fail "the refused change touched the cluster"
predicted=$(site "$work/ports-check.log" -e "$two" -e @"$work/ports.yml" -e crm_corosync_coordinated_restart=true --check --diff)
{ [ "$(confs)" = "$c1" ] && [ "$(pids)" = "$p1" ]; } || fail "check mode of the coordinated restart touched the cluster"
grep -q "^+	crypto_cipher: aes128" "$work/ports-check.log" || fail "the diff of the coordinated restart does not show the new cipher"
since=$(date +%s)
made=$(site "$work/ports.log" -e "$two" -e @"$work/ports.yml" -e crm_corosync_coordinated_restart=true)
[ "$predicted" = "$made" ] || fail "check mode predicted $predicted changes for the coordinated restart, the run made $made"
down=$(grep -o "The cluster was down for [0-9.]* s" "$work/ports.log") || fail "no coordinated restart"
for _ in $(seq 60); do [ "$(members)" = 3 ] && break; sleep 1; done
[ "$(members)" = 3 ] || fail "the cluster did not come back from the coordinated restart"
down="$down, the first DC $(cold_start_fast "$since") s after pacemaker started"
for n in "${nodes[@]}"; do
    [ "$(on "$n" corosync-cmapctl -g totem.crypto_cipher | awk '{print $NF}')" = aes128 ] || fail "$n does not run the new cipher"
done
[ "$(site "$work/ports-check2.log" -e "$two" -e @"$work/ports.yml" --check)" = 0 ] || fail "check mode after the coordinated restart predicts changes"
[ "$(site "$work/ports2.log" -e "$two" -e @"$work/ports.yml")" = 0 ] || fail "a rerun changed something"
settle
echo "links: link 1's port rolled; both ports and a new cipher refused without crm_corosync_coordinated_restart, then" \
    "applied, the new cipher on every node: $down"

# ---- bad links: refused naming the host, nothing written
c2=$(confs)
if (site "$work/bad.log" -e '{"crm_links": ["{{ ansible_host }}", "10.213.8.200"]}' -e @"$work/ports.yml") >/dev/null 2>&1; then
    fail "the same link address on every node was accepted"; fi
grep -q "(link 1) have the same link address 10.213.8.200" "$work/bad.log" || fail "the refusal does not name the address"
[ "$(confs)" = "$c2" ] || fail "a refused nodelist wrote corosync.conf"

# ---- the authkey rotated: refused with a node offline, and without crm_corosync_coordinated_restart (it cannot
# roll); check mode predicts and writes nothing; then a coordinated restart: the new key on every node, the cluster
# back with it, and the time it was down said
keys() { for n in "${nodes[@]}"; do on "$n" sha256sum /etc/corosync/authkey; done | awk '{print $1}' | sort | uniq -c; }
rotate() { local log=$1; shift; play "$log" "$top/playbooks/rotate-authkey.yml" "$@"; }
k0=$(keys)
on "$second" systemctl stop pacemaker corosync
for _ in $(seq 60); do [ "$(members)" = 2 ] && break; sleep 1; done
if (rotate "$work/rotate-refused.log" -e crm_corosync_coordinated_restart=true) >/dev/null 2>&1; then
    fail "the rotation was not refused with $second offline"; fi
grep -q "not online: $second" "$work/rotate-refused.log" || fail "the refusal does not name $second: $(grep -A2 'not rotated' "$work/rotate-refused.log")"
[ "$(keys)" = "$k0" ] || fail "the refused rotation changed a key"
on "$second" systemctl start corosync pacemaker
for _ in $(seq 60); do [ "$(members)" = 3 ] && break; sleep 1; done
settle
p3=$(pids)
if (rotate "$work/rotate-unasked.log") >/dev/null 2>&1; then fail "the rotation was not refused without crm_corosync_coordinated_restart"; fi
grep -q "a new key cannot roll one node at a time" "$work/rotate-unasked.log" || fail "the refusal does not say why"
{ [ "$(keys)" = "$k0" ] && [ "$(pids)" = "$p3" ]; } || fail "the refused rotation touched the cluster"
# 3 stops, 3 keys installed, 3 starts
[ "$(rotate "$work/rotate-check.log" -e crm_corosync_coordinated_restart=true --check)" = 9 ] \
    || fail "check mode does not predict 3 stops, 3 keys and 3 starts"
{ [ "$(keys)" = "$k0" ] && [ "$(pids)" = "$p3" ]; } || fail "check mode touched the cluster"
since=$(date +%s)
[ "$(rotate "$work/rotate.log" -e crm_corosync_coordinated_restart=true)" = 9 ] || fail "the rotation did not stop, install 3 keys and start"
down=$(grep -o "The cluster was down for [0-9.]* s" "$work/rotate.log") || fail "the rotation does not say how long the cluster was down"
down="$down, the first DC $(cold_start_fast "$since") s after pacemaker started"
k1=$(keys)
{ [ "$k1" != "$k0" ] && [ "$(echo "$k1" | wc -l)" = 1 ]; } || fail "the nodes do not share one new key: $k1"
{ [ "$(pids)" != "$p3" ] && [ "$(members)" = 3 ]; } || fail "the cluster was not restarted, or did not come back whole"
no_leak "new authkey" "$(on "$first" base64 -w0 /etc/corosync/authkey)" "$work"/*.log
for n in "${nodes[@]}"; do ! on "$n" test -e /etc/corosync/authkey.new || fail "the new key's scratch copy is left on $n"; done
settle
echo "links: the authkey rotated by a coordinated restart (refused without it): $down, 3 members with the new key"

# ---- both links of the second node cut: the others fence it through the BMC; it rejoins once its cables are back
old=$(pid1 "$second")
before_fenced=$(fenced)
cut_at=$(date +%s)
"${lab[@]}" partition "$second"
for _ in $(seq 180); do [ "$(pid1 "$second")" != "$old" ] && break; sleep 1; done
if [ "$(pid1 "$second")" = "$old" ]; then
    on "$first" crm_mon --one-shot --fence-history=3 >&2 || true
    on "$first" journalctl -u pacemaker --since "-4min" --no-pager | grep -E "fenc|stonith|lost|membership" | tail -40 >&2 || true
    fail "$second was not fenced within 180 s of both its links cut"
fi
took_fence=$(( $(date +%s) - cut_at ))
for _ in $(seq 60); do [ "$(fenced)" -gt "$before_fenced" ] && break; sleep 1; done
[ "$(fenced)" -gt "$before_fenced" ] || fail "no fencing of $second in the history"
for _ in $(seq 60); do [ "$(pid1 "$second")" != 0 ] && break; sleep 1; done
"${lab[@]}" heal "$second"
for _ in $(seq 120); do [ "$(members)" = 3 ] && break; sleep 1; done
[ "$(members)" = 3 ] || fail "$second did not rejoin after the heal"
echo "links: both links of $second cut: fenced through the BMC in $took_fence s (PID 1 $old -> $(pid1 "$second")), rejoined after the heal"
echo "links target: all checks passed"
