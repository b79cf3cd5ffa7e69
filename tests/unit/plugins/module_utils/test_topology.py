# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fencing topology against pacemaker's real tools on a CIB_file (no cluster needed)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError, converge, etree
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import parse_primitives
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
from ansible_collections.hacluster.crm.plugins.module_utils._topology import parse_levels, parse_topology

pytestmark = pytest.mark.skipif(not shutil.os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")

DEVICES = ("f-alice", "f-bob", "pdu-1")


def converge_primitives(cib, items, check_mode):
    return converge(cib, parse_primitives(items).declaration(cib), check_mode)


@pytest.fixture
def cib(tmp_path):
    path = tmp_path / "cib.xml"
    path.write_text(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True,
                                   check=True).stdout)
    cib = Cib(Runner(), str(path))
    # fence devices as the fence issue declares them; the topology only needs their ids and class
    config = etree.parse(str(path))
    resources = config.find("configuration/resources")
    for device in DEVICES:
        etree.SubElement(resources, "primitive", {"id": device, "class": "stonith", "type": "fence_redfish"})
    config.write(str(path))
    return cib


def levels_of(cib):
    return sorted((tuple(sorted((k, v) for k, v in el.attrib.items())))
                  for el in cib.read().iterfind("configuration/fencing-topology/fencing-level"))


def epoch(cib):
    return etree.parse(cib.cib_file).getroot().get("epoch")


def apply(cib, items, check_mode=False, **kwargs):
    return converge(cib, parse_topology(items, **kwargs).declaration(None), check_mode)


def test_levels_created_matched_by_target_and_index_and_idempotent(cib):
    items = [{"target": "alice", "index": 1, "devices": ["f-alice"]},
             {"target": "alice", "index": 2, "devices": ["pdu-1", "f-bob"]},
             {"target_pattern": "web-.*", "index": 1, "devices": "pdu-1"},
             {"target_attribute": "rack", "target_value": 1, "index": 3, "devices": ["pdu-1"]}]
    before = epoch(cib)
    edit = apply(cib, items, check_mode=True)
    assert [c[:2] for c in edit.changes] == [("fencing-level", "fl-alice-1"), ("fencing-level", "fl-alice-2"),
                                             ("fencing-level", "fl-pattern-web-._-1"),
                                             ("fencing-level", "fl-attr-rack-1-3")]
    assert epoch(cib) == before and not levels_of(cib)
    edit = apply(cib, items)
    assert len(edit.changes) == 4
    assert levels_of(cib) == sorted([
        (("devices", "f-alice"), ("id", "fl-alice-1"), ("index", "1"), ("target", "alice")),
        (("devices", "pdu-1,f-bob"), ("id", "fl-alice-2"), ("index", "2"), ("target", "alice")),
        (("devices", "pdu-1"), ("id", "fl-pattern-web-._-1"), ("index", "1"), ("target-pattern", "web-.*")),
        (("devices", "pdu-1"), ("id", "fl-attr-rack-1-3"), ("index", "3"), ("target-attribute", "rack"),
         ("target-value", "1"))])
    stamp = epoch(cib)
    assert not apply(cib, items).changes
    assert epoch(cib) == stamp


def test_level_made_by_hand_is_matched_by_what_it_says_not_its_id(cib):
    subprocess.run(["/usr/sbin/cibadmin", "--create", "--scope", "configuration", "--xml-text",
                    '<fencing-topology><fencing-level id="fencing" target="alice" index="1" devices="f-alice"/>'
                    '</fencing-topology>'],
                   env={"CIB_file": cib.cib_file}, check=True)
    assert not apply(cib, [{"target": "alice", "index": 1, "devices": ["f-alice"]}]).changes
    edit = apply(cib, [{"target": "alice", "index": 1, "devices": ["f-alice", "pdu-1"]}])
    assert [c[:2] for c in edit.changes] == [("fencing-level", "fencing")]
    assert 'devices="f-alice"' in edit.changes[0][2] and 'devices="f-alice,pdu-1"' in edit.changes[0][3]
    assert levels_of(cib) == [(("devices", "f-alice,pdu-1"), ("id", "fencing"), ("index", "1"), ("target", "alice"))]


