#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# site.yml --check where check mode is hardest: a fresh server (bare image, no cluster packages),
# and a running cluster that fresh nodes join, which need the cluster's existing authkey. Both
# succeed, predict changes, show them in the diff and write nothing; the real runs then make them.
# The joining nodes come with a key of their own baked into their image, and are more than the
# members: the running member's key wins all the same.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
all=(gina hank ivan)
"${lab[@]}" down "${all[@]}"
"${lab[@]}" up --image bare "${all[@]}"
"${lab[@]}" inventory "${all[@]}" > "$work/full"
inventory() { { echo "[cluster]"; for h in "$@"; do grep "^$h " "$work/full"; done
                echo "[cluster:vars]"; sed -n '/^\[cluster:vars\]/,$p' "$work/full" | tail -n +2; } > "$inv"; }
printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\ncrm_cluster_name: checklab\ncrm_wait_timeout: 60\n' > "$work/vars.yml"
site() { play "$work/$1.log" "$top/site.yml" -e @"$work/vars.yml" "${@:2}"; }
fingerprint() {
    for n in "$@"; do
        "${lab[@]}" exec "$n" sh -c 'ls -la --time-style=+ /etc/corosync /root/.ssh 2>&1; cat /etc/hosts; sha256sum /etc/corosync/* 2>/dev/null
            dpkg -l pacemaker corosync 2>&1 | tail -2; systemctl is-active corosync pacemaker 2>&1; true'
    done | sha256sum
}

# ---- a fresh server, no cluster packages: check mode succeeds, predicts, writes nothing
inventory gina
before=$(fingerprint gina)
predicted=$(site fresh-check --check --diff)
[ "$predicted" -gt 0 ] || fail "check mode on fresh servers predicted no change"
grep -q "Install the cluster packages" "$work/fresh-check.log" || fail "check mode did not reach the package install"
grep -q "ring0_addr" "$work/fresh-check.log" || fail "the check-mode diff does not show the nodelist"
grep -q "authkey would be made" "$work/fresh-check.log" || fail "check mode does not predict the authkey"
[ "$(fingerprint gina)" = "$before" ] || fail "check mode on a fresh server wrote something"
[ "$(site fresh)" -gt 0 ] || fail "the first run changed nothing"
grep -q '"Online: gina"' "$work/fresh.log" || fail "the 1-node cluster did not come up"

# ---- the running cluster and two fresh nodes with an image's key: they need the member's key
head -c 256 /dev/urandom > "$work/image-key"
for n in hank ivan; do "${lab[@]}" exec "$n" sh -c 'mkdir -p /etc/corosync && cat > /etc/corosync/authkey && chmod 400 /etc/corosync/authkey' < "$work/image-key"; done
inventory gina hank ivan
before=$(fingerprint gina hank ivan)
key=$("${lab[@]}" exec gina sha256sum /etc/corosync/authkey | cut -d' ' -f1)
predicted=$(site join-check --check --diff)
[ "$predicted" -gt 0 ] || fail "check mode predicted no change for the joining node"
key_task=$(grep -A4 "Install the same key on every node" "$work/join-check.log")
[[ "$key_task" == *"changed: [ivan]"* ]] || fail "check mode does not predict the authkey on ivan"
[[ "$key_task" != *"changed: [gina]"* ]] || fail "check mode predicts the member's key replaced"
[ "$(fingerprint gina hank ivan)" = "$before" ] || fail "check mode on the running cluster wrote something"
[ "$(site join)" -gt 0 ] || fail "the join changed nothing"
grep -q '"Online: gina hank ivan"' "$work/join.log" || fail "ivan did not join"
for n in hank ivan; do
    [ "$("${lab[@]}" exec "$n" sha256sum /etc/corosync/authkey | cut -d' ' -f1)" = "$key" ] || fail "$n kept the image's key"
done
[ "$("${lab[@]}" exec gina sha256sum /etc/corosync/authkey | cut -d' ' -f1)" = "$key" ] || fail "the cluster's key changed"
[ "$(site again --check)" -eq 0 ] || fail "check mode after the join predicts a change"
"${lab[@]}" down "${all[@]}"
echo "site_check target: all checks passed"
