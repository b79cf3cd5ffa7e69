#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# site.yml on three fresh lab nodes: check mode (predicts changes, writes nothing), apply,
# check again and apply again (no change); crmsh sees p0; p0 stopped and started by state.
# The converged cluster is left for the targets that share it.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
"${lab[@]}" down alice bob carol
"${lab[@]}" up alice bob carol
"${lab[@]}" inventory alice bob carol > "$inv"
vars() { printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy, state: %s}]\n' "$1" > "$work/vars.yml"; }
site() { play "$work/$1.log" "$top/site.yml" -e @"$work/vars.yml" "${@:2}"; }
fingerprint() { "${lab[@]}" exec alice sh -c 'sha256sum /etc/corosync/corosync.conf /etc/hosts; ls -a /etc/corosync /root/.ssh; systemctl is-active corosync pacemaker; true'; }
vars started

before=$(fingerprint)
predicted=$(site check1 --check --diff)
[ "$predicted" -gt 0 ] || fail "check mode on fresh nodes predicted no change"
grep -q "nodelist" "$work/check1.log" || fail "check-mode diff does not show the nodelist"
grep -q "^+corosync: active, enabled" "$work/check1.log" || fail "the check-mode diff does not show the stack started"
[ "$(fingerprint)" = "$before" ] || fail "check mode wrote something"

made=$(site apply1)
[ "$made" -gt 0 ] || fail "first run changed nothing"
echo "fresh nodes: check mode predicted $predicted changes, the run made $made"
grep -q '"Online: alice bob carol"' "$work/apply1.log" || fail "not all nodes online"
grep -q '"DC: [a-z]*, quorate: True"' "$work/apply1.log" || fail "not quorate"
grep -q '"p0: Started"' "$work/apply1.log" || fail "p0 not Started"
# A new cluster elects its first DC in seconds, not after Pacemaker's 20 s dc-deadtime (cluster_service's cold_start
# seeds each node's first CIB with a 2 s one, in a set of its own), and that set is gone once the nodes are in.
dc=$(grep -o '"DC: [a-z]*' "$work/apply1.log" | head -1 | cut -d' ' -f2)
took=$(dc_after_start "$dc")
{ [ -n "$took" ] && [ "$took" -lt 15 ]; } || fail "the first DC ($dc) came ${took:-never} s after pacemaker started (want < 15)"
echo "the first DC, $dc, was elected $took s after its pacemaker started"
! has "hacluster-crm-bootstrap" "$("${lab[@]}" exec alice cibadmin --query --scope crm_config)" \
    || fail "the first election's dc-deadtime set is still in the CIB"

[ "$(site check2 --check --diff)" -eq 0 ] || { grep -B3 "changed:" "$work/check2.log" >&2; fail "check mode on the converged cluster predicts a change"; }
[ "$(site apply2)" -eq 0 ] || { grep -B3 "changed:" "$work/apply2.log" >&2; fail "second run changed something"; }

# The secret never shows: no 16 characters in a row of the authkey's base64 are in any log.
key=$("${lab[@]}" exec alice base64 -w0 /etc/corosync/authkey)
no_leak authkey "$key" "$work"/*.log
[ "$("${lab[@]}" exec bob sha256sum /etc/corosync/authkey | cut -d' ' -f1)" = \
  "$("${lab[@]}" exec carol sha256sum /etc/corosync/authkey | cut -d' ' -f1)" ] || fail "authkeys differ"

# crmsh on any node shows p0 as the guide's primitive.
[[ "$("${lab[@]}" exec bob crm configure show p0)" == *"primitive p0 Dummy"* ]] || fail "crm configure show p0"

# The guide's crm resource stop p0, then start, by state.
locate() { "${lab[@]}" exec carol crm_resource --resource p0 --locate 2>&1 || true; }
vars stopped
[ "$(site stop)" -gt 0 ] || fail "stopping p0 changed nothing"
[[ "$(locate)" == *"NOT running"* ]] || fail "p0 still running: $(locate)"
vars started
[ "$(site start)" -gt 0 ] || fail "starting p0 changed nothing"
[[ "$(locate)" == *"is running on"* ]] || fail "p0 not running again: $(locate)"
echo "site target: all checks passed"
