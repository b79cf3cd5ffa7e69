# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CIB engine against pacemaker's real tools on a CIB_file (no cluster needed)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _cib
from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError, converge, etree
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import parse_primitives
from ansible_collections.hacluster.crm.plugins.module_utils._property import parse_properties
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner

pytestmark = pytest.mark.skipif(shutil.which("cibadmin") is None and not shutil.os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")


def converge_primitives(cib, items, check_mode):
    return converge(cib, parse_primitives(items).declaration(cib), check_mode)


def converge_properties(cib, properties, rsc_defaults, op_defaults, check_mode):
    return converge(cib, parse_properties(properties, rsc_defaults, op_defaults).declaration(cib), check_mode)


@pytest.fixture
def cib(tmp_path):
    path = tmp_path / "cib.xml"
    path.write_text(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True,
                                   check=True).stdout)
    return Cib(Runner(), str(path))


def epoch(cib):
    return etree.parse(cib.cib_file).getroot().get("epoch")


def primitive(cib, ident):
    return cib.read().find("configuration/resources/primitive[@id='%s']" % ident)


def nvpairs(el, tag):
    return {nv.get("name"): nv.get("value") for nv in el.iterfind("%s/nvpair" % tag)}


def test_create_is_the_guides_p0_then_idempotent(cib):
    edit = converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], False)
    assert [c[:2] for c in edit.changes] == [("primitive", "p0")]
    el = primitive(cib, "p0")
    assert dict(el.attrib) == {"id": "p0", "class": "ocf", "provider": "heartbeat", "type": "Dummy"}
    assert len(el) == 0
    before = epoch(cib)
    assert not converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], False).changes
    assert epoch(cib) == before


def test_check_mode_predicts_and_writes_nothing(cib):
    before = epoch(cib)
    edit = converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], True)
    assert edit.changes and edit.changes[0][2] == "" and 'id="p0"' in edit.changes[0][3]
    assert epoch(cib) == before
    assert primitive(cib, "p0") is None


def test_update_and_remove_params_and_ops(cib):
    spec = {"id": "p1", "agent": "Dummy", "params": {"state": "/run/p1", "fake": "x"},
            "ops": [{"name": "monitor", "interval": "10s", "timeout": "20s"}, {"name": "start", "timeout": "30s"}]}
    converge_primitives(cib, [spec], False)
    el = primitive(cib, "p1")
    assert nvpairs(el, "instance_attributes") == {"state": "/run/p1", "fake": "x"}
    assert el.find("instance_attributes/nvpair[@name='state']").get("id") == "p1-instance_attributes-state"
    assert {(o.get("name"), o.get("interval"), o.get("timeout")) for o in el.iterfind("operations/op")} == {
        ("monitor", "10s", "20s"), ("start", "0s", "30s")}
    spec = dict(spec, params={"state": "/run/p1b"}, ops=[{"name": "monitor", "interval": "10s", "timeout": "40s"}])
    edit = converge_primitives(cib, [spec], False)
    assert len(edit.changes) == 1 and "/run/p1b" in edit.changes[0][3] and "/run/p1" in edit.changes[0][2]
    el = primitive(cib, "p1")
    assert nvpairs(el, "instance_attributes") == {"state": "/run/p1b"}
    assert [(o.get("id"), o.get("timeout")) for o in el.iterfind("operations/op")] == [("p1-monitor-10s", "40s")]
    assert not converge_primitives(cib, [spec], False).changes


def test_start_stop_set_target_role_like_crm_resource(cib):
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy", "state": "stopped"}], False)
    el = primitive(cib, "p0")
    assert el.find("meta_attributes").get("id") == "p0-meta_attributes"
    assert el.find("meta_attributes/nvpair").get("id") == "p0-meta_attributes-target-role"
    assert nvpairs(el, "meta_attributes") == {"target-role": "Stopped"}
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy", "state": "started"}], False)
    assert nvpairs(primitive(cib, "p0"), "meta_attributes") == {"target-role": "Started"}
    # present leaves an operator's stop alone
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy", "state": "stopped"}], False)
    assert not converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], False).changes
    assert nvpairs(primitive(cib, "p0"), "meta_attributes") == {"target-role": "Stopped"}


