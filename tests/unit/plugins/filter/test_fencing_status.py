# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fencing filters on crm_mon and stonith_admin output recorded on the lab (Debian 13, Pacemaker 3.0:
fence_redfish through the lab's BMC, with a wrong password; a fencing confirmed by hand, on Debian 12 too)."""

from __future__ import annotations

import os

import pytest


def recorded(name):
    folder = os.path.join(os.path.dirname(__file__), "..", "module_utils", "crm_mon")
    with open(os.path.join(folder, name), encoding="utf-8") as handle:
        return handle.read()


def test_a_wrong_password_is_said_in_words():
    from ansible_collections.hacluster.crm.plugins.filter import crm
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    status = _status.parse(recorded("trixie-wrong-password.xml"))
    assert [(d["id"], d["role"], d["active"]) for d in status["fence_devices"]] == [
        ("fence-alice", "Stopped", False), ("fence-bob", "Stopped", False), ("fence-carol", "Stopped", False)]
    problems = crm.fence_device_problems(status)
    assert problems[0] == ("fence device fence-alice is Stopped: its start failed on alice, bob, carol (Error occurred). "
                           "Check its address and credentials (a wrong password fails this way): it fences nothing "
                           "until it runs")
    assert problems[3].startswith("the last fencing of bob FAILED (reboot, asked by alice, at 2026-11-27 15:55:46")
    assert len(problems) == 4
    assert crm.fencing_report(status["last_fencing"]) == [
        "bob: reboot FAILED at 2026-11-27 15:55:46.523282Z (no reason given): the node may still run its resources",
        "carol: rebooted by alice at 2026-11-27 15:54:06.483280Z"]
    rows = []
    crm.fencing_rows(lambda *row: rows.append(row), [None, {k: status[k] for k in (
        "stonith_enabled", "fence_devices", "last_fencing", "failed_actions", "running")}])
    assert [r[:3] for r in rows] == [("fencing", "cluster", "FAIL"), ("last fencing", "bob", "FAIL"),
                                     ("last fencing", "carol", "OK")]


def test_fencing_disabled_is_a_warning_in_the_health_table():
    from ansible_collections.hacluster.crm.plugins.filter import crm
    rows = []
    crm.fencing_rows(lambda *row: rows.append(row), [{"running": True, "stonith_enabled": False, "fence_devices": [],
                                                      "last_fencing": {}, "failed_actions": []}])
    assert rows == [("fencing", "cluster", "WARN",
                     "disabled (stonith-enabled=false): a split cluster can run a resource twice")]


def start_read(history, running=True):
    """A node_state result as the init role registers it at a run's start."""
    return {"changed": False, "fencing": {"pacemaker_running": running, "history": history}}


def test_a_fencing_that_no_fencer_knew_at_the_start_is_named():
    from ansible_collections.hacluster.crm.plugins.filter import crm
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    status = _status.parse(recorded("trixie-fenced.xml"))
    history = status["fencing_history"]
    assert len(history) > 2 and history[0]["target"] == "bob" and history[0]["status"] == "failed"
    # at the start, alice's fencer knew every event but the newest; bob did not run Pacemaker; carol was not read
    probes = [start_read(history[1:]), start_read([], running=False), None]
    assert crm.fenced_in_run(status, probes) == [
        "bob: reboot FAILED at %s (no reason given): the node may still run its resources" % history[0]["completed"]]
    # a fencer that knew them all: nothing new, whatever the other nodes said
    assert crm.fenced_in_run(status, [start_read(history), start_read(None)]) == []


def test_a_cluster_that_did_not_run_at_the_start_knew_no_fencing():
    from ansible_collections.hacluster.crm.plugins.filter import crm
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    status = _status.parse(recorded("trixie-fenced.xml"))
    newest = {e["target"]: e for e in reversed(status["fencing_history"])}
    lines = crm.fenced_in_run(status, [start_read([], running=False), start_read([], running=False)])
    assert lines == crm.fencing_report(newest) and len(lines) == len(newest) > 0


def test_no_comparison_without_a_start_or_a_running_cluster():
    from ansible_collections.hacluster.crm.plugins.filter import crm
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    status = _status.parse(recorded("trixie-fenced.xml"))
    # the status playbook alone, check mode: no node_state read (or one skipped)
    assert crm.fenced_in_run(status, [None, {}]) == []
    assert crm.fenced_in_run(status, [{"skipped": True}]) == []
    # Pacemaker ran at the start but no fencer answered: the start is unknown, so nothing is called new
    assert crm.fenced_in_run(status, [start_read(None), start_read([], running=False)]) == []
    # the cluster does not run now: cluster_info has no history to compare
    assert crm.fenced_in_run(_status.down("not connected"), [start_read([])]) == []


class Recorded:
    """A runner that answers as stonith_admin did on the lab: the history of one manual fencing confirmation."""

    def __init__(self, name):
        self.name = name
        self.calls = []

    def run(self, argv, data=None, check=True, ok_rcs=(0,)):
        self.calls.append(list(argv))
        return 0, recorded(self.name), ""


@pytest.mark.parametrize("release, completed", [("trixie", "2026-12-06 14:08:31.949682Z"),
                                                ("bookworm", "2026-12-06 17:34:06Z")])
def test_the_fencer_and_crm_mon_say_an_event_alike(release, completed):
    # both recorded on the lab's alice, one after the other, after stonith_admin --confirm carol (Pacemaker 3.0 on
    # Debian 13, 2.1.5 on Debian 12: the time with microseconds, and without)
    from ansible_collections.hacluster.crm.plugins.filter import crm
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    runner = Recorded("%s-stonith-history.xml" % release)
    history = _status.fence_history(runner)
    assert runner.calls == [["stonith_admin", "--history", "*", "--verbose", "--timeout", "10", "--output-as", "xml"]]
    status = _status.parse(recorded("%s-confirmed.xml" % release))
    assert history == status["fencing_history"] and [e["target"] for e in history] == ["carol"]
    assert history[0]["completed"] == completed
    # known at the start: nothing new at the end; unknown (Pacemaker ran, the fencer knew none): carol's is new
    assert crm.fenced_in_run(status, [start_read(history), {}]) == []
    assert crm.fenced_in_run(status, [start_read([]), start_read([])]) == [
        "carol: powered off by a human at %s" % completed]


def test_events_alike_but_for_their_time_are_counted():
    # a release upgrade: the start read by Pacemaker 2.1's stonith_admin, the end by 3.0's crm_mon, each writing the
    # time its own way (as recorded above: seconds, and microseconds); a second reboot of bob by the same DC differs
    # from the first in its time alone
    from ansible_collections.hacluster.crm.plugins.filter import crm
    reboot = {"target": "bob", "action": "reboot", "status": "success", "delegate": "alice", "origin": "alice",
              "client": "pacemaker-controld.811"}
    first_21 = dict(reboot, completed="2026-12-06 09:00:00Z")
    first_30 = dict(reboot, completed="2026-12-06 09:00:00.120000Z")
    second_30 = dict(reboot, completed="2026-12-06 10:00:00.340000Z")
    at_start = [start_read([first_21]), start_read([first_21])]
    assert crm.fenced_in_run({"running": True, "fencing_history": [first_30]}, at_start) == []
    assert crm.fenced_in_run({"running": True, "fencing_history": [second_30, first_30]}, at_start) == [
        "bob: rebooted by alice at 2026-12-06 10:00:00.340000Z"]
