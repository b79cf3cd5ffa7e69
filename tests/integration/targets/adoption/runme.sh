#!/usr/bin/env bash
# work, inv, here, top and lab come from the sourced setup_cluster/lib.sh:
# shellcheck disable=SC2154
# Adoption of a cluster the collection did not build: dan and eve get a corosync.conf written by hand,
# a key made with corosync-keygen, the stack started by systemctl and a configuration made with
# crm configure (a description that is a template, a password with Jinja's markers, an op with
# OCF_CHECK_LEVEL, a group, a rule, a temporary ban). playbooks/export.yml writes it as variables; site.yml
# with them moves nothing (the CIB's epoch, corosync's and pacemaker's PIDs, where each resource runs),
# runs no template from the cluster, and shows no secret; check mode and a second run change nothing.
# shellcheck source=../setup_cluster/lib.sh
source "$(dirname "$0")/../setup_cluster/lib.sh"
nodes=(dan eve); [ -n "${ADOPTION_TRACE:-}" ] && set -x
trap 'rc=$?; "${lab[@]}" down "${nodes[@]}"; rm -rf "$work"; exit $rc' EXIT
on() { "${lab[@]}" exec "$@"; }

"${lab[@]}" down "${nodes[@]}"
"${lab[@]}" up "${nodes[@]}"
"${lab[@]}" inventory "${nodes[@]}" | grep -E '^(dan |eve |\[|ansible_|lab_|$)' > "$inv"
addr() { awk -v n="$1" '$1 == n { sub("ansible_host=", "", $2); print $2 }' "$inv"; }

# ---- the cluster, by hand: what an administrator following crmsh's guide ends up with
cat > "$work/corosync.conf" <<CONF
# written by hand
totem {
    version: 2
    cluster_name: hacluster
    transport: knet
    crypto_cipher: aes256
    crypto_hash: sha256
}

nodelist {
    node {
        ring0_addr: $(addr dan)
        name: dan
        nodeid: 1
    }
    node {
        ring0_addr: $(addr eve)
        name: eve
        nodeid: 2
    }
}

quorum {
    provider: corosync_votequorum
    two_node: 1
}

logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: yes
    timestamp: on
}
CONF
on dan corosync-keygen >/dev/null 2>&1
key=$(on dan base64 -w0 /etc/corosync/authkey)
for n in "${nodes[@]}"; do
    on "$n" systemctl stop pacemaker corosync
    on "$n" sh -c 'cat > /etc/corosync/corosync.conf' < "$work/corosync.conf"
    [ "$n" = dan ] || on "$n" sh -c "echo $key | base64 -d > /etc/corosync/authkey && chmod 0400 /etc/corosync/authkey"
done
for n in "${nodes[@]}"; do on "$n" systemctl start corosync pacemaker; done
both_online() { [ "$(online_count dan)" = 2 ]; }
for _ in $(seq 120); do both_online && break; sleep 1; done
both_online || fail "the hand-built cluster did not form"
marker="$work/PWNED"
secret='Adopt{#Sekr1t{{x'
# (OCF_CHECK_LEVEL=1: ocf:pacemaker:Dummy's level 10 sleeps 30 s to test timeouts, so its 20 s monitor would fail)
on dan crm configure <<CRM >/dev/null
property stonith-enabled=false
primitive web ocf:pacemaker:Dummy description="{{ lookup('pipe', 'touch $marker') }}" params passwd="$secret" op monitor interval=10s timeout=20s OCF_CHECK_LEVEL=1
primitive rack Dummy
group web-g web rack meta target-role=Started
location web-not-rule web-g rule -inf: #uname eq nobody
commit
CRM
# ---- the rest of the CIB, by hand (issue 24): a read-only ACL role and its user, an alert to a file, a tag, a
# ticket, node attributes and utilization with crm node, and property and rsc_defaults sets with rules
for n in "${nodes[@]}"; do
    on "$n" install -m 0755 /usr/share/pacemaker/alerts/alert_file.sh.sample /var/lib/pacemaker/alert_file.sh
    on "$n" sh -c 'getent passwd watcher >/dev/null || useradd --create-home --groups haclient watcher'
