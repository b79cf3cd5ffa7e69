#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# The firewall role with nftables (an operator's drop-by-default input chain) and with
# firewalld (default zone): the cluster forms only through the ports the role opens, stays
# quorate across firewall reloads; a node whose ports stay closed does not join, and
# cluster_info reports it.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
vars="$work/vars.yml"
printf 'crm_properties: {stonith-enabled: false}\ncrm_cluster_name: fwlab\ncrm_wait_timeout: 45\n' > "$vars"

status_of() {  # status_of NODE-TO-ASK: writes $work/status.json
    ansible-playbook -i "$inv" -l "$1" "$here/status.yml" -e status_file="$work/status.json" > "$work/status.log" 2>&1 \
        || { tail -20 "$work/status.log" >&2; fail "cluster_info"; }
}
online() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(" ".join(sorted(n["name"] for n in s["nodes"] if n["online"])), s["quorate"])' "$work/status.json"; }
ruleset() { "${lab[@]}" exec "$1" nft list ruleset; }

# ---- nftables
nodes=(fwa fwb fwc)
"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up "${nodes[@]}"
"${lab[@]}" inventory "${nodes[@]}" > "$work/all"
grep -E '^(fw[a-c] |\[|ansible_|$)' "$work/all" > "$inv"
for n in "${nodes[@]}"; do
    "${lab[@]}" exec "$n" sh -c 'cat > /etc/nftables.conf' < "$here/operator-nftables.conf"
    "${lab[@]}" exec "$n" systemctl enable --now nftables
done
# the operator's input rules, in order, without handles: must survive the role unchanged
operator_rules() {
    "${lab[@]}" exec "$1" nft -j list chain inet filter input | python3 -c '
import json, sys
rules = [r["rule"] for r in json.load(sys.stdin)["nftables"] if "rule" in r]
print(json.dumps([r["expr"] for r in rules if r.get("comment") != "hacluster.crm"]))'
}
before_rules=$(operator_rules fwa)
operator_rules=$(ruleset fwa | grep -c . )

# check mode predicts the change and loads nothing
[ "$(play "$work/fw-check.log" "$top/playbooks/firewall.yml" -e @"$vars" --check --diff)" -gt 0 ] || fail "firewall check predicted nothing"
[ "$(ruleset fwa | grep -c .)" = "$operator_rules" ] || fail "check mode changed the ruleset"
grep -q "^+insert rules for .* into inet filter input" "$work/fw-check.log" || fail "the check-mode diff does not show the rules"

# fwc keeps its ports closed: it does not join; fwa and fwb form a quorate partition without it
# (fwc alone forms a partition of its own, inquorate, so its play may well succeed; what counts
# is what the cluster sees)
printf 'crm_firewall: false\n' > "$work/fwc-closed.yml"
ansible-playbook -i "$inv" "$top/site.yml" -e @"$vars" -e @"$work/fwc-closed.yml" -l fwc > "$work/fwc.log" 2>&1 || true
ansible-playbook -i "$inv" "$top/site.yml" -e @"$vars" -l fwa,fwb > "$work/ab.log" 2>&1 || { tail -30 "$work/ab.log" >&2; fail "fwa, fwb"; }
status_of fwa
[ "$(online)" = "fwa fwb True" ] || fail "expected fwa fwb online and quorate, fwc not: $(online)"
grep -q '"name": "fwc"' "$work/status.json" || fail "cluster_info does not report fwc at all"
status_of fwc
[ "$(online)" = "fwc False" ] || fail "fwc should be alone and inquorate: $(online)"

# now every node opens its ports: fwc joins
[ "$(play "$work/site1.log" "$top/site.yml" -e @"$vars")" -gt 0 ] || fail "site.yml changed nothing"
status_of fwa
[ "$(online)" = "fwa fwb fwc True" ] || fail "not all online after opening the ports: $(online)"
[ "$(play "$work/fw-check2.log" "$top/playbooks/firewall.yml" -e @"$vars" --check --diff)" -eq 0 ] || fail "firewall check on a converged node predicts a change"
[ "$(play "$work/fw-apply2.log" "$top/playbooks/firewall.yml" -e @"$vars")" -eq 0 ] || fail "firewall rerun changed something"

# every input chain that drops gets the rules: the IPv6 table's too
for n in "${nodes[@]}"; do
    [[ "$("${lab[@]}" exec "$n" nft list chain ip6 filter INPUT)" == *'udp dport 5404-5405 accept comment "hacluster.crm"'* ]] \
        || fail "$n: the ip6 input chain did not get the cluster's rules"
