# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Day-2 declarations against pacemaker's real tools on a CIB_file: what they write is what crm_attribute and
crm_resource write, so crmsh and the modules undo each other's work."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _operations as ops
from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError, canonical, converge, etree
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

pytestmark = pytest.mark.skipif(shutil.which("cibadmin") is None and not os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")

NOW = datetime.datetime(2026, 12, 2, 10, 0, 0, tzinfo=datetime.timezone.utc)


def tool(cib, *argv):
    env = dict(os.environ, CIB_file=cib.cib_file)
    return subprocess.run(["/usr/sbin/" + argv[0]] + list(argv[1:]), env=env, capture_output=True, text=True,
                          check=True)


@pytest.fixture
def cib(tmp_path):
    path = tmp_path / "cib.xml"
    path.write_text(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True,
                                   check=True).stdout)
    cib = Cib(Runner(), str(path))
    tool(cib, "cibadmin", "-C", "-o", "nodes", "-X", '<node id="1" uname="alice"/>')
    tool(cib, "cibadmin", "-C", "-o", "nodes", "-X", '<node id="2" uname="bob"/>')
    tool(cib, "cibadmin", "-C", "-o", "resources", "-X",
         '<primitive id="p0" class="ocf" provider="pacemaker" type="Dummy"/>')
    tool(cib, "cibadmin", "-C", "-o", "resources", "-X",
         '<clone id="c1"><primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/></clone>')
    return cib


def section(cib, name):
    return etree.tostring(cib.read().find("configuration/" + name), encoding="unicode")


def epoch(cib):
    return etree.parse(cib.cib_file).getroot().get("epoch")


def twice(cib, parsed):
    """check, apply, check, apply: the changes of each; the check runs write nothing."""
    out = []
    for check_mode in (True, False, True, False):
        before = epoch(cib)
        out.append([c[:2] for c in converge(cib, parsed.declaration(cib), check_mode).changes])
        if check_mode:
            assert epoch(cib) == before
    return out


def same_as_tool(tmp_path, cib, parsed, *argv):
    """The declaration's configuration equals the one the tool writes on a copy of the same CIB."""
    copy = tmp_path / "copy.xml"
    shutil.copy(cib.cib_file, copy)
    converge(cib, parsed.declaration(cib), False)
    theirs = Cib(Runner(), str(copy))
    tool(theirs, *argv)
    return canonical(cib.read().find("configuration")) == canonical(theirs.read().find("configuration"))


def test_standby_is_what_crm_attribute_writes_and_idempotent(tmp_path, cib):
    parsed = ops.parse_node_state("alice", "standby")
    assert same_as_tool(tmp_path, cib, parsed, "crm_attribute", "-t", "nodes", "-N", "alice", "-n", "standby",
                        "-v", "on")
    tool(cib, "crm_attribute", "-t", "nodes", "-N", "alice", "-n", "standby", "-D")
    assert twice(cib, parsed) == [[("node", "alice")], [("node", "alice")], [], []]


def test_online_writes_off_only_where_standby_is_on(cib):
    assert twice(cib, ops.parse_node_state("bob", "online")) == [[], [], [], []]
    tool(cib, "crm_attribute", "-t", "nodes", "-N", "bob", "-n", "standby", "-v", "true")
    assert twice(cib, ops.parse_node_state("bob", "online")) == [[("node", "bob")], [("node", "bob")], [], []]
    out = tool(cib, "crm_attribute", "-t", "nodes", "-N", "bob", "-n", "standby", "-G", "-q").stdout
    assert out.strip() == "off"


def test_maintenance_and_standby_exclude_each_other(cib):
    converge(cib, ops.parse_node_state("alice", "standby").declaration(cib), False)
    converge(cib, ops.parse_node_state("alice", "maintenance").declaration(cib), False)
    node = cib.read().find("configuration/nodes/node[@uname='alice']")
    assert ops.nvpairs(node, "instance_attributes") == {"standby": "off", "maintenance": "true"}


def test_an_unknown_node_is_refused_naming_it_and_the_known_ones(cib):
    before = epoch(cib)
    with pytest.raises(CibError, match="node carol is not in the CIB .*alice, bob"):
        converge(cib, ops.parse_node_state("carol", "standby").declaration(cib), False)
    assert epoch(cib) == before


def test_cluster_maintenance_on_then_off_as_crmsh(tmp_path, cib):
    assert twice(cib, ops.ClusterMaintenance(False)) == [[], [], [], []]
    assert same_as_tool(tmp_path, cib, ops.ClusterMaintenance(True), "crm_attribute", "-t", "crm_config", "-n",
                        "maintenance-mode", "-v", "true")
    assert twice(cib, ops.ClusterMaintenance(False))[:3:2] == [[("properties", "crm_config")], []]
    assert 'name="maintenance-mode" value="false"' in section(cib, "crm_config")


