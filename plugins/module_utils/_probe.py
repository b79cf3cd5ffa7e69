# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One read of a node, for the roles: corosync.conf, the authkey's checksum, the stack's units, root's SSH
key, which of the cluster's packages are missing, the distribution, and the fencing history. Each part has the shape of the module the roles used to
call for it (corosync_conf's ``config``, stat's ``stat``, systemd_service's ``status``, ssh_trust's
``public_key``), so one call replaces five and the roles' filters read it unchanged. Read-only."""

from __future__ import annotations

import os
import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils import _corosync as cc
from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._files import NotTextError, read_text
from ansible_collections.hacluster.crm.plugins.module_utils._health import sha256
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner
from ansible_collections.hacluster.crm.plugins.module_utils._ssh import SshError, host_public_keys, own_public_key, user_home
from ansible_collections.hacluster.crm.plugins.module_utils._status import fence_history

UNIT_PROPERTIES = ("LoadState", "ActiveState", "SubState", "UnitFileState")
# A name apt or dnf would take as a plain package: anything else (a version, a glob, a path) is left to them.
PLAIN_PACKAGE = re.compile(r"^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$")


# os-release's ID (or an ID_LIKE) -> Ansible's os_family, which picks the roles' per-distribution vars
OS_FAMILIES = {"debian": "Debian", "ubuntu": "Debian", "rhel": "RedHat", "centos": "RedHat", "fedora": "RedHat",
               "rocky": "RedHat", "almalinux": "RedHat", "ol": "RedHat", "sles": "Suse", "sled": "Suse",
               "opensuse": "Suse", "opensuse-leap": "Suse", "opensuse-tumbleweed": "Suse", "suse": "Suse"}
# os-release's ID -> Ansible's distribution, for those whose NAME is not it
DISTRIBUTIONS = {"debian": "Debian", "ubuntu": "Ubuntu", "rhel": "RedHat", "centos": "CentOS", "fedora": "Fedora",
                 "rocky": "Rocky", "almalinux": "AlmaLinux", "ol": "OracleLinux", "sles": "SLES",
                 "opensuse-leap": "openSUSE Leap", "opensuse-tumbleweed": "openSUSE Tumbleweed"}


class ProbeError(Exception):
    pass


def os_release(paths: tuple[str, ...] = ("/etc/os-release", "/usr/lib/os-release")) -> dict[str, t.Any]:
    """The distribution as the roles read it (Ansible's distribution facts: family, name, major version,
    release), from os-release, so that a play needs no fact gathering of its own; empty where there is none."""
    values: dict[str, str] = {}
    for path in paths:
        text = read_text(path)
        if text is not None:
            for line in text.splitlines():
                key, sep, value = line.strip().partition("=")
                if sep and key and not key.startswith("#"):
                    values[key] = value.strip().strip("\"'")
            break
    ident = values.get("ID", "").lower()
    family = OS_FAMILIES.get(ident) or next((OS_FAMILIES[like] for like in values.get("ID_LIKE", "").lower().split()
                                             if like in OS_FAMILIES), None)
    version = values.get("VERSION_ID", "")
    return {"family": family, "distribution": DISTRIBUTIONS.get(ident) or values.get("NAME") or None,
            "version": version, "major_version": version.split(".")[0], "release": values.get("VERSION_CODENAME", "")}


def corosync_conf(path: str) -> dict[str, t.Any]:
    """As the corosync_conf module reads it: ``config`` when the file exists and parses, else ``error``; and
    ``text``, the file as it is (corosync.conf holds no secret, only the authkey's path), from which the
    controller plans a change without a second read (the ``corosync_unchanged`` filter)."""
    result: dict[str, t.Any] = {"path": path, "exists": os.path.exists(path)}
    try:
        text = read_text(path)
        if text is not None:
            result["text"] = text
            result["config"] = cc.to_data(cc.parse(text, path))
    except (NotTextError, cc.CorosyncConfError) as exc:
        result["error"] = str(exc)
    return result


def file_stat(path: str) -> dict[str, t.Any]:
    """As ansible.builtin.stat with checksum_algorithm sha256 gives ``exists`` and ``checksum``; the
    content is hashed and dropped, never returned."""
    if not os.path.isfile(path):
        return {"stat": {"exists": os.path.exists(path), "path": path}}
    info = os.stat(path)
    return {"stat": {"exists": True, "path": path, "checksum": sha256(path), "mode": "%04o" % (info.st_mode & 0o7777),
                     "uid": info.st_uid, "gid": info.st_gid, "size": info.st_size}}


def parse_show(text: str, units: list[str]) -> dict[str, dict[str, t.Any]]:
    """``systemctl show -p ... UNIT...``: one block per unit, in order, separated by a blank line."""
    blocks = [block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()] if text.strip() else []
    result = {}
    for index, unit in enumerate(units):
        status = {}
        if index < len(blocks):
            for line in blocks[index].splitlines():
                key, sep, value = line.partition("=")
                if sep:
                    status[key] = value
        result[unit] = {"name": unit, "status": status}
    return result


