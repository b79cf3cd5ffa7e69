#!/usr/bin/env bash
# Benchmarks on the lab (run as root on this machine; not part of the test suite), on Debian 13
# and Debian 12 nodes side by side (BENCH_SUITES="trixie bookworm"):
#   site  - a 3-node cluster from the fresh image (debootstrap as it leaves a server: docs installed, apt's lists
#           as debootstrap left them) to p0 Started, timed from SSH answering, with where the time went (the
#           slowest tasks of a timestamped Ansible log); the no-op rerun and the --check run against a playbook of
#           ten stat tasks on the same nodes.
#   cib   - on a 2-node cluster: crmsh's way (30 x crm configure primitive), pcs's way (30 x pcs -f),
#           the floor (one cibadmin call creating 500), then cib_primitive declaring 500 with one parameter
#           each on a CIB that holds 530, and its no-op rerun; then 4000 new ones in one task. The targets
#           are issue 25's.
#   curve - the CIB engine alone on a CIB_file holding 530: N = 100 ... 4000 new primitives, and reruns.
#   scale - a 9-node cluster from the bare image; its no-op rerun and --check against ten stat tasks on the 9
#           nodes, three rounds (target: <= 2.5x).
#   model - on a 2-node cluster: cib_resources declaring 500 primitives in 100 groups of 5 and 200
#           constraints in one task, end to end, and its no-op rerun.
#   fleet - 1, 5 and 10 two-node clusters (the cluster image) in one inventory, each its own group in the group
#           fleet, converged by one site.yml run over it (crm_fleet_group, one fork per node), then its no-op rerun;
#           the lab's memory with the 20 nodes up, and where the first run's CPU went (the machine's busy and
#           idle time against the controller's, and the nodes' by what used it: Ansible's sessions, corosync,
#           Pacemaker, the rest). Target: 10 clusters <= 2.5x the time of one.
# Usage: scripts/bench.sh [site] [cib] [curve] [scale] [model] [fleet]   (default: all). Figures go to
# bench-results/results.txt (all), or results-PART.txt for the parts named.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-controller.sh"
export PATH="$top/.venv/bin:$PATH"
"$top/scripts/collection-tree.sh" >/dev/null
export ANSIBLE_COLLECTIONS_PATH="$top/build" ANSIBLE_PIPELINING=true ANSIBLE_HOST_KEY_CHECKING=false
lab=(python3 "$top/tests/lab/lab.py")
out="$top/bench-results"
mkdir -p "$out"
work=$(mktemp -d)
# At the end, the lab's network and BMC go too when no node is left (a failed part leaves its nodes up to look at).
trap 'rm -rf "$work"; [ -n "$("${lab[@]}" status 2>/dev/null)" ] || "${lab[@]}" down >/dev/null 2>&1' EXIT
results="$out/results.txt"
[ "$#" -eq 0 ] || results="$out/results-$(echo "$*" | tr ' ' '-').txt"
: > "$results"
record() { echo "$*" | tee -a "$results"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }
inventory() {  # inventory FILE NODE...: the lab's inventory restricted to these nodes
    local file=$1; shift
    "${lab[@]}" inventory > "$work/full"
    { echo "[cluster]"; for h in "$@"; do grep "^$h " "$work/full"; done
      sed -n '/^\[cluster:vars\]/,$p' "$work/full"; } > "$file"
}
playbook() {  # playbook INVENTORY ARGS...: ansible-playbook, its output in last.log; with CPU_REPORT=FILE, the
              # CPU seconds (user + system) it and its workers used go to FILE
    local rc=0
    python3 - "${CPU_REPORT:-}" ansible-playbook -i "$1" "${@:2}" > "$work/last.log" 2>&1 <<'PY' || rc=$?
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdin=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if sys.argv[1]:
    with open(sys.argv[1], "w") as out:
        out.write("%.2f" % (usage.ru_utime + usage.ru_stime))
sys.exit(rc)
PY
    [ "$rc" = 0 ] || { tail -30 "$work/last.log" >&2; exit 1; }
}
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }  # busy and idle ticks (1/100 s)