done

# no operator rule removed or reordered
[ "$(operator_rules fwa)" = "$before_rules" ] || fail "operator rules changed"
[[ "$(ruleset fwa)" == *"policy drop"* ]] || fail "the operator's drop policy changed"

# reload and restart of the operator's nftables service keep the ports open and the cluster whole
for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" systemctl restart nftables; done
sleep 8
for n in "${nodes[@]}"; do
    [[ "$(ruleset "$n")" == *'udp dport 5404-5405 accept comment "hacluster.crm"'* ]] || fail "$n lost the rules"
done
status_of fwb
[ "$(online)" = "fwa fwb fwc True" ] || fail "cluster broken after nftables restart: $(online)"
"${lab[@]}" down "${nodes[@]}"

# ---- firewalld: the node's interface sits in zone internal, not in the default zone (public)
nodes=(fwd fwe)
"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up "${nodes[@]}"
"${lab[@]}" inventory "${nodes[@]}" > "$work/all"
grep -E '^(fw[de] |\[|ansible_|$)' "$work/all" > "$inv"
for n in "${nodes[@]}"; do
    "${lab[@]}" exec "$n" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends firewalld >/dev/null 2>&1 && systemctl enable --now firewalld' &
done
wait
for n in "${nodes[@]}"; do
    "${lab[@]}" exec "$n" firewall-cmd --state >/dev/null || fail "firewalld not running on $n"
    "${lab[@]}" exec "$n" sh -c 'firewall-cmd -q --permanent --zone=internal --change-interface=host0 && firewall-cmd -q --reload'
    [ "$("${lab[@]}" exec "$n" firewall-cmd --get-default-zone)" = public ] || fail "$n: default zone is not public"
done
[ "$(play "$work/fd-site.log" "$top/site.yml" -e @"$vars")" -gt 0 ] || fail "site.yml changed nothing (firewalld)"
status_of fwd
[ "$(online)" = "fwd fwe True" ] || fail "firewalld cluster: $(online)"
for n in "${nodes[@]}"; do "${lab[@]}" exec "$n" firewall-cmd --reload >/dev/null; done
sleep 8
status_of fwe
[ "$(online)" = "fwd fwe True" ] || fail "cluster broken after firewall-cmd --reload: $(online)"
"${lab[@]}" exec fwd firewall-cmd --permanent --zone=internal --query-port=5404-5405/udp >/dev/null || fail "port not permanent"
! "${lab[@]}" exec fwd firewall-cmd --zone=public --query-port=5404-5405/udp >/dev/null || fail "ports opened in the default zone"
[ "$(play "$work/fd-fw2.log" "$top/playbooks/firewall.yml" -e @"$vars")" -eq 0 ] || fail "firewalld rerun changed something"
# a second link on the lab's second network, its interface (host1) in zone work: one run opens the cluster's ports
# and link 1's port (5406) in that zone too, and the link comes up through them
for n in "${nodes[@]}"; do
    "${lab[@]}" exec "$n" sh -c 'firewall-cmd -q --permanent --zone=work --change-interface=host1 && firewall-cmd -q --reload'
done
two='{"crm_links": "{{ [ansible_host, lab_address1] }}"}'
[ "$(play "$work/fd-links.log" "$top/site.yml" -e @"$vars" -e "$two")" -gt 0 ] || fail "site.yml with two links changed nothing"
for port in 5404-5405/udp 5406/udp; do
    "${lab[@]}" exec fwd firewall-cmd --permanent --zone=work --query-port="$port" >/dev/null || fail "$port not open in zone work"
    "${lab[@]}" exec fwd firewall-cmd --zone=internal --query-port="$port" >/dev/null || fail "$port not open in zone internal"
done
for _ in $(seq 30); do
    "${lab[@]}" exec fwd corosync-cmapctl -m stats stats.knet. > "$work/knet" 2>/dev/null || true
    grep -q "link1.connected (u8) = 1" "$work/knet" && break
    sleep 1
done
grep -q "link1.connected (u8) = 1" "$work/knet" || fail "link 1 did not come up through zone work: $(cat "$work/knet")"
[ "$(play "$work/fd-links2.log" "$top/site.yml" -e @"$vars" -e "$two")" -eq 0 ] || fail "site.yml with two links: rerun changed something"
"${lab[@]}" down "${nodes[@]}"
echo "firewall target: all checks passed"