def test_absent_removes_and_is_idempotent(cib):
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], False)
    edit = converge_primitives(cib, [{"id": "p0", "state": "absent"}], False)
    assert edit.changes[0][3] == ""
    assert primitive(cib, "p0") is None
    assert not converge_primitives(cib, [{"id": "p0", "state": "absent"}], False).changes


def test_many_in_one_patch_and_undeclared_elements_survive(cib):
    converge_properties(cib, {}, {"resource-stickiness": 1}, {}, False)
    converge_primitives(cib, [{"id": "other", "agent": "ocf:pacemaker:Stateful"}], False)
    items = [{"id": "d%03d" % i, "agent": "Dummy", "state": "stopped"} for i in range(50)]
    edit = converge_primitives(cib, items, False)
    assert len(edit.changes) == 50 and cib.patches_applied == 3
    ids = [p.get("id") for p in cib.read().iterfind("configuration/resources/primitive")]
    assert ids == ["other"] + ["d%03d" % i for i in range(50)]
    assert nvpairs(cib.read().find("configuration"), "rsc_defaults/meta_attributes") == {"resource-stickiness": "1"}


def test_xml_special_characters_stored_literally(cib):
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy", "params": {"fake": "a<b>&\"c'"}}], False)
    assert nvpairs(primitive(cib, "p0"), "instance_attributes") == {"fake": "a<b>&\"c'"}
    assert not converge_primitives(cib, [{"id": "p0", "agent": "Dummy", "params": {"fake": "a<b>&\"c'"}}], False).changes


def test_ids_not_a_difference_when_an_operator_made_the_primitive(cib):
    subprocess.run(["/usr/sbin/cibadmin", "-C", "-o", "resources", "-X",
                    '<primitive type="Dummy" provider="heartbeat" class="ocf" id="p9"><meta_attributes id="m9">'
                    '<nvpair id="x9" name="target-role" value="Stopped"/></meta_attributes>'
                    '<instance_attributes id="i9"/></primitive>'],
                   check=True, env={"CIB_file": cib.cib_file})
    assert not converge_primitives(cib, [{"id": "p9", "agent": "Dummy", "state": "stopped"}], False).changes


@pytest.mark.parametrize("items,message", [
    ([{"id": "p0", "agent": "NoSuchAgent"}], "unknown agent 'ocf:heartbeat:NoSuchAgent'"),
    ([{"id": "p0", "agent": "Dummy", "params": {"nosuch": 1}}], "unknown parameter nosuch for agent ocf:heartbeat:Dummy"),
    ([{"id": "p0", "agent": "IPaddr2"}], "agent ocf:heartbeat:IPaddr2 requires parameter ip"),
    ([{"id": "1p", "agent": "Dummy"}], "invalid primitives\\[0\\] id '1p'"),
    ([{"id": "p0", "agent": "Dummy", "ops": [{"name": "explode"}]}], "unknown op 'explode'"),
    ([{"id": "p0", "agent": "a:b:c:d"}], "invalid agent 'a:b:c:d'"),
    ([{"id": "p0"}], "agent is required unless state is absent"),
    ([{"id": "p0", "agent": "Dummy"}, {"id": "p0", "agent": "Dummy"}], "primitive p0 is declared twice"),
    ([{"id": "p0", "agent": "Dummy", "params": {"fake": [1]}}], "params fake must be a scalar"),
    ([{"id": "ok1", "agent": "Dummy"}, {"id": "cib-bootstrap-options", "agent": "Dummy"}],
     "id cib-bootstrap-options is already used by a <cluster_property_set> element"),
])
def test_bad_input_names_the_offender_and_writes_nothing(cib, items, message):
    converge_properties(cib, {}, {}, {}, False)
    subprocess.run(["/usr/sbin/crm_attribute", "-n", "no-quorum-policy", "-v", "stop"], check=True,
                   env={"CIB_file": cib.cib_file}, capture_output=True)
    before = epoch(cib)
    with pytest.raises(CibError, match=message):
        converge_primitives(cib, items, False)
    assert epoch(cib) == before
    assert cib.read().find("configuration/resources/primitive") is None


