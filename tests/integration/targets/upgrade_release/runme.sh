#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# The release upgrade, Debian 12 to 13, with the service up (`make upgrade-release`; not in the test command): a
# 3-node Debian 12 cluster with a fence device per node through the lab's BMC and a web service on a virtual IP,
# sampled from the lab bridge every 0.5 s and quorum every second during playbooks/upgrade.yml
# -e crm_upgrade_release=trixie. Then every node runs Debian 13 and Pacemaker 3, no node was fenced or rebooted,
# the CIB's schema is the newest, record-pending is gone, and site.yml and a rerun of the upgrade change nothing.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
# shellcheck source=../setup_cluster/upgrade_lib.sh
source "$(dirname "$0")/../setup_cluster/upgrade_lib.sh"
nodes=(alice bob carol)
vip=10.213.7.60
on() { "${lab[@]}" exec "$@"; }
trap 'rc=$?; touch "$work/stop"; "${lab[@]}" down "${nodes[@]}"; rm -rf "$work"; exit $rc' EXIT
[ "$("${lab[@]}" suite)" = bookworm ] || fail "run on a Debian 12 lab: python3 tests/lab/lab.py suite --here bookworm"

"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up "${nodes[@]}"
"${lab[@]}" inventory "${nodes[@]}" > "$inv"
printf 'crm_resources: [{id: p0, agent: Dummy}]\n' > "$work/site-vars.yml"
site() { local log=$1; shift; play "$log" "$top/site.yml" -e @"$work/site-vars.yml" -e @"$top/tests/lab/fencing.yml" "$@"; }
site "$work/site.log" >/dev/null
for n in "${nodes[@]}"; do on "$n" mkdir -p /srv/www; done
play "$work/service.log" "$here/../setup_cluster/upgrade_service.yml" -e vip="$vip" >/dev/null
curl -sf -m 2 "http://$vip:8080/" >/dev/null || fail "the service does not answer on $vip"
schema_before=$(on alice cibadmin --query --xpath /cib --no-children | grep -o 'validate-with="[^"]*"')
upgrade() { local log=$1; shift; play "$log" "$top/playbooks/upgrade.yml" -e crm_upgrade_release=trixie "$@"; }

sampled upgrade "$work/upgrade.log"
# shellcheck disable=SC2016  # expanded by the node's shell and by dpkg-query, not by this one
for n in "${nodes[@]}"; do
    [ "$(on "$n" sh -c '. /etc/os-release; echo $VERSION_CODENAME')" = trixie ] || fail "$n does not run Debian 13"
    on "$n" dpkg-query -W -f '${Version}' pacemaker | grep -q '^3\.' || fail "$n does not run Pacemaker 3"
done
on alice stonith_admin --history '*' 2>&1 | grep -qi "was able to\|failed" && fail "a node was fenced: $(on alice stonith_admin --history '*')"
report_samples "$work/service.samples" "$work/quorum.samples" "$took" "$work/upgrade.log" || fail "the service was down too long"
schema_after=$(on alice cibadmin --query --xpath /cib --no-children | grep -o 'validate-with="[^"]*"')
echo "the CIB's schema: $schema_before before, $schema_after after"
[ "$schema_after" != "$schema_before" ] || fail "the CIB's schema was not upgraded"
! on alice cibadmin --query --scope op_defaults | grep -q record-pending || fail "record-pending is still set"
[ "$changed" -gt 0 ] || fail "the upgrade changed nothing"
[ "$(upgrade "$work/rerun.log")" = 0 ] || fail "a rerun of the upgrade changed something"
[ "$(site "$work/site2.log")" = 0 ] || fail "site.yml changed the upgraded cluster: $(grep -B2 'changed:' "$work/site2.log" | head -20)"
password=$(cat /var/lib/hacluster-lab/bmc/password)
! grep -rlF -- "$password" "$work"/*.log || fail "the BMC password shows in a log"
! grep -rlF -- "${password:0:12}" "$work"/*.log || fail "a piece of the BMC password shows in a log"
for n in "${nodes[@]}"; do
    ! on "$n" journalctl --no-pager | grep -qF -- "${password:0:12}" || fail "a piece of the BMC password is in $n's journal"
done
echo "upgrade_release target: all checks passed"
