# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Groups, clones and constraints in one transaction, against pacemaker's real tools on a CIB_file."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError, converge, etree
from ansible_collections.hacluster.crm.plugins.module_utils._model import parse_model

pytestmark = pytest.mark.skipif(not shutil.os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")


@pytest.fixture
def cib(empty_cib):
    return empty_cib


def apply(cib, check_mode=False, primitives=None, groups=None, clones=None, constraints=None, levels=None):
    return converge(cib, parse_model(primitives, groups, clones, constraints, levels).declaration(cib),
                    check_mode)


def epoch(cib):
    return etree.parse(cib.cib_file).getroot().get("epoch")


def config(cib):
    return cib.read().find("configuration")


def dummies(*names):
    return [{"id": n, "agent": "Dummy"} for n in names]


WEB = {"primitives": dummies("ip", "web"), "groups": [{"id": "g-web", "members": ["ip", "web"]}],
       "constraints": [{"type": "location", "resource": "g-web", "node": "alice", "score": 100}]}


def test_a_service_in_one_transaction_then_idempotent(cib, spy):
    calls = spy(cib)
    before = epoch(cib)
    edit = apply(cib, True, **WEB)
    assert [c[:2] for c in edit.changes] == [("primitive", "ip"), ("primitive", "web"), ("group", "g-web"),
                                             ("location", "location-g-web-alice")]
    assert epoch(cib) == before and calls.writes() == []
    apply(cib, **WEB)
    assert calls.writes() == ["--patch"]  # a constraint too: one delta patch
    group = config(cib).find("resources/group[@id='g-web']")
    assert [p.get("id") for p in group.findall("primitive")] == ["ip", "web"]
    assert config(cib).find("resources/primitive") is None
    loc = config(cib).find("constraints/rsc_location")
    assert dict(loc.attrib) == {"id": "location-g-web-alice", "rsc": "g-web", "node": "alice", "score": "100"}
    stamp = epoch(cib)
    assert not apply(cib, **WEB).changes and epoch(cib) == stamp and calls.writes() == ["--patch"]


def test_new_groups_and_members_alone_are_one_create(cib, spy):
    calls = spy(cib)
    prims = dummies(*["m%d" % i for i in range(10)])
    groups = [{"id": "g%d" % g, "members": ["m%d" % i for i in range(g * 5, g * 5 + 5)]} for g in range(2)]
    apply(cib, primitives=prims, groups=groups)
    assert calls.writes() == ["--create"]
    assert [len(g) for g in config(cib).iterfind("resources/group")] == [5, 5]
    assert not apply(cib, primitives=prims, groups=groups).changes


def test_member_order_and_membership_follow_the_declaration(cib):
    apply(cib, primitives=dummies("a", "b", "c"), groups=[{"id": "g", "members": ["a", "b", "c"]}])
    edit = apply(cib, groups=[{"id": "g", "members": ["c", "a"]}])
    assert [c[:2] for c in edit.changes] == [("group", "g")]
    assert [p.get("id") for p in config(cib).find("resources/group").findall("primitive")] == ["c", "a"]
    assert config(cib).find("resources/primitive[@id='b']") is not None  # left the group, kept
    edit = apply(cib, groups=[{"id": "g", "state": "absent"}])
    assert [c[:2] for c in edit.changes] == [("group", "g")] and edit.changes[0][3] == ""
    assert config(cib).find("resources/group") is None
    assert sorted(p.get("id") for p in config(cib).iterfind("resources/primitive")) == ["a", "b", "c"]
    assert not apply(cib, groups=[{"id": "g", "state": "absent"}]).changes


def test_clones_promotable_and_unclone(cib):
    apply(cib, primitives=dummies("d") + [{"id": "st", "agent": "ocf:pacemaker:Stateful"}],
          clones=[{"id": "d-clone", "resource": "d", "meta": {"interleave": True}},
                  {"id": "st-clone", "resource": "st", "promotable": True, "meta": {"promoted-max": 1}}])
    clone = config(cib).find("resources/clone[@id='st-clone']")
    assert clone.find("primitive").get("id") == "st"
    assert {nv.get("name"): nv.get("value") for nv in clone.iter("nvpair")} == {"promotable": "true",
                                                                                "promoted-max": "1"}
    assert not apply(cib, clones=[{"id": "st-clone", "resource": "st", "promotable": True}]).changes
    apply(cib, clones=[{"id": "d-clone", "state": "absent"}])
    assert config(cib).find("resources/clone[@id='d-clone']") is None
    assert config(cib).find("resources/primitive[@id='d']") is not None


def test_constraints_are_matched_by_what_they_say(cib):
    apply(cib, primitives=dummies("a", "b") + [{"id": "st", "agent": "ocf:pacemaker:Stateful"}],
          clones=[{"id": "st-clone", "resource": "st", "promotable": True}])
    constraints = [
        {"type": "location", "resource": "a", "rules": [
            {"score": "-INFINITY", "expressions": [{"attribute": "#uname", "operation": "eq", "value": "bob"}]}]},
        {"type": "colocation", "resource": "b", "with": "st-clone", "with_role": "Promoted"},
        {"type": "order", "first": "st-clone", "first_action": "promote", "then": "b", "kind": "Mandatory",
         "symmetrical": False},
        {"type": "colocation", "score": 50, "resource_sets": [{"resources": ["a", "b"], "sequential": False}]},
    ]
    edit = apply(cib, constraints=constraints)
    assert [c[:2] for c in edit.changes] == [("location", "location-a-rule"), ("colocation", "colocation-b-st-clone"),
                                             ("order", "order-st-clone-b"), ("colocation", "colocation-set-a-b")]
    stamp = epoch(cib)
    assert not apply(cib, constraints=constraints).changes and epoch(cib) == stamp
    changed = [dict(constraints[1], score=500)] + constraints[2:]
    edit = apply(cib, constraints=changed)
    assert [c[:2] for c in edit.changes] == [("colocation", "colocation-b-st-clone")]
    assert len(config(cib).findall("constraints/rsc_colocation")) == 2
    assert config(cib).find("constraints/rsc_colocation[@id='colocation-b-st-clone']").get("score") == "500"
    # an order is matched by its actions too: st-clone start -> b is another order than st-clone promote -> b
    assert not apply(cib, constraints=[{"type": "order", "first": "st-clone", "then": "b", "state": "absent"}]).changes
    edit = apply(cib, constraints=[{"type": "order", "first": "st-clone", "first_action": "promote", "then": "b",
                                    "state": "absent"}])
    assert [c[:2] for c in edit.changes] == [("order", "order-st-clone-b")]
    assert config(cib).find("constraints/rsc_order") is None


def test_a_constraint_made_by_hand_is_not_duplicated(cib):
    apply(cib, primitives=dummies("a"))
    subprocess.run(["/usr/sbin/cibadmin", "--create", "--scope", "constraints", "--xml-text",
                    '<rsc_location id="loc-1" rsc="a" node="alice" score="100"/>'],
                   env={"CIB_file": cib.cib_file}, check=True)
    assert not apply(cib, constraints=[{"type": "location", "resource": "a", "node": "alice", "score": 100}]).changes
    edit = apply(cib, constraints=[{"type": "location", "resource": "a", "node": "alice", "score": "INFINITY"}])
    assert [c[:2] for c in edit.changes] == [("location", "loc-1")]
    assert len(config(cib).findall("constraints/rsc_location")) == 1


@pytest.mark.parametrize("kwargs, message", [
    ({"groups": [{"id": "g", "members": ["nope"]}]}, "group g: member nope is no resource in the CIB"),
    ({"primitives": dummies("a"), "groups": [{"id": "g1", "members": ["a"]}, {"id": "g2", "members": ["a"]}]},
     "primitive a is declared in two groups: g1 and g2"),
    ({"primitives": dummies("a"), "clones": [{"id": "c1", "resource": "a"}, {"id": "c2", "resource": "c1"}]},
     "clone c2: c1 is declared as a clone; a clone of a clone is not possible"),
    ({"primitives": dummies("a"), "groups": [{"id": "g", "members": ["a"]}], "clones": [{"id": "c", "resource": "a"}]},
     "clone c: primitive a is declared in group g; clone the group instead"),
    ({"groups": [{"id": "g", "members": []}]}, "group g: members must be a non-empty list"),
    ({"primitives": dummies("a"), "groups": [{"id": "a", "members": ["a"]}]}, "id a is declared as a primitive and as a group"),
    ({"primitives": dummies("a"), "constraints": [{"type": "colocation", "resource": "a", "with": "b"}]},
     "colocation constraint colocation-a-b names b, which is no resource"),
    ({"primitives": dummies("a", "b"), "constraints": [{"type": "colocation", "resource": "a", "with": "b",
                                                        "role": "Boss"}]},
     "role 'Boss' is not one of Started, Stopped, Promoted, Unpromoted"),
    ({"primitives": dummies("a"), "constraints": [{"type": "location", "resource": "a", "node": "x", "score": "high"}]},
     "score 'high' is not a score"),
    ({"primitives": dummies("a"), "constraints": [{"type": "location", "resource": "a"}]},
     "needs exactly one of node .with a score. and rules"),
    ({"primitives": dummies("a", "b"), "constraints": [{"type": "order", "first": "a", "then": "b", "kind": "Always"}]},
     "kind 'Always' is not one of Mandatory, Optional, Serialize"),
    ({"primitives": dummies("a"), "constraints": [{"type": "tag", "resource": "a"}]},
     "type 'tag' is not location, colocation, order or ticket"),
    ({"primitives": dummies("a"), "constraints": [{"type": "ticket", "resource": "a"}]},
     "ticket constraint constraints.0. needs a ticket and a resource"),
    ({"primitives": dummies("a"), "constraints": [
        {"type": "location", "resource": "a", "rules": [{"score": 10, "expressions": [{"attribute": "r", "operation": "like", "value": 1}]}]}]},
     "operation 'like' is not one of"),
    ({"primitives": dummies("a", "b"), "constraints": [{"type": "order", "first": "a", "then": "b"},
                                                       {"type": "order", "first": "a", "then": "b", "kind": "Optional"}]},
     r"constraints\[1\] says what constraints\[0\] says"),
    ({"groups": [{"id": "g", "members": ["a"], "colour": "red"}]}, "group g: unknown key colour"),
])
def test_bad_declarations_name_the_offender_and_write_nothing(cib, kwargs, message):
    before = epoch(cib)
    with pytest.raises(CibError, match=message):
        apply(cib, **kwargs)
    assert epoch(cib) == before and not len(config(cib).find("resources"))


def test_references_to_what_the_cib_holds(cib):
    apply(cib, primitives=dummies("a", "b", "c"), groups=[{"id": "g", "members": ["a", "b"]}])
    before = epoch(cib)
    with pytest.raises(CibError, match="group g2: primitive a is already in group g"):
        apply(cib, groups=[{"id": "g2", "members": ["a"]}])
    with pytest.raises(CibError, match="clone ca: primitive a is in group g; clone the group instead"):
        apply(cib, clones=[{"id": "ca", "resource": "a"}])
    with pytest.raises(CibError, match="group g3: member g is a group; a group holds primitives only"):
        apply(cib, groups=[{"id": "g3", "members": ["g"]}])
    apply(cib, clones=[{"id": "gc", "resource": "g"}])
    before = epoch(cib)
    with pytest.raises(CibError, match="clone c2: gc is a clone; a clone holds a primitive or a group"):
        apply(cib, clones=[{"id": "c2", "resource": "gc"}])
    assert epoch(cib) == before


def test_fence_devices_and_levels_in_the_same_transaction(cib):
    params = {"ip": "10.0.0.9", "password": "pw", "username": "u", "pcmk_host_list": "alice"}
    devices = [{"id": "f-a", "agent": "stonith:fence_redfish", "params": params}]
    if subprocess.run(["/usr/sbin/crm_resource", "--show-metadata", "stonith:fence_redfish"],
                      capture_output=True, check=False).returncode:
        pytest.skip("fence_redfish is not installed here")
    edit = apply(cib, primitives=devices, levels=[{"target": "alice", "index": 1, "devices": ["f-a"]}])
    assert [c[:2] for c in edit.changes] == [("primitive", "f-a"), ("fencing-level", "fl-alice-1")]
    assert not apply(cib, primitives=devices, levels=[{"target": "alice", "index": 1, "devices": ["f-a"]}]).changes