def test_resource_unmanaged_and_in_maintenance_as_crm_resource_meta(tmp_path, cib):
    parsed = ops.parse_resource_manage("p0", False, None)
    assert same_as_tool(tmp_path, cib, parsed, "crm_resource", "--resource", "p0", "--meta", "--set-parameter",
                        "is-managed", "--parameter-value", "false")
    assert twice(cib, ops.parse_resource_manage("p0", True, True)) == [[("primitive", "p0")]] * 2 + [[], []]
    p0 = cib.read().find("configuration/resources/primitive[@id='p0']")
    assert ops.nvpairs(p0, "meta_attributes") == {"is-managed": "true", "maintenance": "true"}


def test_resource_manage_refuses_an_unknown_resource_and_no_flag(cib):
    with pytest.raises(CibError, match="resource nope is not in the CIB"):
        converge(cib, ops.parse_resource_manage("nope", False, None).declaration(cib), False)
    with pytest.raises(CibError, match="give managed, maintenance or both"):
        ops.parse_resource_manage("p0", None, None)


def test_move_and_ban_are_what_crm_resource_writes(tmp_path, cib):
    move = ops.parse_resource_move("p0", "moved", "bob", None)
    assert same_as_tool(tmp_path, cib, move, "crm_resource", "--move", "-r", "p0", "-N", "bob")
    ban = ops.parse_resource_move("p0", "banned", "alice", None)
    assert same_as_tool(tmp_path, cib, ban, "crm_resource", "--ban", "-r", "p0", "-N", "alice")
    # and crm_resource --clear removes exactly what the declarations wrote
    tool(cib, "crm_resource", "--clear", "-r", "p0")
    assert cib.read().find("configuration/constraints/rsc_location") is None


def test_a_move_with_a_lifetime_has_crm_resources_rule(cib):
    move = ops.ResourceMove("p0", "moved", "bob", ops.duration_seconds("PT1H"), NOW)
    assert twice(cib, move) == [[("rsc_location", "cli-prefer-p0")]] * 2 + [[], []]
    rule = cib.read().find("configuration/constraints/rsc_location[@id='cli-prefer-p0']/rule")
    assert rule.get("id") == "cli-prefer-rule-p0" and rule.get("score") == "INFINITY"
    assert rule.find("expression").attrib["value"] == "bob"
    assert rule.find("date_expression").attrib["end"] == "2026-12-02 11:00:00Z"
    # moving elsewhere replaces it; clearing removes it, as crm_resource --clear does
    assert twice(cib, ops.parse_resource_move("p0", "moved", "alice", None))[1] == [("rsc_location", "cli-prefer-p0")] * 2
    assert ops.prefer_node(cib.read().find("configuration/constraints/rsc_location")) == "alice"


def test_clear_all_or_those_naming_a_node(cib):
    for state, node in (("moved", "bob"), ("banned", "alice")):
        converge(cib, ops.parse_resource_move("p0", state, node, None).declaration(cib), False)
    assert twice(cib, ops.parse_resource_move("p0", "cleared", "alice", None)) == \
        [[("rsc_location", "cli-ban-p0-on-alice")]] * 2 + [[], []]
    assert twice(cib, ops.parse_resource_move("p0", "cleared", None, None)) == \
        [[("rsc_location", "cli-prefer-p0")]] * 2 + [[], []]


@pytest.mark.parametrize("args, message", [
    (("p0", "moved", None, None), "state moved needs the node"),
    (("p0", "cleared", None, "PT1H"), "lifetime 'PT1H' applies to a move or a ban"),
    (("p0", "moved", "bob", "1 hour"), "lifetime '1 hour' is not an ISO 8601 duration"),
    (("p 0", "moved", "bob", None), "p 0"),
])
def test_bad_move_input_is_refused_naming_the_value(args, message):
    with pytest.raises(CibError, match=message):
        ops.parse_resource_move(*args)


def test_a_clone_is_not_moved_and_an_unknown_node_is_refused(cib):
    before = epoch(cib)
    with pytest.raises(CibError, match="clone c1 runs on several nodes"):
        converge(cib, ops.parse_resource_move("c1", "moved", "bob", None).declaration(cib), False)
    with pytest.raises(CibError, match="node carol is not in the CIB"):
        converge(cib, ops.parse_resource_move("p0", "banned", "carol", None).declaration(cib), False)
    assert epoch(cib) == before


def test_durations():
    assert ops.duration_seconds("PT30M") == 1800
    assert ops.duration_seconds("P1DT2H") == 93600
    assert ops.duration_seconds("P1W") == 604800
    assert ops.duration_seconds(None) is None
    for bad in ("P", "PT", "P1Y", "30m"):
        with pytest.raises(CibError):
            ops.duration_seconds(bad)