def test_absent_and_exclusive_remove_only_what_they_say(cib):
    apply(cib, [{"target": "alice", "index": 1, "devices": ["f-alice"]},
                {"target": "bob", "index": 1, "devices": ["f-bob"]},
                {"target": "bob", "index": 2, "devices": ["pdu-1"]}])
    edit = apply(cib, [{"target": "bob", "index": 2}], state="absent")
    assert [c[:2] for c in edit.changes] == [("fencing-level", "fl-bob-2")] and edit.changes[0][3] == ""
    assert [dict(lv)["id"] for lv in levels_of(cib)] == ["fl-alice-1", "fl-bob-1"]
    assert not apply(cib, [{"target": "bob", "index": 2}], state="absent").changes
    edit = apply(cib, [{"target": "alice", "index": 1, "devices": ["f-alice"]}], exclusive=True)
    assert [c[:2] for c in edit.changes] == [("fencing-level", "fl-bob-1")]
    assert [dict(lv)["id"] for lv in levels_of(cib)] == ["fl-alice-1"]


@pytest.mark.parametrize("items, message", [
    ([{"target": "alice", "index": 10, "devices": ["f-alice"]}], r"level 1 \(alice\): index 10 is not a level from 1 to 9"),
    ([{"target": "alice", "index": 0, "devices": ["f-alice"]}], "index 0 is not a level"),
    ([{"target": "alice", "index": "x", "devices": ["f-alice"]}], "index 'x' is not a level"),
    ([{"index": 1, "devices": ["f-alice"]}], "level 1 needs exactly one of target"),
    ([{"target": "alice", "target_pattern": "a.*", "index": 1, "devices": ["f-alice"]}],
     "it has target, target_pattern"),
    ([{"target_attribute": "rack", "index": 1, "devices": ["pdu-1"]}], "target_attribute rack needs a target_value"),
    ([{"target": "alice", "index": 1, "devices": []}], "devices must be a non-empty list"),
    ([{"target": "alice", "index": 1, "devices": ["f-alice", "f-alice"]}], "names a device twice"),
    ([{"target": "alice", "index": 1, "devices": ["bad id"]}], "invalid fence device of level 1 .alice. 'bad id'"),
    ([{"target": "alice", "index": 1, "devices": ["f-alice"]}, {"target": "alice", "index": 1, "devices": ["pdu-1"]}],
     "level 1 of alice is declared twice"),
    ([{"target": "alice", "index": 1, "devices": ["f-carol"]}],
     "level 1 of alice names f-carol, which is no fence device"),
    ([{"target": "alice", "index": 1, "devices": ["f-alice"], "prio": 2}], "unknown key prio"),
    ([{"target": "alice\n", "index": 1, "devices": ["f-alice"]}], "control character"),
])
def test_bad_levels_name_the_offender_and_write_nothing(cib, items, message):
    before = epoch(cib)
    with pytest.raises(CibError, match=message):
        apply(cib, items)
    assert epoch(cib) == before and not levels_of(cib)


def test_a_resource_that_is_no_fence_device_is_refused(cib):
    converge_primitives(cib, [{"id": "p0", "agent": "Dummy"}], False)
    with pytest.raises(CibError, match="names p0, which is no fence device"):
        apply(cib, [{"target": "alice", "index": 1, "devices": ["p0"]}])


def test_a_device_of_the_same_transaction_is_accepted_and_the_schema_holds(cib):
    edit = apply(cib, [{"target": "alice", "index": 1, "devices": ["f-new"]}], accepts=lambda d: d == "f-new",
                 check_mode=True)
    assert [c[:2] for c in edit.changes] == [("fencing-level", "fl-alice-1")]


def test_parse_keeps_the_devices_order():
    (level,) = parse_levels([{"target": "alice", "index": "2", "devices": "b,a"}])
    assert level.devices == ("b", "a") and level.index == 2 and level.name == "alice"