done
on dan crm configure <<CRM >/dev/null
primitive gated Dummy
role viewer read xpath:/cib
acl_target watcher viewer
alert to-file /var/lib/pacemaker/alert_file.sh select nodes fencing resources to /var/lib/pacemaker/alerts.log
tag rack-things: rack gated
rsc_ticket gated-needs-site-a site-a: gated loss-policy=stop
commit
CRM
on dan crm node attribute dan set rack 1 >/dev/null
on dan crm node utilization eve set cpu 4 >/dev/null
on dan cibadmin --create --scope crm_config --xml-text '<cluster_property_set id="night" score="10"><rule id="night-rule">
<date_expression id="night-date" operation="date_spec"><date_spec id="night-spec" hours="0-6"/></date_expression></rule>
<nvpair id="night-stonith-timeout" name="stonith-timeout" value="120s"/></cluster_property_set>'
on dan cibadmin --create --scope configuration --xml-text '<rsc_defaults><meta_attributes id="ip-defaults"><rule id="ip-rule">
<rsc_expression id="ip-rsc" class="ocf" provider="heartbeat" type="IPaddr2"/></rule>
<nvpair id="ip-defaults-stickiness" name="resource-stickiness" value="100"/></meta_attributes></rsc_defaults>'
# forms crmsh writes that 0.3.0 lost on the way back: a same-rack colocation, a location without probes, an
# Optional order by score, and a primitive made from a template (left out, untouched)
on dan cibadmin --create --scope resources --xml-text '<template id="tpl" class="ocf" provider="heartbeat" type="Dummy"/>'
on dan cibadmin --create --scope resources --xml-text '<primitive id="from-tpl" template="tpl"/>'
for xml in '<rsc_colocation id="same-rack" score="INFINITY" rsc="from-tpl" with-rsc="rack" node-attribute="rack"/>' \
           '<rsc_location id="no-probe" rsc="from-tpl" node="eve" score="-INFINITY" resource-discovery="never"/>' \
           '<rsc_order id="optional" first="rack" then="from-tpl" score="0"/>'; do
    on dan cibadmin --create --scope constraints --xml-text "$xml"
done
on dan crm_resource --ban --resource web-g --node eve >/dev/null 2>&1
# the cluster settled: no transition pending (a loaded machine may need more than one minute)
wait_settled() {
    local _
    for _ in 1 2 3; do on dan crm_resource --wait --timeout 60s >/dev/null 2>&1 && return; done
    fail "the cluster did not settle within 180 s: $(on dan crm_mon --one-shot --inactive 2>&1 | tail -20)"
}
# what the cluster did, for a failure's message: the status and the scheduler's and executor's lines since $1
what_happened() {
    on dan crm_mon --one-shot --inactive --failcounts 2>&1 | tail -25
    for n in "${nodes[@]}"; do
        echo "--- $n's journal since $1:"
        on "$n" journalctl --no-pager --since "$1" -o short-precise \
            | grep -E 'pacemaker-(schedulerd|execd|controld)|corosync|knet' | grep -vE 'debug|trace' | tail -40
    done
}
wait_settled
has 'id="cli-ban-web-g-on-eve"' "$(on dan cibadmin --query --scope constraints)" || fail "crm_resource --ban made no cli-ban"

# ---- export: variables with !unsafe values, secrets apart (0600), the folder private
play "$work/export.log" "$top/playbooks/export.yml" -e crm_export_file="$work/gv/crm.yml" >/dev/null
[ "$(stat -c %a "$work/gv")" = 700 ] || fail "the export folder is not private"
[ "$(stat -c %a "$work/gv/crm-secrets.yml")" = 600 ] || fail "the secrets file is not 0600"
has "!unsafe \"\\{\\{ lookup" "$(cat "$work/gv/crm.yml")" || fail "the description is not tagged !unsafe"
! grep -qF -- "$secret" "$work/gv/crm.yml" || fail "the password is in the variables file"
has "cli-ban" "$(cat "$work/gv/crm.yml")" && fail "the temporary ban is exported"
for kept in "node_attribute: \"rack\"" "resource_discovery: \"never\"" "score: 0" "OCF_CHECK_LEVEL: 1" \
            "timeout: null"; do
    has "$kept" "$(cat "$work/gv/crm.yml")" || fail "the export lost $kept"
