#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# The init role from fresh servers (bare image on Debian 13, packages included): a 2-node cluster with p0;
# rerun and check mode change nothing; a third node joins with one reload and no restart of
# the others; --limit and serial: 1 never shorten the nodelist; a powered-off node shows
# offline and the play fails for it alone; the node leaves cleanly; health finds a differing
# corosync.conf and a package version mismatch.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
all=(dave erin frank)
"${lab[@]}" down "${all[@]}"
# Debian 13 from the bare image (the packages' installation tested here); Debian 12 from the cluster image, since the
# release upgrade's first site.yml (upgrade_release) installs Debian 12's packages on bare servers in the test command
image=bare
[ "$("${lab[@]}" suite)" = trixie ] || image=cluster
"${lab[@]}" up --image "$image" "${all[@]}"
"${lab[@]}" inventory "${all[@]}" > "$work/full"
inventory() {  # inventory "cluster hosts" "retired hosts"
    { echo "[cluster]"; for h in $1; do grep "^$h " "$work/full"; done
      echo "[retired]"; for h in $2; do grep "^$h " "$work/full"; done
      echo "[all:vars]"; sed -n '/^\[cluster:vars\]/,$p' "$work/full" | tail -n +2; } > "$inv"
}
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\ncrm_cluster_name: initlab\ncrm_wait_timeout: 60\n' > "$work/vars.yml"
site() { play "$work/$1.log" "$top/site.yml" -e @"$work/vars.yml" "${@:2}"; }
status_line() { grep -o '"Online: [a-z ]*"' "$work/$1.log" | tail -1; }
pids() { for n in "$@"; do "${lab[@]}" exec "$n" systemctl show -p MainPID --value corosync; done | tr '\n' ' '; }
confs() { for n in "$@"; do "${lab[@]}" exec "$n" sha256sum /etc/corosync/corosync.conf; done; }
votes() { "${lab[@]}" exec "$1" corosync-quorumtool -s | awk -F: '/^Expected votes/ { gsub(/ /, "", $2); print $2 }'; }
nodeids() {  # nodeids NODE: "name=id ..." from NODE's corosync.conf
    "${lab[@]}" exec "$1" cat /etc/corosync/corosync.conf | awk '$1 == "name:" { n = $2 } $1 == "nodeid:" { i = $2 }
        /}/ && n != "" && i != "" { print n "=" i; n = ""; i = "" }' | sort | tr '\n' ' '
}

# ---- two fresh servers
inventory "dave erin" ""
start=$(date +%s)
[ "$(site two)" -gt 0 ] || fail "first run changed nothing"
echo "2-node cluster from the $image image: $(( $(date +%s) - start ))s"
[ "$(status_line two)" = '"Online: dave erin"' ] || fail "2 nodes: $(status_line two)"
grep -q '"DC: [a-z]*, quorate: True"' "$work/two.log" || fail "2 nodes not quorate"
grep -q "'p0: Started'\|\"p0: Started\"" "$work/two.log" || fail "p0 not Started"
for n in dave erin; do [[ "$("${lab[@]}" exec "$n" cat /etc/corosync/corosync.conf)" == *"two_node: 1"* ]] || fail "$n: two_node not set"; done
[ "$(site two-check --check --diff)" -eq 0 ] || fail "check mode on the converged 2-node cluster"
[ "$(site two-again)" -eq 0 ] || fail "second run changed something"

# ---- join: frank, from bare, first alone (--limit frank: the old nodeids stand, frank's is new),
# then with everyone: one reload, no restart of dave and erin
old_ids=$(nodeids dave)
inventory "dave erin frank" ""
# frank alone must not start: dave and erin, running and outside the play, do not list it yet
if ansible-playbook -i "$inv" "$top/site.yml" -e @"$work/vars.yml" -l frank > "$work/join-limit.log" 2>&1; then
    fail "--limit frank started frank beside a cluster that does not know it"
fi
grep -q "frank is not started: the running members dave, erin do not list it" "$work/join-limit.log" \
    || { tail -20 "$work/join-limit.log"; fail "unclear refusal for --limit frank"; }
