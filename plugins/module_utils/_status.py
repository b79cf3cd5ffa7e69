# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``crm_mon --output-as=xml`` as data (the XML, never the text)."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

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
        "stack": stack.get("type") if stack is not None else None,
        "dc": dc.get("name") if dc is not None and _bool(dc.get("present")) else None,
        "quorate": dc is not None and _bool(dc.get("with_quorum")),
        "nodes": nodes,
        "resources": resources,
        "failed_actions": failures,
    }


def read(runner: Runner) -> dict[str, t.Any]:
    _rc, out, _err = runner.run(["crm_mon", "--one-shot", "--inactive", "--output-as=xml"])
    return parse(out)
