# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Safe adoption (issue 20), against pacemaker's real tools on a CIB_file: the export reads everything
it declares and renders values that are never templated; secrets by one rule, never shown; every item
validated before anything is written. Each test fails on 0.3.0."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _secrets
from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError, converge, etree
from ansible_collections.hacluster.crm.plugins.module_utils._export import Exporter, render
from ansible_collections.hacluster.crm.plugins.module_utils._model import parse_model
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import parse_primitives
from ansible_collections.hacluster.crm.plugins.module_utils._property import parse_properties
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
from ansible_collections.hacluster.crm.plugins.module_utils._services import local_votes, quorum_loss

pytestmark = pytest.mark.skipif(not shutil.os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")

# A configuration made by hand (what crm configure writes), holding each form 0.3.0 lost on a round trip.
BY_HAND = """
<configuration>
 <crm_config><cluster_property_set id="cib-bootstrap-options">
  <nvpair id="o-se" name="stonith-enabled" value="false"/>
 </cluster_property_set></crm_config>
 <nodes/>
 <resources>
  <primitive id="db" class="ocf" provider="heartbeat" type="Dummy" description="{{ lookup('pipe', 'touch /tmp/PWNED') }}">
   <operations>
    <op name="monitor" interval="30s" timeout="20s" id="db-monitor-30s">
     <instance_attributes id="db-monitor-30s-ia"><nvpair id="db-m-ocl" name="OCF_CHECK_LEVEL" value="10"/></instance_attributes>
    </op>
   </operations>
  </primitive>
  <primitive id="web" class="ocf" provider="heartbeat" type="Dummy"/>
  <primitive id="rack" class="ocf" provider="heartbeat" type="Dummy"/>
  <template id="tpl" class="ocf" provider="heartbeat" type="Dummy"/>
  <primitive id="from-tpl" template="tpl"/>
  <primitive id="fence-bob" class="stonith" type="fence_redfish">
   <instance_attributes id="fb-ia">
    <nvpair id="fb-ip" name="ip" value="192.0.2.77"/>
    <nvpair id="fb-us" name="username" value="admin"/>
    <nvpair id="fb-pw" name="password" value="pw-one-{#-{{ x }}"/>
    <nvpair id="fb-hl" name="pcmk_host_list" value="alice bob"/>
   </instance_attributes>
  </primitive>
  <primitive id="fence_bob" class="stonith" type="fence_ipmilan">
   <instance_attributes id="fb2-ia">
    <nvpair id="fb2-ip" name="ip" value="192.0.2.78"/>
    <nvpair id="fb2-us" name="username" value="admin"/>
    <nvpair id="fb2-pw" name="password" value="pw-two-different"/>
    <nvpair id="fb2-kg" name="hexadecimal_kg" value="B0B2C3D4E5F60718"/>
    <nvpair id="fb2-sudo" name="use_sudo" value="1"/>
    <nvpair id="fb2-hl" name="pcmk_host_list" value="bob"/>
   </instance_attributes>
  </primitive>
 </resources>
 <constraints>
  <rsc_colocation id="same-rack" score="INFINITY" rsc="web" with-rsc="rack" node-attribute="rack"/>
  <rsc_location id="no-probe" rsc="db" node="carol" score="-INFINITY" resource-discovery="never"/>
  <rsc_order id="optional" first="db" then="web" score="0"/>
  <rsc_location id="working-hours" rsc="web">
   <rule id="wh-rule" score="100"><date_expression id="wh-date" operation="date_spec"><date_spec id="wh-spec" hours="9-17"/></date_expression></rule>
  </rsc_location>
  <rsc_location id="cli-ban-web-on-alice" rsc="web" node="alice" score="-INFINITY"/>
 </constraints>
 <op_defaults/>
</configuration>
"""


def converge_properties(cib, properties, rsc_defaults, op_defaults, check_mode):
    return converge(cib, parse_properties(properties, rsc_defaults, op_defaults).declaration(cib), check_mode)


def make_cib(tmp_path, configuration=BY_HAND, validate_with=None, name="cib.xml"):
    path = tmp_path / name
    empty = subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout
    root = etree.fromstring(empty.encode())
    if validate_with:
        root.set("validate-with", validate_with)
    root.replace(root.find("configuration"), etree.fromstring(configuration, etree.XMLParser(remove_blank_text=True)))
    path.write_bytes(etree.tostring(root))
    return Cib(Runner(), str(path))


@pytest.fixture
def cib(tmp_path):
    return make_cib(tmp_path)


def epoch(cib):
    return etree.parse(cib.cib_file).getroot().get("epoch")


def resolve(value, secrets):
    if isinstance(value, dict):
        return {k: resolve(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, secrets) for v in value]
    if isinstance(value, str) and value.startswith("{{ crm_secret_"):
        return secrets[value[3:-3]]
    return value


def roles_declare(cib, exported, secrets, op_bootstrap=None):
    """What site.yml does with the variables: crmsh's bootstrap op_defaults combined with the exported ones,
    stonith-enabled turned on by fence devices unless crm_properties says, pcmk_host_list from host."""
    exported = resolve(exported, secrets)
    fencing = []
    for device in exported["crm_fencing"]:
        params = dict(device.get("params") or {})
        if "host" in device:
            hosts = device["host"] if isinstance(device["host"], list) else [device["host"]]
            params["pcmk_host_list"] = ",".join(hosts)
        fencing.append(dict({k: v for k, v in device.items() if k != "host"}, params=params))
    properties = dict({"stonith-enabled": True} if fencing else {}, **exported["crm_properties"])
    op_defaults = dict(op_bootstrap or {"timeout": 600}, **exported["crm_op_defaults"])
    first = converge(cib, parse_properties(properties, exported["crm_rsc_defaults"], op_defaults, **{
        kind: exported["crm_" + kind] for kind in ("property_sets", "rsc_defaults_sets", "op_defaults_sets")})
        .declaration(cib), False)
    model = parse_model(exported["crm_resources"] + fencing, exported["crm_groups"], exported["crm_clones"],
                        exported["crm_constraints"], exported["crm_fencing_levels"], exported["crm_templates"],
                        nodes=exported["crm_node_settings"],
                        **{kind: exported["crm_" + kind] for kind in ("acl_roles", "acl_targets", "acl_groups", "alerts",
                                                                      "tags", "bundles")})
    return first.changes + converge(cib, model.declaration(cib), False).changes


# ---------------------------------------------------------------- the export

def test_secret_references_are_unique(cib):
    exporter = Exporter(cib, True)
    exported = exporter.export()
    devices = {d["id"]: d for d in exported["crm_fencing"]}
    one, two = devices["fence-bob"]["params"]["password"], devices["fence_bob"]["params"]["password"]
    assert one != two
    assert exporter.secrets[one[3:-3]] == "pw-one-{#-{{ x }}" and exporter.secrets[two[3:-3]] == "pw-two-different"
    # the IPMI Kg key is a secret; use_sudo's "1" is not (its help mentions a password)
    assert devices["fence_bob"]["params"]["hexadecimal_kg"].startswith("{{ crm_secret_")
    assert devices["fence_bob"]["params"]["use_sudo"] == 1
    assert "B0B2C3D4E5F60718" not in json.dumps(exported) and "pw-two" not in json.dumps(exported)


def test_the_round_trip_changes_nothing_and_names_what_it_leaves_out(cib):
    exporter = Exporter(cib, True)
    exported = exporter.export()
    constraints = {c["id"]: c for c in exported["crm_constraints"]}
    assert constraints["same-rack"]["node_attribute"] == "rack"
    assert constraints["no-probe"]["resource_discovery"] == "never"
    assert constraints["optional"]["score"] == 0
    db = next(p for p in exported["crm_resources"] if p["id"] == "db")
    assert db["ops"] == [{"name": "monitor", "interval": "30s", "timeout": "20s", "params": {"OCF_CHECK_LEVEL": 10}}]
    devices = {d["id"]: d for d in exported["crm_fencing"]}
    assert devices["fence-bob"]["params"]["pcmk_host_list"] == "alice bob" and "host" not in devices["fence-bob"]
    assert devices["fence_bob"]["host"] == "bob"
    assert exported["crm_op_defaults"] == {"timeout": None, "record-pending": None}
    notes = " ".join(exporter.notes)
    # a primitive made from a template and a rule with a date_spec are declared now (issue 24)
    assert "from-tpl" not in notes and "working-hours" not in notes
    assert {"id": "from-tpl", "template": "tpl"} in exported["crm_resources"]
    assert exported["crm_templates"] == [{"id": "tpl", "agent": "ocf:heartbeat:Dummy"}]
    assert constraints["working-hours"]["rules"] == [{"score": 100, "expressions": [
        {"date": {"operation": "date_spec", "date_spec": {"hours": "9-17"}}}]}]
    assert "cli-ban-web-on-alice" in notes and "cli-ban" not in json.dumps(exported)
    assert "agent: ''" not in render(exported)
    before = epoch(cib)
    assert roles_declare(cib, exported, exporter.secrets) == []
    assert epoch(cib) == before


# ---------------------------------------------------------------- temporary constraints and roles

def test_a_temporary_ban_is_never_adopted_nor_touched(cib):
    ban = cib.read().find(".//rsc_location[@id='cli-ban-web-on-alice']")
    edit = converge(cib, parse_model(None, None, None, [
        {"type": "location", "resource": "web", "node": "alice", "score": 100}], None).declaration(cib), False)
    assert [c[:2] for c in edit.changes] == [("location", "location-web-alice")]
    after = cib.read().find(".//rsc_location[@id='cli-ban-web-on-alice']")
    assert dict(after.attrib) == dict(ban.attrib)
    with pytest.raises(CibError, match="cli-prefer-web is a temporary constraint of crm resource move/ban"):
        parse_model(None, None, None, [{"type": "location", "id": "cli-prefer-web", "resource": "web", "node": "bob",
                                        "score": 100}], None)


STATEFUL = """<configuration><crm_config/><nodes/><resources>
 <clone id="db-clone"><meta_attributes id="dbc-m"><nvpair id="dbc-p" name="promotable" value="true"/></meta_attributes>
  <primitive id="db" class="ocf" provider="pacemaker" type="Stateful"/></clone>
 <primitive id="ip" class="ocf" provider="heartbeat" type="Dummy"/></resources>
 <constraints>%s</constraints></configuration>"""


def test_roles_are_compared_by_meaning_and_written_as_the_schema_accepts(tmp_path):
    legacy = make_cib(tmp_path, STATEFUL % "", validate_with="pacemaker-3.0")
    declared = [{"type": "colocation", "resource": "ip", "with": "db-clone", "with_role": "Promoted"}]
    converge(legacy, parse_model(None, None, None, declared, None).declaration(legacy), False)
    assert legacy.read().find(".//rsc_colocation").get("with-rsc-role") == "Master"
    for spelling in ("Promoted", "Master"):  # an exported Master, or Promoted beside it: no change, no duplicate
        again = [dict(declared[0], with_role=spelling)]
        assert not converge(legacy, parse_model(None, None, None, again, None).declaration(legacy), False).changes
    modern = make_cib(tmp_path, STATEFUL % '<rsc_colocation id="c" score="INFINITY" rsc="ip" with-rsc="db-clone" '
                                           'with-rsc-role="Master"/>', name="modern.xml")
    edit = converge(modern, parse_model(None, None, None, declared, None).declaration(modern), False)
    assert not edit.changes and len(modern.read().findall(".//rsc_colocation")) == 1


# ---------------------------------------------------------------- secrets

def test_the_secret_rule_registers_no_common_value():
    for common in ("1", "yes", "true", "on", "admin", "12345678", ""):
        assert not _secrets.registrable(common), common
    assert _secrets.registrable("Sekr1t-pw")
    args = {"primitives": [{"id": "f", "params": {"password": "1", "community": "public", "ip": "192.0.2.77"}}]}
    assert _secrets.mask_args(args) == {"primitives": [
        {"id": "f", "params": {"password": "********", "community": "********", "ip": "192.0.2.77"}}]}


def test_a_urls_own_password_is_a_secret_whatever_its_key():
    hook = "https://ops:Hook-Pa55@hooks.example.invalid:8443/x?y=1"
    args = {"alerts": [{"recipients": [{"value": hook}, {"value": "/var/log/a.log"}, {"value": "https://h/x"}]}]}
    assert _secrets.mask_args(args)["alerts"][0]["recipients"] == [
        {"value": "https://ops:********@hooks.example.invalid:8443/x?y=1"}, {"value": "/var/log/a.log"},
        {"value": "https://h/x"}]
    assert _secrets.secret_values(args) == {"Hook-Pa55"}
    assert _secrets.url_password("smtp://a@b") is None and _secrets.url_password("user:pw@host") is None


def run_module(capsys, monkeypatch, spec, args):
    """A SecretAwareModule started as Ansible starts one: its arguments on stdin; what it returns, and
    whether it wrote its invocation to the journal."""
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    logged = []
    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args})))
    monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy")
    monkeypatch.setattr(basic.AnsibleModule, "_log_to_syslog", lambda self, msg: logged.append(msg))
    monkeypatch.setattr(basic.AnsibleModule, "_log_invocation", lambda self: logged.append(repr(self.params)))
    with pytest.raises(SystemExit):
        module = _secrets.SecretAwareModule(argument_spec=spec, supports_check_mode=True)
        module.exit_json(changed=False, echo="the key B0B2C3D4E5F60718 was used")
    return json.loads(capsys.readouterr().out), logged


