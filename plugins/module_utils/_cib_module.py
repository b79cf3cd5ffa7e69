# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue the CIB modules share."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError, Edit
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner, failing_on


def run_cib_module(module: t.Any, work: t.Callable[[Cib], Edit]) -> None:
    with failing_on(module, CibError):
        cib = Cib(Runner(module), module.params.get("cib_file"), predict=module.check_mode)
        edit = work(cib)
        if edit.changes and not module.check_mode and module.params.get("wait"):
            cib.wait(module.params["wait_timeout"])
    changed = bool(edit.changes)
    result: dict[str, t.Any] = {
        "changed": changed,
        "changes": [{"kind": kind, "id": ident, "action": "create" if not before else "delete" if not after else "update"}
                    for kind, ident, before, after in edit.changes],
        "patches_applied": cib.patches_applied,
    }
    if module._diff:
        result["diff"] = {"before": "".join(c[2] for c in edit.changes), "after": "".join(c[3] for c in edit.changes),
                          "before_header": "CIB", "after_header": "CIB"}
    module.exit_json(**result)
