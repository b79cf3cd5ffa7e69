#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154,SC2016
# Pacemaker Remote on Debian 13 (issue 24): a 3-node cluster (rn1, rn2, rn3) and a fourth node, the fresh server rr1,
# in the inventory group `remote`, one fence device each through the lab's BMC. site.yml on fresh nodes: check mode writes nothing; the run
# installs pacemaker-remote on rr1, shares one /etc/pacemaker/authkey (never shown), declares rr1's connection and a
# resource placed on rr1 runs there; check and rerun change nothing; a changed connection parameter is check, apply,
# check, apply with the diff. Then rr1's connection is lost (a partition): the cluster fences rr1 through the BMC (its
# PID 1 replaced), and after the heal rr1 comes back and runs its resource again. Bad input stops before any write.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
nodes=(rn1 rn2 rn3 rr1)
trap 'rc=$?; "${lab[@]}" down "${nodes[@]}" >/dev/null 2>&1 || true; rm -rf "$work"; exit $rc' EXIT
"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up rn1 rn2 rn3
"${lab[@]}" up --image bare rr1  # a fresh server: the role installs pacemaker-remote (it conflicts with pacemaker)
"${lab[@]}" inventory rn1 rn2 rn3 --remote rr1 > "$inv"

cat > "$work/vars.yml" <<'YAML'
crm_resources:
  - {id: p0, agent: Dummy}
  - {id: on-remote, agent: Dummy}
crm_constraints:
  - {type: location, id: on-remote-there, resource: on-remote, node: rr1, score: INFINITY}
