# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A start systemd could not set up (result 'resources', the spawn failure Debian 13's systemd shows now and then in
the lab's containers) is tried once more; any other failure, or a second one, stays the module's error. systemctl's
replies are given here: what is tested is the decision, not systemd."""

from __future__ import annotations

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _services
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError


class Replies:
    """systemctl's answers in order, per verb; every call recorded."""

    def __init__(self, starts, result="resources", active=False):
        self.starts = list(starts)
        self.result = result
        self.is_active = active
        self.calls = []

    def run(self, argv, data=None, check=True, ok_rcs=(0,)):
        self.calls.append(argv[1])
        if argv[1] == "start":
            if self.starts.pop(0):
                return 0, "", ""
            raise CommandError("systemctl failed (rc=1)", argv, 1, "Job failed because of unavailable resources")
        if argv[1] == "show":
            return 0, self.result + "\n", ""
        if argv[1] == "is-active":
            return (0 if self.is_active else 3), "", ""
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
        stack(Replies([False], result="exit-code"), monkeypatch).systemctl("start", "corosync")
    twice = Replies([False, False])
    with pytest.raises(CommandError):
        stack(twice, monkeypatch).systemctl("start", "corosync")
    assert twice.calls.count("start") == 2