def test_properties_set_remove_and_defaults(cib):
    edit = converge_properties(cib, {"stonith-enabled": False, "no-quorum-policy": "stop"},
                               {"migration-threshold": 3}, {"timeout": 600, "record-pending": True}, False)
    assert {c[0] for c in edit.changes} == {"properties", "rsc_defaults", "op_defaults"}
    config = cib.read().find("configuration")
    assert config.find("crm_config/cluster_property_set").get("id") == "cib-bootstrap-options"
    assert nvpairs(config, "crm_config/cluster_property_set") == {"stonith-enabled": "false", "no-quorum-policy": "stop"}
    assert config.find("rsc_defaults/meta_attributes/nvpair").get("id") == "rsc-options-migration-threshold"
    assert nvpairs(config, "op_defaults/meta_attributes") == {"timeout": "600", "record-pending": "true"}
    assert not converge_properties(cib, {"stonith-enabled": "false"}, {}, {}, False).changes
    converge_properties(cib, {"no-quorum-policy": None}, {}, {}, False)
    assert nvpairs(cib.read().find("configuration"), "crm_config/cluster_property_set") == {"stonith-enabled": "false"}


def test_unknown_property_refused_when_pacemaker_metadata_is_available(cib):
    from ansible_collections.hacluster.crm.plugins.module_utils._property import known_properties
    if known_properties(cib) is None:
        pytest.skip("pacemaker daemons are not installed here")
    with pytest.raises(CibError, match="unknown cluster property stonith-enabeld"):
        converge_properties(cib, {"stonith-enabeld": False}, {}, {}, False)


# ---- the engine touches only what the task declares

def cibadmin_create(cib, xml, scope="resources"):
    subprocess.run(["/usr/sbin/cibadmin", "-C", "-o", scope, "-X", xml], check=True, env={"CIB_file": cib.cib_file},
                   capture_output=True)


SHARED_SETS = ('<primitive id="p2" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="shared">'
               '<nvpair id="shared-fake" name="fake" value="1"/></instance_attributes></primitive>',
               '<primitive id="p1" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="p1-ia">'
               '<nvpair id="p1-ia-fake" name="fake" value="own"/></instance_attributes>'
               '<instance_attributes id-ref="shared"/></primitive>')


def test_id_ref_set_is_never_moved_by_an_unrelated_change(cib):
    # written into the file as an operator's editor leaves it (cibadmin -C refuses this order)
    root = etree.parse(cib.cib_file).getroot()
    for xml in SHARED_SETS:
        root.find("configuration/resources").append(etree.fromstring(xml))
    etree.ElementTree(root).write(cib.cib_file)

    def p1_sets():
        return [(s.get("id"), s.get("id-ref")) for s in primitive(cib, "p1").iterfind("instance_attributes")]

    assert p1_sets() == [("p1-ia", None), (None, "shared")]
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], False)  # a creation: no delta at all
    assert primitive(cib, "p0") is not None
    assert p1_sets() == [("p1-ia", None), (None, "shared")]
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy", "params": {"fake": "x"}}], False)  # a delta patch
    assert nvpairs(primitive(cib, "p0"), "instance_attributes") == {"fake": "x"}
    assert p1_sets() == [("p1-ia", None), (None, "shared")]
    assert cib.changes_dropped == 1


def test_feature_set_newer_than_pacemaker_is_said_at_once(cib):
    root = etree.parse(cib.cib_file).getroot()
    root.set("crm_feature_set", "3.99.0")
    etree.ElementTree(root).write(cib.cib_file)
    with pytest.raises(CibError, match=r"crm_feature_set 3.99.0, newer than Pacemaker [0-9.]+ on this node supports"):
        converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], False)
    assert cib.patches_applied == 0


# ---- refusals: told apart, never retried when nothing moved, never quoting the CIB

def test_schema_refusal_names_the_element_and_check_mode_predicts_it(cib):
    cibadmin_create(cib, '<group id="g1"><primitive id="only" class="ocf" provider="heartbeat" type="Dummy"/></group>')
    before = epoch(cib)
    for check_mode in (True, False):
        with pytest.raises(CibError, match=r"group g1 would be left empty \(its last member goes\): declare the group "
                                           r"absent \(its resources are kept\), or keep what it holds; nothing was"):
            converge_primitives(cib, [{"id": "only", "state": "absent"}], check_mode)
    with pytest.raises(CibError, match=r"schema \(pacemaker-[0-9.]+\) refuses the result at <op id=p0-monitor-10s>"):
        converge_primitives(cib, [{"id": "p0", "agent": "Dummy", "ops": [
            {"name": "monitor", "interval": "10s", "on-fail": "explode"}]}], False)
    assert epoch(cib) == before and cib.patches_applied == 0


