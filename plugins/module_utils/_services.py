# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster stack as systemd units, in order: corosync before pacemaker, never corosync
restarted under a running pacemaker; and waiting until the node is really in the cluster."""

from __future__ import annotations

import grp
import os
import pwd
import time
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils import _corosync as cc
from ansible_collections.hacluster.crm.plugins.module_utils import _status
from ansible_collections.hacluster.crm.plugins.module_utils._cib import STORED_CIB
from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._files import read_text
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner


class ServiceError(Exception):
    """The stack could not be brought to the asked state."""


class Stack:
    def __init__(self, runner: Runner, extra: list[str], pacemaker: bool = True) -> None:
        if not os.path.isdir("/run/systemd/system"):
            raise ServiceError("this host does not run systemd (no /run/systemd/system): cluster_service needs it")
        self.runner = runner
        # start order; stop is the reverse. Extra services (qdevice, sbd) sit between corosync and pacemaker.
        self.units = ["corosync"] + list(extra) + (["pacemaker"] if pacemaker else [])

    def active(self, unit: str) -> bool:
        rc, _out, _err = self.runner.run(["systemctl", "is-active", "--quiet", unit], check=False)
        return rc == 0

    def enabled(self, unit: str) -> bool:
        rc, _out, _err = self.runner.run(["systemctl", "is-enabled", "--quiet", unit], check=False)
        return rc == 0

    def systemctl(self, verb: str, unit: str) -> None:
        """``systemctl VERB UNIT``. A start that systemd itself could not set up (the unit's result ``resources``:
        "Failed to spawn executor: No such file or directory": seen on Debian 13's systemd in the lab's containers
        while they shared one cgroup tree, a node's stop removing the group another node was starting its unit in;
        pacemaker's own restart then started it a second later) is tried once more, a second later.
        So is a start of corosync that exited (result ``exit-code``), two seconds later, with a warning holding what
        it logged: seen twice on Debian 12 in the lab, a node's corosync failing to start right after a coordinated
        stop of the whole cluster, when the node would otherwise be fenced as unseen. Any other failure, or a second
        one, is the module's error; for corosync's units, it ends with what the unit logged last (why corosync would
        not start: systemd's own message names no cause)."""
        began = int(time.time())
        try:
            try:
                self.runner.run(["systemctl", verb, unit])
            except CommandError:
                result = self.result(unit) if verb == "start" else ""
                if result == "resources":
                    time.sleep(1)
                elif result == "exit-code" and unit == "corosync":
                    self.runner.module.warn("corosync exited at start and is started once more in 2 s; it logged:\n%s"
                                            % self.last_log(unit, began))
                    time.sleep(2)
                    began = int(time.time())
                else:
                    raise
                if not self.active(unit):
                    self.runner.run(["systemctl", verb, unit])
        except CommandError as exc:
            logged = self.last_log(unit, began) if unit.startswith("corosync") else ""
            if logged:
                raise CommandError("%s\n%s logged last:\n%s" % (exc.msg, unit, logged), exc.cmd, exc.rc,
                                   exc.stderr) from exc
            raise

    def last_log(self, unit: str, since: int, lines: int = 15) -> str:
        """The unit's last lines in the journal since SINCE (Unix time; corosync's hold no secret: the authkey is never
        logged)."""
        rc, out, _err = self.runner.run(["journalctl", "--unit", unit, "--since", "@%d" % since, "--no-pager",
                                         "--output", "short-precise"], check=False)
        return "\n".join(out.strip().splitlines()[-lines:]) if rc == 0 else ""

    def result(self, unit: str) -> str:
        rc, out, _err = self.runner.run(["systemctl", "show", "--property", "Result", "--value", unit], check=False)
        return out.strip() if rc == 0 else ""

    def plan(self, state: str | None, enabled: bool | None) -> list[tuple[str, str]]:
        """The (verb, unit) steps that bring the stack to the asked state, in order."""
        steps: list[tuple[str, str]] = []
        if state == "started":
            steps += [("start", u) for u in self.units if not self.active(u)]
        elif state == "stopped":
            steps += [("stop", u) for u in reversed(self.units) if self.active(u)]
        elif state == "restarted" and self.active("corosync"):
            # restart only where the stack runs, as the guide does
            steps += [("stop", u) for u in reversed(self.units) if self.active(u)]
            steps += [("start", u) for u in self.units]
        elif state == "reloaded" and self.active("corosync"):
            steps.append(("reload", "corosync"))
        if enabled is not None:
            verb = "enable" if enabled else "disable"
            steps += [(verb, u) for u in self.units if self.enabled(u) != enabled]
        return steps

    def states(self) -> dict[str, tuple[bool, bool]]:
        return {unit: (self.active(unit), self.enabled(unit)) for unit in self.units}

    def apply(self, steps: list[tuple[str, str]]) -> None:
        for verb, unit in steps:
            if verb == "reload":
                # corosync-cfgtool -R tells every corosync in the cluster to re-read corosync.conf
                self.runner.run(["corosync-cfgtool", "-R"])
            else:
                self.systemctl(verb, unit)

    def ring_complete(self) -> bool:
        """Whether every node of corosync's nodelist is a member of the ring now (cmap's runtime.members)."""
        _rc, nodes, _err = self.runner.run(["corosync-cmapctl", "nodelist.node."], check=False)
        _rc, members, _err = self.runner.run(["corosync-cmapctl", "runtime.members."], check=False)
        ids = {value for key, value in _status.cmap(nodes).items() if key.endswith(".nodeid")}
        joined = {key.split(".")[2] for key, value in _status.cmap(members).items()
                  if key.endswith(".status") and value == "joined"}
        return bool(ids) and ids <= joined

    def wait_ring_complete(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.ring_complete():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.25)
        return True

    def wait_member(self, timeout: float) -> dict[str, t.Any]:
        """Until this node is in the corosync ring, online in pacemaker with its join finished, and there is a DC."""
        deadline = time.monotonic() + timeout
        problem = "not checked yet"
        while True:
            problem, status = self._membership_problem()
            if problem is None:
                return status
            if time.monotonic() > deadline:
                raise ServiceError("node not in the cluster after %d s: %s" % (timeout, problem))
            time.sleep(1)

    def _membership_problem(self) -> tuple[str | None, dict[str, t.Any]]:
        # corosync-quorumtool exits 2 when the partition is not quorate; a member all the same
        rc, out, _err = self.runner.run(["corosync-quorumtool", "-p"], check=False)
        if "Membership information" not in out:
            return "corosync is not a member of the ring (corosync-quorumtool -p: rc=%s)" % rc, {}
        rc, name, _err = self.runner.run(["crm_node", "-n"], check=False)
        try:
            status = _status.read(self.runner)
        except CommandError as exc:
            return "pacemaker is not answering (%s)" % exc.msg, {}
        me = next((n for n in status["nodes"] if n["name"] == name.strip()), None)
        if me is None or not me["online"]:
            return "node %s is not online in pacemaker" % name.strip(), status
        if me.get("pending"):  # online, but its join with the DC is not finished: not yet a member that runs anything
            return "node %s is still joining the cluster (pending)" % name.strip(), status
        if status["dc"] is None:
            return "the cluster has no DC yet", status
        return None, status


def node_known(runner: Runner, name: str) -> list[str]:
    """Where pacemaker still knows a node: its membership cache, the CIB's nodes or status section."""
    where = []
    _rc, out, _err = runner.run(["crm_node", "--list"], check=False)
    if any(line.split()[1:2] == [name] for line in out.splitlines()):
        where.append("membership cache")
    for scope, tag in (("nodes", "<node "), ("status", "<node_state ")):
        _rc, out, _err = runner.run(["cibadmin", "--query", "--scope", scope], check=False, read=True)
        if any(tag in line and 'uname="%s"' % name in line for line in out.splitlines()):
            where.append("CIB " + scope)
    return where


def removal_problem(runner: Runner, name: str, nodelist: list[str], grace: float = 15) -> str | None:
    """Why ``name`` cannot be purged yet: still in corosync.conf's nodelist, or still a running member
    (a stopped node may show as a member for a few seconds: allowed ``grace`` to leave)."""
    if name in nodelist:
        return ("node %s is still in the nodelist of corosync.conf: remove it from the nodelist (and reload) "
                "before purging it" % name)
    deadline = time.monotonic() + grace
    while True:
        _rc, out, _err = runner.run(["crm_node", "--list"], check=False)
        member = any(line.split()[1:3] == [name, "member"] for line in out.splitlines())
        if not member:
            return None
        if time.monotonic() > deadline:
            return ("node %s is still a running member of the cluster: stop its stack (pacemaker, then corosync) "
                    "before purging it" % name)
        time.sleep(1)


def remove_node(runner: Runner, name: str, timeout: float) -> None:
    """crm_node --remove, again until no cache nor CIB section knows the node: a removal that races
    with the node's departure from the membership leaves it listed as lost."""
    deadline = time.monotonic() + timeout
    while True:
        runner.run(["crm_node", "--force", "--remove", name])
        time.sleep(1)
        where = node_known(runner, name)
        if not where:
            return
        if time.monotonic() > deadline:
            raise ServiceError("node %s still known to pacemaker after %d s (%s)" % (name, timeout, ", ".join(where)))


def describe(states: dict[str, tuple[bool, bool]]) -> str:
    return "".join("%s: %s, %s\n" % (unit, "active" if active else "inactive", "enabled" if enabled else "disabled")
                   for unit, (active, enabled) in states.items())


def after_steps(states: dict[str, tuple[bool, bool]], steps: list[tuple[str, str]]) -> dict[str, tuple[bool, bool]]:
    after = dict(states)
    effect = {"start": (0, True), "stop": (0, False), "enable": (1, True), "disable": (1, False)}
    for verb, unit in steps:
        if verb in effect and unit in after:
            field, value = effect[verb]
            pair = list(after[unit])
            pair[field] = value
            after[unit] = (pair[0], pair[1])
    return after


def votes(text: str) -> dict[str, str]:
    """``corosync-quorumtool -s``'s "Key: value" lines (it has no machine-readable output)."""
    return {k.strip(): v.strip() for k, _sep, v in (line.partition(":") for line in text.splitlines()) if _sep}


def local_votes(text: str) -> int:
    """This node's votes, from the membership table of ``corosync-quorumtool -s`` (the row marked
    "(local)": Nodeid, Votes, [Qdevice,] Name); 1 when the table does not say."""
    for line in text.splitlines():
        fields = line.split()
        if fields[-1:] == ["(local)"] and len(fields) >= 3 and fields[1].isdigit():
            return int(fields[1])
    return 1


def quorum_loss(runner: Runner) -> str | None:
    """Why restarting this node now would cost a quorate cluster its quorum; None when it would not."""
    rc, out, _err = runner.run(["corosync-quorumtool", "-s"], check=False)
    info = votes(out)
    if info.get("Quorate") != "Yes" or not info.get("Total votes", "").isdigit() or not info.get("Quorum", "").isdigit():
        return None  # not quorate (or not a member): restarting it costs the cluster nothing
    total, quorum, mine = int(info["Total votes"]), int(info["Quorum"]), local_votes(out)
    if info.get("Expected votes") == "1" or total - mine >= quorum:
        return None
    return ("restarting this node now would cost the cluster its quorum: %d votes are present, %d are needed, and "
            "this node's %d would go. A node that did not come back (or is down) must return first (rc=%s)"
            % (total, quorum, mine, rc))


# A cluster none of whose nodes runs (a new one, or one stopped whole) elects its first DC only after dc-deadtime
# (20 s by default), which every node waits out. A node that starts so gets a short dc-deadtime in its CIB first, in a
# property set of its own, removed again as soon as the node is in the cluster. A new node's CIB names no node; a
# cluster stopped whole has every node in its CIB, and Pacemaker fences at start a node it has not seen
# (startup-fencing): dc-deadtime is what gives a slower node time to join. So there the set goes in only once
# corosync has every node of its nodelist as a member (waited for up to SEED_RING_WAIT seconds, the default
# dc-deadtime: no longer than Pacemaker would have waited); else pacemaker starts with the CIB as it is.
CIB_DIR = os.path.dirname(STORED_CIB)
SEED_SET = "hacluster-crm-bootstrap"
SEED_DC_DEADTIME = "2s"
SEED_RING_WAIT = 20
SEED_STEP = "seed the CIB (dc-deadtime %s until the first DC is elected)" % SEED_DC_DEADTIME
SEED_RING_STEP = SEED_STEP + ", once corosync has every node of its nodelist (before pacemaker starts)"
UNSEED_STEP = "remove the first election's dc-deadtime (property set %s)" % SEED_SET


def seed_cib(runner: Runner, folder: str = CIB_DIR) -> None:
    """The short dc-deadtime in the stopped node's CIB, where pacemaker-based reads it at start: an empty CIB made for
    it when the node has none. Pacemaker's file backend (CIB_file) writes the live CIB with its digest; every node's
    epoch moves by one, so the newest of the nodes' CIBs stays the newest."""
    path = os.path.join(folder, "cib.xml")
    if not os.path.exists(path):
        _rc, empty, _err = runner.run(["cibadmin", "--empty"])
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(empty)
    Runner(runner.module, env={"CIB_file": path}).run(
        ["crm_attribute", "--type", "crm_config", "--set-name", SEED_SET, "--name", "dc-deadtime",
         "--update", SEED_DC_DEADTIME])
    try:
        uid, gid = pwd.getpwnam("hacluster").pw_uid, grp.getgrnam("haclient").gr_gid
    except KeyError as exc:
        raise ServiceError("pacemaker's user hacluster or group haclient does not exist: is pacemaker installed?") from exc
    for name in os.listdir(folder):
        os.chown(os.path.join(folder, name), uid, gid)


def seeded(runner: Runner) -> bool:
    """Whether the running CIB still holds the first election's dc-deadtime."""
    rc, _out, _err = runner.run(["cibadmin", "--query", "--scope", "crm_config", "--xpath",
                                 "//cluster_property_set[@id='%s']" % SEED_SET], check=False, read=True)
    return rc == 0


def unseed(runner: Runner) -> None:
    runner.run(["cibadmin", "--delete", "--scope", "crm_config", "--xml-text",
                "<cluster_property_set id='%s'/>" % SEED_SET], ok_rcs=(0, 105))


class ClusterService:
    """The stack's units brought to the asked state in order, then (when asked) waiting for membership."""

    def __init__(self, module: t.Any) -> None:
        self.params = module.params
        if self.corosync_only and self.params["state"] != "started":
            raise ServiceError("corosync_only goes with state=started, not state=%s" % self.params["state"])
        self.stack = Stack(Runner(module), self.params["extra_services"], pacemaker=not self.corosync_only)

    @property
    def corosync_only(self) -> bool:
        """Corosync and the extra services only, not pacemaker."""
        return bool(self.params.get("corosync_only"))

    def plan(self) -> Plan:
        before = self.stack.states()
        steps = self.stack.plan(self.params["state"], self.params["enabled"])
        if steps and self.params["state"] == "restarted" and self.params["keep_quorum"]:
            problem = quorum_loss(self.stack.runner)
            if problem:
                raise ServiceError(problem)
        # the seed: None, "new" (a node without a CIB: seeded before anything starts) or "ring" (a cluster stopped
        # whole: seeded once corosync has every node, before pacemaker starts)
        seed = None
        if self.params["cold_start"] and ("start", "pacemaker") in steps:
            seed = "ring" if os.path.exists(os.path.join(CIB_DIR, "cib.xml")) else "new"
        unseed_only = False
        if not steps and self.params["state"] == "started" and self.params["wait"] and not self.corosync_only:
            # already started: still in the cluster? (a read; the same in check mode)
            self.stack.wait_member(self.params["timeout"])
            unseed_only = seeded(self.stack.runner)  # a run stopped between the start and the removal
        described = {None: [], "new": [SEED_STEP], "ring": [SEED_RING_STEP]}[seed] + ["%s %s" % step for step in steps] \
            + ([UNSEED_STEP] if unseed_only else [])
        return Plan(steps=described, before=describe(before),
                    after=describe(after_steps(before, steps)), header="systemd units",
                    result={"steps": described}, data=(steps, seed, unseed_only))

    def apply(self, plan: Plan) -> None:
        steps, seed, unseed_only = plan.data
        # pacemaker's start and what comes after it wait for the seed; corosync (and qdevice) go first in a ring seed
        before = steps[:steps.index(("start", "pacemaker"))] if seed == "ring" else []
        self.stack.apply(before)
        if seed == "ring" and not self.stack.wait_ring_complete(SEED_RING_WAIT):
            seed = None  # a node missing: pacemaker's own dc-deadtime gives it time to join
        if seed:
            seed_cib(self.stack.runner)
        self.stack.apply(steps[len(before):])
        state = self.params["state"]
        if self.params["wait"] and state in ("started", "restarted") and not self.corosync_only:
            self.stack.wait_member(self.params["timeout"])
        if (seed and self.params["wait"]) or unseed_only:
            unseed(self.stack.runner)


class ClusterNode:
    """A node that left, purged from pacemaker's caches and the CIB; refused while it has not left."""

    def __init__(self, module: t.Any) -> None:
        self.params = module.params
        self.runner = Runner(module)

    def plan(self) -> Plan:
        name = self.params["name"]
        known = node_known(self.runner, name)
        if known:
            path = self.params["corosync_conf"]
            nodes = cc.to_data(cc.parse(read_text(path) or "", path)).get("nodelist", {}).get("node", [])
            problem = removal_problem(self.runner, name, [n.get("name") for n in nodes if isinstance(n, dict)])
            if problem:
                raise ServiceError(problem)
        return Plan(steps=["purge %s from the %s" % (name, where) for where in known],
                    before="".join("%s: known in the %s\n" % (name, where) for where in known), after="",
                    header="pacemaker", result={"known_in": known})

    def apply(self, plan: Plan) -> None:
        remove_node(self.runner, self.params["name"], self.params["timeout"])