SPEC = {"primitives": {"type": "list", "elements": "dict"}, "wait": {"type": "bool", "default": False}}


def test_no_secret_in_the_journal_nor_the_invocation_on_success_or_failure(capsys, monkeypatch):
    args = {"primitives": [{"id": "f", "params": {"password": "Sekr1t-pw", "hexadecimal_kg": "B0B2C3D4E5F60718",
                                                  "passwd": "1", "use_sudo": "1"}}]}
    result, logged = run_module(capsys, monkeypatch, SPEC, args)
    assert not logged
    shown = json.dumps(result)
    assert "Sekr1t" not in shown and "B0B2C3D4E5F60718" not in shown
    assert result["invocation"]["module_args"]["primitives"][0]["params"] == {
        "password": "********", "hexadecimal_kg": "********", "passwd": "********", "use_sudo": "1"}
    failed, logged = run_module(capsys, monkeypatch, SPEC, dict(args, wait="maybe"))
    assert failed["failed"] and "maybe" in failed["msg"] and not logged
    assert "Sekr1t" not in json.dumps(failed) and "B0B2C3D4E5F60718" not in json.dumps(failed)


def test_the_invocation_holds_the_options_that_are_set_and_masks_them(capsys, monkeypatch):
    spec = {"primitives": {"type": "list", "elements": "dict", "options": {
        "id": {"type": "str", "required": True}, "params": {"type": "dict"}, "meta": {"type": "dict"},
        "description": {"type": "str"}}}, "wait": {"type": "bool", "default": False}, "timeout": {"type": "int"}}
    args = {"primitives": [{"id": "f", "params": {"password": "Sekr1t-pw", "state": None}}, {"id": "g"}]}
    result, logged = run_module(capsys, monkeypatch, spec, args)
    assert not logged
    # unset options (None) are left out at every depth, a value that is set stays, False included
    assert result["invocation"]["module_args"] == {
        "primitives": [{"id": "f", "params": {"password": "********"}}, {"id": "g"}], "wait": False}
    assert "Sekr1t" not in json.dumps(result)