class Unchecked(Cib):
    """A node without the schema file: the CIB itself refuses."""

    def schema(self):
        return None


def test_refusal_of_an_unmoved_cib_is_final_and_quotes_no_content(tmp_path, cib, spy):
    cibadmin_create(cib, '<primitive id="fence1" class="stonith" type="fence_redfish"><instance_attributes id="f1-ia">'
                         '<nvpair id="f1-pw" name="password" value="Sekr1t-never-shown"/></instance_attributes>'
                         '</primitive>')
    unchecked = Unchecked(Runner(), cib.cib_file)
    calls = spy(unchecked)
    with pytest.raises(CibError) as caught:
        converge_primitives(unchecked, [{"id": "p0", "agent": "Dummy", "ops": [
            {"name": "monitor", "interval": "10s", "on-fail": "explode"}]}], False)
    assert calls.writes() == ["--create"]  # one try: the CIB did not move, so the refusal is final
    message = str(caught.value)
    assert "refused the change (rc=" in message and "nothing was written" in message
    assert "Sekr1t" not in message and "<primitive" not in message and "fence1" not in message


# ---- values and names are checked before anything is written

@pytest.mark.parametrize("items,message", [
    ([{"id": "p0", "agent": "Dummy", "params": {"fake": "a\nb"}}], r"params fake holds the control character '\\n'"),
    ([{"id": "p0", "agent": "Dummy", "params": {"fake": "a\x00b"}}], r"control character '\\x00'"),
    ([{"id": "p0", "agent": "Dummy", "meta": {"description": "x\x1by"}}], r"control character '\\x1b'"),
    ([{"id": "p0", "agent": "Dummy", "meta": {"": "x"}}], "invalid meta attribute name ''"),
    ([{"id": "p0", "agent": "Dummy", "meta": {"bad name": "x"}}], "invalid meta attribute name 'bad name'"),
])
def test_bad_values_and_names_refused_before_writing(cib, items, message):
    before = epoch(cib)
    with pytest.raises(CibError, match=message):
        converge_primitives(cib, items, False)
    assert epoch(cib) == before


# ---- fence devices: the fencer's parameters, secrets masked

needs_fence_redfish = pytest.mark.skipif(
    subprocess.run(["/usr/sbin/crm_resource", "--show-metadata", "stonith:fence_redfish"], capture_output=True,
                   check=False).returncode != 0, reason="fence_redfish is not installed here")

FENCE = {"id": "fence-bob", "agent": "stonith:fence_redfish",
         "params": {"ip": "10.213.7.5", "username": "admin", "password": "Sekr1t-pw",
                    "systems_uri": "/redfish/v1/Systems/bob", "pcmk_host_list": "bob", "pcmk_delay_max": "15s"}}


@needs_fence_redfish
def test_fence_device_takes_the_fencers_parameters_and_masks_the_password(cib):
    edit = converge_primitives(cib, [FENCE], False)
    el = primitive(cib, "fence-bob")
    assert el.get("class") == "stonith" and nvpairs(el, "instance_attributes")["pcmk_host_list"] == "bob"
    assert nvpairs(el, "instance_attributes")["password"] == "Sekr1t-pw"
    assert "Sekr1t" not in edit.changes[0][3] and 'value="********"' in edit.changes[0][3]
    assert "Sekr1t-pw" in parse_primitives([FENCE]).declaration(cib).secrets and "Sekr1t-pw" in edit.secrets
    changed = dict(FENCE, params=dict(FENCE["params"], password="N3w-pw"))
    edit = converge_primitives(cib, [changed], False)
    assert edit.changes and "Sekr1t" not in edit.changes[0][2] + edit.changes[0][3]
    assert "N3w" not in edit.changes[0][2] + edit.changes[0][3]


@needs_fence_redfish
def test_unknown_fencer_parameter_refused(cib):
    bad = dict(FENCE, params=dict(FENCE["params"], pcmk_host_lst="bob"))
    with pytest.raises(CibError, match="unknown parameter pcmk_host_lst for agent stonith:fence_redfish"):
        converge_primitives(cib, [bad], False)


