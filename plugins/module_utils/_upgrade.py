# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What must hold before a rolling upgrade takes one node after another out of the cluster, in words:
every node online, nothing failed, quorum kept with one node gone, the CIB valid, and a version pair
that Pacemaker supports for a rolling upgrade (its Administration guide: to 3.x only from 2.0.0 or
later, to 2.x from 1.1.11 or later; any other pair needs detach-and-reattach under maintenance mode)."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._services import votes

# (the target's major version, the oldest version a rolling upgrade to it starts from)
ROLLING_FROM = {3: (2, 0, 0), 2: (1, 1, 11)}
# Debian's releases in order, and the Pacemaker each ships: a release upgrade's version pair
RELEASES = ("bullseye", "bookworm", "trixie")
RELEASE_PACEMAKER = {"bullseye": "2.0.5", "bookworm": "2.1.5", "trixie": "3.0.0"}


def release_problems(release: str, codenames: dict[str, str | None],
                     installed: dict[str, str | None]) -> list[str]:
    """What refuses a release upgrade to ``release``: a release this collection does not know, a node more than
    one release behind (Debian upgrades one release at a time), a Pacemaker pair without a rolling upgrade."""
    if release not in RELEASES:
        return ["crm_upgrade_release %s is not a Debian release this collection upgrades to (%s)"
                % (release, ", ".join(RELEASES[1:]))]
    problems = []
    target = RELEASES.index(release)
    for host, codename in sorted(codenames.items()):
        if codename not in RELEASES:
            problems.append("%s runs %s, which this collection does not upgrade from" % (host, codename or "an unknown release"))
        elif RELEASES.index(codename) > target:
            problems.append("%s already runs %s, newer than %s" % (host, codename, release))
        elif RELEASES.index(codename) < target - 1:
            problems.append("%s runs %s: Debian upgrades one release at a time, to %s first"
                            % (host, codename, RELEASES[RELEASES.index(codename) + 1]))
        elif codename != release:
            problem = rolling_problem(installed.get(host), RELEASE_PACEMAKER[release])
            if problem:
                problems.append("%s: %s" % (host, problem))
    return problems


def version_tuple(text: str | None) -> tuple[int, ...]:
    """A Debian package version's upstream part as numbers: '3.0.0-3.1' -> (3, 0, 0), '2.1.5-1+deb12u1' ->
    (2, 1, 5); an epoch is dropped."""
    upstream = (text or "").split(":")[-1].split("-")[0].split("~")[0].split("+")[0]
    return tuple(int(n) for n in re.findall(r"\d+", upstream)[:3])


def rolling_problem(installed: str | None, candidate: str | None) -> str | None:
    """Why Pacemaker does not support a rolling upgrade from ``installed`` to ``candidate``; None when it does."""
    have, want = version_tuple(installed), version_tuple(candidate)
    if not have or not want or want <= have or want[0] == have[0]:
        return None
    oldest = ROLLING_FROM.get(want[0])
    if oldest is not None and have >= oldest:
        return None
    # a major release this collection does not know yet: its rolling upgrades are not documented here
    which = ("to %d.x only from %s or later" % (want[0], ".".join(map(str, oldest))) if oldest
             else "this collection knows no supported rolling upgrade to %d.x" % want[0])
    return ("Pacemaker does not support a rolling upgrade from %s to %s (%s): detach the resources with maintenance "
            "mode and upgrade every node at once instead" % (installed, candidate, which))


def preflight(status: dict[str, t.Any], quorum_text: str, verify_rc: int, verify_text: str,
              versions: dict[str, dict[str, str | None]] | None = None) -> dict[str, list[str]]:
    """{problems, warnings}: the problems refuse the upgrade; the warnings are said loudly."""
    problems: list[str] = []
    warnings: list[str] = []
    if not status.get("running"):
        return {"problems": ["the cluster does not run on this node (%s)" % status.get("reason")], "warnings": []}
    for node in status["nodes"]:
        name = node["name"]
        if not node["online"]:
            problems.append("node %s is not online: bring it back (or remove it) before the upgrade" % name)
        elif node.get("pending"):
            problems.append("node %s is still joining the cluster (pending): wait until its join with the DC is "
                            "finished" % name)
        elif node["standby"] or node["maintenance"]:
            problems.append("node %s is in %s: bring it online first (playbooks/maintenance.yml -e crm_maintenance=off "
                            "-e crm_maintenance_node=%s)" % (name, "standby" if node["standby"] else "maintenance", name))
    failed = sorted({(str(f.get("op_key")), str(f.get("node"))) for f in status["failed_actions"]})
    for op_key, node in failed:
        problems.append("%s failed on %s: find the cause and clean it up first (playbooks/cleanup.yml)" % (op_key, node))
    for count in status.get("fail_counts", []):
        if not any(op.startswith(count["resource"] + "_") and where == count["node"] for op, where in failed):
            problems.append("%s has fail count %s on %s: clean it up first (playbooks/cleanup.yml)"
                            % (count["resource"], count["fail_count"], count["node"]))
    info = votes(quorum_text)
    if info.get("Quorate") != "Yes":
        problems.append("the cluster is not quorate")
    elif info.get("Total votes", "").isdigit() and info.get("Quorum", "").isdigit():
        total, quorum = int(info["Total votes"]), int(info["Quorum"])
        if total - 1 < quorum and info.get("Flags", "").find("2Node") < 0:
            problems.append("quorum needs %d of the %d votes present: taking one node out would lose it" % (quorum, total))
    if verify_rc != 0:
        problems.append("crm_verify finds the CIB invalid: %s" % " ".join(verify_text.split())[:400])
    if not status.get("stonith_enabled"):
        warnings.append("fencing is disabled (stonith-enabled=false): a node that hangs during its upgrade cannot "
                        "be fenced, and its resources may run twice")
    for host, pair in sorted((versions or {}).items()):
        problem = rolling_problem(pair.get("installed"), pair.get("candidate"))
        if problem:
            problems.append("%s: %s" % (host, problem))
    return {"problems": problems, "warnings": warnings}
