# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one glue: check mode predicts and writes nothing, diff mode shows before and after,
errors become fail_json."""

from __future__ import annotations

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan, run
from ansible_collections.hacluster.crm.plugins.module_utils._services import after_steps, describe


class Exit(Exception):
    pass


class Module:
    def __init__(self, check_mode=False, diff=False):
        self.check_mode = check_mode
        self._diff = diff
        self.result = None

    def exit_json(self, **result):
        self.result = dict(result, failed=False)
        raise Exit()

    def fail_json(self, **result):
        self.result = dict(result, failed=True)
        raise Exit()


class Engine:
    def __init__(self, steps, error=None):
        self.steps = steps
        self.error = error
        self.applied = []

    def plan(self):
        if self.error:
            raise self.error
        return Plan(steps=self.steps, before="old\n", after="new\n", header="f", result={"key": 1}, data="exact")

    def apply(self, plan):
        self.applied.append(plan.data)
        return {"added": True}


def outcome(module, engine, *errors):
    with pytest.raises(Exit):
        run(module, lambda: engine, *errors)
    return module.result


def test_apply_runs_exactly_the_plan_and_adds_its_keys():
    engine = Engine(["write f"])
    result = outcome(Module(), engine)
    assert engine.applied == ["exact"]
    assert result == {"key": 1, "added": True, "changed": True, "failed": False}


def test_check_mode_predicts_and_applies_nothing_and_diff_shows_both_sides():
    engine = Engine(["write f"])
    result = outcome(Module(check_mode=True, diff=True), engine)
    assert engine.applied == [] and result["changed"] is True
    assert result["diff"] == {"before": "old\n", "after": "new\n", "before_header": "f", "after_header": "f"}


def test_nothing_to_do_is_not_applied():
    engine = Engine([])
    assert outcome(Module(), engine)["changed"] is False and engine.applied == []


def test_a_domain_error_is_fail_json_with_its_message():
    result = outcome(Module(), Engine([], error=ValueError("bad value x")), ValueError)
    assert result == {"msg": "bad value x", "failed": True}


def test_service_diff_states():
    before = {"corosync": (False, False), "pacemaker": (False, True)}
    steps = [("start", "corosync"), ("start", "pacemaker"), ("enable", "corosync")]
    assert describe(after_steps(before, steps)) == "corosync: active, enabled\npacemaker: active, enabled\n"
    assert describe(before) == "corosync: inactive, disabled\npacemaker: inactive, enabled\n"