PROFTPD = """<configuration><crm_config/><nodes/><resources>
 <group id="ftp"><primitive id="ftpd" class="ocf" provider="heartbeat" type="proftpd">
  <instance_attributes id="ftpd-ia"><nvpair id="ftpd-tp" name="test_pass" value="ftp-Sekr1t"/></instance_attributes>
 </primitive><primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/></group></resources>
 <constraints/></configuration>"""


def test_values_read_back_from_the_cib_are_masked_by_the_same_rule(tmp_path):
    cib = make_cib(tmp_path, PROFTPD)
    for groups, primitives in (([{"id": "ftp", "members": ["d", "ftpd"]}], None),
                               (None, [{"id": "ftpd", "state": "absent"}])):
        edit = converge(cib, parse_model(primitives, groups, None, None, None).declaration(cib), True)
        shown = "".join(c[2] + c[3] for c in edit.changes)
        assert edit.changes and "ftp-Sekr1t" not in shown and 'value="********"' in shown
        assert edit.secrets == {"ftp-Sekr1t"}


# ---------------------------------------------------------------- every item validated, nothing written

@pytest.mark.parametrize("primitives,message", [
    ([{"id": "p0", "agent": "Dummy", "parmas": {"fake": 1}}], "primitive p0: unknown key parmas"),
    ([{"id": "p0", "agent": "Dummy", "state": "Stopped"}], "primitive p0: state 'Stopped' is not one of"),
    ([{"id": "p0", "agent": "Dummy", "state": "absnet"}], "primitive p0: state 'absnet' is not one of"),
    ([{"id": "p0", "agent": "Dummy", "description": "two\nlines"}], "primitive p0 description holds the control"),
    ([{"id": "p0", "agent": "Dummy", "description": "bell\x07"}], "primitive p0 description holds the control"),
    ([{"id": "p0", "agent": "Dummy", "params": ["fake=1"]}], "primitive p0 params must be a dict"),
    ([{"id": "p0", "agent": "Dummy", "meta": ["a"]}], "primitive p0 meta must be a dict"),
    ([{"id": "p0", "agent": "Dummy", "ops": [{"name": "monitor", "intreval": "5s"}]}], "unknown op attribute intreval"),
    (["p0"], r"primitives\[0\] must be a dict"),
])
def test_a_bad_primitive_item_is_refused_before_anything_is_read(tmp_path, primitives, message):
    cib = make_cib(tmp_path, PROFTPD)
    before = epoch(cib)
    with pytest.raises(CibError, match=message):
        converge(cib, parse_primitives(primitives).declaration(cib), False)
    assert epoch(cib) == before