done
# every kind is exported now, the template and the rule-based sets too (issue 24): the notes name only the ban
for kept in "template: \"tpl\"" "crm_templates:" "crm_acl_roles:" "xpath: \"/cib\"" "crm_acl_targets:" "crm_alerts:" \
            "select_resources|resources" "crm_tags:" "type: \"ticket\"" "loss_policy: \"stop\"" "rack: 1" "cpu: 4" \
            "crm_property_sets:" "hours: \"0-6\"" "crm_rsc_defaults_sets:" "type: \"IPaddr2\""; do
    has "$kept" "$(cat "$work/gv/crm.yml")" || fail "the export lost $kept"
done
has "not exported" "$(grep -v cli-ban "$work/export.log")" && fail "the export still leaves something out: $(grep "not exported" "$work/export.log")"

# ---- site.yml with the exported variables: nothing moves, nothing runs from the cluster
state() {  # the CIB's epoch, corosync's and pacemakerd's PIDs on each node, where each resource runs
    on dan cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"'
    for n in "${nodes[@]}"; do echo "$n $(on "$n" pidof corosync) $(on "$n" pidof pacemakerd)"; done
    on dan crm_mon --one-shot --output-as=xml | grep -o '<resource id="[^"]*".*role="[^"]*"[^>]*>\|<node name="[^"]*" id="[^"]*" cached="[^"]*"/>' | sort
}
site() { play "$@" "$top/site.yml" -e @"$work/gv/crm.yml" -e @"$work/gv/crm-secrets.yml"; }
before=$(state)
since=$(on dan date '+%Y-%m-%d %H:%M:%S')
site "$work/site1.log" --diff -vvv >/dev/null
[ ! -e "$marker" ] || fail "a template read from the cluster ran on the controller"
wait_settled
after=$(state)
[ "$before" = "$after" ] || fail "site.yml moved something: $(diff <(echo "$before") <(echo "$after"))
$(what_happened "$since")"
has 'id="cli-ban-web-g-on-eve"' "$(on dan cibadmin --query --scope constraints)" || fail "the temporary ban was touched"
[ "$(site "$work/check.log" --check --diff)" -eq 0 ] || fail "check mode after the adoption predicts changes"
[ "$(site "$work/site2.log")" -eq 0 ] || fail "the second run changed something"
[ "$(state)" = "$before" ] || fail "the second run moved something"
# the password (and any long piece of it) shows in no log, the node's journal included
for piece in "$secret" "Sekr1t{{x" "Adopt{#Sekr1t"; do
    ! grep -lF -- "$piece" "$work"/*.log >/dev/null || fail "the password shows in $(grep -lF -- "$piece" "$work"/*.log)"
    for n in "${nodes[@]}"; do
        ! grep -qF -- "$piece" <<< "$(on "$n" journalctl --no-pager -o cat)" || fail "the password is in $n's journal"
    done
done
# ---- the ACL proved: with enable-acl, watcher (in haclient, role viewer) reads the status and cannot write
on dan crm_attribute --name enable-acl --update true
as_watcher() { on dan su watcher -s /bin/sh -c "$1" 2>&1; }
has "Online:|online" "$(as_watcher 'crm status')" || fail "watcher cannot run crm status: $(as_watcher 'crm status')"
refused=$(as_watcher 'crm_attribute --name hacked --update yes; echo rc=$?')
has "rc=[1-9]" "$refused" || fail "watcher could write the CIB: $refused"
has "[Pp]ermission denied|[Ii]nsufficient privileges" "$refused" || fail "the refusal does not say why: $refused"
has 'name="hacked"' "$(on dan cibadmin --query --scope crm_config)" && fail "watcher's write reached the CIB"
# ---- the alert proved: granting the ticket starts gated, and the alert agent writes the start to its file
# (granted with playbooks/ticket.yml: check mode predicts the grant and writes nothing, the run grants, a rerun is
# no change; a misspelt ticket is refused, naming it)
since=$(on dan date '+%Y-%m-%d %H:%M:%S')
ticket() { play "$work/ticket-$1.log" "$top/playbooks/ticket.yml" -e crm_ticket="$2" -e crm_ticket_state="$3" "${@:4}"; }
[ "$(ticket check site-a granted --check --diff)" = 1 ] || fail "check mode does not predict the ticket's grant"
has "site-a[[:space:]]+revoked" "$(on dan crm_ticket --info)" || fail "check mode granted the ticket: $(on dan crm_ticket --info)"
grep -q '^+site-a: granted' "$work/ticket-check.log" || fail "the diff does not show the ticket granted"
! (ticket typo site-b granted) >/dev/null 2>&1 || fail "a ticket no constraint names was granted"
grep -q "ticket site-b: no rsc_ticket constraint names it" "$work/ticket-typo.log" || fail "the refusal does not name site-b"
[ "$(ticket grant site-a granted)" = 1 ] || fail "the ticket's grant was not one change"
has "site-a[[:space:]]+granted" "$(on dan crm_ticket --info)" || fail "the ticket is not granted: $(on dan crm_ticket --info)"
grep -q '"site-a: granted; constraints: gated-needs-site-a"' "$work/ticket-grant.log" || fail "the playbook does not say the ticket's state"
[ "$(ticket again site-a granted)" = 0 ] || fail "granting a granted ticket changed something"
[ "$(ticket again-check site-a granted --check)" = 0 ] || fail "check mode predicts a change for a granted ticket"
wait_settled
where=$(on dan crm_resource --resource gated --locate 2>/dev/null | awk '/is running on/ {print $NF}')
[ -n "$where" ] || fail "gated did not start once its ticket was granted: $(what_happened "$since")"
for _ in $(seq 20); do on "$where" grep -q "gated" /var/lib/pacemaker/alerts.log 2>/dev/null && break; sleep 1; done
on "$where" grep -E "gated.*(start|ok)|start.*gated" /var/lib/pacemaker/alerts.log >/dev/null \
    || fail "the alert did not write gated's start on $where: $(on "$where" tail -5 /var/lib/pacemaker/alerts.log 2>&1)"
[ "$(ticket revoke site-a revoked)" = 1 ] || fail "the ticket's revoke was not one change"
wait_settled
[ -z "$(on dan crm_resource --resource gated --locate 2>/dev/null | awk '/is running on/')" ] \
    || fail "gated still runs after its ticket was revoked (loss-policy stop)"
echo "adoption: ACL viewer reads and cannot write; the alert wrote gated's start on $where; the ticket's loss-policy stopped it"
# ---- the rest of the CIB declared by the resources role on the running cluster: check, apply, check, apply and the
# diff; the alert's password in no output, diff, -vvv invocation or journal
alert_pw='Alert-Sekr1t-Pw42x'
cat > "$work/more.yml" <<YAML
crm_acl_roles:
  - {id: operator, description: operators, permissions: [{kind: read, xpath: /cib}, {kind: write, reference: gated}]}
crm_acl_groups: [{id: haoperators, roles: [operator]}]
crm_alerts:
  - id: to-second-file
    path: /var/lib/pacemaker/alert_file.sh
    select: [resources]
    params: {password: "$alert_pw"}
    recipients: [{value: /var/lib/pacemaker/alerts2.log}]
crm_tags: [{id: gated-only, resources: [gated]}]
crm_templates: [{id: tpl, agent: "ocf:heartbeat:Dummy"}, {id: tpl2, agent: Dummy, utilization: {cpu: 1}}]
crm_node_settings: [{name: eve, attributes: {site: b}}]
crm_node_attributes: {}
crm_property_sets:
  - {id: day, score: 5, values: {cluster-recheck-interval: 10min},
     rule: {expressions: [{date: {operation: date_spec, date_spec: {hours: 9-17, weekdays: 1-5}}}]}}
crm_op_defaults_sets:
  - {id: monitors, values: {timeout: 45s}, rule: {expressions: [{op: {name: monitor, interval: 10s}}]}}
YAML
# (the last -e wins: more.yml after the exported variables)
more() { play "$@" "$top/site.yml" -e @"$work/gv/crm.yml" -e @"$work/gv/crm-secrets.yml" -e @"$work/more.yml"; }
epoch_of() { on dan cibadmin --query --xpath /cib --no-children | grep -o ' epoch="[0-9]*"'; }
stamp=$(epoch_of)
predicted=$(more "$work/more-check.log" --check --diff -vvv)
[ "$predicted" -gt 0 ] || fail "check mode predicts no change for the new declarations"
[ "$(epoch_of)" = "$stamp" ] || fail "check mode wrote the CIB"
for shown in '<acl_role id="operator"' '<alert id="to-second-file"' '<tag id="gated-only"' '<template id="tpl2"' \
             '<cluster_property_set id="day"' '<op_expression' '<nvpair [^>]*name="site" value="b"'; do
    grep -qE -- "^\+ *$shown" "$work/more-check.log" || fail "the check's diff does not show $shown"
done
made=$(more "$work/more-apply.log" --diff)
[ "$made" = "$predicted" ] || fail "check mode predicted $predicted changes, the run made $made"
for el in '<acl_group id="haoperators"' '<alert id="to-second-file"' '<op_expression'; do
    has "$el" "$(on dan cibadmin --query --scope configuration)" || fail "$el is not in the CIB"
done
stamp=$(epoch_of)
[ "$(more "$work/more-check2.log" --check --diff)" -eq 0 ] || fail "check mode after the run predicts changes"
[ "$(more "$work/more-apply2.log" --diff)" -eq 0 ] || fail "the second run changed something"
[ "$(epoch_of)" = "$stamp" ] || fail "the second run wrote the CIB"
for piece in "$alert_pw" "Sekr1t-Pw42" "Alert-Sekr1t"; do
    ! grep -lF -- "$piece" "$work"/*.log >/dev/null || fail "the alert's password shows in $(grep -lF -- "$piece" "$work"/*.log)"
    for n in "${nodes[@]}"; do
        ! grep -qF -- "$piece" <<< "$(on "$n" journalctl --no-pager -o cat)" || fail "the alert's password is in $n's journal"
    done
done
echo "adoption: the rest of the CIB by the resources role: check predicted $predicted, the run made $made, then 0 and 0"
# ---- Debian 13's schema on a CIB file: a bundle, and several rules in one location refused
play "$work/schema.log" "$here/cib_file_schema.yml" >/dev/null
# ---- the alert's password exported as a reference to the secrets file, never in the variables or the log
play "$work/export-alert.log" "$top/playbooks/export.yml" -e crm_export_file="$work/gv/crm.yml" >/dev/null
has "password: \"\{\{ crm_secret_to_second_file_password \}\}\"" "$(cat "$work/gv/crm.yml")" \
    || fail "the alert's password is not a reference in the export"
! grep -qF -- "$alert_pw" "$work/gv/crm.yml" "$work/export-alert.log" || fail "the alert's password is in the export"
grep -qF -- "crm_secret_to_second_file_password: \"$alert_pw\"" "$work/gv/crm-secrets.yml" \
    || fail "the alert's password is not in the secrets file"
# ---- a second export with no secret left: the stale secrets file goes, a folder that exists keeps its mode
on dan cibadmin --delete --xml-text '<alert id="to-second-file"/>'
on dan crm_resource --resource web --delete-parameter passwd >/dev/null
chmod 0750 "$work/gv"
play "$work/export2.log" "$top/playbooks/export.yml" -e crm_export_file="$work/gv/crm.yml" >/dev/null
[ ! -e "$work/gv/crm-secrets.yml" ] || fail "the stale secrets file of the first export is still there"
[ "$(stat -c %a "$work/gv")" = 750 ] || fail "the export changed the folder's mode"
echo "adoption: a hand-built cluster exported and adopted: epoch, PIDs and placement unchanged; rerun changed=0"
