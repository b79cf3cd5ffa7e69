# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A start systemd could not set up (result 'resources', the spawn failure Debian 13's systemd shows now and then in
the lab's containers) is tried once more, and so is a start of corosync that exited (with a warning); any other
failure, or a second one, stays the module's error, for corosync with what it logged last. systemctl's and
journalctl's replies are given here: what is tested is the decision, not systemd."""

from __future__ import annotations

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _services
from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError


class Module:
    def __init__(self):
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


class Replies:
    """systemctl's answers in order, per verb; every call recorded."""

    def __init__(self, starts, result="resources", active=False):
        self.starts = list(starts)
        self.result = result
        self.is_active = active
        self.calls = []
        self.module = Module()

    def run(self, argv, data=None, check=True, ok_rcs=(0,)):
        if argv[0] == "journalctl":
            self.calls.append("journal %s" % argv[argv.index("--unit") + 1])
            return 0, "corosync[9]:   [MAIN  ] parse error in config: No interfaces defined\n", ""
        self.calls.append(argv[1])
        if argv[1] == "start":
            if self.starts.pop(0):
                return 0, "", ""
            raise CommandError("systemctl failed (rc=1)", argv, 1, "Job failed because of unavailable resources")
        if argv[1] == "show":
            return 0, self.result + "\n", ""
        if argv[1] == "is-active":
            return (0 if self.is_active else 3), "", ""
        if argv[1] == "is-enabled":
            return 0, "", ""
        raise AssertionError(argv)


def stack(replies, monkeypatch):
    monkeypatch.setattr(_services.time, "sleep", lambda _s: None)
    made = object.__new__(_services.Stack)
    made.runner = replies
    return made


def test_a_spawn_failure_is_tried_once_more(monkeypatch):
    replies = Replies([False, True])
    stack(replies, monkeypatch).systemctl("start", "pacemaker")
    assert replies.calls == ["start", "show", "is-active", "start"]


def test_the_unit_restarted_by_itself_is_not_started_twice(monkeypatch):
    replies = Replies([False], active=True)
    stack(replies, monkeypatch).systemctl("start", "pacemaker")
    assert replies.calls == ["start", "show", "is-active"]


def test_another_failure_or_a_second_one_is_the_error(monkeypatch):
    with pytest.raises(CommandError):
        stack(Replies([False], result="failed"), monkeypatch).systemctl("start", "corosync")
    twice = Replies([False, False])
    with pytest.raises(CommandError):
        stack(twice, monkeypatch).systemctl("start", "corosync")
    assert twice.calls.count("start") == 2


def test_corosync_that_exited_at_start_is_started_once_more_with_a_warning(monkeypatch):
    replies = Replies([False, True], result="exit-code")
    stack(replies, monkeypatch).systemctl("start", "corosync")
    assert replies.calls == ["start", "show", "journal corosync", "is-active", "start"]
    assert replies.module.warnings == ["corosync exited at start and is started once more in 2 s; it logged:\n"
                                       "corosync[9]:   [MAIN  ] parse error in config: No interfaces defined"]


def test_corosync_that_would_not_start_twice_says_what_it_logged_last(monkeypatch):
    """systemd's "the control process exited with error code" names no cause: the error ends with corosync's last
    lines in the journal; the command, its rc and its stderr stay systemctl's."""
    replies = Replies([False, False], result="exit-code")
    with pytest.raises(CommandError) as failed:
        stack(replies, monkeypatch).systemctl("start", "corosync")
    assert failed.value.msg.startswith("systemctl failed (rc=1)\ncorosync logged last:\n")
    assert "parse error in config: No interfaces defined" in failed.value.msg
    assert failed.value.cmd == ["systemctl", "start", "corosync"] and failed.value.rc == 1
    assert replies.calls == ["start", "show", "journal corosync", "is-active", "start", "journal corosync"]


def test_pacemaker_that_would_not_start_reads_no_journal(monkeypatch):
    """pacemaker's log may quote a resource's parameters: it is not copied into the error."""
    replies = Replies([False], result="exit-code")
    with pytest.raises(CommandError) as failed:
        stack(replies, monkeypatch).systemctl("start", "pacemaker")  # and is not started again
    assert failed.value.msg == "systemctl failed (rc=1)"
    assert replies.calls == ["start", "show"]


class Cmap:
    """corosync-cmapctl's answers: the nodelist's nodeids and the members' states."""

    def __init__(self, nodeids, members):
        self.nodeids, self.members = nodeids, members

    def run(self, argv, data=None, check=True, ok_rcs=(0,)):
        assert argv[0] == "corosync-cmapctl"
        if argv[1] == "nodelist.node.":
            return 0, "".join("nodelist.node.%d.nodeid (u32) = %s\n" % (i, n) for i, n in enumerate(self.nodeids)), ""
        return 0, "".join("runtime.members.%s.ip (str) = r(0) ip(10.0.0.%s) \nruntime.members.%s.status (str) = %s\n"
                          % (n, n, n, state) for n, state in self.members.items()), ""


@pytest.mark.parametrize("members, complete", [
    ({"1": "joined", "2": "joined", "3": "joined"}, True),
    ({"1": "joined", "2": "joined"}, False),                   # a node not started yet
    ({"1": "joined", "2": "joined", "3": "left"}, False),      # one that left
    ({"1": "joined", "2": "joined", "3": "joined", "9": "joined"}, True),
])
def test_the_ring_is_complete_when_every_node_of_the_nodelist_has_joined(members, complete):
    made = object.__new__(_services.Stack)
    made.runner = Cmap(["1", "2", "3"], members)
    assert made.ring_complete() is complete