def test_secret_names_by_name_and_by_metadata():
    from ansible_collections.hacluster.crm.plugins.module_utils._cib import is_secret
    for name in ("password", "passwd", "api_key", "apikey", "snmp_secret", "auth_token", "community", "hexadecimal_kg",
                 "snmp_priv_passwd", "passwd_script", "secret_key", "test_pass", "monpassword", "private_key"):
        assert is_secret(name), name
    # fence_scsi's key is a reservation key, fence_ipmilan's auth a method (md5, password): no secrets
    for name in ("state", "ip", "monkey", "keyboard", "pcmk_host_list", "username", "key", "auth", "use_sudo",
                 "key_file", "ssl_insecure"):
        assert not is_secret(name), name
    assert is_secret("community", {"community"})


def test_check_mode_on_a_server_without_pacemaker_predicts_against_an_empty_cib():

    class NoTools(Runner):
        def binary(self, name):
            raise CommandError("required command %s not found on this host" % name)

    cib = Cib(NoTools(), predict=True)
    edit = converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], True)
    assert [c[:2] for c in edit.changes] == [("primitive", "p0")] and 'id="p0"' in edit.changes[0][3]
    with pytest.raises(CommandError):
        converge_primitives(Cib(NoTools()), [{"id": "p0", "agent": "Dummy"}], False)


def test_new_resources_only_are_one_create_and_mixed_changes_one_patch(cib, spy):
    calls = spy(cib)
    converge_primitives(cib, [{"id": "n%03d" % i, "agent": "Dummy", "state": "stopped"} for i in range(200)], False)
    assert calls.writes() == ["--create"] and ["crm_diff", "--no-version"] not in calls
    # created as declared or not at all: one read (the plan's), none back
    assert calls.count(["cibadmin", "--query"]) == 2  # the configuration, and the root's attributes for the schema
    assert len(cib.read().findall("configuration/resources/primitive")) == 200
    assert not converge_primitives(cib, [{"id": "n%03d" % i, "agent": "Dummy", "state": "stopped"}
                                         for i in range(200)], False).changes
    calls.clear()
    items = [{"id": "n000", "state": "absent"}, {"id": "fresh", "agent": "Dummy"}]
    converge_primitives(cib, items, False)
    assert calls.writes() == ["--patch"]
    assert primitive(cib, "n000") is None and primitive(cib, "fresh") is not None


def test_a_refused_creates_echo_is_never_part_of_the_message(cib):
    fence = ('<primitive id="f1" class="stonith" type="fence_x"><instance_attributes id="f1-ia">'
             '<nvpair id="f1-pw" name="password" value="Sekr1t-echoed"/></instance_attributes></primitive>')
    cibadmin_create(cib, fence)
    rc, out, err = cib.runner.run(["cibadmin", "--create", "--scope", "resources", "--xml-text",
                                   "<resources>%s</resources>" % fence], check=False)
    assert rc == 108
    for said in (out, err, out + err):  # whichever stream a Pacemaker version echoes it on
        assert "Sekr1t" not in _cib.refusal_message(said) and "<" not in _cib.refusal_message(said)
    assert "Sekr1t" in out + err  # cibadmin does echo the element


class RacedCreate(Cib):
    """Another writer makes ``p1`` (its own Stateful primitive) after the plan's read, before the create."""

    def create(self, elements):
        if primitive(self, "p1") is None:
            cibadmin_create(self, '<primitive id="p1" class="ocf" provider="heartbeat" type="Stateful">'
                                  '<instance_attributes id="p1-theirs"><nvpair id="p1-theirs-x" name="x" value="theirs"/>'
                                  '</instance_attributes></primitive>')
        return super().create(elements)


def test_a_create_raced_by_another_writer_adds_nothing_then_converges_from_a_fresh_read(cib, spy):
    raced = RacedCreate(Runner(), cib.cib_file)
    calls = spy(raced)
    items = [{"id": "p0", "agent": "Dummy", "state": "stopped"},
             {"id": "p1", "agent": "Dummy", "params": {"fake": "ours"}, "state": "stopped"}]
    edit = converge_primitives(raced, items, False)
    assert [c[:2] for c in edit.changes] == [("primitive", "p0"), ("primitive", "p1")]
    # the create was refused whole (p0 not added with it), the delta from the fresh read patched
    assert calls.writes() == ["--create", "--patch"]
    assert raced.last_refusal[0] == 108 and raced.patches_applied == 1
    p1 = primitive(cib, "p1")
    assert p1.get("type") == "Dummy" and nvpairs(p1, "instance_attributes") == {"fake": "ours"}
    assert primitive(cib, "p0") is not None
    assert not converge_primitives(cib, items, False).changes


