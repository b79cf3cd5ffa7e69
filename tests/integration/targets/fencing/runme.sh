#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154,SC2016
# Fencing for real on a 3-node cluster, through the lab's Redfish BMC (sushy-tools) and Debian's
# fence_redfish: site.yml declares one fence device per node and a level per node (check, apply,
# check, apply; no password at -vvv); then stonith_admin --reboot, a network partition, a frozen
# node, and a wrong password, each seen on the lab (the node's PID 1 dies, a new one boots).
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
ensure_cluster
password=$(cat /var/lib/hacluster-lab/bmc/password)
[ -n "$password" ] || fail "the lab's BMC has no password"
# On a failure, what the cluster and the lab saw, before the nodes go: the lab's nodes (frozen, PID 1), the cluster's
# status and fencing history, and the fencer's and controller's last words about fencing on each node (no line that
# holds the password, should any ever). A frozen node's tools hang: each read is bounded.
diagnose() {
    echo "--- fencing target failed: the lab and the cluster at that moment" >&2
    "${lab[@]}" status >&2 || true
    "${lab[@]}" bmc >&2 || true
    for n in alice bob carol; do
        echo "--- $n" >&2
        { timeout 20 "${lab[@]}" exec "$n" crm_mon --one-shot --inactive --fence-history=3 || true
          timeout 20 "${lab[@]}" exec "$n" journalctl --no-pager -o short-precise --since -4min -u pacemaker -u corosync \
              | grep -iE "fenc|stonith|lost|membership|quorum|election|join" | tail -n 40 || true
        } 2>&1 | grep -vF "$password" | cut -c1-300 >&2
    done
}
# The other targets share this cluster: if this one fails half-way, leave no fencing cluster behind.
trap 'rc=$?; [ $rc -eq 0 ] || { diagnose; "${lab[@]}" down alice bob carol; }; rm -rf "$work"; exit $rc' EXIT
printf 'crm_resources: [{id: p0, agent: Dummy}]\n' > "$work/p0.yml"
site() { local log=$1; shift; play "$log" "$top/site.yml" -e @"$work/p0.yml" -e @"$top/tests/lab/fencing.yml" "$@"; }
cib_epoch() { "${lab[@]}" exec alice cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"'; }
status_xml() { "${lab[@]}" exec alice crm_mon --one-shot --inactive --fence-history=3 --output-as=xml; }
# (matched on captured output: under pipefail, grep -q closing a pipe early fails the producer)
status_has() { has "$1" "$(status_xml)"; }
no_secret() { no_leak "BMC password" "$password" "$@"; }
all_online() { [ "$(online_count alice)" = 3 ]; }  # joined, not only online: see online_count
devices_started() { [ "$(grep -c 'resource_agent="stonith:fence_redfish" role="Started"' <<< "$(status_xml)")" = 3 ]; }

# ---- 5. check, apply, check, apply; the diff; no password at -vvv
before=$(cib_epoch)
predicted=$(site "$work/check1.log" --check --diff)
[ "$(cib_epoch)" = "$before" ] || fail "check mode wrote the CIB"
# Debian 13 splits the agents (fence_redfish is in fence-agents-redfish), Debian 12 has them in one package
if [ "$("${lab[@]}" suite)" = bookworm ]; then agent_pkg=fence-agents; else agent_pkg=fence-agents-redfish; fi
! has "install ok installed" "$("${lab[@]}" exec bob dpkg-query -W -f '${Status}' "$agent_pkg" 2>/dev/null || true)" \
    || fail "the lab's image already holds $agent_pkg: the install is not tested"
grep -q "fence-alice" "$work/check1.log" || fail "the check-mode diff does not show the fence devices"
made=$(site "$work/apply1.log" --diff -vvv)
{ [ "$predicted" -gt 0 ] && [ "$predicted" -eq "$made" ]; } || fail "check mode predicted $predicted changes, the run made $made"
grep -q 'name="password" value="\*\*\*\*\*\*\*\*"' "$work/apply1.log" || fail "the diff does not show the masked password"
no_secret "$work"/check1.log "$work"/apply1.log
[ "$(site "$work/check2.log" --check)" -eq 0 ] || fail "check after apply predicts changes"
[ "$(site "$work/apply2.log")" -eq 0 ] || fail "second run changed"
status_has 'stonith-enabled="true"' || fail "stonith-enabled is not true"
wait_until 60 "fence devices started" devices_started >/dev/null
grep -q "Fencing: enabled; fence devices: fence-alice fence-bob fence-carol" "$work/apply2.log" || fail "status output"
for n in alice bob carol; do
    agents=$("${lab[@]}" exec "$n" dpkg-query -W -f '${binary:Package} ${Status}\n' 'fence-agents*' | awk '/ install ok installed$/ {print $1}' | sort | tr '\n' ' ')
    want="fence-agents-common fence-agents-redfish "
    [ "$agent_pkg" = fence-agents-redfish ] || want="fence-agents "
    [ "$agents" = "$want" ] || fail "$n: fence agent packages: $agents (want $want)"
done
has "fence-bob.*Started" "$("${lab[@]}" exec alice crm_mon --one-shot)" || fail "crm status does not show fence-bob Started"
# the password is in no node's journal either (AnsibleModule would log its invocation there)
for n in alice bob carol; do "${lab[@]}" exec "$n" journalctl --no-pager -o cat > "$work/$n.journal"; done
no_secret "$work"/*.journal

# ---- the lab's BMC serves only what fence_redfish uses: systems and power; everything else is a 404
bmc_code() {  # METHOD PATH: the HTTP status the BMC answers alice with, authenticated
    "${lab[@]}" exec alice python3 - "$1" "$2" "$password" <<'PY'
import base64, ssl, sys, urllib.error, urllib.request
method, path, password = sys.argv[1], sys.argv[2], sys.argv[3].strip()
request = urllib.request.Request("https://10.213.7.2" + path, method=method, data=b"{}" if method != "GET" else None,
                                 headers={"Content-Type": "application/json", "Authorization": "Basic "
                                          + base64.b64encode(("lab-admin:" + password).encode()).decode()})
try:
    print(urllib.request.urlopen(request, timeout=10, context=ssl._create_unverified_context()).status)
except urllib.error.HTTPError as exc:
    print(exc.code)
PY
}
[ "$(bmc_code GET /redfish/v1/Systems/bob)" = 200 ] || fail "the BMC does not serve bob's system"
for probe in "GET /redfish/v1/Managers" "GET /redfish/v1/Managers/bob/VirtualMedia" \
             "POST /redfish/v1/Managers/bob/VirtualMedia/Cd/Actions/VirtualMedia.InsertMedia" \
             "PATCH /redfish/v1/Systems/bob" "GET /redfish/v1/Chassis" "GET /redfish/v1/UpdateService"; do
    # shellcheck disable=SC2086
    code=$(bmc_code $probe)
    [ "$code" = 404 ] || fail "the BMC answers $probe with $code, not 404"
done
[ "$(stat -c %a /var/lib/hacluster-lab/bmc/state)" = 700 ] || fail "the BMC's state folder is not private"
[ -z "$(find /var/lib/hacluster-lab/bmc/state "${TMPDIR:-/tmp}/sushy-emulator" -name '*.sqlite' 2>/dev/null)" ] \
    || fail "the BMC keeps a SQLite database"

# ---- 1. stonith_admin --reboot bob from alice, in the middle of a run: powered off and on through the BMC,
# rejoins, recorded; the run fails at its end, naming bob, though every task before passed
old=$(pid1 bob)
rc=0
ansible-playbook -i "$inv" "$here/fenced_in_run.yml" -e @"$work/p0.yml" -e @"$top/tests/lab/fencing.yml" \
    > "$work/fenced.log" 2>&1 || rc=$?
[ "$rc" = 2 ] || { tail -40 "$work/fenced.log" >&2; fail "the run during which bob was fenced ended with rc $rc, not 2"; }
grep -q "Reboot bob through the cluster's fencing" "$work/fenced.log" || fail "the run did not fence bob"
grep -qE "Fenced while this run ran: bob: rebooted by (alice|carol)" "$work/fenced.log" \
    || fail "the run does not say that bob was fenced while it ran"
# one failure: the cluster's, on its first node, naming bob alone (every task before it passed on every node)
failures=$(grep -E "^(fatal|failed): \[" "$work/fenced.log" || true)
{ [ "$(wc -l <<< "$failures")" = 1 ] && has '^fatal: \[alice\]: FAILED! => \{"changed": false, "msg": "Fenced while this run ran: bob: [^;]*\. ' "$failures"; } \
    || fail "the run failed elsewhere than in its status check, or named another node than bob: $failures"
no_secret "$work/fenced.log"
# the BMC powers bob on at once and boots him after the firmware's self-test (5 s), so the new PID 1 may
# come a few seconds after the fence returned
booted_anew() { local pid; pid=$(pid1 bob); [ "$pid" != "$old" ] && [ "$pid" != 0 ]; }
wait_until 30 "bob boots again after the reboot (PID 1 was $old)" booted_anew >/dev/null
new=$(pid1 bob)
took=$(wait_until 120 "bob rejoins after the reboot" all_online)
echo "fencing: bob rebooted through the BMC (PID 1 $old -> $new), rejoined $took s after the fence returned"
status_has '<fence_event action="reboot" target="bob" .*status="success"' || fail "no successful fencing of bob in the history"
play "$work/status1.log" "$top/playbooks/status.yml" >/dev/null
grep -q '"bob: rebooted by ' "$work/status1.log" || fail "the status playbook does not show bob's last fencing"

# ---- 2. partition carol: the quorate side fences her through the BMC, p0 moves away from her
"${lab[@]}" exec alice crm_resource --resource p0 --move --node carol >/dev/null
p0_on() { has "node name=\"$1\"" "$(grep -A1 '<resource id="p0" .*role="Started"' <<< "$(status_xml)")"; }
p0_elsewhere() { has 'node name="(alice|bob)"' "$(grep -A1 '<resource id="p0" .*role="Started"' <<< "$(status_xml)")"; }
wait_until 60 "p0 moves to carol" p0_on carol >/dev/null
old=$(pid1 carol)
carol_off() { [ "$(pid1 carol)" != "$old" ]; }
start=$(date +%s.%N)
"${lab[@]}" partition carol
wait_until 90 "carol powered off after the partition" carol_off >/dev/null
off=$(echo "$(date +%s.%N) - $start" | bc)
wait_until 90 "p0 running on another node" p0_elsewhere >/dev/null
moved=$(echo "$(date +%s.%N) - $start" | bc)
echo "fencing: partition of carol -> carol powered off after $off s, p0 running elsewhere after $moved s"
status_has '<fence_event action="reboot" target="carol" .*status="success"' || fail "no successful fencing of carol"
carol_booted() { [ "$(pid1 carol)" != 0 ]; }
wait_until 60 "the BMC powers carol on again" carol_booted >/dev/null
"${lab[@]}" heal carol
took=$(wait_until 120 "carol rejoins after heal" all_online)
echo "fencing: carol rejoined $took s after heal"
"${lab[@]}" exec alice crm_resource --resource p0 --clear >/dev/null

# ---- 3. a hung node: carol's processes frozen (not killed) is fenced the same way
old=$(pid1 carol)
start=$(date +%s.%N)
"${lab[@]}" freeze carol
wait_until 90 "frozen carol powered off" carol_off >/dev/null
off=$(echo "$(date +%s.%N) - $start" | bc)
took=$(wait_until 150 "carol rejoins after the fencing of the freeze" all_online)
echo "fencing: frozen carol powered off after $off s, rejoined $took s later"
"${lab[@]}" wait-ssh carol  # the next step runs site.yml: back in the cluster may not yet answer SSH
has "carol .*frozen=False" "$("${lab[@]}" status)" || fail "carol is still frozen after her reboot"

# ---- 4. a wrong password: a failed fence in the cluster's words, and a rerun repairs it
printf 'lab_bmc_password: not-the-password\n' > "$work/wrong.yml"
site "$work/wrong.log" -e @"$work/wrong.yml" >/dev/null
device_failed() { status_has '<failure op_key="fence-bob_'; }
wait_until 90 "the wrong password fails the devices" device_failed >/dev/null
if "${lab[@]}" exec alice stonith_admin --reboot bob --timeout 60 >/dev/null 2>&1; then fail "fencing with a wrong password succeeded"; fi
status_has '<fence_event action="reboot" target="bob" .*status="failed"' || fail "the failed fencing is not in the history"
play "$work/status2.log" "$top/playbooks/status.yml" >/dev/null
grep -q "fence device fence-bob is Stopped: its start failed on " "$work/status2.log" || fail "the status output does not say fence-bob failed"
grep -q "the last fencing of bob FAILED (reboot, asked by alice" "$work/status2.log" || fail "the status output does not say bob's fencing failed"
fixed=$(site "$work/fixed.log")
[ "$fixed" -eq 1 ] || fail "the rerun with the right password made $fixed changes, not 1 (the three devices' password)"
wait_until 90 "the devices run again with the right password" devices_started >/dev/null
"${lab[@]}" exec alice stonith_admin --history bob --cleanup >/dev/null
no_secret "$work"/*.log

# ---- 6. a cold start in turns: the cluster stopped whole, then site.yml with one fork, so Ansible starts the nodes
#      one after the other and each start waits for membership. Without corosync first on every node, alice's
#      pacemaker elected a DC after 20 s without bob and carol and fenced them as unseen (startup-fencing) before
#      their turn (seen with two forks: carol rebooted through the BMC). Nobody may be fenced, and all come back.
booted_now() { for n in alice bob carol; do pid1 "$n"; done | xargs; }
nobody_fenced() {  # WHAT LOG: corosync went first on every node in LOG; no node booted anew or was fenced; all back
    local what=$1 n
    for n in alice bob carol; do has "^changed: \[$n\]" "$(turn_step "$2")" || fail "$what: corosync not first on $n"; done
    [ "$(booted_now)" = "$booted" ] || fail "a node was fenced in $what"
    all_online || fail "not every node online after $what"
    ! status_has '<fence_event ' || fail "$what fenced: $(grep -o '<fence_event [^>]*' <<< "$(status_xml)")"
    wait_until 90 "fence devices started after $what" devices_started >/dev/null
}
booted=$(booted_now)
for n in carol bob alice; do "${lab[@]}" exec "$n" crm cluster stop >/dev/null 2>&1; done
stack_down "the stack still runs after crm cluster stop" alice bob carol
started=$(date +%s)
predicted=$(site "$work/turns-check.log" --check --diff -f 1)
for n in alice bob carol; do
    has "^changed: \[$n\]" "$(turn_step "$work/turns-check.log")" || fail "check mode does not predict corosync first on $n"
done
stack_down "check mode started the stack" alice bob carol
made=$(site "$work/turns.log" --diff -f 1)
[ "$predicted" -eq "$made" ] || fail "check mode predicted $predicted changes for the cold start in turns, the run made $made"
nobody_fenced "the cold start in turns" "$work/turns.log"
[ "$(site "$work/turns-check2.log" --check -f 1)" -eq 0 ] || fail "check mode after the cold start in turns predicts changes"
[ "$(site "$work/turns2.log" -f 1)" -eq 0 ] || fail "the rerun with one fork changed"
step=$(turn_step "$work/turns2.log")
has "Start corosync on every node first" "$step" || fail "the rerun's log has no corosync-first task"
! grep -qE '^(ok|changed): ' <<< "$step" || fail "the converged rerun ran the corosync-first start: $step"
echo "fencing: the cold start in turns (one fork; check, apply, check, apply) took $(( $(date +%s) - started )) s, nobody fenced"
# the quorum role's coordinated restart in turns: the authkey rotated with one fork
started=$(date +%s)
play "$work/turns-rotate.log" "$top/playbooks/rotate-authkey.yml" -e crm_corosync_coordinated_restart=true -f 1 >/dev/null
nobody_fenced "the coordinated restart in turns" "$work/turns-rotate.log"
echo "fencing: the authkey rotated in turns (one fork) in $(( $(date +%s) - started )) s, nobody fenced"
no_secret "$work"/turns*.log

# ---- back to the cluster the other targets share
play "$work/cleanup.log" "$here/cleanup.yml" >/dev/null
status_has 'stonith-enabled="false"' || fail "fencing not turned off after the test"
! status_has 'stonith:fence_redfish' || fail "fence devices left behind"
all_online || fail "not every node online at the end"
