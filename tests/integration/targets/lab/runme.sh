#!/usr/bin/env bash
# Proves the lab: three real nodes reachable by Ansible, seeing each other; a powered-off
# node is unreachable and comes back; partition and heal; clear errors; 'down' leaves nothing.
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
ansible-playbook -i "$work/inventory" "$top/tests/integration/targets/lab/network.yml"

# A pulled plug: bob stops answering, and comes back with its disk intact.
"${lab[@]}" exec bob touch /root/survives-poweroff
"${lab[@]}" poweroff bob
if ansible -i "$work/inventory" bob -m ansible.builtin.ping > "$work/ping.out" 2>&1; then
    echo "FAIL: bob answered after poweroff"; exit 1
fi
grep -q UNREACHABLE "$work/ping.out" || { echo "FAIL: bob not reported unreachable"; cat "$work/ping.out"; exit 1; }
"${lab[@]}" start bob
ansible -i "$work/inventory" bob -m ansible.builtin.stat -a path=/root/survives-poweroff > "$work/stat.out"
grep -q '"exists": true' "$work/stat.out" || { echo "FAIL: bob lost its disk"; cat "$work/stat.out"; exit 1; }

# Partition cuts carol off; heal restores her.
"${lab[@]}" partition carol
if "${lab[@]}" exec alice ping -c1 -W1 "$(awk '/^carol /{sub("ansible_host=","",$2); print $2}' "$work/inventory")" >/dev/null; then
    echo "FAIL: carol reachable while partitioned"; exit 1
fi
"${lab[@]}" heal
ansible-playbook -i "$work/inventory" "$top/tests/integration/targets/lab/network.yml"

# Clear errors, nothing done.
if "${lab[@]}" up alice 2> "$work/err"; then echo "FAIL: second up accepted"; exit 1; fi
grep -q "already running: alice" "$work/err" || { cat "$work/err"; exit 1; }
if "${lab[@]}" up Not_A_Host 2> "$work/err"; then echo "FAIL: bad name accepted"; exit 1; fi
grep -q "'Not_A_Host' is not a valid node name" "$work/err" || { cat "$work/err"; exit 1; }

# 'down' leaves nothing behind.
"${lab[@]}" down
left=""
[[ "$(ip netns list)" == *crmlab-* ]] && left+=" netns"
[[ "$(ip -o link show)" =~ :\ (crml[0-9a-f]{8}|crmlab0)[@:] ]] && left+=" links"
grep -q ' /var/lib/hacluster-lab/' /proc/mounts && left+=" mounts"
nft list table ip hacluster_lab >/dev/null 2>&1 && left+=" nft"
pgrep -f 'systemd-nspawn.*hacluster-lab' >/dev/null && left+=" processes"
compgen -G '/var/lib/hacluster-lab/nodes/*' >/dev/null && left+=" node-dirs"
[ -z "$left" ] || { echo "FAIL: down left behind:$left"; exit 1; }
echo "lab target: all checks passed"