def test_check_mode_without_lxml_nor_pacemaker_predicts_every_declaration_masked(monkeypatch):
    from ansible_collections.hacluster.crm.plugins.module_utils import _cib, _cib_change

    class NoTools(Runner):
        def binary(self, name):
            raise CommandError("required command %s not found on this host" % name)

    class Module:
        check_mode = True
        params = {"cib_file": None, "primitives": None, "params": {"password": "Sekr1t"}}

        def __init__(self):
            self.no_log_values = set()
            self.warnings = []

        def register_secrets(self, values):
            self.no_log_values.update(values)

        def warn(self, text):
            self.warnings.append(text)

    monkeypatch.setattr(_cib, "etree", None)
    monkeypatch.setattr(_cib_change, "etree", None)
    monkeypatch.setattr(_cib_change, "Runner", lambda module: NoTools())
    module = Module()
    items = [{"id": "db", "agent": "ocf:heartbeat:mysql", "params": {"password": "Sekr1t", "user": "u"}}]
    change = _cib_change.CibChange(module, lambda: parse_primitives(items))
    plan = change.plan()
    assert plan.steps == ["create primitive db"]
    assert "Sekr1t" not in plan.after and '"user": "u"' in plan.after and module.warnings
    with pytest.raises(CibError, match="lxml Python library is required"):
        Cib(Runner(), predict=False)


def test_check_mode_predicts_an_agent_that_is_not_installed_yet_with_a_warning(cib):
    device = {"id": "f-x", "agent": "stonith:fence_not_installed", "params": {"password": "Sekr1t", "ip": "10.0.0.9"}}
    with pytest.raises(CibError, match="unknown agent 'stonith:fence_not_installed'"):
        converge_primitives(cib, [device], False)
    predicting = Cib(Runner(), cib.cib_file, predict=True)
    before = epoch(cib)
    declaration = parse_primitives([device]).declaration(predicting)
    edit = converge(predicting, declaration, True)
    assert [c[:2] for c in edit.changes] == [("primitive", "f-x")] and "Sekr1t" not in edit.changes[0][3]
    assert list(declaration.warnings) == ["agent stonith:fence_not_installed is not installed on this node: in check mode "
                                          "its parameters are not checked (an earlier task, the init role's package "
                                          "install, may install it)"]
    assert epoch(cib) == before and "Sekr1t" in declaration.secrets


# ---- the CIB's schema against the newest this Pacemaker knows (cluster_info's status.schema, the release upgrade's
# last step), on a CIB_file

def test_newest_schema_orders_versions_as_numbers():
    names = ["pacemaker-3.9.rng", "pacemaker-3.10.rng", "pacemaker-next.rng", "upgrade-2.10.xsl", "pacemaker-1.0.rng",
             "constraints-3.10.rng"]
    assert _cib.newest_schema(names) == "pacemaker-3.10"
    assert _cib.newest_schema(["pacemaker-next.rng"]) is None


def test_schema_versions_read_the_cib_and_this_pacemakers_schemas(tmp_path):
    empty = subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout
    # cibadmin --empty writes the newest schema this Pacemaker knows: nothing to upgrade
    newest = re.search(r'validate-with="([^"]+)"', empty).group(1)
    path = tmp_path / "cib.xml"
    path.write_text(empty)
    assert Cib(Runner(), str(path)).schema_versions() == {"validate_with": newest, "newest": newest}
    # a CIB written by an older Pacemaker: the two differ until cibadmin --upgrade
    path.write_text(re.sub(r'validate-with="[^"]+"', 'validate-with="pacemaker-3.0"', empty))
    assert Cib(Runner(), str(path)).schema_versions() == {"validate_with": "pacemaker-3.0", "newest": newest}
    # a CIB that cannot be read: cibadmin's error (cluster_info reports the schema as null)
    path.write_text("not a CIB")
    with pytest.raises(CommandError):
        Cib(Runner(), str(path)).schema_versions()
