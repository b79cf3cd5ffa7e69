#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# A rolling upgrade within the release on the shared 3-node cluster, with a service up: a package of the lab's
# own (hacluster-lab-marker 1, with 2 in a local apt repository on each node) stands for the release's updates.
# First the refusals (a failed resource, a node offline), each leaving the cluster untouched; then the upgrade
# while the service is sampled from the lab bridge every 0.5 s and quorum every second: the longest gap, the failed
# requests, quorum at every sample, no node rebooted, the time per node. A rerun and site.yml then change nothing.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
# shellcheck source=../setup_cluster/upgrade_lib.sh
source "$(dirname "$0")/../setup_cluster/upgrade_lib.sh"
ensure_cluster
nodes=(alice bob carol)
vip=10.213.7.60
on() { "${lab[@]}" exec "$@"; }
epoch() { on alice cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"'; }
# shellcheck disable=SC2016  # ${Version} is dpkg-query's field, not the shell's
marker() { for n in "${nodes[@]}"; do echo "$n $(on "$n" dpkg-query -W -f '${Version}' hacluster-lab-marker)"; done; }
untouched() { [ "$(epoch)" = "$1" ] && [ "$(marker)" = "$2" ]; }
cleanup() {
    touch "$work/stop"
    on alice cibadmin --delete --xml-text '<group id="up-service"/>' >/dev/null 2>&1 || true
    on alice crm_resource --cleanup >/dev/null 2>&1 || true
    for n in "${nodes[@]}"; do
        on "$n" sh -c 'dpkg --purge hacluster-lab-marker; rm -rf /srv/lab-repo /srv/lab-future /srv/www /etc/apt/sources.list.d/lab-repo.list /etc/apt/sources.list.d/lab-future.list; apt-get update -qq' \
            >/dev/null 2>&1 || true
    done
}
trap 'rc=$?; cleanup; [ $rc -eq 0 ] || "${lab[@]}" down "${nodes[@]}"; rm -rf "$work"; exit $rc' EXIT

# ---- the lab's own package, version 1 installed, version 2 in a local repository on each node
deb() {  # deb NAME VERSION FILE: an empty package of the lab's own
    mkdir -p "$work/$1-$2/DEBIAN"
    printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: hacluster.crm lab <lab@localhost>\nDescription: stands for an update in the lab\n' \
        "$1" "$2" > "$work/$1-$2/DEBIAN/control"
    dpkg-deb --build --root-owner-group "$work/$1-$2" "$3" >/dev/null
}
deb hacluster-lab-marker 1 "$work/marker_1.deb"
deb hacluster-lab-marker 2 "$work/marker_2.deb"
(cd "$work" && mkdir -p repo && cp marker_2.deb repo/ && cd repo && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages)
# a Pacemaker 4.0.0 (a major release with no documented rolling upgrade from 3.x) in a repository of its own, for
# the refusal of an unsupported version pair; never installed
deb pacemaker 4.0.0-1 "$work/pacemaker_4.deb"
(cd "$work" && mkdir -p future && cp pacemaker_4.deb future/ && cd future && dpkg-scanpackages . /dev/null 2>/dev/null > Packages)
for n in "${nodes[@]}"; do
    on "$n" mkdir -p /srv/lab-repo /srv/www
    on "$n" sh -c 'cat > /tmp/marker_1.deb' < "$work/marker_1.deb"
    on "$n" sh -c 'cat > /srv/lab-repo/marker_2.deb' < "$work/marker_2.deb"
    on "$n" sh -c 'cat > /srv/lab-repo/Packages' < "$work/repo/Packages"
    on "$n" sh -c 'dpkg -i /tmp/marker_1.deb >/dev/null && echo "deb [trusted=yes] file:/srv/lab-repo ./" > /etc/apt/sources.list.d/lab-repo.list && apt-get update -qq'
done
play "$work/service.log" "$here/../setup_cluster/upgrade_service.yml" -e vip="$vip" >/dev/null
curl -sf -m 2 "http://$vip:8080/" >/dev/null || fail "the service does not answer on $vip"
upgrade() { local log=$1; shift; play "$log" "$top/playbooks/upgrade.yml" -e '{"crm_upgrade_packages": ["hacluster-lab-marker"]}' "$@"; }
refused() {  # refused LOG WORDS: the upgrade fails saying WORDS, and touches nothing
    local log=$1 words=$2 e m
    e=$(epoch); m=$(marker)
    if (upgrade "$log") >/dev/null 2>&1; then fail "the upgrade was not refused ($words)"; fi  # play exits: a subshell
    grep -q "the upgrade is refused, nothing was touched" "$log" || fail "no refusal in $log: $(tail -5 "$log")"
    grep -q -- "$words" "$log" || fail "the refusal does not say '$words': $(grep -A3 refused "$log" | head -8)"
    untouched "$e" "$m" || fail "the refused upgrade touched the cluster"
}

# ---- refusals: an unsupported version pair, a failed resource, a node offline
for n in "${nodes[@]}"; do
    on "$n" mkdir -p /srv/lab-future
    on "$n" sh -c 'cat > /srv/lab-future/pacemaker_4.deb' < "$work/pacemaker_4.deb"
    on "$n" sh -c 'cat > /srv/lab-future/Packages' < "$work/future/Packages"
    on "$n" sh -c 'echo "deb [trusted=yes] file:/srv/lab-future ./" > /etc/apt/sources.list.d/lab-future.list && apt-get update -qq'
done
has 'Candidate: 4\.0\.0-1' "$(on alice apt-cache policy pacemaker)" || fail "the lab's Pacemaker 4.0.0 is not the candidate"
# every package (apt dist-upgrade) would take Pacemaker 3.0 to 4.0: refused
e=$(epoch); m=$(marker)
if (play "$work/refused-pair.log" "$top/playbooks/upgrade.yml") >/dev/null 2>&1; then fail "the upgrade to Pacemaker 4 was not refused"; fi
grep -q "the upgrade is refused, nothing was touched" "$work/refused-pair.log" || fail "no refusal in refused-pair.log"
grep -q "does not support a rolling upgrade from 3.0.0.* to 4.0.0-1" "$work/refused-pair.log" \
    || fail "the refusal does not name the version pair: $(grep -A3 refused "$work/refused-pair.log" | head -8)"
untouched "$e" "$m" || fail "the refused upgrade touched the cluster"
# shellcheck disable=SC2016  # ${Version} is dpkg-query's field, not the shell's
for n in "${nodes[@]}"; do
    has '^3\.0' "$(on "$n" dpkg-query -W -f '${Version}' pacemaker)" || fail "the refused upgrade changed pacemaker on $n"
    on "$n" sh -c 'rm -rf /srv/lab-future /etc/apt/sources.list.d/lab-future.list && apt-get update -qq'
done
node=$(on alice crm_resource --resource p0 --locate --quiet | head -1)
on alice crm_resource --fail --resource p0 --node "$node" >/dev/null
on alice crm_resource --wait --timeout 120s >/dev/null
refused "$work/refused-failed.log" "p0_asyncmon_0 failed on $node\|p0.* failed on $node\|p0 has fail count"
play "$work/cleanup.log" "$top/playbooks/cleanup.yml" >/dev/null
on carol systemctl stop pacemaker corosync
for _ in $(seq 60); do [ "$(online_count alice)" = 2 ] && break; sleep 1; done
refused "$work/refused-offline.log" "node carol is not online"
on carol systemctl start corosync pacemaker
for _ in $(seq 120); do [ "$(online_count alice)" = 3 ] && break; sleep 1; done
[ "$(online_count alice)" = 3 ] || fail "carol did not come back"
on alice crm_resource --wait --timeout 120s >/dev/null

# ---- the upgrade, sampled: the service every 0.5 s from the bridge, quorum every second (bounded: 10 minutes)
# check mode: predicts exactly what the run changes, on every node, and touches nothing
e=$(epoch); m=$(marker)
predicted=$(upgrade "$work/check1.log" --check)
[ "$predicted" -gt 0 ] || fail "check mode predicts no upgrade"
untouched "$e" "$m" || fail "check mode touched the cluster"
for n in "${nodes[@]}"; do grep -q "changed: \[$n\]" "$work/check1.log" || fail "check mode predicts nothing on $n"; done
sampled upgrade "$work/upgrade.log"
[ "$(marker | awk '{print $2}' | sort -u)" = 2 ] || fail "not every node runs version 2: $(marker | tr '\n' ' ')"
report_samples "$work/service.samples" "$work/quorum.samples" "$took" "$work/upgrade.log" || fail "the service was down too long"
[ "$changed" -gt 0 ] || fail "the upgrade changed nothing"
[ "$predicted" = "$changed" ] || fail "check mode predicted $predicted changes, the run made $changed"
[ "$(upgrade "$work/check2.log" --check)" = 0 ] || fail "check mode after the upgrade predicts changes"
[ "$(upgrade "$work/rerun.log")" = 0 ] || fail "a rerun of the upgrade changed something"
grep -q "skipping: \[alice\]" "$work/rerun.log" || fail "the rerun did not skip the upgraded nodes"
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/site-vars.yml"
[ "$(play "$work/site.log" "$top/site.yml" -e @"$work/site-vars.yml")" = 0 ] || fail "site.yml changed the upgraded cluster"
echo "upgrade target: check mode predicted $predicted changes, the run made $changed, then check 0 and rerun 0"
echo "upgrade target: all checks passed"