YAML
site() { local log=$1; shift; play "$work/$log.log" "$top/site.yml" -e @"$work/vars.yml" -e @"$top/tests/lab/fencing.yml" "$@"; }
status_xml() { "${lab[@]}" exec rn1 crm_mon --one-shot --inactive --fence-history=3 --output-as=xml; }
cib_epoch() { "${lab[@]}" exec rn1 cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"'; }
fingerprint() {  # what a run would write on the remote node, and rn2's key
    "${lab[@]}" exec rr1 sh -c 'dpkg-query -W -f "\${Status}\n" pacemaker-remote 2>&1; ls -la /etc/pacemaker 2>&1; systemctl is-active pacemaker_remote; true'
    "${lab[@]}" exec rn2 sha256sum /etc/pacemaker/authkey
}
remote_online() { has '<node name="rr1" [^>]*online="true"[^>]*type="remote"' "$(status_xml)"; }
on_remote_there() { has '<node name="rr1"' "$(grep -A1 '<resource id="on-remote" .*role="Started"' <<< "$(status_xml)")"; }
back() { remote_online && on_remote_there; }

# Debian's pacemaker-common makes a key of its own on every node it is installed on; the image gives rn1-rn3 one
# key. rn2 gets another, as a separately installed node would have: the key most running nodes hold must win.
"${lab[@]}" exec rn2 sh -c 'umask 027; head -c 4096 /dev/urandom > /etc/pacemaker/authkey; chgrp haclient /etc/pacemaker/authkey'
image_key=$("${lab[@]}" exec rn1 sha256sum /etc/pacemaker/authkey | cut -d' ' -f1)

# ---- fresh servers: check mode predicts, writes nothing
before=$(fingerprint)
predicted=$(site check1 --check --diff)
[ "$predicted" -gt 0 ] || fail "check mode on fresh nodes predicted no change"
[ "$(fingerprint)" = "$before" ] || fail "check mode wrote on rr1: $(fingerprint)"
grep -q "Install pacemaker-remote" "$work/check1.log" || fail "check mode does not show the remote play"

# ---- the run: rr1 is a remote node running the resource placed on it
made=$(site apply1 --diff)
echo "remote: fresh nodes, check mode predicted $predicted changes, the run made $made"
{ [ "$made" -gt 0 ] && [ "$predicted" = "$made" ]; } || fail "check mode predicted $predicted changes, the run made $made"
remote_online || fail "rr1 is not an online remote node: $(status_xml | grep 'node name')"
on_remote_there || fail "on-remote does not run on rr1"
has 'RemoteOnline: \[ rr1 \]' "$("${lab[@]}" exec rn1 crm_mon -1)" || fail "crm status does not list rr1 as RemoteOnline"
if ! grep -q '"Online: rn1 rn2 rn3"' "$work/apply1.log" || ! grep -q '"Remote nodes: rr1 online=True"' "$work/apply1.log"; then
    fail "the status play does not show the members and the remote node apart: $(grep -E '"(Online|Remote nodes):' "$work/apply1.log")"
fi
has 'primitive rr1 ocf:pacemaker:remote' "$("${lab[@]}" exec rn2 crm configure show rr1)" || fail "no connection rr1 in crmsh's words"
has 'server=10\.213\.' "$("${lab[@]}" exec rn2 crm configure show rr1)" || fail "the connection has no server address"
# one key, root:haclient 0640 on all three; its bytes in no log
sums=$(for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" sh -c 'stat -c "%U:%G %a %s" /etc/pacemaker/authkey; sha256sum < /etc/pacemaker/authkey'; done | sort -u)
[ "$(wc -l <<< "$sums")" = 2 ] || fail "the nodes' Pacemaker Remote keys differ: $sums"
has '^root:haclient 640 4096$' "$sums" || fail "the key's owner, mode or size: $sums"
has "^$image_key" "$sums" || fail "the key most nodes held did not win: $sums"
key=$("${lab[@]}" exec rn1 base64 -w0 /etc/pacemaker/authkey)
no_leak "Pacemaker Remote authkey" "$key" "$work"/*.log

# ---- converged: check and rerun change nothing
[ "$(site check2 --check --diff)" -eq 0 ] || { grep -B3 "changed:" "$work/check2.log" >&2; fail "check mode on the converged cluster predicts a change"; }
[ "$(site apply2)" -eq 0 ] || { grep -B3 "changed:" "$work/apply2.log" >&2; fail "the second run changed something"; }

# ---- a changed connection parameter: check predicts exactly the run, the diff shows it, then nothing
printf 'crm_remote_params: {reconnect_interval: 20s}\n' > "$work/params.yml"
epoch=$(cib_epoch)
predicted=$(site check3 --check --diff -e @"$work/params.yml")
[ "$(cib_epoch)" = "$epoch" ] || fail "check mode wrote the CIB"
grep -q '^+.*name="reconnect_interval" value="20s"' "$work/check3.log" || fail "the check-mode diff does not show the new reconnect_interval"
made=$(site apply3 --diff -e @"$work/params.yml")
{ [ "$predicted" = 1 ] && [ "$made" = 1 ]; } || fail "a changed connection parameter: check predicted $predicted changes, the run made $made (1 expected)"
[ "$(site check4 --check -e @"$work/params.yml")" -eq 0 ] || fail "check after the change predicts a change"
wait_until 60 "rr1 back after its connection's change" back >/dev/null

# ---- export and re-apply (also the rerun after the change): the connection and rr1's fence device come back as
# variables, and site.yml with them (and without fencing.yml) changes nothing
play "$work/export.log" "$top/playbooks/export.yml" -e crm_export_file="$work/gv/crm.yml" >/dev/null
has 'agent: "ocf:pacemaker:remote"' "$(cat "$work/gv/crm.yml")" || fail "the export has no remote connection"
has 'host: "rr1"|host:.*rr1' "$(cat "$work/gv/crm.yml")" || fail "the export has no fence device for rr1"
epoch=$(cib_epoch)
[ "$(play "$work/reapply.log" "$top/site.yml" -e @"$work/gv/crm.yml" -e @"$work/gv/crm-secrets.yml" -e @"$work/params.yml")" -eq 0 ] \
    || { grep -B3 "changed:" "$work/reapply.log" >&2; fail "site.yml with the exported variables changed something"; }
[ "$(cib_epoch)" = "$epoch" ] || fail "site.yml with the exported variables wrote the CIB"

# ---- bad input: nothing written
epoch=$(cib_epoch)
printf 'crm_remote_params: [reconnect_interval]\n' > "$work/bad.yml"
! (site bad1 -e @"$work/bad.yml") >/dev/null 2>&1 || fail "a list as crm_remote_params was accepted"
grep -q "crm_remote_params" "$work/bad1.log" || fail "the error does not name crm_remote_params"
"${lab[@]}" inventory rn1 rn2 rn3 rr1 --remote rr1 > "$work/both"  # rr1 in both groups
sed -i 's/^\[remote\]/[cluster]\nrr1\n\n[remote]/' "$work/both"
! ansible-playbook -i "$work/both" "$top/site.yml" -e @"$work/vars.yml" > "$work/bad2.log" 2>&1 || fail "a host in both groups was accepted"
grep -q "rr1: in the cluster group cluster and in the remote group remote" "$work/bad2.log" || { tail -20 "$work/bad2.log" >&2; fail "the error does not name rr1 in both groups"; }
[ "$(cib_epoch)" = "$epoch" ] || fail "bad input wrote the CIB"
conf=$("${lab[@]}" exec rn1 cat /etc/corosync/corosync.conf)
if ! has "nodelist" "$conf" || has "rr1" "$conf"; then fail "bad input wrote rr1 into corosync.conf"; fi

# ---- the connection lost: fenced through the BMC, and back after the heal
old=$(pid1 rr1)
replaced() { local pid; pid=$(pid1 rr1); [ "$pid" != "$old" ]; }
start=$(date +%s.%N)
"${lab[@]}" partition rr1
wait_until 120 "rr1 fenced after its connection was lost" replaced >/dev/null
fenced=$(echo "$(date +%s.%N) - $start" | bc)
fence_done() { has '<fence_event action="reboot" target="rr1" [^>]*status="success"' "$(status_xml)"; }
wait_until 60 "a successful fencing of rr1 in the history" fence_done >/dev/null
booted() { [ "$(pid1 rr1)" != 0 ]; }
wait_until 60 "the BMC powers rr1 on again" booted >/dev/null
"${lab[@]}" heal rr1
took=$(wait_until 150 "rr1 back as a remote node running on-remote" back)
echo "remote: the connection lost -> rr1 fenced through the BMC after $fenced s (PID 1 $old -> $(pid1 rr1)), back $took s after the heal"
"${lab[@]}" wait-ssh rr1  # back in the cluster is not yet answering SSH
[ "$(site apply5 -e @"$work/params.yml")" -eq 0 ] || { grep -B3 "changed:" "$work/apply5.log" >&2; fail "the run after the fencing changed something"; }
echo "remote target: all checks passed"
