#!/usr/bin/env bash
# Exits non-zero, naming what is left, if the lab left anything behind for the given nodes
# (or, with no nodes, for the whole lab: every node, the bridge and the NAT rules).
set -uo pipefail
home=${HACLUSTER_LAB_HOME:-/var/lib/hacluster-lab}
left=""
netns=$(ip netns list)
links=$(ip -o link show)
if [ "$#" -eq 0 ]; then
    [[ "$netns" == *crmlab-* || "$netns" == *crmbmc* ]] && left+=" netns"
    [[ "$links" =~ :\ (crm[lmn][0-9a-f]{8}|crmlab[012]|crmlbmc0)[@:] ]] && left+=" links"
    pgrep -f "$home/bmc/venv/bin/python" >/dev/null && left+=" bmc"
    for base in freezer systemd unified; do [ -e "/sys/fs/cgroup/$base/hacluster-lab" ] && left+=" cgroups:$base"; done
    grep -q " $home/" /proc/mounts && left+=" mounts"
    nft list table ip hacluster_lab >/dev/null 2>&1 && left+=" nft"
    pgrep -f "systemd-nspawn.*$home" >/dev/null && left+=" processes"
    compgen -G "$home/nodes/*" >/dev/null && left+=" node-dirs"
else
    for node in "$@"; do
        hash=$(printf '%s' "$node" | sha1sum | cut -c1-8)
        [[ "$netns" == *"crmlab-$node"* ]] && left+=" netns:$node"
        [[ "$links" == *"crml$hash"* || "$links" == *"crmm$hash"* || "$links" == *"crmn$hash"* ]] && left+=" veth:$node"
        grep -q " $home/nodes/$node/" /proc/mounts && left+=" mount:$node"
        pgrep -f "systemd-nspawn.*$home/nodes/$node/" >/dev/null && left+=" process:$node"
        [ -e "$home/nodes/$node" ] && left+=" dir:$node"
        for base in freezer systemd unified; do [ -e "/sys/fs/cgroup/$base/hacluster-lab/$node" ] && left+=" cgroup:$base:$node"; done
    done
fi
[ -z "$left" ] || { echo "the lab left behind:$left" >&2; exit 1; }