[ "$("${lab[@]}" exec frank systemctl is-active corosync || true)" = inactive ] || fail "frank's corosync runs"
frank_ids=$(nodeids frank)
for pair in $old_ids; do [[ " $frank_ids " == *" $pair "* ]] || fail "--limit frank changed an old nodeid: $old_ids -> $frank_ids"; done
frank_id=$(echo "$frank_ids" | tr ' ' '\n' | sed -n 's/^frank=//p')
if [ -z "$frank_id" ] || [[ " $old_ids " == *"=$frank_id "* ]]; then fail "frank got an id in use: $frank_ids"; fi
[ "$("${lab[@]}" exec frank sha256sum /etc/corosync/authkey | cut -d' ' -f1)" = \
  "$("${lab[@]}" exec dave sha256sum /etc/corosync/authkey | cut -d' ' -f1)" ] || fail "frank did not get the cluster's key"
before=$(pids dave erin)
[ "$(site join)" -gt 0 ] || fail "join changed nothing"
[ "$(status_line join)" = '"Online: dave erin frank"' ] || fail "join: $(status_line join)"
[ "$(pids dave erin)" = "$before" ] || fail "dave or erin restarted for the join"
grep -q "Reload corosync.conf on the running cluster" "$work/join.log" || fail "no reload for the join"
for n in dave erin frank; do
    [ "$(votes "$n")" = 3 ] || fail "$n: expected votes $(votes "$n")"
    [[ "$("${lab[@]}" exec "$n" cat /etc/corosync/corosync.conf)" != *"two_node"* ]] || fail "$n: two_node left with 3 nodes"
done

# ---- purging a node that has not left is refused at once, saying why
start=$(date +%s)
if ansible -i "$inv" dave -m hacluster.crm.cluster_node -a name=frank > "$work/purge.log" 2>&1; then fail "purged a running node"; fi
grep -q "node frank is still in the nodelist of corosync.conf" "$work/purge.log" || { cat "$work/purge.log"; fail "unclear purge error"; }
[ $(( $(date +%s) - start )) -lt 15 ] || fail "refusing the purge took $(( $(date +%s) - start ))s"
[[ "$("${lab[@]}" exec dave crm_node --list)" == *frank* ]] || fail "frank was purged anyway"

# ---- --limit and serial: 1 never shorten the nodelist
before=$(confs dave erin frank)
[ "$(site limit -l dave)" -eq 0 ] || fail "--limit dave changed something"
[ "$(play "$work/serial.log" "$here/serial.yml" -e @"$work/vars.yml")" -eq 0 ] || fail "serial: 1 changed something"
[ "$(confs dave erin frank)" = "$before" ] || fail "--limit or serial changed a corosync.conf"

# ---- health: all OK, then a differing corosync.conf and a package version mismatch
play "$work/health-ok.log" "$top/playbooks/health.yml" >/dev/null
"${lab[@]}" exec erin sh -c 'echo "# a local edit" >> /etc/corosync/corosync.conf'
"${lab[@]}" exec frank sh -c 'cd /tmp && apt-get download -q crmsh >/dev/null 2>&1 && dpkg-deb -R crmsh_*.deb x &&
    sed -i "s/^Version: .*/&+lab1/" x/DEBIAN/control && dpkg-deb -b x crmsh-lab.deb >/dev/null && dpkg -i crmsh-lab.deb >/dev/null'
if ansible-playbook -i "$inv" "$top/playbooks/health.yml" > "$work/health-bad.log" 2>&1; then fail "health passed with a differing corosync.conf"; fi
grep -q '"corosync.conf | erin | FAIL | differs from the other nodes' "$work/health-bad.log" || fail "health did not find erin's corosync.conf"
# shellcheck disable=SC2016  # dpkg-query expands ${Version} itself
crmsh_version=$("${lab[@]}" exec dave dpkg-query -W -f='${Version}' crmsh)
grep -qF "\"package crmsh | frank | WARN | $crmsh_version+lab1, the others run $crmsh_version\"" "$work/health-bad.log" \
    || fail "health did not find the version mismatch"
"${lab[@]}" exec erin sed -i '/^# a local edit$/d' /etc/corosync/corosync.conf