@pytest.mark.parametrize("kwargs,message", [
    ({"constraints": [{"type": ["order"], "first": "d", "then": "ftp"}]}, r"type \['order'\] is not location"),
    ({"groups": [{"id": "g", "members": ["d"], "description": "a\x00b"}]}, "group g description holds the control"),
    ({"clones": [{"id": "c", "resource": "d", "description": "a\nb"}]}, "clone c description holds the control"),
    ({"primitives": [{"id": "d", "state": "absent"}, {"id": "ftpd", "state": "absent"}]},
     "group ftp would be left empty"),
    ({"groups": [{"id": "ftp", "state": "absent"}]}, None),
])
def test_bad_resource_items_name_what_is_wrong(tmp_path, kwargs, message):
    cib = make_cib(tmp_path, PROFTPD)
    before = epoch(cib)
    args = [kwargs.get(k) for k in ("primitives", "groups", "clones", "constraints", "levels")]
    if message is None:  # ungrouping keeps the members
        converge(cib, parse_model(*args).declaration(cib), False)
        assert {p.get("id") for p in cib.read().iter("primitive")} == {"ftpd", "d"}
        return
    with pytest.raises(CibError, match=message):
        converge(cib, parse_model(*args).declaration(cib), False)
    assert epoch(cib) == before


