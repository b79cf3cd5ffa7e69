# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue the CIB modules share."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError, Edit, is_secret
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner, failing_on


def declared_secrets(params: dict[str, t.Any]) -> set[str]:
    """Values of the declared parameters whose names say they are secrets."""
    items = params.get("primitives") or [params]
    return {str(v) for item in items if isinstance(item, dict) for k, v in (item.get("params") or {}).items()
            if v not in (None, "") and is_secret(str(k))}


def run_cib_module(module: t.Any, work: t.Callable[[Cib], Edit]) -> None:
    """Secret values never show: masked in the diff by the engine, and in the result, the invocation
    and any error through the module's no_log values (before anything can fail)."""
    module.no_log_values.update(declared_secrets(module.params))
    with failing_on(module, CibError):
        cib = Cib(Runner(module), module.params.get("cib_file"), predict=module.check_mode)
        try:
            edit = work(cib)
        finally:
            module.no_log_values.update(cib.secrets)
        if edit.changes and not module.check_mode and module.params.get("wait"):
            cib.wait(module.params["wait_timeout"])
    changed = bool(edit.changes)
    result: dict[str, t.Any] = {
        "changed": changed,
        "changes": [{"kind": kind, "id": ident, "action": "create" if not before else "delete" if not after else "update"}
                    for kind, ident, before, after in edit.changes],
        "patches_applied": cib.patches_applied,
        "changes_dropped": cib.changes_dropped,
    }
    if module._diff:
        result["diff"] = {"before": "".join(c[2] for c in edit.changes), "after": "".join(c[3] for c in edit.changes),
                          "before_header": "CIB", "after_header": "CIB"}
    module.exit_json(**result)
