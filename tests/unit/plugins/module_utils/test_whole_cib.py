# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rest of the CIB on the same engine - rules of every kind, rule-based sets, node attributes and
utilization, ACLs, alerts, tags, templates, tickets and bundles - against pacemaker's real tools on a
CIB_file (this controller's schema; the lab's adoption target runs the same on Debian 13's pacemaker-4.0):
check mode writes nothing, a run writes once, a rerun changes nothing, bad input is refused naming the item
with nothing written, and what is exported re-applies with nothing changed."""

from __future__ import annotations

import shutil

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError, converge, etree
from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import Together
from ansible_collections.hacluster.crm.plugins.module_utils._export import Exporter
from ansible_collections.hacluster.crm.plugins.module_utils._model import parse_model
from ansible_collections.hacluster.crm.plugins.module_utils._property import parse_properties

pytestmark = pytest.mark.skipif(not shutil.os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")


@pytest.fixture
def cib(empty_cib):
    for node in ('<node id="1" uname="alice"/>', '<node id="2" uname="bob"/>'):
        empty_cib.runner.run(["cibadmin", "--create", "--scope", "nodes", "--xml-text", node])
    return empty_cib


def epoch(cib):
    return etree.parse(cib.cib_file).getroot().get("epoch")


def config(cib):
    return cib.read().find("configuration")


def resources(cib, check_mode=False, **kwargs):
    args = {k: kwargs.pop(k, None) for k in ("primitives", "groups", "clones", "constraints", "levels", "templates")}
    return converge(cib, parse_model(**args, **kwargs).declaration(cib), check_mode)


def properties(cib, check_mode=False, **sets):
    return converge(cib, parse_properties({}, {}, {}, **sets).declaration(cib), check_mode)


def cycle(cib, apply):
    """check, apply, check, apply: the prediction writes nothing and equals the run; then nothing to do."""
    stamp = epoch(cib)
    predicted = [c[:2] for c in apply(True).changes]
    assert predicted and epoch(cib) == stamp
    made = [c[:2] for c in apply(False).changes]
    assert made == predicted and epoch(cib) != stamp
    stamp = epoch(cib)
    assert not apply(True).changes and not apply(False).changes and epoch(cib) == stamp
    return made


EVERY_RULE = {"score": 100, "boolean_op": "or", "expressions": [
    {"attribute": "#uname", "operation": "eq", "value": "alice"},
    {"date": {"operation": "in_range", "start": "2027-01-01", "duration": {"months": 1}}},
    {"date": {"operation": "gt", "start": "2026-01-01"}},
    {"date": {"operation": "lt", "end": "2030-01-01"}},
    {"date": {"operation": "date_spec", "date_spec": {"hours": "9-16", "weekdays": "1-5"}}},
    {"rule": {"boolean_op": "and", "expressions": [{"attribute": "rack", "operation": "defined"},
                                                   {"attribute": "cpu", "operation": "gte", "value": 2,
                                                    "type": "integer"}]}}]}

WHOLE = {
    "templates": [{"id": "tpl-dummy", "agent": "Dummy", "params": {"fake": "x"}, "utilization": {"cpu": 1},
                   "ops": [{"name": "monitor", "interval": "10s"}]}],
    "primitives": [{"id": "d1", "template": "tpl-dummy", "meta": {"target-role": "Stopped"}},
                   {"id": "d2", "agent": "Dummy", "utilization": {"cpu": 2, "memory": 512}},
                   {"id": "web", "agent": "Dummy"}],
    "constraints": [{"type": "location", "resource": "d2", "rules": [EVERY_RULE]},
                    {"type": "ticket", "ticket": "site-a", "resource": "web", "loss_policy": "stop"}],
    "nodes": [{"name": "alice", "attributes": {"rack": 1}, "utilization": {"cpu": 4, "memory": 2048}},
              {"name": "bob", "attributes": {"rack": 2}}],
    "acl_roles": [{"id": "monitor", "description": "read only", "permissions": [{"kind": "read", "xpath": "/cib"}]},
                  {"id": "ops", "permissions": [{"kind": "write", "reference": "web"},
                                                {"kind": "deny", "object_type": "primitive", "attribute": "type"}]}],
    "acl_targets": [{"id": "carl", "roles": ["monitor"]}],
    "acl_groups": [{"id": "haviewers", "roles": ["monitor", "ops"]}],
    "alerts": [{"id": "to-file", "path": "/usr/share/pacemaker/alerts/alert_file.sh.sample",
                "select": ["nodes", "fencing", "resources"], "meta": {"timeout": "10s"},
                "recipients": [{"value": "/var/log/pcmk-alerts.log", "params": {"password": "Sekr1t-Alert"}}]}],
    "tags": [{"id": "web-things", "resources": ["web", "d2"]}],
}


def test_every_kind_in_one_transaction_check_apply_rerun(cib):
    made = cycle(cib, lambda check: resources(cib, check, **WHOLE))
    assert ("template", "tpl-dummy") in made and ("ticket", "ticket-site-a-web") in made
    assert {k for k, _i in made} >= {"primitive", "location", "node", "acl_role", "acl_target", "acl_group", "alert",
                                     "tag"}
    conf = config(cib)
    assert conf.find("resources/primitive[@id='d1']").get("template") == "tpl-dummy"
    rule = conf.find("constraints/rsc_location/rule")
    assert [c.tag for c in rule] == ["expression", "date_expression", "date_expression", "date_expression",
                                     "date_expression", "rule"]
    assert rule.find("date_expression/duration").get("months") == "1"
    assert conf.find("nodes/node[@uname='alice']/utilization/nvpair[@name='memory']").get("value") == "2048"
    assert conf.find("acls/acl_target[@id='carl']/role").get("id") == "monitor"
    assert conf.find("alerts/alert/select/select_fencing") is not None
    assert conf.find("constraints/rsc_ticket").get("loss-policy") == "stop"


def test_a_secret_of_an_alert_recipient_never_shows_in_the_diff(cib):
    edit = resources(cib, True, alerts=WHOLE["alerts"])
    shown = "".join(after for _k, _i, _b, after in edit.changes)
    assert "alert_file.sh.sample" in shown and "Sekr1t-Alert" not in shown and "********" in shown
    assert "Sekr1t-Alert" in edit.secrets


def test_rule_based_sets_for_properties_and_defaults(cib):
    night = {"expressions": [{"date": {"operation": "date_spec", "date_spec": {"hours": "0-6"}}}]}
    addresses = {"expressions": [{"resource": {"class": "ocf", "provider": "heartbeat", "type": "IPaddr2"}}]}
    monitors = {"expressions": [{"op": {"name": "monitor", "interval": "10s"}}]}
    sets = {"property_sets": [{"id": "night", "score": 10, "values": {"stonith-timeout": "120s"}, "rule": night}],
            "rsc_defaults_sets": [{"id": "ip-defaults", "values": {"resource-stickiness": 100}, "rule": addresses}],
            "op_defaults_sets": [{"id": "monitor-defaults", "score": 5, "values": {"timeout": "30s"}, "rule": monitors}]}
    made = cycle(cib, lambda check: properties(cib, check, **sets))
    assert made == [("property_sets", "night"), ("rsc_defaults_sets", "ip-defaults"),
                    ("op_defaults_sets", "monitor-defaults")]
    assert config(cib).find("rsc_defaults/meta_attributes[@id='ip-defaults']/rule/rsc_expression").get("type") == \
        "IPaddr2"
    # the plain set stays apart, name by name
    converge(cib, parse_properties({}, {"migration-threshold": 3}, {}, **sets).declaration(cib), False)
    assert config(cib).find("rsc_defaults/meta_attributes[@id='rsc-options']/nvpair").get("value") == "3"
    assert not converge(cib, parse_properties({}, {"migration-threshold": 3}, {}, **sets).declaration(cib),
                        False).changes
    absent = {"op_defaults_sets": [{"id": "monitor-defaults", "state": "absent"}]}
    assert [c[:2] for c in properties(cib, **absent).changes] == [("op_defaults_sets", "monitor-defaults")]
    assert config(cib).find("op_defaults/meta_attributes[@id='monitor-defaults']") is None


def test_node_attributes_are_shared_only_the_declared_names_move(cib):
    cib.runner.run(["crm_attribute", "--node", "alice", "--name", "standby", "--update", "on"])
    resources(cib, nodes=[{"name": "alice", "attributes": {"rack": 1}}])
    pairs = {nv.get("name"): nv.get("value") for nv in config(cib).iterfind("nodes/node[@uname='alice']//nvpair")}
    assert pairs == {"standby": "on", "rack": "1"}
    resources(cib, nodes=[{"name": "alice", "attributes": {"rack": None}}])
    pairs = {nv.get("name"): nv.get("value") for nv in config(cib).iterfind("nodes/node[@uname='alice']//nvpair")}
    assert pairs == {"standby": "on"}


def test_what_crm_configure_would_write_re_applies_unchanged(cib):
    """Elements made by hand, with crmsh's ids, exported then declared: nothing to write."""
    for scope, xml in (
            ("resources", '<template id="tpl" class="ocf" provider="heartbeat" type="Dummy">'
                          '<utilization id="tpl-utilization"><nvpair id="tpl-utilization-cpu" name="cpu" value="1"/>'
                          '</utilization></template>'),
            ("resources", '<primitive id="p" template="tpl"/>'),
            ("resources", '<primitive id="q" class="ocf" provider="heartbeat" type="Dummy"/>'),
            ("constraints", '<rsc_location id="loc-q" rsc="q"><rule id="loc-q-rule" score="50" boolean-op="and">'
                            '<expression id="loc-q-rule-expression" attribute="#uname" operation="eq" value="bob"/>'
                            '<date_expression id="loc-q-rule-date" operation="date_spec"><date_spec id="ds" hours="9-16"/>'
                            '</date_expression></rule></rsc_location>'),
            ("constraints", '<rsc_ticket id="t-q" ticket="tk" rsc="q" loss-policy="freeze"/>'),
            ("configuration", '<acls><acl_role id="viewer"><acl_permission id="viewer-read" kind="read" xpath="/cib"/>'
                              '</acl_role><acl_target id="dave"><role id="viewer"/></acl_target></acls>'),
            ("configuration", '<alerts><alert id="a1" path="/bin/true"><select><select_resources/></select>'
                              '<recipient id="a1-r" value="/tmp/x"/></alert></alerts>'),
            ("configuration", '<tags><tag id="tg"><obj_ref id="p"/><obj_ref id="q"/></tag></tags>'),
            ("crm_config", '<cluster_property_set id="later" score="2"><rule id="later-rule" boolean-op="and">'
                           '<date_expression id="later-date" operation="gt" start="2027-01-01"/></rule>'
                           '<nvpair id="later-cluster-delay" name="cluster-delay" value="90s"/>'
                           '</cluster_property_set>')):
        cib.runner.run(["cibadmin", "--create", "--scope", scope, "--xml-text", xml])
    cib.runner.run(["crm_attribute", "--node", "bob", "--name", "rack", "--update", "7"])
    cib.runner.run(["crm_attribute", "--node", "bob", "--name", "cpu", "--update", "8", "--utilization"])
    out = Exporter(cib, False).export()
    assert out["crm_templates"][0]["utilization"] == {"cpu": 1}
    assert {"id": "p", "template": "tpl"} in out["crm_resources"]
    assert out["crm_node_settings"] == [{"name": "bob", "attributes": {"rack": 7}, "utilization": {"cpu": 8}}]
    assert out["crm_property_sets"][0]["rule"]["expressions"] == [
        {"date": {"operation": "gt", "start": "2027-01-01"}}]
    stamp = epoch(cib)
    edit = resources(cib, primitives=out["crm_resources"], constraints=out["crm_constraints"],
                     templates=out["crm_templates"], nodes=out["crm_node_settings"], acl_roles=out["crm_acl_roles"],
                     acl_targets=out["crm_acl_targets"], acl_groups=out["crm_acl_groups"], alerts=out["crm_alerts"],
                     tags=out["crm_tags"])
    assert not edit.changes, edit.changes
    assert not properties(cib, property_sets=out["crm_property_sets"]).changes
    assert epoch(cib) == stamp


@pytest.mark.parametrize("kwargs, message", [
    ({"acl_roles": [{"id": "r", "permissions": [{"kind": "read", "xpath": "/cib", "reference": "x"}]}]},
     r"acl role r permissions\[0\]: a permission names exactly one of xpath, reference and object_type"),
    ({"acl_targets": [{"id": "carl", "roles": ["nobody"]}]}, r"the CIB's schema .* refuses|role nobody"),
    ({"alerts": [{"id": "a", "path": "relative.sh"}]}, r"alert a: path 'relative.sh' must be the absolute path"),
    ({"tags": [{"id": "t", "resources": ["ghost"]}]}, r"tag t names ghost, which is no resource"),
    ({"nodes": [{"name": "zoe", "attributes": {"rack": 1}}]}, r"node zoe is not in the CIB's nodes section"),
    ({"primitives": [{"id": "p", "template": "nope"}]}, r"primitive p: template nope is no resource template"),
    ({"constraints": [{"type": "location", "resource": "x", "rules": [
        {"expressions": [{"date": {"operation": "gt"}}]}]}]}, r"date operation gt needs start"),
    ({"constraints": [{"type": "location", "resource": "x", "rules": [
        {"expressions": [{"attribute": "a", "value": 1, "date": {"operation": "gt", "start": "2027"}}]}]}]},
     r"an expression is one of: .* attribute and date given"),
    ({"bundles": [{"id": "b", "container": {"type": "lxc", "image": "x"}}]}, r"bundle b: container must be a dict with"),
])
def test_bad_input_is_refused_naming_the_item_and_nothing_is_written(cib, kwargs, message):
    stamp = epoch(cib)
    with pytest.raises(CibError, match=message):
        resources(cib, **kwargs)
    assert epoch(cib) == stamp


def test_bundles_are_declared_validated_and_hold_their_primitive(cib):
    bundle = {"id": "httpd-bundle", "container": {"type": "podman", "image": "localhost/httpd:test", "replicas": 2},
              "network": {"control_port": 3121, "port_mappings": [{"id": "httpd-port", "port": 80}]},
              "storage": [{"id": "httpd-root", "source_dir": "/srv/html", "target_dir": "/var/www/html",
                           "options": "rw"}],
              "resource": "httpd", "meta": {"target-role": "Stopped"}}
    prims = [{"id": "httpd", "agent": "Dummy"}]
    cycle(cib, lambda check: resources(cib, check, primitives=prims, bundles=[bundle]))
    el = config(cib).find("resources/bundle[@id='httpd-bundle']")
    assert el.find("podman").get("replicas") == "2" and el.find("primitive").get("id") == "httpd"
    assert config(cib).find("resources/primitive") is None
    out = Exporter(cib, False).export()
    assert out["crm_bundles"][0]["resource"] == "httpd" and out["crm_bundles"][0]["container"]["type"] == "podman"
    stamp = epoch(cib)
    assert not resources(cib, primitives=prims, bundles=out["crm_bundles"]).changes and epoch(cib) == stamp


def test_several_rules_in_one_location_are_refused_on_pacemaker_3s_schema(cib):
    two = [{"type": "location", "resource": "q", "rules": [
        {"expressions": [{"attribute": "#uname", "value": "alice"}]},
        {"score": -100, "expressions": [{"attribute": "#uname", "value": "bob"}]}]}]
    prims = [{"id": "q", "agent": "Dummy"}]
    # Pacemaker 2's schema (this controller's) takes them
    assert cib.root_attrib()["validate-with"].startswith("pacemaker-3.")
    resources(cib, primitives=prims, constraints=two)
    assert len(config(cib).findall("constraints/rsc_location/rule")) == 2
    assert not resources(cib, primitives=prims, constraints=two).changes
    two[0]["rules"][1]["score"] = -200
    cib.root_attrib()["validate-with"] = "pacemaker-4.0"
    cib._schema = False  # this controller has no pacemaker-4.0 schema: the refusal comes before validation
    stamp = epoch(cib)
    with pytest.raises(CibError, match=r"declares 2 rules, but the CIB's schema pacemaker-4.0 \(Pacemaker 3\) allows "
                                       r"one rule per location constraint"):
        resources(cib, primitives=prims, constraints=two)
    assert epoch(cib) == stamp


def test_a_primitives_params_and_meta_sets_with_rules(cib):
    on_alice = {"expressions": [{"attribute": "#uname", "operation": "eq", "value": "alice"}]}
    nights = {"expressions": [{"date": {"operation": "date_spec", "date_spec": {"hours": "0-6"}}}]}
    prim = {"id": "q", "agent": "Dummy", "params": {"fake": "plain"},
            "params_sets": [{"id": "q-on-alice", "score": 10, "rule": on_alice, "values": {"fake": "alice's"}}],
            "meta_sets": [{"id": "q-nights", "rule": nights, "values": {"resource-stickiness": 100}}]}
    made = cycle(cib, lambda check: resources(cib, check, primitives=[prim]))
    assert made == [("primitive", "q")]
    el = config(cib).find("resources/primitive[@id='q']")
    sets = el.findall("instance_attributes")
    assert [s.get("id") for s in sets] == ["q-instance_attributes", "q-on-alice"]
    assert sets[1].get("score") == "10" and sets[1].find("rule/expression").get("value") == "alice"
    assert sets[1].find("nvpair").get("value") == "alice's" and sets[0].find("nvpair").get("value") == "plain"
    assert el.find("meta_attributes[@id='q-nights']/rule/date_expression/date_spec").get("hours") == "0-6"
    # exported and re-applied: nothing to write
    out = Exporter(cib, False).export()
    exported = next(p for p in out["crm_resources"] if p["id"] == "q")
    assert exported["params_sets"] == [{"id": "q-on-alice", "score": 10, "rule": on_alice, "values": {"fake": "alice's"}}]
    assert exported["meta_sets"][0]["values"] == {"resource-stickiness": 100}
    stamp = epoch(cib)
    assert not resources(cib, primitives=out["crm_resources"]).changes and epoch(cib) == stamp
    # not declared: left alone; declared empty: the sets with a rule go, the plain ones stay
    assert not resources(cib, primitives=[{"id": "q", "agent": "Dummy", "params": {"fake": "plain"}}]).changes
    resources(cib, primitives=[dict(prim, params_sets=[], meta_sets=[])])
    el = config(cib).find("resources/primitive[@id='q']")
    assert [s.get("id") for s in el.findall("instance_attributes")] == ["q-instance_attributes"]
    assert el.find("meta_attributes") is None or el.find("meta_attributes/rule") is None


@pytest.mark.parametrize("sets, message", [
    ([{"id": "s", "values": {"fake": 1}}], r"primitive q params_sets s: a set here needs a rule"),
    ([{"id": "s", "rule": {"expressions": [{"attribute": "#uname", "value": "a"}]}, "values": {"nope": 1}}],
     r"primitive q: unknown parameter nope for agent ocf:heartbeat:Dummy"),
    ([{"id": "s", "rule": {"expressions": [{"date": {"operation": "gt"}}]}, "values": {"fake": 1}}],
     r"date operation gt needs start"),
    ([{"id": "s", "rule": {"expressions": [{"attribute": "#uname", "value": "a"}]}, "values": {"fake": 1}}] * 2,
     r"primitive q: a set id is given twice in params_sets"),
    ([{"id": "s", "rules": {}, "values": {"fake": 1}}], r"params_sets\[0\]: unknown key rules"),
])
def test_bad_primitive_rule_sets_are_refused_naming_them(cib, sets, message):
    stamp = epoch(cib)
    with pytest.raises(CibError, match=message):
        resources(cib, primitives=[{"id": "q", "agent": "Dummy", "params_sets": sets}])
    assert epoch(cib) == stamp


def test_credentials_in_an_alert_recipients_url_never_show(cib):
    hook = "https://ops:Hook-Pa55word@hooks.example.invalid/pcmk"
    alert = [{"id": "to-hook", "path": "/usr/share/pacemaker/alerts/alert_file.sh.sample", "recipients": [{"value": hook}]}]
    edit = resources(cib, True, alerts=alert)
    shown = "".join(before + after for _k, _i, before, after in edit.changes)
    assert "https://ops:********@hooks.example.invalid/pcmk" in shown and "Hook-Pa55word" not in shown
    assert "Hook-Pa55word" in edit.secrets
    resources(cib, alerts=alert)
    exporter = Exporter(cib, False)
    value = exporter.export()["crm_alerts"][0]["recipients"][0]["value"]
    # a reference to the secrets file, which holds the URL whole
    assert str(value) == "{{ %s }}" % value.name and exporter.secrets[value.name] == hook


def test_properties_and_defaults_go_with_the_resources_in_one_patch(cib):
    """cib_resources given properties (site.yml's one transaction): one read, the sets first, one patch."""
    def both(check, stickiness=1):
        return converge(cib, Together((
            parse_properties({"stonith-enabled": False}, {"resource-stickiness": stickiness}, {"timeout": 600}),
            parse_model([{"id": "p0", "agent": "Dummy"}], None, None, None, None))).declaration(cib), check)
    made = cycle(cib, both)
    assert made == [("properties", "crm_config"), ("rsc_defaults", "rsc_defaults"), ("op_defaults", "op_defaults"),
                    ("primitive", "p0")]
    conf = config(cib)
    assert conf.find("crm_config/cluster_property_set[@id='cib-bootstrap-options']/nvpair[@name='stonith-enabled']"
                     ).get("value") == "false"
    assert conf.find("op_defaults/meta_attributes[@id='op-options']/nvpair").get("value") == "600"
    stamp = epoch(cib)
    assert [c[:2] for c in both(False, 2).changes] == [("rsc_defaults", "rsc_defaults")]
    assert int(epoch(cib)) == int(stamp) + 1
    with pytest.raises(CibError, match="unknown cluster property no-such-property"):
        converge(cib, Together((parse_properties({"no-such-property": 1}, {}, {}),
                                parse_model([{"id": "p1", "agent": "Dummy"}], None, None, None, None))).declaration(cib),
                 False)
    assert config(cib).find("resources/primitive[@id='p1']") is None
