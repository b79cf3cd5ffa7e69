# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rolling upgrade's preflight: what refuses it, in words."""

from __future__ import annotations

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _upgrade as up

QUORATE = "Quorate:          Yes\nExpected votes:   3\nTotal votes:      3\nQuorum:           2\nFlags:            Quorate\n"


def node(name, **kw):
    return dict({"name": name, "online": True, "standby": False, "maintenance": False}, **kw)


def status(**kw):
    return dict({"running": True, "nodes": [node("alice"), node("bob"), node("carol")], "failed_actions": [],
                 "fail_counts": [], "stonith_enabled": True}, **kw)


def test_a_healthy_cluster_passes():
    assert up.preflight(status(), QUORATE, 0, "") == {"problems": [], "warnings": []}


def test_each_problem_is_named():
    st = status(nodes=[node("alice"), node("bob", online=False), node("carol", standby=True)],
                failed_actions=[{"op_key": "web_monitor_10000", "node": "alice"}],
                fail_counts=[{"resource": "web", "node": "alice", "fail_count": 1},
                             {"resource": "db", "node": "carol", "fail_count": 2}], stonith_enabled=False)
    out = up.preflight(st, QUORATE.replace("Total votes:      3", "Total votes:      2"), 1, "error: bad\n  constraint")
    assert out["problems"] == [
        "node bob is not online: bring it back (or remove it) before the upgrade",
        "node carol is in standby: bring it online first (playbooks/maintenance.yml -e crm_maintenance=off "
        "-e crm_maintenance_node=carol)",
        "web_monitor_10000 failed on alice: find the cause and clean it up first (playbooks/cleanup.yml)",
        "db has fail count 2 on carol: clean it up first (playbooks/cleanup.yml)",
        "quorum needs 2 of the 2 votes present: taking one node out would lose it",
        "crm_verify finds the CIB invalid: error: bad constraint",
    ]
    assert "fencing is disabled" in out["warnings"][0]


def test_not_quorate_and_not_running():
    assert up.preflight(status(), "Quorate: No\n", 0, "")["problems"] == ["the cluster is not quorate"]
    assert up.preflight({"running": False, "reason": "not connected"}, "", 0, "")["problems"] == [
        "the cluster does not run on this node (not connected)"]


def test_two_nodes_keep_quorum_with_one_out():
    two = "Quorate: Yes\nTotal votes: 2\nQuorum: 1\nFlags: 2Node Quorate WaitForAll\n"
    assert up.preflight(status(nodes=[node("alice"), node("bob")]), two, 0, "")["problems"] == []


@pytest.mark.parametrize("installed, candidate, refused", [
    ("2.1.5-1+deb12u1", "3.0.0-3", False),   # Debian 12 to 13: rolling, as Pacemaker supports
    ("1.1.24-1", "3.0.0-3", True),           # 1.1 to 3.x: detach and reattach
    ("1.1.10-1", "2.0.1-5", True),           # to 2.x only from 1.1.11
    ("1.1.16-1", "2.0.1-5", False),
    ("3.0.0-3", "3.0.0-3.1", False),         # a patch
    ("3.0.0-3", None, False),
    ("1:2.1.5-1", "1:2.1.6-1", False),       # an epoch
    ("3.0.0-3", "4.0.0-1", True),            # a major release with no documented rolling upgrade (the lab's refusal)
])
def test_version_pairs(installed, candidate, refused):
    problem = up.rolling_problem(installed, candidate)
    assert (problem is not None) == refused
    if refused:
        assert "does not support a rolling upgrade from %s to %s" % (installed, candidate) in problem
        assert "maintenance mode" in problem
        assert up.preflight(status(), QUORATE, 0, "", {"bob": {"installed": installed, "candidate": candidate}})[
            "problems"] == ["bob: " + problem]


def test_version_tuple():
    assert up.version_tuple("2.1.5-1+deb12u1") == (2, 1, 5)
    assert up.version_tuple("3.0.0~rc1-1") == (3, 0, 0)
    assert up.version_tuple(None) == ()


def test_release_upgrade_problems():
    installed = {"alice": "2.1.5-1+deb12u1", "bob": "2.1.5-1+deb12u1", "carol": "3.0.0-3"}
    assert up.release_problems("trixie", {"alice": "bookworm", "bob": "bookworm", "carol": "trixie"}, installed) == []
    assert up.release_problems("forky", {"alice": "bookworm"}, installed) == [
        "crm_upgrade_release forky is not a Debian release this collection upgrades to (bookworm, trixie)"]
    assert up.release_problems("trixie", {"alice": "bullseye"}, {"alice": "2.0.5-2"}) == [
        "alice runs bullseye: Debian upgrades one release at a time, to bookworm first"]
    assert up.release_problems("bookworm", {"carol": "trixie"}, installed) == ["carol already runs trixie, newer than bookworm"]
    assert "does not support a rolling upgrade from 1.1.24-1 to 3.0.0" in \
        up.release_problems("trixie", {"alice": "bookworm"}, {"alice": "1.1.24-1"})[0]
