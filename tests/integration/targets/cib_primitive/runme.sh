#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# cib_primitive on the live 3-node cluster: the lifecycle (check, apply, check, apply; stop,
# start, change, remove; refusals), then concurrency: a writer on bob sets cluster properties
# one after another with crm_attribute from before the first of three 100-primitive tasks
# starts until after the last ends; afterwards every primitive and every property is there.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
ensure_cluster

play "$work/lifecycle.log" "$here/lifecycle.yml" >/dev/null

python3 - "$work/batches.json" <<'PY'
import json, sys
batches = [[{"id": "c%03d" % i, "agent": "Dummy", "state": "stopped"} for i in range(b * 100, b * 100 + 100)]
           for b in range(3)]
json.dump({"batches": batches}, open(sys.argv[1], "w"))
PY

# the writer: one crm_attribute after another, on bob, until told to stop
writer() {
    local n=0
    while [ ! -e "$work/stop" ]; do
        "${lab[@]}" exec bob crm_attribute --type crm_config --name "hacluster-writer-$n" --update "$n" >/dev/null 2>&1 \
            || { echo "writer: crm_attribute $n failed" >&2; exit 1; }
        echo "$(date +%s.%N) $n" >> "$work/writes"
        n=$((n + 1))
    done
}
writer &
writer_pid=$!
sleep 2
play "$work/batches.log" "$here/batches.yml" -e @"$work/batches.json" -e times_file="$work/times" >/dev/null
sleep 2
touch "$work/stop"
wait "$writer_pid" || fail "the writer failed"

read -r first_task last_task < "$work/times"
first_write=$(head -1 "$work/writes" | cut -d' ' -f1)
last_write=$(tail -1 "$work/writes" | cut -d' ' -f1)
writes=$(wc -l < "$work/writes")
echo "writer: $writes properties from $first_write to $last_write; tasks from $first_task to $last_task"
python3 -c "import sys; a, b, c, d = map(float, sys.argv[1:]); sys.exit(0 if a < c and d < b else 1)" \
    "$first_write" "$last_write" "$first_task" "$last_task" || fail "the writer did not overlap all three tasks"

"${lab[@]}" exec carol cibadmin --query --scope configuration > "$work/cib.xml"
python3 - "$work/cib.xml" "$writes" <<'PY' || fail "lost writes"
import sys
import xml.etree.ElementTree as ET
config = ET.parse(sys.argv[1]).getroot()
ids = {p.get("id") for p in config.iter("primitive")}
missing = sorted({"c%03d" % i for i in range(300)} - ids)
props = {nv.get("name") for nv in config.iter("nvpair")}
lost = [n for n in range(int(sys.argv[2])) if "hacluster-writer-%d" % n not in props]
print("primitives missing: %d, properties lost: %d of %s" % (len(missing), len(lost), sys.argv[2]))
sys.exit(1 if missing or lost else 0)
PY

# leave the shared cluster as it was
python3 - "$work/cleanup.json" "$writes" <<'PY'
import json, sys
json.dump({"batches": [[{"id": "c%03d" % i, "state": "absent"} for i in range(300)]]}, open(sys.argv[1], "w"))
PY
play "$work/cleanup.log" "$here/batches.yml" -e @"$work/cleanup.json" -e times_file="$work/times2" >/dev/null
for ((n = 0; n < writes; n++)); do echo "crm_attribute --type crm_config --name hacluster-writer-$n --delete"; done \
    | "${lab[@]}" exec bob sh >/dev/null 2>&1
# A secret parameter's value never shows, not at -vvv, not in the diff, not in an error; the other values do.
"${lab[@]}" exec alice sh -c 'cibadmin --empty > /root/secret-cib.xml'
secret_args='{"id": "db", "agent": "ocf:heartbeat:mysql", "state": "stopped", "cib_file": "/root/secret-cib.xml",
  "params": {"replication_passwd": "S3cr3t-lab-pw", "replication_user": "repl-visible"}}'
ansible -i "$inv" alice -m hacluster.crm.cib_primitive -a "$secret_args" -vvv --diff > "$work/secret1.log" 2>&1 \
    || { tail -20 "$work/secret1.log"; fail "declaring a primitive with a password"; }
grep -q "CHANGED" "$work/secret1.log" || fail "the secret primitive was not created"
grep -q "repl-visible" "$work/secret1.log" || fail "the other values are masked too"
ansible -i "$inv" alice -m hacluster.crm.cib_primitive -a "${secret_args/S3cr3t-lab-pw/N3w-lab-pw}" -vvv --diff \
    > "$work/secret2.log" 2>&1 || fail "changing the password"
grep -q "CHANGED" "$work/secret2.log" || fail "a new password changed nothing"
ansible -i "$inv" alice -m hacluster.crm.cib_primitive -a "${secret_args/S3cr3t-lab-pw/N3w-lab-pw}" -vvv \
    > "$work/secret3.log" 2>&1 || fail "the rerun with the same password"
grep -q "SUCCESS" "$work/secret3.log" || fail "a rerun with the same password changed something"
bad_args='{"id": "db", "agent": "ocf:heartbeat:mysql", "cib_file": "/root/secret-cib.xml", "meta": {"bad name": 1},
  "params": {"replication_passwd": "S3cr3t-lab-pw"}}'
if ansible -i "$inv" alice -m hacluster.crm.cib_primitive -a "$bad_args" -vvv > "$work/secret4.log" 2>&1; then
    fail "a bad meta name was accepted"
fi
grep -q "invalid meta attribute name 'bad name'" "$work/secret4.log" || { tail "$work/secret4.log"; fail "unclear error"; }
! grep -q "S3cr3t-lab-pw\|N3w-lab-pw" "$work"/secret*.log || fail "a password shows in the output"
[[ "$("${lab[@]}" exec alice cat /root/secret-cib.xml)" == *'value="N3w-lab-pw"'* ]] || fail "the password was not stored"
echo "cib_primitive target: all checks passed"
