# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``crm_mon --output-as=xml`` as data (the XML, never the text)."""

from __future__ import annotations

import typing as t
from xml.etree import ElementTree

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
            "type": node.get("type") or "member",
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
    # a group's or a clone's resources (a clone of a group: the group's), for the operations by container id
    members = {c.get("id"): sorted({(r.get("id") or "").split(":")[0] for r in c.iter("resource")})
               for c in root.iter("group", "clone", "bundle")}
    options = summary.find("cluster_options") if summary is not None else None
    history = [fence_event(e) for e in root.iter("fence_event")]
    return {
        "running": True,
        "stack": stack.get("type") if stack is not None else None,
        "dc": dc.get("name") if dc is not None and _bool(dc.get("present")) else None,
        "quorate": dc is not None and _bool(dc.get("with_quorum")),
        "nodes": nodes,
        "resources": resources,
        "failed_actions": failures,
        "fail_counts": fail_counts(root),
        "members": members,
        "stonith_enabled": options is not None and _bool(options.get("stonith-enabled")),
        "fence_devices": [r for r in resources if (r["agent"] or "").startswith("stonith:")],
        "fencing_history": history,
        "last_fencing": last_fencing(history),
    }


def fail_counts(root: t.Any) -> list[dict[str, t.Any]]:
    """The resources with a fail count, per node (crm_mon's node_history): what a cleanup clears."""
    out = []
    for node in root.iterfind("node_history/node"):
        for res in node.iterfind("resource_history"):
            count = res.get("fail-count")
            if count and count != "0":
                out.append({"resource": (res.get("id") or "").split(":")[0], "node": node.get("name"),
                            "fail_count": 1000000 if count == "INFINITY" else int(count),
                            "migration_threshold": res.get("migration-threshold"),
                            "last_failure": res.get("last-failure")})
    return out


def fence_event(el: t.Any) -> dict[str, t.Any]:
    """One fencing action as crm_mon/stonith_admin report it: target, action, status (success, failed,
    pending), who did it (delegate), who asked (origin, client), when, and why it failed."""
    return {"target": el.get("target"), "action": el.get("action"), "status": el.get("status"),
            "delegate": el.get("delegate"), "origin": el.get("origin"), "client": el.get("client"),
            "completed": el.get("completed") or el.get("last-failed"), "exit_reason": el.get("exit-reason"),
            "extended_status": el.get("extended-status")}


def fence_history(runner: Runner, timeout: int = 10) -> list[dict[str, t.Any]] | None:
    """Every fencing action the fencer on this node knows (``stonith_admin --history '*' --verbose``), as
    ``fence_event`` gives each; None when the fencer does not answer within ``timeout`` seconds. Read with the
    standard library's parser: the init role reads this before it installs lxml."""
    argv = ["stonith_admin", "--history", "*", "--verbose", "--timeout", str(timeout), "--output-as", "xml"]
    try:
        rc, out, _err = runner.run(argv, check=False)
        root = ElementTree.fromstring(out) if rc == 0 else None
    except (CommandError, ElementTree.ParseError):
        return None
    return None if root is None else [fence_event(e) for e in root.iter("fence_event")]


def last_fencing(history: list[dict[str, t.Any]]) -> dict[str, dict[str, t.Any]]:
    """The newest event per target (crm_mon lists the newest first)."""
    out: dict[str, dict[str, t.Any]] = {}
    for event in history:
        out.setdefault(event["target"], event)
    return out


def down(reason: str, pacemakerd_state: str | None = None) -> dict[str, t.Any]:
    return {"running": False, "reason": reason, "pacemakerd_state": pacemakerd_state, "stack": None, "dc": None,
            "quorate": False, "nodes": [], "resources": [], "failed_actions": [], "fail_counts": [], "members": {}, "stonith_enabled": None,
            "fence_devices": [], "fencing_history": [], "last_fencing": {}}


def read(runner: Runner) -> dict[str, t.Any]:
    """The status; a cluster that is not running (Pacemaker 2's "Not connected", Pacemaker 3's
    crm-mon-disconnected) is reported as down, with crm_mon's reason, not as an error."""
    argv = ["crm_mon", "--one-shot", "--inactive", "--fence-history=3", "--output-as=xml"]
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


