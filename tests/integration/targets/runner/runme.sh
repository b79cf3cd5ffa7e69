#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# site.yml through ansible-runner with a private data dir, as AWX and Automation Platform run a job template (the
# project, an inventory, extra vars and environment variables in their own folders; artifacts and job events
# written back): on the shared cluster, the same result and the same recap as ansible-playbook's. Both runs are
# reruns of a converged cluster, so both change nothing; a failing job must fail in both the same way.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
ensure_cluster
command -v ansible-runner >/dev/null || fail "ansible-runner is not installed (tests/integration/requirements.txt)"

printf 'crm_properties: {stonith-enabled: false}\ncrm_resources: [{id: p0, agent: Dummy}]\n' > "$work/vars.yml"
play "$work/converge.log" "$top/site.yml" -e @"$work/vars.yml" >/dev/null  # whatever the targets before left

# the private data dir: project (the collection's checkout, as AWX checks a project out), inventory, env
pdd="$work/pdd"
mkdir -p "$pdd/inventory" "$pdd/env"
ln -s "$top" "$pdd/project"
cp "$inv" "$pdd/inventory/hosts"
cp "$work/vars.yml" "$pdd/env/extravars"
collections=${top%/ansible_collections/*}
printf 'ANSIBLE_COLLECTIONS_PATH: %s\nANSIBLE_HOST_KEY_CHECKING: "false"\nANSIBLE_PIPELINING: "true"\n' "$collections" \
    > "$pdd/env/envvars"

recap() {  # the PLAY RECAP lines of a run's output, one per host, spaces collapsed (ansible-runner's stdout keeps
    # the colours and carriage returns of a terminal, as AWX shows them)
    sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\r$//' "$1" | sed -n '/^PLAY RECAP/,$p' | grep -E '^[a-z0-9-]+ +: ok=' | tr -s ' ' | sort
}
stats() {  # the counters of the playbook_on_stats event in a job's events (what AWX shows as the job's summary)
    python3 - "$1" <<'PY'
import glob, json, os, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "job_events", "*.json"))):
    with open(path) as handle:
        event = json.load(handle)
    if event.get("event") == "playbook_on_stats":
        data = event["event_data"]
        print(json.dumps({k: data.get(k) or {} for k in ("ok", "changed", "failures", "dark", "skipped")}, sort_keys=True))
PY
}

# ---- the same converged run, through ansible-runner and through ansible-playbook
rc=0
ansible-runner run "$pdd" -p site.yml --ident job1 > "$work/runner1.out" 2>&1 || rc=$?
artifacts="$pdd/artifacts/job1"
[ "$rc" = 0 ] || { tail -40 "$work/runner1.out" >&2; fail "ansible-runner exited with $rc"; }
[ "$(cat "$artifacts/status")" = successful ] || fail "the job's status is $(cat "$artifacts/status")"
[ "$(cat "$artifacts/rc")" = 0 ] || fail "the job's rc is $(cat "$artifacts/rc")"
play "$work/playbook1.log" "$top/site.yml" -e @"$work/vars.yml" >/dev/null
[ -n "$(recap "$work/playbook1.log")" ] || fail "no recap in ansible-playbook's output"
[ "$(recap "$artifacts/stdout")" = "$(recap "$work/playbook1.log")" ] \
    || { diff <(recap "$artifacts/stdout") <(recap "$work/playbook1.log") >&2; fail "the recaps differ"; }
has '"changed": \{\}' "$(stats "$artifacts")" || fail "the job's summary shows changes: $(stats "$artifacts")"
has '"ok": \{"alice": [0-9]+, "bob": [0-9]+, "carol": [0-9]+\}' "$(stats "$artifacts")" \
    || fail "the job's summary does not count the three nodes: $(stats "$artifacts")"
echo "runner: ansible-runner and ansible-playbook recap the same: $(recap "$work/playbook1.log" | tr '\n' ';')"

# ---- a failing job fails in both the same way: a misspelt key in a declared primitive, refused before any write
printf 'crm_resources: [{id: p0, agent: Dummy, parmas: {}}]\n' > "$pdd/env/extravars"
rc=0
ansible-runner run "$pdd" -p site.yml --ident job2 > "$work/runner2.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "ansible-runner succeeded with a misspelt key"
[ "$(cat "$pdd/artifacts/job2/status")" = failed ] || fail "the failing job's status is $(cat "$pdd/artifacts/job2/status")"
grep -q "parmas" "$pdd/artifacts/job2/stdout" || fail "the failing job does not name the misspelt key"
rc=0
ansible-playbook -i "$inv" "$top/site.yml" -e @"$pdd/env/extravars" > "$work/playbook2.log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "ansible-playbook succeeded with a misspelt key"
[ "$(recap "$pdd/artifacts/job2/stdout")" = "$(recap "$work/playbook2.log")" ] \
    || { diff <(recap "$pdd/artifacts/job2/stdout") <(recap "$work/playbook2.log") >&2; fail "the failing recaps differ"; }
echo "runner target: all checks passed"
