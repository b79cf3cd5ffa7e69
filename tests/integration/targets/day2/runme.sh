#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# Day 2 on the shared 3-node cluster: each operation module's cycle, diff and effect (day2.yml), the refusals
# (refusals.yml), then the playbooks maintenance.yml, move.yml and cleanup.yml: check mode predicts the changes a
# run makes, a second run changes nothing; and health.yml and status.yml say which resource failed where.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
ensure_cluster
on() { "${lab[@]}" exec "$@"; }
epoch() { on alice cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"'; }

play "$work/day2.log" "$here/day2.yml" >/dev/null
play "$work/refusals.log" "$here/refusals.yml" >/dev/null

# cycle NAME PLAYBOOK ARGS...: check, apply, check, apply; the first check and the run make the same number of
# changes (more than none), check mode writes nothing, the second check and run none
cycle() {
    local name=$1 book=$2 e c1 a1 c2 a2; shift 2
    e=$(epoch)
    c1=$(play "$work/$name-c1.log" "$book" --check --diff "$@")
    [ "$(epoch)" = "$e" ] || fail "$name: check mode wrote to the CIB"
    a1=$(play "$work/$name-a1.log" "$book" "$@")
    c2=$(play "$work/$name-c2.log" "$book" --check "$@")
    a2=$(play "$work/$name-a2.log" "$book" "$@")
    echo "$name: check $c1, run $a1, check $c2, run $a2"
    if [ "$c1" != "$a1" ] || [ "$a1" -eq 0 ] || [ "$c2" != 0 ] || [ "$a2" != 0 ]; then fail "$name: $c1 $a1 $c2 $a2"; fi
}
cycle standby "$top/playbooks/maintenance.yml" -e crm_maintenance=on -e crm_maintenance_node=carol
[ "$(on alice crm_attribute --type nodes --node carol --name standby --query --quiet)" = on ] \
    || fail "maintenance.yml did not put carol in standby"
grep -q 'standby' "$work/standby-c1.log" || fail "maintenance.yml --diff did not show the standby attribute"
cycle online "$top/playbooks/maintenance.yml" -e crm_maintenance=off -e crm_maintenance_node=carol
cycle cluster-on "$top/playbooks/maintenance.yml" -e crm_maintenance=on
cycle cluster-off "$top/playbooks/maintenance.yml" -e crm_maintenance=off
to=$(on alice crm_resource --resource p0 --locate --quiet | head -1)
to=$(printf '%s\n' alice bob carol | grep -vx "$to" | head -1)
cycle move "$top/playbooks/move.yml" -e crm_move_resource=p0 -e crm_move_node="$to"
[ "$(on alice crm_resource --resource p0 --locate --quiet | head -1)" = "$to" ] || fail "move.yml did not move p0 to $to"
cycle clear "$top/playbooks/move.yml" -e crm_move_resource=p0 -e crm_move_state=cleared
! has cli- "$(on alice cibadmin --query --scope constraints)" || fail "move.yml left a move behind"
if ansible-playbook -i "$inv" "$top/playbooks/maintenance.yml" -e crm_maintenance=maybe > "$work/bad.log" 2>&1; then
    fail "maintenance.yml took crm_maintenance=maybe"
fi
grep -q "crm_maintenance must be on or off (given maybe)" "$work/bad.log" || fail "no clear refusal of crm_maintenance=maybe"

# a failure: status.yml and health.yml say which resource failed where and that a cleanup is next
node=$(on alice crm_resource --resource p0 --locate --quiet | head -1)
on alice crm_resource --fail --resource p0 --node "$node" >/dev/null
on alice crm_resource --wait --timeout 120s >/dev/null
play "$work/status.log" "$top/playbooks/status.yml" >/dev/null
grep -qE "p0 on $node: fail count [0-9]+.*crm resource cleanup p0" "$work/status.log" || fail "status.yml does not name the failure"
play "$work/health.log" "$top/playbooks/health.yml" >/dev/null
grep -qE "resource p0 \| $node \| WARN \| fail count [0-9]+" "$work/health.log" || fail "health.yml does not name the failure"
cycle cleanup "$top/playbooks/cleanup.yml" -e crm_cleanup_resource=p0
[ "$(play "$work/cleanup-none.log" "$top/playbooks/cleanup.yml")" = 0 ] || fail "a cleanup of a clean cluster changed something"
echo "day2 target: all checks passed"