slowest_tasks() {  # slowest_tasks LOG: the tasks that took longest, from ANSIBLE_LOG_PATH's timestamps
    python3 - "$1" <<'PY'
import datetime, re, sys
stamps = []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) .*?\| (TASK|PLAY RECAP|RUNNING HANDLER) ?\[?([^\]]*)", line)
    if m:
        stamps.append((datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f"), m.group(3) or m.group(2)))
spans = {}
for (start, name), (end, _next) in zip(stamps, stamps[1:]):
    spans[name] = spans.get(name, 0.0) + (end - start).total_seconds()
total = sum(spans.values())
for name, secs in sorted(spans.items(), key=lambda kv: -kv[1])[:10]:
    print("    %6.1f s  %s" % (secs, name))
print("    %6.1f s  all tasks" % total)
PY
}

ten_stat() {  # ten_stat FILE: the floor, a play of ten stat tasks on the cluster group
    cat > "$1" <<'YML'
- name: Ten stat tasks
  hosts: cluster
  gather_facts: false
  tasks:
YML
    for i in $(seq 1 10); do printf '    - name: Stat %s\n      ansible.builtin.stat: {path: /etc/hostname}\n' "$i" >> "$1"; done
}

bench_site() {
    local suite=$1 nodes=(bench1 bench2 bench3) t
    "${lab[@]}" down "${nodes[@]}"
    t=$(now); "${lab[@]}" up --image fresh --suite "$suite" "${nodes[@]}"; record "[$suite] lab: 3 fresh nodes up and answering SSH: $(since "$t") s"
    inventory "$work/inv" "${nodes[@]}"
    printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/vars.yml"
    rm -f "$out/site-$suite.log"
    t=$(now); ANSIBLE_LOG_PATH="$out/site-$suite.log" playbook "$work/inv" "$top/site.yml" -e @"$work/vars.yml"
    record "[$suite] site.yml, 3 fresh servers (packages included) to p0 Started: $(since "$t") s (target <= 60 s)"
    slowest_tasks "$out/site-$suite.log" | tee -a "$results"
    grep -q '"p0: Started"' "$work/last.log" || { echo "p0 not Started" >&2; exit 1; }
    ten_stat "$work/stat.yml"
    local noop stat check
    for round in 1 2 3; do
        t=$(now); playbook "$work/inv" "$top/site.yml" -e @"$work/vars.yml"; noop=$(since "$t")
        if grep -qE 'changed=[1-9]' "$work/last.log"; then echo "the rerun changed something" >&2; exit 1; fi
        t=$(now); playbook "$work/inv" "$top/site.yml" -e @"$work/vars.yml" --check; check=$(since "$t")
        if grep -qE 'changed=[1-9]' "$work/last.log"; then echo "--check predicts a change on the converged cluster" >&2; exit 1; fi
        t=$(now); playbook "$work/inv" "$work/stat.yml"; stat=$(since "$t")
        record "[$suite] round $round: no-op site.yml rerun $noop s; --check $check s; ten stat tasks $stat s; ratio $(python3 -c "print('%.2f' % ($noop / $stat))") (target <= 2.0)"
    done
    "${lab[@]}" down "${nodes[@]}"
}

bench_scale() {
    local suite=$1 nodes=(s1 s2 s3 s4 s5 s6 s7 s8 s9) t
    "${lab[@]}" down "${nodes[@]}"
    t=$(now); "${lab[@]}" up --image bare --suite "$suite" "${nodes[@]}"; record "[$suite] lab: 9 bare nodes up: $(since "$t") s"
    inventory "$work/inv9" "${nodes[@]}"
    printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/vars.yml"
    t=$(now); playbook "$work/inv9" "$top/site.yml" -e @"$work/vars.yml" -f 9
    record "[$suite] site.yml, 9-node cluster from the bare image to p0 Started: $(since "$t") s"
    grep -q '"Online: s1 s2 s3 s4 s5 s6 s7 s8 s9"' "$work/last.log" || { echo "not all 9 online" >&2; exit 1; }
    ten_stat "$work/stat9.yml"
    local noop stat check round
    for round in 1 2 3; do
        t=$(now); playbook "$work/inv9" "$top/site.yml" -e @"$work/vars.yml" -f 9; noop=$(since "$t")
        if grep -qE 'changed=[1-9]' "$work/last.log"; then echo "the rerun changed something" >&2; exit 1; fi
        t=$(now); playbook "$work/inv9" "$top/site.yml" -e @"$work/vars.yml" -f 9 --check; check=$(since "$t")
        if grep -qE 'changed=[1-9]' "$work/last.log"; then echo "--check predicts a change on the converged cluster" >&2; exit 1; fi
        t=$(now); playbook "$work/inv9" "$work/stat9.yml" -f 9; stat=$(since "$t")
        record "[$suite] round $round, 9 nodes: no-op site.yml rerun $noop s; --check $check s; ten stat tasks $stat s; ratio $(python3 -c "print('%.2f' % ($noop / $stat))") (target <= 2.5)"
    done
    "${lab[@]}" down "${nodes[@]}"
}

bench_curve() {
    # the engine alone, on a CIB_file that holds 530 primitives (pacemaker's tools on this machine)
    PYTHONPATH="$top/build" python3 - "$work" <<'PY' | tee -a "$results"
import os, subprocess, sys, time
from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, converge
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import parse_primitives
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner


def converge_primitives(cib, items, check_mode):
    """What cib_primitive does with its primitives: parse, then one converge."""
    return converge(cib, parse_primitives(items).declaration(cib), check_mode)


work = sys.argv[1]
base = [{"id": "old%03d" % i, "agent": "Dummy", "state": "stopped"} for i in range(530)]
previous = None
for n in (100, 500, 1000, 2000, 4000):
    path = os.path.join(work, "curve-%d.xml" % n)
    with open(path, "w") as handle:
        handle.write(subprocess.run(["cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout)
    converge_primitives(Cib(Runner(), path), base, False)
    items = [{"id": "new%04d" % i, "agent": "Dummy", "params": {"state": "/run/new%04d" % i}, "state": "stopped"}
             for i in range(n)]
    start = time.monotonic(); converge_primitives(Cib(Runner(), path), items, False); first = time.monotonic() - start
    start = time.monotonic(); edit = converge_primitives(Cib(Runner(), path), items, False); again = time.monotonic() - start
    assert not edit.changes
    ratio = "" if previous is None else ", %.2fx the time for %.0fx the primitives" % (first / previous[1], n / previous[0])
    print("curve (engine on a CIB_file holding 530): %4d new primitives %.2f s, rerun %.2f s%s" % (n, first, again, ratio))
    previous = (n, first)
PY
}

bench_cib() {
    local suite=$1 nodes=(cb1 cb2) t n
    "${lab[@]}" down "${nodes[@]}"
    "${lab[@]}" up --image cluster --suite "$suite" "${nodes[@]}"
    inventory "$work/inv2" "${nodes[@]}"
    printf 'crm_properties: {stonith-enabled: false}\n' > "$work/vars.yml"
    playbook "$work/inv2" "$top/site.yml" -e @"$work/vars.yml"
    local x=("${lab[@]}" exec cb1)
    "${x[@]}" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends pcs >/dev/null 2>&1'

    # crmsh: one crm configure primitive per resource, as the guide does
    t=$(now)
    for n in $(seq -w 0 29); do "${x[@]}" crm configure primitive "crm$n" Dummy meta target-role=Stopped; done
    local crmsh; crmsh=$(since "$t")
    record "[$suite] crmsh: 30 x crm configure primitive: $crmsh s, $(python3 -c "print('%.3f' % ($crmsh / 30))") s per resource"

    # pcs as linux-system-roles/ha_cluster uses it: pcs -f on a copy of the CIB, once per resource
    "${x[@]}" sh -c 'cibadmin --query > /tmp/pcs-cib.xml'
    t=$(now)
    for n in $(seq -w 0 29); do "${x[@]}" pcs -f /tmp/pcs-cib.xml resource create "pcs$n" ocf:heartbeat:Dummy --disabled --no-default-ops >/dev/null; done
    local pcs; pcs=$(since "$t")
    record "[$suite] pcs: 30 x pcs -f resource create (on a file, not pushed): $pcs s, $(python3 -c "print('%.3f' % ($pcs / 30))") s per resource"

    # the floor: one cibadmin call creating 500
    python3 -c "
print('<resources>' + ''.join('<primitive id=\"floor%03d\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"><meta_attributes id=\"floor%03d-meta_attributes\"><nvpair id=\"floor%03d-meta_attributes-target-role\" name=\"target-role\" value=\"Stopped\"/></meta_attributes></primitive>' % (i, i, i) for i in range(500)) + '</resources>')" > "$work/floor.xml"
    t=$(now); "${x[@]}" cibadmin --modify --scope resources --xml-pipe < "$work/floor.xml"; local floor; floor=$(since "$t")
    record "[$suite] floor: one cibadmin call creating 500: $floor s, $(python3 -c "print('%.4f' % ($floor / 500))") s per resource"
    t=$(now); "${x[@]}" crm_resource --wait --timeout 600s; record "[$suite] settle after the floor: $(since "$t") s"

    python3 -c "
import json
print(json.dumps({'bench': [{'id': 'mod%03d' % i, 'agent': 'Dummy', 'params': {'state': '/run/mod%03d' % i}, 'state': 'stopped'} for i in range(500)]}))" > "$work/mod.json"
    cat > "$work/mod.yml" <<'YML'
- name: One task declaring 500 primitives
  hosts: cb1
  gather_facts: false
  tasks:
    - name: Declare Dummy primitives with one parameter each (what users declare), stopped
      hacluster.crm.cib_primitive:
        primitives: "{{ bench }}"
YML
    local count; count=$("${x[@]}" sh -c 'cibadmin --query --scope resources | grep -c "<primitive "')
    t=$(now); playbook "$work/inv2" "$work/mod.yml" -e @"$work/mod.json"; local module; module=$(since "$t")
    grep -q 'changed=1' "$work/last.log" || { echo "the module did not change" >&2; exit 1; }
    record "[$suite] cib_primitive: one task declaring 500 on a CIB holding $count primitives, end to end: $module s (target <= 5 s), $(python3 -c "print('%.4f' % ($module / 500))") s per resource"
    t=$(now); "${x[@]}" crm_resource --wait --timeout 600s; record "[$suite] settle after the module: $(since "$t") s"
    t=$(now); playbook "$work/inv2" "$work/mod.yml" -e @"$work/mod.json"; local rerun; rerun=$(since "$t")
    grep -q 'changed=0' "$work/last.log" || { echo "the rerun changed" >&2; exit 1; }
    record "[$suite] cib_primitive: no-op rerun of the 500: $rerun s (target <= 3 s)"
    # one decimal: a ratio of 99.7 printed as "100x" would read as the target met
    record "[$suite] speedup per resource over crmsh: $(python3 -c "print('%.1f' % (($crmsh / 30) / ($module / 500)))")x (target >= 100x); over pcs -f: $(python3 -c "print('%.1f' % (($pcs / 30) / ($module / 500)))")x"

    # 4000 new primitives in one task, end to end (the cluster settled first)
    python3 -c "
import json
print(json.dumps({'bench': [{'id': 'big%04d' % i, 'agent': 'Dummy', 'params': {'state': '/run/big%04d' % i}, 'state': 'stopped'} for i in range(4000)]}))" > "$work/big.json"
    t=$(now); playbook "$work/inv2" "$work/mod.yml" -e @"$work/big.json"; local big; big=$(since "$t")
    grep -q 'changed=1' "$work/last.log" || { echo "the 4000 did not change" >&2; exit 1; }
    record "[$suite] cib_primitive: 4000 new primitives in one task, end to end: $big s (target <= 10 s)"
    "${lab[@]}" down "${nodes[@]}"
}

bench_model() {
    local suite=$1 nodes=(cm1 cm2) t
    "${lab[@]}" down "${nodes[@]}"
    "${lab[@]}" up --image cluster --suite "$suite" "${nodes[@]}"
    inventory "$work/invm" "${nodes[@]}"
    printf 'crm_properties: {stonith-enabled: false}\n' > "$work/vars.yml"
    playbook "$work/invm" "$top/site.yml" -e @"$work/vars.yml"
    python3 -c "
import json
prims = [{'id': 'r%03d' % i, 'agent': 'Dummy', 'state': 'stopped'} for i in range(500)]
groups = [{'id': 'g%03d' % g, 'members': ['r%03d' % i for i in range(g * 5, g * 5 + 5)]} for g in range(100)]
constraints = [{'type': 'location', 'resource': 'g%03d' % g, 'node': 'cm1' if g % 2 else 'cm2', 'score': g} for g in range(100)]
constraints += [{'type': 'order', 'first': 'g%03d' % g, 'then': 'g%03d' % (g + 1), 'kind': 'Optional'} for g in range(99)]
constraints += [{'type': 'colocation', 'resource': 'g099', 'with': 'g000', 'score': -100}]
print(json.dumps({'bench_p': prims, 'bench_g': groups, 'bench_c': constraints}))" > "$work/model.json"
    cat > "$work/model.yml" <<'YML'
- name: One task declaring 500 primitives in 100 groups and 200 constraints
  hosts: cm1
  gather_facts: false
  tasks:
    - name: Declare them in one transaction
      hacluster.crm.cib_resources:
        primitives: "{{ bench_p }}"
        groups: "{{ bench_g }}"
        constraints: "{{ bench_c }}"
YML
    t=$(now); playbook "$work/invm" "$work/model.yml" -e @"$work/model.json"; local first; first=$(since "$t")
    grep -q 'changed=1' "$work/last.log" || { echo "the declaration did not change" >&2; exit 1; }
    record "[$suite] cib_resources: 500 primitives in 100 groups of 5 and 200 constraints in one task on 2 nodes, end to end: $first s (target <= 5 s)"
    t=$(now); "${lab[@]}" exec cm1 crm_resource --wait --timeout 600s; record "[$suite] settle after the declaration: $(since "$t") s"
    t=$(now); playbook "$work/invm" "$work/model.yml" -e @"$work/model.json"; local rerun; rerun=$(since "$t")
    grep -q 'changed=0' "$work/last.log" || { echo "the rerun changed" >&2; exit 1; }
    record "[$suite] cib_resources: no-op rerun of the same: $rerun s (target <= 3 s)"
    record "[$suite] the CIB holds $("${lab[@]}" exec cm1 sh -c 'cibadmin --query --scope resources | grep -c "<primitive "') primitives, $("${lab[@]}" exec cm1 sh -c 'cibadmin --query --scope resources | grep -c "<group "') groups, $("${lab[@]}" exec cm1 sh -c 'cibadmin --query --scope constraints | grep -c "<rsc_"') constraints"
    "${lab[@]}" down "${nodes[@]}"
}

bench_fleet() {
    local suite=$1 n c t specs nodes first one one_floor
    for n in 1 5 10; do
        specs=(); nodes=()
        for c in $(seq 1 "$n"); do specs+=(--cluster "bf$c=bf${c}a,bf${c}b"); nodes+=("bf${c}a" "bf${c}b"); done
        "${lab[@]}" down "${nodes[@]}"
        local mem_before; mem_before=$(free -m | awk '/^Mem:/ { print $3 }')
        t=$(now); "${lab[@]}" up --image cluster --suite "$suite" "${nodes[@]}"; record "[$suite] lab: ${#nodes[@]} nodes up: $(since "$t") s"
        mkdir -p "$work/fleet/group_vars"
        "${lab[@]}" inventory "${specs[@]}" > "$work/fleet/hosts.yml"
        printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/fleet/group_vars/fleet.yml"
        local before after; "${lab[@]}" cpu "${nodes[@]}" > "$work/nodes-before.json"; before=$(machine_cpu)
        t=$(now); CPU_REPORT="$work/cpu" playbook "$work/fleet/hosts.yml" "$top/site.yml" -e crm_fleet_group=fleet -f "${#nodes[@]}"; first=$(since "$t")
        after=$(machine_cpu); "${lab[@]}" cpu "${nodes[@]}" > "$work/nodes-after.json"
        [ "$(grep -c '"p0: Started"' "$work/last.log")" = "$n" ] || { echo "p0 is not Started in each of the $n clusters" >&2; exit 1; }
        [ "$(grep -c ', quorate: True"' "$work/last.log")" = "$n" ] || { echo "not every one of the $n clusters is quorate" >&2; exit 1; }
        [ "$n" = 1 ] && one=$first
        record "[$suite] fleet of $n two-node clusters (${#nodes[@]} nodes) from the cluster image to p0 Started in each: $first s ($(python3 -c "print('%.2fx' % ($first / $one))") the time of one; target for 10 <= 2.5x)"
        # Where the CPU went: the whole machine (/proc/stat) against the controller's ansible-playbook and its workers.
        python3 - "$suite" "$n" "$before" "$after" "$(cat "$work/cpu")" "$(nproc)" <<'PY' | tee -a "$results"
import sys
suite, n, before, after, controller, cores = sys.argv[1:]
b1, i1 = map(int, before.split()); b2, i2 = map(int, after.split())
busy, idle, controller = (b2 - b1) / 100.0, (i2 - i1) / 100.0, float(controller)
print("[%s] fleet of %s, the first run's CPU: the machine's %s cores busy %.1f s, idle %.1f s (%.0f%% busy); the "
      "controller (ansible-playbook and its workers) %.1f s, the nodes and the rest %.1f s; busy / cores = %.1f s, the "
      "least this run can take here" % (suite, n, cores, busy, idle, 100 * busy / (busy + idle), controller,
                                        busy - controller, busy / int(cores)))
PY
        # The nodes' share, by what used it (lab.py cpu: each node's processes, own and reaped).
        python3 - "$suite" "$n" "$work/nodes-before.json" "$work/nodes-after.json" <<'PY' | tee -a "$results"
import json, sys
suite, n, before, after = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
kinds = {"SSH sessions (Ansible's modules and what they run)": 0.0, "corosync": 0.0, "Pacemaker's daemons": 0.0,
         "systemd and the rest": 0.0}
for node, used in after.items():
    for command, secs in used.items():
        secs -= before.get(node, {}).get(command, 0.0)
        kind = ("SSH sessions (Ansible's modules and what they run)" if command.startswith("sshd")
                else "corosync" if command == "corosync" else "Pacemaker's daemons" if command.startswith("pacemaker")
                else "systemd and the rest")
        kinds[kind] += secs
print("[%s] fleet of %s, the nodes' CPU in the first run: %.1f s: %s" % (
    suite, n, sum(kinds.values()), ", ".join("%s %.1f s" % kv for kv in kinds.items())))
PY
        record "[$suite] the lab's memory with ${#nodes[@]} nodes up and converged: $(( $(free -m | awk '/^Mem:/ { print $3 }') - mem_before )) MiB more than before they booted (this machine: $(free -g | awk '/^Mem:/ { print $2 }') GiB)"
        t=$(now); playbook "$work/fleet/hosts.yml" "$top/site.yml" -e crm_fleet_group=fleet -f "${#nodes[@]}"
        if grep -qE 'changed=[1-9]' "$work/last.log"; then echo "the fleet's rerun changed something" >&2; exit 1; fi
        record "[$suite] fleet of $n: no-op rerun $(since "$t") s"
        # The machine's own floor for as many nodes: ten stat tasks on them, with as many forks.
        { printf -- '- name: Ten stat tasks\n  hosts: fleet\n  gather_facts: false\n  tasks:\n'
          for i in $(seq 1 10); do printf '    - name: Stat %s\n      ansible.builtin.stat: {path: /etc/hostname}\n' "$i"; done; } > "$work/stat-fleet.yml"
        t=$(now); playbook "$work/fleet/hosts.yml" "$work/stat-fleet.yml" -f "${#nodes[@]}"; local floor; floor=$(since "$t")
        [ "$n" = 1 ] && one_floor=$floor
        record "[$suite] fleet of $n: ten stat tasks on its ${#nodes[@]} nodes $floor s ($(python3 -c "print('%.2fx' % ($floor / $one_floor))") the time on one cluster's 2 nodes)"
        "${lab[@]}" down "${nodes[@]}"
    done
}

suites=${BENCH_SUITES:-trixie bookworm}
for suite in $suites; do "${lab[@]}" image bare cluster fresh --suite "$suite" >/dev/null; done
for part in "${@:-site cib curve scale model fleet}"; do
    for p in $part; do
        if [ "$p" = curve ]; then bench_curve; continue; fi
        for suite in $suites; do
            "bench_$p" "$suite"
        done
    done
done
echo "results in $results"
