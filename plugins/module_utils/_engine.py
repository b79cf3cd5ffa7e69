# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One contract for every engine, and the one glue that turns it into a module's result.

An engine's ``plan()`` reads the system and says what it would do: the steps, the state before
and after (the diff), and the return keys. ``apply(plan)`` does exactly that plan and never
probes the system again to decide what to do. ``run`` is the only place where a plan becomes
check mode (predict, write nothing), diff mode, the result and ``fail_json``.
"""

from __future__ import annotations

import contextlib
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._files import NotTextError
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError


@contextlib.contextmanager
def failing_on(module: t.Any, *domain_errors: type, **extra: t.Any) -> t.Iterator[None]:
    """The one place where an engine's errors become fail_json: a domain error by its message, a
    CommandError with the command, rc and stderr. ``extra`` goes into the result as well."""
    try:
        yield
    except CommandError as exc:
        module.fail_json(**dict(extra, **exc.as_fail_kwargs()))
    except (NotTextError,) + domain_errors as exc:  # pylint: disable=catching-non-exception
        module.fail_json(msg=str(exc), **extra)


class Plan:
    """What an engine would do: ``steps`` (empty: nothing to do), the diff, the return keys, and
    whatever the engine needs to carry out exactly this plan (``data``, never returned)."""

    def __init__(self, steps: t.Iterable[str] = (), before: str = "", after: str = "", header: str = "",
                 result: dict[str, t.Any] | None = None, data: t.Any = None) -> None:
        self.steps = list(steps)
        self.before = before
        self.after = after
        self.header = header
        self.result = dict(result or {})
        self.data = data

    @property
    def changed(self) -> bool:
        return bool(self.steps)


class Engine(t.Protocol):
    def plan(self) -> Plan:
        ...

    def apply(self, plan: Plan) -> dict[str, t.Any] | None:
        ...


def run(module: t.Any, make: t.Callable[[], Engine], *domain_errors: type) -> None:
    """Plan; apply unless in check mode; return changed, the plan's keys, what apply added, the diff."""
    with failing_on(module, *domain_errors):
        engine = make()
        plan = engine.plan()
        result: dict[str, t.Any] = dict(plan.result)
        if plan.changed and not module.check_mode:
            result.update(engine.apply(plan) or {})
    result["changed"] = plan.changed
    if module._diff:
        result["diff"] = {"before": plan.before, "after": plan.after,
                          "before_header": plan.header, "after_header": plan.header}
    module.exit_json(**result)