def test_ungrouping_a_group_inside_a_clone_says_so(tmp_path):
    cib = make_cib(tmp_path, PROFTPD.replace('<group id="ftp">', '<clone id="ftp-clone"><group id="ftp">')
                   .replace("</group></resources>", "</group></clone></resources>"))
    with pytest.raises(CibError, match="clone ftp-clone would be left empty .it holds no resource.: declare the clone"):
        converge(cib, parse_model(None, [{"id": "ftp", "state": "absent"}], None, None, None).declaration(cib),
                 False)


LEVELS = """<configuration><crm_config/><nodes/><resources>
 <primitive id="fence-bob" class="stonith" type="fence_dummy"/></resources><constraints/>
 <fencing-topology><fencing-level id="fl-bob-1" target="bob" index="1" devices="fence-bob"/></fencing-topology>
</configuration>"""


def test_a_fence_device_named_by_a_level_is_not_removed_alone(tmp_path):
    cib = make_cib(tmp_path, LEVELS)
    before = epoch(cib)
    gone = [{"id": "fence-bob", "state": "absent"}]
    with pytest.raises(CibError, match="fence device fence-bob is removed, but fencing level 1 of bob names it"):
        converge(cib, parse_primitives(gone).declaration(cib), False)
    assert epoch(cib) == before
    model = parse_model(gone, None, None, None, [{"target": "bob", "index": 1, "state": "absent"}])
    assert converge(cib, model.declaration(cib), False).changes
    assert cib.read().find(".//fencing-level") is None and cib.read().find(".//primitive") is None


