#!/usr/bin/env bash
# The main job on the lab, on a fresh Debian 12 machine as root: controller environment, the
# collection built and installed, alice, bob and carol booted (Debian 13; HACLUSTER_LAB_SUITE=bookworm
# for Debian 12) with the lab's Redfish BMC, site.yml run with one fence device per node and
# fencing on, the status shown.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-controller.sh"
export PATH="$top/.venv/bin:$PATH"
work="$top/build/demo"
mkdir -p "$work"
# set before the install, so that the path installed to is one Ansible searches (no warning)
export ANSIBLE_COLLECTIONS_PATH="$work/collections" ANSIBLE_PIPELINING=true ANSIBLE_HOST_KEY_CHECKING=false
ansible-galaxy collection build --force --output-path "$work" "$top" >/dev/null
ansible-galaxy collection install --force -p "$work/collections" "$work"/hacluster-crm-*.tar.gz >/dev/null
lab=(python3 "$top/tests/lab/lab.py")
"${lab[@]}" down alice bob carol
"${lab[@]}" up --image "${HACLUSTER_IMAGE:-bare}" alice bob carol
"${lab[@]}" inventory > "$work/inventory"
cat > "$work/vars.yml" <<'YML'
crm_resources: [{id: p0, agent: Dummy}]
YML
cd "$top"
# tests/lab/fencing.yml: a fence_redfish device per node through the lab's BMC; stonith-enabled=true follows
ansible-playbook -i "$work/inventory" -e @"$work/vars.yml" -e @"$top/tests/lab/fencing.yml" hacluster.crm.site
"${lab[@]}" exec alice crm status
echo "The lab stays up: 'tests/lab/lab.py exec alice crm status', 'make lab-down' to remove it."
