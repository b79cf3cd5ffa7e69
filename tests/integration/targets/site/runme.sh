#!/usr/bin/env bash
# site.yml on three fresh lab nodes: check mode (predicts changes, writes nothing), apply,
# check again and apply again (no change); crmsh sees p0; p0 stopped and started by state.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# ansible-test runs a copy of the target below the collection's tests/output/
case $here in */tests/output/*) top=${here%%/tests/output/*} ;; *) top=$(cd "$here/../../../.." && pwd) ;; esac
lab=(python3 "$top/tests/lab/lab.py")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ANSIBLE_HOST_KEY_CHECKING=false ANSIBLE_PIPELINING=true

"${lab[@]}" down
"${lab[@]}" up alice bob carol
"${lab[@]}" inventory > "$work/inventory"
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy, state: %s}]\n' started > "$work/vars.yml"

site() {  # site() LOG [ansible-playbook args...]: runs site.yml, prints the total of changed=
    local log=$1; shift
    ansible-playbook -i "$work/inventory" -e @"$work/vars.yml" "$top/site.yml" "$@" > "$log" 2>&1 \
        || { tail -40 "$log" >&2; echo "FAIL: site.yml $*" >&2; exit 1; }
    awk '/ changed=/ { for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) { split($i, kv, "="); n += kv[2] } } END { print n + 0 }' "$log"
}
fingerprint() { "${lab[@]}" exec alice sh -c 'sha256sum /etc/corosync/corosync.conf /etc/hosts; ls /etc/corosync; systemctl is-active corosync pacemaker || true'; }

before=$(fingerprint)
changed=$(site "$work/check1.log" --check --diff)
[ "$changed" -gt 0 ] || { echo "FAIL: check mode on fresh nodes predicted no change"; exit 1; }
grep -q "nodelist" "$work/check1.log" || { echo "FAIL: check-mode diff does not show the nodelist"; exit 1; }
[ "$(fingerprint)" = "$before" ] || { echo "FAIL: check mode wrote something"; exit 1; }

changed=$(site "$work/apply1.log")
[ "$changed" -gt 0 ] || { echo "FAIL: first run changed nothing"; exit 1; }
grep -q '"Online: alice bob carol"' "$work/apply1.log" || { echo "FAIL: not all nodes online"; exit 1; }
grep -q '"DC: [a-z]*, quorate: True"' "$work/apply1.log" || { echo "FAIL: not quorate"; exit 1; }

changed=$(site "$work/check2.log" --check --diff)
[ "$changed" -eq 0 ] || { grep -B3 "changed:" "$work/check2.log"; echo "FAIL: check mode on converged cluster: changed=$changed"; exit 1; }
changed=$(site "$work/apply2.log")
[ "$changed" -eq 0 ] || { grep -B3 "changed:" "$work/apply2.log"; echo "FAIL: second run changed=$changed"; exit 1; }

# The secret never shows: the authkey's bytes are not in any log (as base64 or raw).
key=$("${lab[@]}" exec alice base64 -w0 /etc/corosync/authkey)
! grep -qF "$key" "$work"/*.log || { echo "FAIL: the authkey appears in output"; exit 1; }
[ "$("${lab[@]}" exec bob sha256sum /etc/corosync/authkey | cut -d' ' -f1)" = \
  "$("${lab[@]}" exec carol sha256sum /etc/corosync/authkey | cut -d' ' -f1)" ] || { echo "FAIL: authkeys differ"; exit 1; }

# crmsh on any node shows p0 as the guide's primitive.
[[ "$("${lab[@]}" exec bob crm configure show p0)" == *"primitive p0 Dummy"* ]] || { echo "FAIL: crm configure show p0"; exit 1; }

# The guide's crm resource stop p0, then start, by state.
role_of_p0() { "${lab[@]}" exec carol crm_resource --resource p0 --locate 2>&1 || true; }
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy, state: %s}]\n' stopped > "$work/vars.yml"
changed=$(site "$work/stop.log")
[ "$changed" -gt 0 ] || { echo "FAIL: stopping p0 changed nothing"; exit 1; }
"${lab[@]}" exec alice crm_resource --wait --timeout 60s
[[ "$(role_of_p0)" == *"NOT running"* ]] || { role_of_p0; echo "FAIL: p0 still running"; exit 1; }
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy, state: %s}]\n' started > "$work/vars.yml"
site "$work/start.log" >/dev/null
"${lab[@]}" exec alice crm_resource --wait --timeout 60s
[[ "$(role_of_p0)" == *"is running on"* ]] || { role_of_p0; echo "FAIL: p0 not running again"; exit 1; }
echo "site target: all checks passed"