ORDERS = """<configuration><crm_config/><nodes/><resources>
 <clone id="c"><meta_attributes id="c-m"><nvpair id="c-p" name="promotable" value="true"/></meta_attributes>
  <primitive id="s" class="ocf" provider="pacemaker" type="Stateful"/></clone>
 <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>
 <primitive id="z" class="ocf" provider="heartbeat" type="Dummy"/></resources>
 <constraints><rsc_order id="a-z" first="a" first-action="start" then="z" then-action="stop"/></constraints></configuration>"""


def test_orders_are_told_apart_by_their_actions(tmp_path):
    cib = make_cib(tmp_path, ORDERS)
    both = [{"type": "order", "first": "c", "first_action": "promote", "then": "a", "then_action": "start"},
            {"type": "order", "first": "c", "first_action": "demote", "then": "a", "then_action": "stop"}]
    edit = converge(cib, parse_model(None, None, None, both, None).declaration(cib), False)
    assert len(edit.changes) == 2 and len(cib.read().findall(".//rsc_order")) == 3
    # a -> z (start -> start) is another order than the existing a start -> z stop: that one is left alone
    edit = converge(cib, parse_model(None, None, None, [
        {"type": "order", "first": "a", "then": "z", "kind": "Optional"}], None).declaration(cib), False)
    assert [c[:2] for c in edit.changes] == [("order", "order-a-z")]
    kept = cib.read().find(".//rsc_order[@id='a-z']")
    assert kept.get("then-action") == "stop" and kept.get("kind") is None


def test_keep_quorum_counts_this_nodes_votes():
    table = ("Membership information\n----------------------\n    Nodeid      Votes Name\n"
             "         1          2 alice (local)\n         2          1 bob\n         3          1 carol\n")
    assert local_votes(table) == 2
    assert local_votes(table.replace(" (local)", "").replace("bob", "bob (local)")) == 1
    assert local_votes("no table") == 1


class QuorumTool(Runner):
    """corosync-quorumtool -s as a 4-vote cluster shows it: alice holds 2 votes, bob and carol 1 each."""

    def __init__(self, local):
        super().__init__()
        self.local = local

    def run(self, argv, data=None, check=True, ok_rcs=(0,)):
        rows = "".join("         %d          %d %s%s\n" % (n, v, name, " (local)" if name == self.local else "")
                       for n, v, name in ((1, 2, "alice"), (2, 1, "bob"), (3, 1, "carol")))
        return 0, ("Quorate:          Yes\nExpected votes:   4\nTotal votes:      4\nQuorum:           3\n\n"
                   "Membership information\n----------------------\n    Nodeid      Votes Name\n" + rows), ""


def test_restarting_a_node_with_two_of_four_votes_would_lose_quorum():
    assert "this node's 2 would go" in quorum_loss(QuorumTool("alice"))
    assert quorum_loss(QuorumTool("bob")) is None