# ---- a pulled plug: frank offline for the others; the play fails for frank alone
"${lab[@]}" poweroff frank
# until the others see frank gone (the run below must meet a cluster that knows it, not one still waiting for him)
frank_gone() { has 'node name="frank"[^>]* online="false"' "$("${lab[@]}" exec dave crm_mon -1 --output-as=xml 2>/dev/null || true)"; }
wait_until 60 "dave sees frank offline" frank_gone >/dev/null
before=$(confs dave erin)
if ansible-playbook -i "$inv" "$top/site.yml" -e @"$work/vars.yml" > "$work/off.log" 2>&1; then fail "site.yml passed with frank off"; fi
grep -qE '^frank +: .*unreachable=1' "$work/off.log" || fail "frank not reported unreachable"
grep -qE '^dave +: .*unreachable=0 +failed=0' "$work/off.log" || fail "dave failed"
grep -qE '^erin +: .*unreachable=0 +failed=0' "$work/off.log" || fail "erin failed"
[ "$(status_line off)" = '"Online: dave erin"' ] || fail "with frank off: $(status_line off)"
grep -q '"Offline: frank"' "$work/off.log" || fail "frank not shown offline"
grep -q '"DC: [a-z]*, quorate: True"' "$work/off.log" || fail "dave and erin not quorate"
[ "$(confs dave erin)" = "$before" ] || fail "a run with frank off changed corosync.conf"
"${lab[@]}" start frank
site back >/dev/null
[ "$(status_line back)" = '"Online: dave erin frank"' ] || fail "frank not back: $(status_line back)"

# ---- frank leaves: stack stopped, nodelist shortened and reloaded, purged, two_node again,
# and no SSH access left for frank on the others
for n in dave erin; do
    "${lab[@]}" exec "$n" grep -q "hacluster.crm:frank$" /root/.ssh/authorized_keys /root/.ssh/known_hosts \
        || fail "$n: frank's keys not written with their owner"
done
inventory "dave erin" "frank"
[ "$(site leave --diff)" -gt 0 ] || fail "leaving changed nothing"
grep -q "^-frank: known in the" "$work/leave.log" || fail "the diff does not show frank purged"
[ "$(status_line leave)" = '"Online: dave erin"' ] || fail "after leaving: $(status_line leave)"
[ "$("${lab[@]}" exec frank systemctl is-active corosync || true)" = inactive ] || fail "frank's corosync still runs"
[[ "$("${lab[@]}" exec dave crm_node --list)" != *frank* ]] || fail "frank still in pacemaker's membership"
[[ "$("${lab[@]}" exec dave cibadmin --query)" != *'uname="frank"'* ]] || fail "frank still in the CIB"
for n in dave erin; do
    [ "$(votes "$n")" = 2 ] || fail "$n: expected votes $(votes "$n") after leaving"
    [[ "$("${lab[@]}" exec "$n" cat /etc/corosync/corosync.conf)" == *"two_node: 1"* ]] || fail "$n: two_node not back"
done
for n in dave erin; do
    ! "${lab[@]}" exec "$n" grep -q "frank" /root/.ssh/authorized_keys /root/.ssh/known_hosts \
        || fail "$n: frank keeps SSH access after leaving"
done
[ "$(site leave-again)" -eq 0 ] || fail "rerun after leaving changed something"

# ---- frank back, with serial: 1: the old nodeids stand and frank's is not one of them
old_ids=$(nodeids dave)
inventory "dave erin frank" ""
play "$work/serial-join.log" "$here/serial.yml" -e @"$work/vars.yml" >/dev/null
new_ids=$(nodeids dave)
for pair in $old_ids; do [[ " $new_ids " == *" $pair "* ]] || fail "serial: 1 changed an old nodeid: $old_ids -> $new_ids"; done
[ "$(nodeids frank)" = "$new_ids" ] || fail "frank and dave disagree on the nodeids: $(nodeids frank) / $new_ids"
[ "$(echo "$new_ids" | tr ' ' '\n' | grep -c .)" = 3 ] || fail "not three nodes after serial: 1: $new_ids"
"${lab[@]}" down "${all[@]}"
echo "init target: all checks passed"