def test_failures_join_fail_counts_and_failed_actions():
    status = {"fail_counts": [{"resource": "web", "node": "alice", "fail_count": 2}],
              "failed_actions": [{"op_key": "web_monitor_10000", "node": "alice"},
                                 {"op_key": "db_start_0", "node": "bob"}]}
    found = ops.failures(status, None, None)
    assert [(f["resource"], f["node"], f["fail_count"], f["failed_actions"]) for f in found] == [
        ("db", "bob", 0, ["db_start_0"]), ("web", "alice", 2, ["web_monitor_10000"])]
    assert [f["resource"] for f in ops.failures(status, "web", None)] == ["web"]
    assert ops.failures(status, None, "carol") == []


def test_node_condition_says_why_a_node_runs_nothing():
    status = {"nodes": [{"name": "alice", "online": True, "standby": True, "maintenance": False},
                        {"name": "bob", "online": True, "standby": False, "maintenance": False}]}
    assert ops.node_condition(status, "alice") == " (alice is in standby)"
    assert ops.node_condition(status, "bob") == ""
    assert ops.node_condition(status, "carol") == ""


class Params:
    def __init__(self, **params):
        self.params = dict({"granted": None, "standby": None, "wait": False, "wait_timeout": 10}, **params)


def ticket_run(cib, check_mode=False, **params):
    action = ops.TicketAction(Params(cib_file=cib.cib_file, **params), Runner(env={"CIB_file": cib.cib_file}))
    plan = action.plan()
    if plan.changed and not check_mode:
        action.apply(plan)
    return plan


def test_a_ticket_granted_and_revoked_as_crm_ticket_does_check_mode_first(cib):
    tool(cib, "cibadmin", "-C", "-o", "constraints", "-X",
         '<rsc_ticket id="p0-needs-a" rsc="p0" ticket="site-a" loss-policy="stop"/>')
    before = epoch(cib)
    plan = ticket_run(cib, check_mode=True, ticket="site-a", granted=True)
    assert plan.steps == ["grant ticket site-a"] and plan.before == "site-a: revoked\n" and plan.after == "site-a: granted\n"
    assert plan.result["ticket"]["constraints"] == ["p0-needs-a"]
    assert epoch(cib) == before and ops.ticket_state(Runner(env={"CIB_file": cib.cib_file}), "site-a") is None
    assert ticket_run(cib, ticket="site-a", granted=True).steps == ["grant ticket site-a"]
    assert "granted" in tool(cib, "crm_ticket", "--info").stdout
    # one query reads both the state and the constraints that name the ticket
    state, constraints = ops.ticket_reads(Runner(env={"CIB_file": cib.cib_file}), "site-a")
    assert state["granted"] is True and state["standby"] is False and constraints == ["p0-needs-a"]
    assert ticket_run(cib, check_mode=True, ticket="site-a", granted=True).result["ticket"]["constraints"] == ["p0-needs-a"]
    assert ticket_run(cib, check_mode=True, ticket="site-a", granted=True).steps == []
    assert ticket_run(cib, ticket="site-a", granted=True).steps == []
    # standby and activate are the other dimension; a revoke keeps the standby flag
    assert ticket_run(cib, ticket="site-a", standby=True).steps == ["standby ticket site-a"]
    assert "[standby]" in tool(cib, "crm_ticket", "--info").stdout
    plan = ticket_run(cib, ticket="site-a", granted=False, standby=False)
    assert plan.steps == ["revoke ticket site-a", "activate ticket site-a"]
    assert plan.before == "site-a: granted, standby\n" and plan.after == "site-a: revoked\n"
    assert tool(cib, "crm_ticket", "--info").stdout.split()[:2] == ["site-a", "revoked"]
    assert ticket_run(cib, ticket="site-a", granted=False, standby=False).steps == []


def test_an_unknown_ticket_or_a_bad_name_is_refused_and_nothing_is_written(cib):
    before = epoch(cib)
    with pytest.raises(CibError, match="ticket site-b: no rsc_ticket constraint names it"):
        ticket_run(cib, ticket="site-b", granted=True)
    with pytest.raises(CibError, match="invalid ticket 'site b'"):
        ticket_run(cib, ticket="site b", granted=True)
    assert epoch(cib) == before and "tickets" not in open(cib.cib_file).read()


def test_every_operation_settles_through_the_one_settle_helper(cib):
    """Each operation's wait goes through settle(cib, ...): on a CIB_file there is nothing to wait for, and nothing
    fails (a settle that took a runner instead of the Cib broke every wait on a live cluster once)."""
    ops.NodeState("alice", "standby").settled(cib, 5)
    ops.ClusterMaintenance(True).settled(cib, 5)
    ops.settle(cib, 5, "a test")
    calls = []

    class Waiter:
        def wait(self, timeout):
            calls.append(timeout)

    ops.settle(Waiter(), 7, "a test")
    assert calls == [7]
