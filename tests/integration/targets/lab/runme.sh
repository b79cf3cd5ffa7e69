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

nodes=(lx1 lx2 lx3)
"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up "${nodes[@]}"
"${lab[@]}" inventory | grep -E '^(lx[1-3] |\[|ansible_|$)' > "$work/inventory"
ansible-playbook -i "$work/inventory" "$top/tests/integration/targets/lab/network.yml"

# A pulled plug: lx2 stops answering, and comes back with its disk intact.
"${lab[@]}" exec lx2 touch /root/survives-poweroff
"${lab[@]}" poweroff lx2
if ansible -i "$work/inventory" lx2 -m ansible.builtin.ping > "$work/ping.out" 2>&1; then
    echo "FAIL: lx2 answered after poweroff"; exit 1
fi
grep -q UNREACHABLE "$work/ping.out" || { echo "FAIL: lx2 not reported unreachable"; cat "$work/ping.out"; exit 1; }
"${lab[@]}" start lx2
ansible -i "$work/inventory" lx2 -m ansible.builtin.stat -a path=/root/survives-poweroff > "$work/stat.out"
grep -q '"exists": true' "$work/stat.out" || { echo "FAIL: lx2 lost its disk"; cat "$work/stat.out"; exit 1; }

# Partition cuts lx3 off; heal restores her.
"${lab[@]}" partition lx3
if "${lab[@]}" exec lx1 ping -c1 -W1 "$(awk '/^lx3 /{sub("ansible_host=","",$2); print $2}' "$work/inventory")" >/dev/null; then
    echo "FAIL: lx3 reachable while partitioned"; exit 1
fi
"${lab[@]}" heal
ansible-playbook -i "$work/inventory" "$top/tests/integration/targets/lab/network.yml"

# Clear errors, nothing done.
if "${lab[@]}" up lx1 2> "$work/err"; then echo "FAIL: second up accepted"; exit 1; fi
grep -q "already running: lx1" "$work/err" || { cat "$work/err"; exit 1; }
if "${lab[@]}" up Not_A_Host 2> "$work/err"; then echo "FAIL: bad name accepted"; exit 1; fi
grep -q "'Not_A_Host' is not a valid node name" "$work/err" || { cat "$work/err"; exit 1; }

# 'down' leaves nothing of these nodes behind (the whole lab's 'down' is checked at the end of
# the test command, since other targets share the lab)
"${lab[@]}" down "${nodes[@]}"
"$top/tests/lab/check-clean.sh" "${nodes[@]}" || { echo "FAIL: down left something behind"; exit 1; }
echo "lab target: all checks passed"