QDEVICE_FIELDS = {"Model": "model", "QNetd host": "qnetd_host", "Algorithm": "algorithm", "Tie-breaker": "tie_breaker",
                  "State": "state", "Cluster name": "cluster_name"}


def qdevice(runner: Runner) -> dict[str, t.Any] | None:
    """This node's quorum device as ``corosync-qdevice-tool -s`` reports it; None when there is none."""
    try:
        rc, out, _err = runner.run(["corosync-qdevice-tool", "-s"], check=False)
    except CommandError:
        return None  # not installed
    if rc != 0:
        return {"running": False, "state": "not running"}
    return parse_qdevice(out)


def parse_qdevice(text: str) -> dict[str, t.Any]:
    info: dict[str, t.Any] = {"running": True}
    for line in text.splitlines():
        if ":" in line:
            name, value = line.split(":", 1)
            if name.strip() in QDEVICE_FIELDS:
                info[QDEVICE_FIELDS[name.strip()]] = value.strip()
    return info


def cmap(text: str) -> dict[str, str]:
    """``corosync-cmapctl`` lines (``key (type) = value``) as a dict of key to value."""
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(" = ")
        if sep:
            out[key.split(" (")[0].strip()] = value.strip()
    return out


def links(runner: Runner) -> dict[str, t.Any] | None:
    """This node's view of corosync's links, from corosync's own map (machine-readable, not cfgtool's text):
    ``configured``, the link numbers of the nodelist in effect; ``peers``, per other node by name, whether each
    link to it is connected. None when corosync is not running here."""
    try:
        rc, out, _err = runner.run(["corosync-cmapctl", "nodelist.node."], check=False)
    except CommandError:
        return None  # not installed
    if rc != 0:
        return None
    nodelist = cmap(out)
    rc, out, _err = runner.run(["corosync-cmapctl", "-m", "stats", "stats.knet."], check=False)
    stats = cmap(out) if rc == 0 else {}
    rc, out, _err = runner.run(["corosync-cmapctl", "-g", "runtime.votequorum.this_node_id"], check=False)
    me = out.rsplit("=", 1)[-1].strip() if rc == 0 else None
    names, configured = {}, set()
    for key, value in nodelist.items():
        parts = key.split(".")  # nodelist.node.N.KEY
        if len(parts) == 4 and parts[3] == "nodeid":
            names[value] = nodelist.get("nodelist.node.%s.name" % parts[2]) or nodelist.get(
                "nodelist.node.%s.ring0_addr" % parts[2]) or value
        elif len(parts) == 4 and parts[3].startswith("ring") and parts[3].endswith("_addr"):
            configured.add(int(parts[3][4:-5]))
    peers = {}
    for nodeid, name in sorted(names.items()):
        if nodeid != me:
            peers[name] = {str(link): stats.get("stats.knet.node%s.link%d.connected" % (nodeid, link)) == "1"
                           for link in sorted(configured)}
    return {"configured": sorted(configured), "peers": peers}


def link_words(view: dict[str, t.Any]) -> tuple[str, str]:
    """(OK|WARN|FAIL, the words) for one node's view of the links: a peer reached on fewer links than configured
    is a WARN naming the peer and the link ("bob: link 0 down, running on link 1"); a peer reached on none, a FAIL."""
    problems, worst = [], "OK"
    for peer, state in sorted(view["peers"].items()):
        down = [link for link, up in state.items() if not up]
        up = [link for link, ok in state.items() if ok]
        if not down:
            continue
        if up:
            problems.append("%s: link %s down, running on link %s" % (peer, ", ".join(down), ", ".join(up)))
            worst = "FAIL" if worst == "FAIL" else "WARN"
        else:
            problems.append("%s: every link down" % peer)
            worst = "FAIL"
    if problems:
        return worst, "; ".join(problems)
    return "OK", "%d link%s to %d node%s connected" % (
        len(view["configured"]), "" if len(view["configured"]) == 1 else "s", len(view["peers"]),
        "" if len(view["peers"]) == 1 else "s")
