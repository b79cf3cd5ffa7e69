# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fencing filters on crm_mon output recorded on the lab (Debian 13, Pacemaker 3.0, fence_redfish
through the lab's BMC, with a wrong password)."""

from __future__ import annotations

import os


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
