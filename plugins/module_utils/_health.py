# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one node knows about its own health (``crm cluster health``); compared across nodes
by the health_report filter. Secrets are hashed, never read into a result."""

from __future__ import annotations

import hashlib
import os
import socket
import time
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils import _status
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner

PACKAGES = ("pacemaker", "corosync", "crmsh")
FILES = {"corosync_conf": "/etc/corosync/corosync.conf", "authkey": "/etc/corosync/authkey"}


def sha256(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError:
        return None


def package_versions(runner: Runner) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            rc, out, _err = runner.run(["dpkg-query", "-W", "-f", "${Status} ${Version}", name], check=False)
            versions[name] = out.split()[-1] if rc == 0 and out.startswith("install ok installed") else None
        except CommandError:  # no dpkg: the RHEL and SUSE families
            rc, out, _err = runner.run(["rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", name], check=False)
            versions[name] = out.strip() if rc == 0 else None
    return versions


def disk(paths: list[str]) -> dict[str, dict[str, t.Any]]:
    out = {}
    for path in paths:
        probe = path
        while not os.path.exists(probe):
            probe = os.path.dirname(probe) or "/"
        stats = os.statvfs(probe)
        free = stats.f_bavail * stats.f_frsize
        total = stats.f_blocks * stats.f_frsize or 1
        out[path] = {"free_bytes": free, "free_percent": round(100.0 * free / total, 1)}
    return out


def peers(runner: Runner, nodes: list[dict[str, t.Any]]) -> dict[str, dict[str, t.Any]]:
    me = socket.gethostname().split(".")[0]
    out = {}
    for node in nodes:
        name = str(node.get("name"))
        if name == me:
            continue
        try:
            address = socket.getaddrinfo(name, None)[0][4][0]
        except socket.gaierror:
            address = None
        target = address or node.get("ring0_addr")
        rc = runner.run(["ping", "-c", "1", "-W", "1", str(target)], check=False)[0] if target else 1
        out[name] = {"resolves_to": address, "expected": node.get("ring0_addr"), "reachable": rc == 0}
    return out


def quorum(runner: Runner) -> bool | None:
    try:
        _rc, out, _err = runner.run(["corosync-quorumtool", "-s"], check=False)
    except CommandError:
        return None
    for line in out.splitlines():
        if line.startswith("Quorate:"):
            return line.split(":", 1)[1].strip() == "Yes"
    return None


def collect(runner: Runner, nodes: list[dict[str, t.Any]], paths: list[str]) -> dict[str, t.Any]:
    release = {}
    try:
        with open("/etc/os-release", encoding="utf-8") as handle:
            release = dict(line.rstrip("\n").split("=", 1) for line in handle if "=" in line)
    except FileNotFoundError:
        pass
    return {
        "time": time.time(),
        "kernel": os.uname().release,
        "distribution": release.get("PRETTY_NAME", "").strip('"'),
        "packages": package_versions(runner),
        "checksums": {name: sha256(path) for name, path in FILES.items()},
        "disk": disk(paths),
        "uptime_s": uptime(),
        "load": list(os.getloadavg()),
        "peers": peers(runner, nodes),
        "links": _status.links(runner),
        "quorate": quorum(runner),
        "fencing": fencing(runner),
        "qdevice": _status.qdevice(runner),
    }


def fencing(runner: Runner) -> dict[str, t.Any] | None:
    """Fencing as this node's Pacemaker sees it; None when Pacemaker is not running or not installed."""
    try:
        status = _status.read(runner)
    except (CommandError, ImportError, AttributeError):
        return None
    if not status["running"]:
        return None
    return {key: status[key] for key in ("stonith_enabled", "fence_devices", "last_fencing", "failed_actions",
                                         "fail_counts", "running")}


def uptime() -> float:
    with open("/proc/uptime", encoding="ascii") as handle:
        return float(handle.read().split()[0])