def unit_states(runner: Runner, units: list[str]) -> dict[str, dict[str, t.Any]]:
    if not units:
        return {}
    argv = ["systemctl", "show", "-p", ",".join(UNIT_PROPERTIES)] + ["%s.service" % u for u in units]
    _rc, out, _err = runner.run(argv)
    return parse_show(out, units)


def package_versions(runner: Runner, names: list[str]) -> dict[str, str] | None:
    """The installed version of each of the names that is installed, by dpkg or rpm (a name that is not plain is
    never installed); None when neither answers."""
    plain = [n for n in names if PLAIN_PACKAGE.match(n)]
    if not plain:
        return {}
    versions: dict[str, str] = {}
    try:
        if os.path.exists("/var/lib/dpkg/status"):
            _rc, out, _err = runner.run(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Abbrev} ${Version}\n"] + plain,
                                        check=False)
            for line in out.splitlines():
                fields = line.split()
                if len(fields) > 2 and fields[1] == "ii":
                    versions[fields[0]] = fields[2]
            versions.update({n: versions[n.split(":")[0]] for n in plain if n.split(":")[0] in versions})
        else:
            _rc, out, _err = runner.run(["rpm", "-q", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\n"] + plain, check=False)
            versions = {line.split()[0]: line.split()[1] for line in out.splitlines()
                        if len(line.split()) == 2 and "not installed" not in line}
    except CommandError:  # no package tool: the package task decides
        return None
    return {n: versions[n] for n in plain if n in versions}


def parse_policy(text: str) -> dict[str, str | None]:
    """``apt-cache policy NAME...``: per package, the candidate version (None for apt's "(none)")."""
    candidates: dict[str, str | None] = {}
    name = None
    for line in text.splitlines():
        if line and not line[0].isspace() and line.rstrip().endswith(":"):
            name = line.rstrip()[:-1]
        elif name and line.strip().startswith("Candidate:"):
            value = line.split(":", 1)[1].strip()
            candidates[name] = None if value == "(none)" else value
    return candidates


def candidate_versions(runner: Runner, names: list[str]) -> dict[str, str | None]:
    """Per name, the version apt would install or upgrade to (apt-cache policy); None where apt knows none or
    there is no apt."""
    plain = [n for n in names if PLAIN_PACKAGE.match(n)]
    found: dict[str, str | None] = {}
    if plain:
        try:
            rc, out, _err = runner.run(["apt-cache", "policy"] + plain, check=False)
            found = parse_policy(out) if rc == 0 else {}
        except CommandError:  # no apt
            found = {}
    return {n: found.get(n) for n in names}


def ssh_key(user: str, key_type: str) -> dict[str, t.Any]:
    """As ssh_trust reads the user's key pair: ``public_key`` (None when there is no key yet) and the host keys."""
    try:
        home = user_home(user)[0]
        key_path = os.path.join(home, ".ssh", "id_%s" % key_type)
        public = own_public_key(key_path) if os.path.exists(key_path) and os.path.exists(key_path + ".pub") else None
        return {"public_key": public, "host_keys": host_public_keys(), "key_file": key_path}
    except SshError as exc:  # the ssh_trust module reports it, with what to do
        return {"public_key": None, "host_keys": [], "error": str(exc)}


def fencing(runner: Runner, units: dict[str, dict[str, t.Any]]) -> dict[str, t.Any]:
    """Whether Pacemaker runs here and, when it does, the fencing history its fencer knows (None when the fencer
    does not answer): what a run compares its end with, to tell whether a node was fenced while it ran."""
    state = units.get("pacemaker") or unit_states(runner, ["pacemaker"])["pacemaker"]
    running = state["status"].get("ActiveState") == "active"
    return {"pacemaker_running": running, "history": fence_history(runner) if running else []}


class NodeState:
    """The read-only engine of the node_state module."""

    def __init__(self, module: t.Any) -> None:
        self.module = module
        self.params = module.params

    def plan(self) -> Plan:
        params = self.params
        runner = Runner(self.module)
        result = {
            "corosync_conf": corosync_conf(params["corosync_conf"]),
            "authkey": file_stat(params["authkey"]),
            "units": unit_states(runner, params["units"]),
            "os": os_release(),
        }
        names = params["packages"]
        versions = package_versions(runner, names)
        missing = list(names) if versions is None else [n for n in names if n not in versions]
        result["packages"] = {"missing": missing, "installed": [n for n in names if n not in missing],
                              "versions": versions or {}}
        if params["package_candidates"]:
            result["packages"]["candidates"] = candidate_versions(runner, names)
        if params["ssh_user"]:
            result["ssh"] = ssh_key(params["ssh_user"], params["ssh_key_type"])
        if params["fencing_history"]:
            result["fencing"] = fencing(runner, result["units"])
        return Plan(result=result)

    def apply(self, plan: Plan) -> None:  # never called: a plan without steps
        raise ProbeError("node_state writes nothing")