def test_no_nodelist_is_never_a_complete_ring():
    made = object.__new__(_services.Stack)
    made.runner = Cmap([], {"1": "joined"})
    assert made.ring_complete() is False


class Steps:
    """A stack that records what ClusterService.apply asks of it, with the seed and its removal."""

    def __init__(self, monkeypatch, tmp_path, complete, cib):
        self.calls = []
        self.runner = None
        self.complete = complete
        monkeypatch.setattr(_services, "CIB_DIR", str(tmp_path))
        if cib:
            (tmp_path / "cib.xml").write_text("<cib/>")
        monkeypatch.setattr(_services, "seed_cib", lambda _runner: self.calls.append("seed"))
        monkeypatch.setattr(_services, "unseed", lambda _runner: self.calls.append("unseed"))

    def apply(self, steps):
        self.calls.extend("%s %s" % step for step in steps)

    def wait_ring_complete(self, timeout):
        self.calls.append("ring %d s" % timeout)
        return self.complete

    def wait_member(self, timeout):
        self.calls.append("member")


def cold_start(stack, seed):
    made = object.__new__(_services.ClusterService)
    made.params = {"state": "started", "wait": True, "timeout": 120}
    made.stack = stack
    steps = [("start", "corosync"), ("start", "corosync-qdevice"), ("start", "pacemaker")]
    made.apply(Plan(steps=[], before="", after="", data=(steps, seed, False)))
    return stack.calls


def test_a_new_node_is_seeded_before_anything_starts(monkeypatch, tmp_path):
    calls = cold_start(Steps(monkeypatch, tmp_path, complete=False, cib=False), "new")
    assert calls == ["seed", "start corosync", "start corosync-qdevice", "start pacemaker", "member", "unseed"]


def test_a_cluster_stopped_whole_is_seeded_once_corosync_has_every_node(monkeypatch, tmp_path):
    calls = cold_start(Steps(monkeypatch, tmp_path, complete=True, cib=True), "ring")
    assert calls == ["start corosync", "start corosync-qdevice", "ring 20 s", "seed", "start pacemaker", "member",
                     "unseed"]


def test_a_node_missing_from_the_ring_leaves_the_cib_as_it_is(monkeypatch, tmp_path):
    """a node that did not join within 20 s: pacemaker's own dc-deadtime gives it its time, nothing is seeded"""
    calls = cold_start(Steps(monkeypatch, tmp_path, complete=False, cib=True), "ring")
    assert calls == ["start corosync", "start corosync-qdevice", "ring 20 s", "start pacemaker", "member"]


class Planned:
    """A stopped stack for ClusterService.plan: both units inactive, both to start."""

    runner = None

    def states(self):
        return {"corosync": (False, True), "pacemaker": (False, True)}

    def plan(self, state, enabled):
        return [("start", "corosync"), ("start", "pacemaker")]


@pytest.mark.parametrize("cib, cold, seed, first", [
    (False, True, "new", _services.SEED_STEP),
    (True, True, "ring", _services.SEED_RING_STEP),
    (True, False, None, "start corosync"),
])
def test_the_plan_names_the_seed_by_whether_the_node_has_a_cib(monkeypatch, tmp_path, cib, cold, seed, first):
    monkeypatch.setattr(_services, "CIB_DIR", str(tmp_path))
    if cib:
        (tmp_path / "cib.xml").write_text("<cib/>")
    made = object.__new__(_services.ClusterService)
    made.params = {"state": "started", "enabled": None, "wait": True, "timeout": 120, "keep_quorum": False,
                   "cold_start": cold}
    made.stack = Planned()
    plan = made.plan()
    assert plan.data[1] == seed and plan.steps[0] == first


def corosync_only(replies, monkeypatch, state="started"):
    """cluster_service's engine with corosync_only, on systemctl's replies (no systemd here needed)."""
    monkeypatch.setattr(_services.os.path, "isdir", lambda _p: True)
    monkeypatch.setattr(_services, "Runner", lambda _module: replies)
    module = type("M", (), {"params": {"state": state, "enabled": None, "extra_services": ["corosync-qdevice"],
                                       "wait": True, "timeout": 5, "keep_quorum": False, "cold_start": True,
                                       "corosync_only": True}})()
    return _services.ClusterService(module)


def test_corosync_only_starts_corosync_and_the_extra_services_not_pacemaker(monkeypatch):
    plan = corosync_only(Replies([]), monkeypatch).plan()
    assert plan.data == ([("start", "corosync"), ("start", "corosync-qdevice")], None, False)
    assert plan.steps == ["start corosync", "start corosync-qdevice"]


def test_corosync_only_running_waits_for_no_membership(monkeypatch):
    # corosync-quorumtool or crm_mon would be an AssertionError of the replies: only the units' states are asked
    replies = Replies([], active=True)
    plan = corosync_only(replies, monkeypatch).plan()
    assert not plan.changed
    assert set(replies.calls) == {"is-active", "is-enabled"}


def test_corosync_only_is_refused_with_another_state(monkeypatch):
    with pytest.raises(_services.ServiceError, match="corosync_only goes with state=started, not state=restarted"):
        corosync_only(Replies([]), monkeypatch, state="restarted")
