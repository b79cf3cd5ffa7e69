# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``crm_mon --output-as=xml`` as data (the XML, never the text)."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner

try:
    from lxml import etree
except ImportError:  # pragma: no cover
    etree = None


def _bool(value: str | None) -> bool:
    return value == "true"


def parse(xml: str) -> dict[str, t.Any]:
    root = etree.fromstring(xml.encode())
    summary = root.find("summary")
    dc = summary.find("current_dc") if summary is not None else None
    stack = summary.find("stack") if summary is not None else None
    nodes = []
    for node in root.iterfind("nodes/node"):
        nodes.append({
            "name": node.get("name"), "id": node.get("id"), "online": _bool(node.get("online")),
            "standby": _bool(node.get("standby")), "maintenance": _bool(node.get("maintenance")),
            "unclean": _bool(node.get("unclean")), "pending": _bool(node.get("pending")),
            "is_dc": _bool(node.get("is_dc")), "resources_running": int(node.get("resources_running", "0")),
        })
    resources = []
    for res in root.iter("resource"):
        resources.append({
            "id": res.get("id"), "agent": res.get("resource_agent"), "role": res.get("role"),
            "target_role": res.get("target_role"), "active": _bool(res.get("active")),
            "failed": _bool(res.get("failed")), "managed": _bool(res.get("managed")),
            "nodes": [n.get("name") for n in res.iterfind("node")],
        })
    failures = [dict(f.attrib) for f in root.iterfind("failures/failure")]
    return {
        "running": True,
        "stack": stack.get("type") if stack is not None else None,
        "dc": dc.get("name") if dc is not None and _bool(dc.get("present")) else None,
        "quorate": dc is not None and _bool(dc.get("with_quorum")),
        "nodes": nodes,
        "resources": resources,
        "failed_actions": failures,
    }


def down(reason: str, pacemakerd_state: str | None = None) -> dict[str, t.Any]:
    return {"running": False, "reason": reason, "pacemakerd_state": pacemakerd_state, "stack": None, "dc": None,
            "quorate": False, "nodes": [], "resources": [], "failed_actions": []}


def read(runner: Runner) -> dict[str, t.Any]:
    """The status; a cluster that is not running (Pacemaker 2's "Not connected", Pacemaker 3's
    crm-mon-disconnected) is reported as down, with crm_mon's reason, not as an error."""
    argv = ["crm_mon", "--one-shot", "--inactive", "--output-as=xml"]
    rc, out, err = runner.run(argv, check=False)
    try:
        root = etree.fromstring(out.encode())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CommandError("crm_mon failed (rc=%s): %s" % (rc, (err or out).strip() or exc), argv, rc, err) from exc
    disconnected = root.find("crm-mon-disconnected")
    if disconnected is not None:
        return down(disconnected.get("description") or "not connected", disconnected.get("pacemakerd-state"))
    if rc != 0 and root.find("summary") is None:
        status = root.find("status")
        words = [e.text for e in root.iter("error") if e.text] or [status.get("message") if status is not None else ""]
        return down("; ".join(w for w in words if w) or "crm_mon rc=%s" % rc)
    if rc != 0:
        raise CommandError("crm_mon failed (rc=%s): %s" % (rc, (err or out).strip()), argv, rc, err)
    return parse(out)
