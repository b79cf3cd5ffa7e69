#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# Groups, clones, a promotable clone and constraints on a 3-node cluster, declared by the resources
# role in one CIB transaction: a web service (virtual IP and nginx) that prefers alice and moves in
# order on standby and on power loss, a clone on every node, a virtual IP that follows the promoted
# instance; then a configuration made by hand with crmsh, exported and declared again: no change.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
ensure_cluster
trap 'rc=$?; [ $rc -eq 0 ] || "${lab[@]}" down alice bob carol; rm -rf "$work"; exit $rc' EXIT

status_xml() { "${lab[@]}" exec bob crm_mon --one-shot --inactive --output-as=xml; }
cib_epoch() { "${lab[@]}" exec alice cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"' | grep -o '[0-9]*'; }
# where RESOURCE runs in ROLE (Started by default), from crm_mon's XML
where() { status_xml | python3 "$here/status.py" where "$1" "${2:-Started}"; }
runs_on() { [ "$(where "$1")" = "$2" ]; }
page() { "${lab[@]}" exec "$1" python3 -c "import urllib.request; print(urllib.request.urlopen('http://$2/', timeout=3).read().decode().strip())" 2>/dev/null || true; }
start_call() { status_xml | python3 "$here/status.py" start-call "$1" "$2"; }
in_order() { local a b; a=$(start_call "$1" web-ip); b=$(start_call "$1" web-server); [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; }
play "$work/nginx.log" "$here/nginx.yml" >/dev/null

# ---- the usual: check, apply, check, apply, with the diff; one transaction (one CIB write)
resources() { play "$@" "$top/playbooks/resources.yml" -e @"$here/service.yml"; }
before=$(cib_epoch)
predicted=$(resources "$work/check1.log" --check --diff)
[ "$(cib_epoch)" = "$before" ] || fail "check mode wrote the CIB"
has '\+<group id="web">' "$(cat "$work/check1.log")" || fail "the diff does not show the group"
made=$(resources "$work/apply1.log" --diff)
{ [ "$predicted" -eq 1 ] && [ "$made" -eq 1 ]; } || fail "check mode predicted $predicted changed tasks, the run made $made"
[ "$(cib_epoch)" -eq $((before + 1)) ] || fail "the declaration took $(( $(cib_epoch) - before )) CIB writes, not one"
[ "$(resources "$work/check2.log" --check)" -eq 0 ] || fail "check after apply predicts changes"
[ "$(resources "$work/apply2.log")" -eq 0 ] || fail "second run changed"

# ---- 1. the web service: on alice, served from the virtual IP; in order elsewhere on standby and on power loss
wait_until 60 "web on alice" runs_on web-server alice >/dev/null
[ "$(page bob 10.213.7.100)" = alice ] || fail "the virtual IP does not serve alice's page (got '$(page bob 10.213.7.100)')"
"${lab[@]}" exec alice crm node standby alice
left_alice() { local on; on=$(where web-server); [ -n "$on" ] && [ "$on" != alice ]; }
wait_until 60 "web leaves alice on standby" left_alice >/dev/null
moved=$(where web-server)
[ "$(where web-ip)" = "$moved" ] || fail "the IP ($(where web-ip)) and nginx ($moved) are apart"
in_order "$moved" || fail "on $moved nginx did not start after the IP"
[ "$(page carol 10.213.7.100)" = "$moved" ] || fail "after standby the page comes from '$(page carol 10.213.7.100)', not $moved"
"${lab[@]}" exec alice crm node online alice
wait_until 60 "web back on alice" runs_on web-server alice >/dev/null
"${lab[@]}" poweroff alice
wait_until 90 "web leaves a powered-off alice" left_alice >/dev/null
moved=$(where web-server)
in_order "$moved" || fail "on $moved nginx did not start after the IP"
[ "$(page bob 10.213.7.100)" = "$moved" ] || fail "after the power loss the page comes from '$(page bob 10.213.7.100)'"
"${lab[@]}" start alice
wait_until 120 "alice rejoins and web returns" runs_on web-server alice >/dev/null

# ---- 2. a clone on every node; one promoted instance, the IP with it and moving with it
wait_until 60 "ping-clone on every node" runs_on ping "alice bob carol" >/dev/null
promoted() { where db Promoted; }
one_promoted() { [ "$(promoted | wc -w)" = 1 ]; }
wait_until 60 "one promoted db" one_promoted >/dev/null
first=$(promoted)
wait_until 60 "db-ip with the promoted db" runs_on db-ip "$first" >/dev/null
"${lab[@]}" exec alice crm node standby "$first"
promoted_elsewhere() { one_promoted && [ "$(promoted)" != "$first" ]; }
wait_until 90 "db promoted elsewhere" promoted_elsewhere >/dev/null
second=$(promoted)
wait_until 60 "db-ip follows the promoted db" runs_on db-ip "$second" >/dev/null
"${lab[@]}" exec alice crm node online "$first"

# ---- 3. adoption: a configuration made by hand with crmsh, exported, declared again: no change
"${lab[@]}" exec alice crm configure <<'CRM' >/dev/null
primitive adopt-a Dummy params fake=1 op monitor interval=15s timeout=30s
primitive adopt-b Dummy
primitive adopt-c Dummy
group adopt-g adopt-a adopt-b meta target-role=Started
clone adopt-c-clone adopt-c meta interleave=true
location adopt-loc adopt-g rule -inf: #uname eq carol
colocation adopt-col inf: adopt-g adopt-c-clone
order adopt-ord Mandatory: adopt-c-clone adopt-g
commit
CRM
has 'id="adopt-ord"' "$("${lab[@]}" exec alice cibadmin --query --scope constraints)" || fail "crmsh did not make the configuration"
play "$work/export.log" "$top/playbooks/export.yml" -e crm_export_file="$work/exported/crm.yml" >/dev/null
has "adopt-loc" "$(cat "$work/exported/crm.yml")" || fail "the export misses adopt-loc"
cp "$work/exported/crm.yml" "$work/adopt.yml"
before=$(cib_epoch)
[ "$(play "$work/adopt.log" "$top/site.yml" -e @"$work/adopt.yml")" -eq 0 ] || fail "site.yml with the exported variables changed something"
[ "$(cib_epoch)" = "$before" ] || fail "the CIB's epoch moved ($before -> $(cib_epoch))"

# ---- back to the cluster the other targets share: p0 alone
p0=$("${lab[@]}" exec alice cibadmin --query --xpath "//primitive[@id='p0']")
"${lab[@]}" exec alice cibadmin --replace --scope constraints --xml-text '<constraints/>'
"${lab[@]}" exec alice cibadmin --replace --scope resources --xml-text "<resources>$p0</resources>"
p0_alone() { [ "$(grep -c "<resource id=" <<< "$(status_xml)")" = 1 ]; }
wait_until 60 "p0 alone" p0_alone >/dev/null
