#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# The release upgrade, Debian 12 to 13, with the service up (in the test command; alone: `make upgrade-release`): a
# 3-node Debian 12 cluster from the bare image with a fence device per node through the lab's BMC and a web service on a virtual IP,
# sampled from the lab bridge every 0.5 s and quorum every second during playbooks/upgrade.yml
# -e crm_upgrade_release=trixie. Then every node runs Debian 13 and Pacemaker 3, no node was fenced or rebooted,
# the CIB's schema is the newest, record-pending is gone, and site.yml and a rerun of the upgrade change nothing.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
# shellcheck source=../setup_cluster/upgrade_lib.sh
source "$(dirname "$0")/../setup_cluster/upgrade_lib.sh"
# nodes and an address of its own: it runs beside the targets of the shared cluster (alice, bob, carol)
nodes=(ulla uwe ute)
vip=10.213.7.61
on() { "${lab[@]}" exec "$@"; }
trap 'rc=$?; touch "$work/stop"; "${lab[@]}" down "${nodes[@]}"; rm -rf "$work"; exit $rc' EXIT
if [ "$("${lab[@]}" suite)" != bookworm ]; then  # HACLUSTER_TEST_TARGETS runs a target on both releases
    echo "upgrade_release: skipped on $("${lab[@]}" suite): the release upgrade starts from Debian 12 (lab.py suite --here bookworm)"
    exit 0
fi

"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up --image bare "${nodes[@]}"
"${lab[@]}" inventory "${nodes[@]}" > "$inv"
printf 'crm_resources: [{id: p0, agent: Dummy}]\n' > "$work/site-vars.yml"
site() { local log=$1; shift; play "$log" "$top/site.yml" -e @"$work/site-vars.yml" -e @"$top/tests/lab/fencing.yml" "$@"; }
site "$work/site.log" >/dev/null
for n in "${nodes[@]}"; do on "$n" mkdir -p /srv/www; done
play "$work/service.log" "$here/../setup_cluster/upgrade_service.yml" -e vip="$vip" >/dev/null
curl -sf -m 2 "http://$vip:8080/" >/dev/null || fail "the service does not answer on $vip"
schema_before=$(on ulla cibadmin --query --xpath /cib --no-children | grep -o 'validate-with="[^"]*"')
upgrade() { local log=$1; shift; play "$log" "$top/playbooks/upgrade.yml" -e crm_upgrade_release=trixie "$@"; }
# shellcheck disable=SC2016  # expanded by the node's shell and by dpkg-query, not by this one
state() {  # the CIB's epoch, and each node's release and package versions
    on ulla cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"'
    for n in "${nodes[@]}"; do on "$n" sh -c '. /etc/os-release; echo $VERSION_CODENAME; dpkg-query -W -f "\${Package} \${Version}\n" | md5sum'; done
}

# check mode: every node's turn predicted, nothing touched
before=$(state)
predicted=$(upgrade "$work/check1.log" --check)
[ "$(state)" = "$before" ] || fail "check mode touched the cluster"
for n in "${nodes[@]}"; do grep -q "changed: \[$n\]" "$work/check1.log" || fail "check mode predicts nothing on $n"; done
sampled upgrade "$work/upgrade.log"
# the run changes what check mode predicted, and per node the install of the new release's fence agent packages
# (the old release's lists do not hold them) and once the CIB's schema (the new Pacemaker knows the new schema)
[ "$predicted" = $(( changed - ${#nodes[@]} - 1 )) ] \
    || fail "check mode predicted $predicted changes, the run made $changed (${#nodes[@]} agent installs and a schema upgrade apart)"
[ "$(upgrade "$work/check2.log" --check)" = 0 ] || fail "check mode after the upgrade predicts changes"
# shellcheck disable=SC2016  # ${Status} is dpkg-query's field
for n in "${nodes[@]}"; do  # Debian 12's one package of every agent gave way to Debian 13's of the agent in use
    has "install ok installed" "$(on "$n" dpkg-query -W -f '${Status}' fence-agents-redfish)" || fail "$n lacks fence-agents-redfish"
    ! has "install ok installed" "$(on "$n" dpkg-query -W -f '${Status}' fence-agents-all 2>/dev/null)" \
        || fail "$n has every fence agent (fence-agents-all)"
done
# shellcheck disable=SC2016  # expanded by the node's shell and by dpkg-query, not by this one
for n in "${nodes[@]}"; do
    [ "$(on "$n" sh -c '. /etc/os-release; echo $VERSION_CODENAME')" = trixie ] || fail "$n does not run Debian 13"
    has '^3\.' "$(on "$n" dpkg-query -W -f '${Version}' pacemaker)" || fail "$n does not run Pacemaker 3"
done
has "[Ww]as able to|[Ff]ailed" "$(on ulla stonith_admin --history '*' 2>&1)" && fail "a node was fenced: $(on ulla stonith_admin --history '*')"
report_samples "$work/service.samples" "$work/quorum.samples" "$took" "$work/upgrade.log" || fail "the service was down too long"
schema_after=$(on ulla cibadmin --query --xpath /cib --no-children | grep -o 'validate-with="[^"]*"')
echo "the CIB's schema: $schema_before before, $schema_after after"
[ "$schema_after" != "$schema_before" ] || fail "the CIB's schema was not upgraded"
! has record-pending "$(on ulla cibadmin --query --scope op_defaults)" || fail "record-pending is still set"
[ "$changed" -gt 0 ] || fail "the upgrade changed nothing"
[ "$(upgrade "$work/rerun.log")" = 0 ] || fail "a rerun of the upgrade changed something"
[ "$(site "$work/site2.log")" = 0 ] || fail "site.yml changed the upgraded cluster: $(grep -B2 'changed:' "$work/site2.log" | head -20)"
password=$(cat /var/lib/hacluster-lab/bmc/password)
for n in "${nodes[@]}"; do on "$n" journalctl --no-pager > "$work/$n.journal"; done
no_leak -w 12 "BMC password" "$password" "$work"/*.log "$work"/*.journal
echo "upgrade_release target: check mode predicted $predicted changes, the run made $changed, then check 0 and rerun 0"
echo "upgrade_release target: all checks passed"
