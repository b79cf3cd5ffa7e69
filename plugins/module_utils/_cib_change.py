# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way a module goes into the CIB: ``run_cib(module, parse)``.

``parse()`` checks the module's input and returns a parsed declaration (primitives, the resource model,
fencing levels, properties) that says everything about itself: ``summary()``, what it declares (for the
prediction on a server without lxml or Pacemaker yet), and ``declaration(cib)``, the pass over a copy of
the CIB with its secret values and warnings. The delta engine (``_cib``) plans one delta from one read;
the plan/apply contract (``_engine``) turns the plan into check mode, the diff, the result and errors."""

from __future__ import annotations

import json
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    Cib, CibError, Declaration, converge, etree, first_pass,
)
from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan, run
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import mask_args

ACTIONS = {(False, True): "create", (True, False): "delete", (True, True): "update"}


class Parsed(t.Protocol):
    def summary(self) -> list[tuple[str, str, t.Any]]:
        """(kind, id, body) of what is declared present."""

    def declaration(self, cib: Cib) -> Declaration:
        """The pass over a copy of the CIB (agents and references checked against it)."""


class Together(t.NamedTuple):
    """Several declarations as one (cib_resources with properties: the resource model and the sets), in order: one
    read of the CIB, one pass, one delta."""

    parts: tuple[Parsed, ...]

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [item for part in self.parts for item in part.summary()]

    def declaration(self, cib: Cib) -> Declaration:
        declarations = [part.declaration(cib) for part in self.parts]

        def edit_pass(config: t.Any, index: t.Any, edit: t.Any) -> None:
            for declaration in declarations:
                declaration.edit_pass(config, index, edit)

        return Declaration(edit_pass, lambda name: any(d.secret(name) for d in declarations),
                           frozenset().union(*(d.secrets for d in declarations)),
                           tuple(w for d in declarations for w in d.warnings))


def run_cib(module: t.Any, parse: t.Callable[[], Parsed]) -> None:
    """Every CIB module's glue: parse, plan against the CIB, predict or apply, the diff and errors."""
    run(module, lambda: CibChange(module, parse), CibError)


class CibChange:
    """Secret values never show: masked in the diff by the delta engine (declared ones and those read back
    from the CIB, by one rule), in the invocation by SecretAwareModule, and in the result and any error
    through the module's no_log values."""

    def __init__(self, module: t.Any, parse: t.Callable[[], Parsed]) -> None:
        self.module = module
        self.parsed = parse()
        self.cib = Cib(Runner(module), module.params.get("cib_file"), predict=module.check_mode)

    def plan(self) -> Plan:
        if etree is None:
            return self.predict_without_lxml()
        declaration = self.parsed.declaration(self.cib)
        self.module.register_secrets(declaration.secrets)
        for warning in declaration.warnings:
            self.module.warn(warning)
        old, new, edit = first_pass(self.cib, declaration)
        self.module.register_secrets(edit.secrets)
        changes = [{"kind": kind, "id": ident, "action": ACTIONS[(bool(before), bool(after))]}
                   for kind, ident, before, after in edit.changes]
        return Plan(steps=["%(action)s %(kind)s %(id)s" % c for c in changes],
                    before="".join(c[2] for c in edit.changes), after="".join(c[3] for c in edit.changes),
                    header="CIB", result={"changes": changes, "patches_applied": 0, "changes_dropped": 0},
                    data=(declaration, old, new, edit))

    def predict_without_lxml(self) -> Plan:
        """Check mode on a server that has neither Pacemaker nor lxml yet (both come with the cluster
        packages): a new cluster's CIB is empty, so everything declared would be created. The diff
        shows the declarations, masked, since the XML cannot be built here."""
        self.module.warn("predicting against the empty CIB of a new cluster without lxml and Pacemaker's tools "
                         "(not installed yet): the declarations are not checked against agents or schema")
        declared = self.parsed.summary()
        changes = [{"kind": kind, "id": ident, "action": "create"} for kind, ident, _body in declared]
        after = "".join("%s %s: %s\n" % (kind, ident, json.dumps(mask_args(body), sort_keys=True))
                        for kind, ident, body in declared)
        return Plan(steps=["create %s %s" % (kind, ident) for kind, ident, _body in declared], before="", after=after,
                    header="CIB (predicted for a new cluster)",
                    result={"changes": changes, "patches_applied": 0, "changes_dropped": 0})

    def apply(self, plan: Plan) -> dict[str, t.Any]:
        declaration, old, new, edit = plan.data
        converge(self.cib, declaration, False, start=(old, new, edit))
        if self.module.params.get("wait"):
            # a declaration that knows what settling means for it says what did not happen
            settled = getattr(self.parsed, "settled", None)
            if settled is not None:
                settled(self.cib, self.module.params["wait_timeout"])
            else:
                self.cib.wait(self.module.params["wait_timeout"])
        return {"patches_applied": self.cib.patches_applied, "changes_dropped": self.cib.changes_dropped}
