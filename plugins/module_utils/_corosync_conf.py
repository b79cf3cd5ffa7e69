# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The corosync_conf engine: plan the new corosync.conf (validated with ``corosync -t``), write it."""

from __future__ import annotations

import json
import os
import socket
import tempfile
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils import _corosync as cc
from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._files import read_text, write_atomic
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner


def plan(current: str | None, settings: dict[str, t.Any], nodes: list[dict[str, t.Any]] | None,
         source: str) -> tuple[str, list[str]]:
    """The new file text and the dotted keys that change; raises CorosyncConfError."""
    root = cc.parse(current or "", source)
    editor = cc.Editor(root)
    for key in sorted(settings):
        editor.set(key, settings[key])
    if nodes is not None:
        editor.set_nodes(nodes)
    text = cc.render(root)
    cc.parse(text, source + " (as it would be written)")
    return text, sorted(set(editor.changed))


def local_identities(runner: Runner) -> set[str]:
    names = {socket.gethostname(), socket.gethostname().split(".")[0]}
    try:
        _rc, out, _err = runner.run(["ip", "-j", "addr", "show"])
        for link in json.loads(out):
            names.update(a["local"] for a in link.get("addr_info", []))
    except (CommandError, ValueError, KeyError):
        pass
    return names


# What corosync -t says, after its parser and value checks passed, on a host outside the nodelist.
NOT_A_MEMBER = "No valid name found for local host"


DEFAULT_KEYFILE = "/etc/corosync/authkey"


def with_stand_in_key(text: str, path: str, folder: str) -> str:
    """The candidate as corosync -t may read it before the cluster has its authkey (check mode on a
    fresh node): with crypto on and no key file yet, a stand-in key in ``folder`` (a private
    temporary folder). The check is of the configuration, not of the key."""
    root = cc.parse(text, path)
    totem = cc.to_data(root).get("totem", {})
    crypto = any(totem.get(k, "none") != "none" for k in ("crypto_cipher", "crypto_hash"))
    if not crypto or os.path.exists(totem.get("keyfile", DEFAULT_KEYFILE)):
        return text
    stand_in = os.path.join(folder, "authkey")
    fd = os.open(stand_in, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
    with os.fdopen(fd, "wb") as handle:
        handle.write(os.urandom(256))
    editor = cc.Editor(root)
    editor.set("totem.keyfile", stand_in)
    return cc.render(root)


def validate(runner: Runner, text: str, path: str) -> bool:
    """Run ``corosync -t`` on the candidate wherever corosync is installed; True if it ran.

    On a host outside the nodelist corosync stops at finding the local node, after its parser
    and value checks have passed: that much is validated there too. The candidate goes to a private
    temporary folder outside the configuration folder: check mode writes nothing there.
    """
    try:
        runner.binary("corosync")
    except CommandError:
        return False
    data = cc.to_data(cc.parse(text, path))
    member = bool(set(cc.nodelist_names(data)) & local_identities(runner))
    with tempfile.TemporaryDirectory(prefix="corosync-check.") as folder:
        tmp = os.path.join(folder, "corosync.conf")
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(with_stand_in_key(text, path, folder))
        rc, out, err = runner.run(["corosync", "-t", "-c", tmp], check=False)
        said = (err or out).strip().replace(tmp, path)
    if rc != 0 and not (not member and NOT_A_MEMBER in said):
        raise CommandError("corosync -t rejected the new %s: %s" % (path, said), ["corosync", "-t", "-c", path], rc, said)
    return True


class CorosyncConf:
    """corosync.conf as declared: the new text, the keys that change, reload or restart."""

    def __init__(self, module: t.Any) -> None:
        self.module = module
        self.params = module.params

    def plan(self) -> Plan:
        path = self.params["path"]
        current = read_text(path)
        new, changed_keys = plan(current, self.params["settings"] or {}, self.params["nodes"], path)
        if current is None and not new:
            raise cc.CorosyncConfError("%s does not exist and neither settings nor nodes were given to create it" % path)
        changed = new != current
        reload_required, restart_required = cc.reload_or_restart(changed_keys)
        config = cc.to_data(cc.parse(new, path))
        cannot_roll = cc.roll_problems(cc.to_data(cc.parse(current, path)), config) if current and restart_required else []
        result = {"path": path, "changed_keys": changed_keys, "reload_required": reload_required,
                  "restart_required": restart_required, "cannot_roll": cannot_roll, "config": config, "validated": False,
                  "write_required": changed}
        if changed and self.params["validate"]:
            result["validated"] = validate(Runner(self.module), new, path)
        return Plan(steps=["write %s (%s)" % (path, ", ".join(changed_keys) or "layout")] if changed else [],
                    before=current or "", after=new, header=path, result=result, data=new)

    def apply(self, plan: Plan) -> dict[str, t.Any]:
        backup = write_atomic(self.module, self.params["path"], plan.data, 0o644, self.params["backup"])
        return {"backup_file": backup} if backup else {}
