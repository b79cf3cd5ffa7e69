# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Day-2 operations. What the CIB holds is a declaration like any other, through ``run_cib``: a node's
standby and maintenance attributes (as ``crm node standby|online|maintenance|ready`` write them), the
cluster's maintenance mode, a resource's ``is-managed`` and ``maintenance``, and its moves and bans (the
``cli-prefer-``/``cli-ban-`` constraints ``crm resource move|ban`` write, in their ids and form). What the
CIB does not hold (cleanup, refresh, restart) is an action planned from crm_mon's status.

Turning a flag off writes its false value (``standby=off``, ``maintenance-mode=false``), as crmsh does,
and only where it is on: an absent or already false flag is no change."""

from __future__ import annotations

import copy
import datetime
import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils import _status
from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    Cib, CibError, Declaration, Edit, IdIndex, canonical, check_id, etree, sync_nvpairs,
)
from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._property import apply_sets
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner

TRUE = ("true", "on", "yes", "y", "1")
# node state: (standby, maintenance) wanted
NODE_STATES = {"online": (False, False), "standby": (True, False), "maintenance": (False, True)}
# the value crmsh writes for on and for off
FLAG_VALUES = {"standby": ("on", "off"), "maintenance": ("true", "false"), "is-managed": ("true", "false"),
               "maintenance-mode": ("true", "false")}
# what an absent flag means (Pacemaker's defaults)
FLAG_DEFAULTS = {"is-managed": "true"}
DURATION_RE = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
RESOURCE_TAGS = ("primitive", "group", "clone", "bundle")


def truthy(value: str | None) -> bool:
    return (value or "").lower() in TRUE


def flag_values(current: dict[str, str | None], wanted: dict[str, bool | None]) -> dict[str, str | None]:
    """The nvpair writes that bring ``current`` flags to ``wanted`` (None: leave): on where off, off where on."""
    out: dict[str, str | None] = {}
    for name, want in wanted.items():
        if want is None or truthy(current.get(name, FLAG_DEFAULTS.get(name))) == want:
            continue
        on, off = FLAG_VALUES[name]
        out[name] = on if want else off
    return out


def nvpairs(el: t.Any, tag: str) -> dict[str, str | None]:
    """The rule-less ``tag`` sets' values of ``el`` (the last one wins, as Pacemaker reads them)."""
    values: dict[str, str | None] = {}
    for nvset in el.findall(tag):
        if nvset.find("rule") is None:
            values.update((nv.get("name"), nv.get("value")) for nv in nvset.findall("nvpair"))
    return values


def record_if_changed(edit: Edit, kind: str, ident: str, el: t.Any, change: t.Callable[[], None]) -> None:
    before = canonical(el)
    snapshot = copy.deepcopy(el)
    change()
    if canonical(el) != before:
        edit.record(kind, ident, snapshot, el)


def find_node(config: t.Any, name: str) -> t.Any:
    nodes = config.findall("nodes/node")
    for node in nodes:
        if node.get("uname") == name:
            return node
    raise CibError("node %s is not in the CIB (its nodes are: %s); nothing was written"
                   % (name, ", ".join(sorted(str(n.get("uname")) for n in nodes)) or "none"))


def find_resource(config: t.Any, ident: str) -> t.Any:
    for el in config.find("resources").iter(*RESOURCE_TAGS):
        if el.get("id") == ident:
            return el
    raise CibError("resource %s is not in the CIB; nothing was written" % ident)


def primitive_ids(el: t.Any) -> list[str]:
    return [p.get("id") for p in el.iter("primitive")]


def running_on(status: dict[str, t.Any], ids: list[str]) -> dict[str, list[str]]:
    """Where each of ``ids`` is active: {id: [node, ...]} (clone instances under their primitive's id)."""
    out: dict[str, list[str]] = {i: [] for i in ids}
    for res in status["resources"]:
        rid = (res["id"] or "").split(":")[0]
        if rid in out and res["active"]:
            out[rid] += res["nodes"]
    return out


def node_condition(status: dict[str, t.Any], name: str) -> str:
    """Why a node cannot run resources, as words to append to a message ("" when it can)."""
    for node in status["nodes"]:
        if node["name"] == name:
            words = [w for w, on in (("offline", not node["online"]), ("in standby", node["standby"]),
                                     ("in maintenance", node["maintenance"])) if on]
            return " (%s is %s)" % (name, " and ".join(words)) if words else ""
    return ""


def settle(cib: Cib, timeout: int, what: str) -> None:
    """``crm_resource --wait``; a cluster that does not settle in time is an error saying what was waited for."""
    try:
        cib.wait(timeout)
    except CommandError as exc:
        raise CibError("the cluster did not settle within %d s after %s (crm_resource --wait, rc=%s): %s"
                       % (timeout, what, exc.rc, exc.stderr.strip() or exc.msg)) from exc


class NodeState(t.NamedTuple):
    """A node online, in standby or in maintenance (its permanent attributes, crmsh's ids ``nodes-<id>``)."""

    name: str
    state: str

    def summary(self) -> list[tuple[str, str, t.Any]]:
        standby, maintenance = NODE_STATES[self.state]
        return [("node", self.name, {"standby": standby, "maintenance": maintenance})]

    def declaration(self, cib: Cib) -> Declaration:
        return Declaration(self.edit_pass)

    def edit_pass(self, config: t.Any, index: IdIndex, edit: Edit) -> None:
        node = find_node(config, self.name)
        standby, maintenance = NODE_STATES[self.state]
        values = flag_values(nvpairs(node, "instance_attributes"), {"standby": standby, "maintenance": maintenance})
        record_if_changed(edit, "node", self.name, node, lambda: sync_nvpairs(
            node, "instance_attributes", "nodes-%s" % node.get("id"), values, index, exclusive=False))

    def settled(self, cib: Cib, timeout: int) -> None:
        """After the cluster settled: a node in standby runs nothing; say what did not move."""
        settle(cib, timeout, "node %s went %s" % (self.name, self.state))
        if self.state != "standby" or cib.cib_file:
            return
        status = _status.read(cib.runner)
        left = sorted(r["id"] for r in status["resources"] if r["active"] and self.name in r["nodes"])
        if left:
            raise CibError("node %s is in standby but still runs %s after the cluster settled: they could not "
                           "move (constraints, or no other node can run them)" % (self.name, ", ".join(left)))


class ClusterMaintenance(t.NamedTuple):
    """The cluster's maintenance mode (the ``maintenance-mode`` property in ``cib-bootstrap-options``)."""

    on: bool

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [("properties", "crm_config", {"maintenance-mode": self.on})]

    def declaration(self, cib: Cib) -> Declaration:
        return Declaration(self.edit_pass)

    def edit_pass(self, config: t.Any, index: IdIndex, edit: Edit) -> None:
        crm_config = config.find("crm_config")
        current = nvpairs(crm_config, "cluster_property_set") if crm_config is not None else {}
        values = flag_values(current, {"maintenance-mode": self.on})
        apply_sets(config, index, edit, {"properties": values})

    def settled(self, cib: Cib, timeout: int) -> None:
        settle(cib, timeout, "maintenance mode went %s" % ("on" if self.on else "off"))


class ResourceManage(t.NamedTuple):
    """A resource managed or not (``is-managed``) and in maintenance or not (``maintenance``), in its
    ``<id>-meta_attributes`` set as crmsh writes them."""

    resource: str
    managed: bool | None
    maintenance: bool | None

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [("resource", self.resource, {"is-managed": self.managed, "maintenance": self.maintenance})]

    def declaration(self, cib: Cib) -> Declaration:
        return Declaration(self.edit_pass)

    def edit_pass(self, config: t.Any, index: IdIndex, edit: Edit) -> None:
        el = find_resource(config, self.resource)
        values = flag_values(nvpairs(el, "meta_attributes"),
                             {"is-managed": self.managed, "maintenance": self.maintenance})
        record_if_changed(edit, el.tag, self.resource, el, lambda: sync_nvpairs(
            el, "meta_attributes", "%s-meta_attributes" % self.resource, values, index, exclusive=False))

    def settled(self, cib: Cib, timeout: int) -> None:
        settle(cib, timeout, "resource %s changed" % self.resource)


def duration_seconds(value: str | None) -> int | None:
    """An ISO 8601 duration of weeks, days, hours, minutes and seconds (PT1H, P1DT12H) in seconds."""
    if value is None:
        return None
    match = DURATION_RE.match(value.strip().upper())
    if not match or not any(match.groups()):
        raise CibError("lifetime %r is not an ISO 8601 duration of weeks, days, hours, minutes or seconds "
                       "(PT30M, PT1H, P1D); nothing was written" % value)
    weeks, days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds


def prefer_node(constraint: t.Any) -> str | None:
    """The node a cli-prefer constraint moves to (its node attribute, or its rule's #uname expression)."""
    if constraint.get("node"):
        return constraint.get("node")
    for expr in constraint.iter("expression"):
        if expr.get("attribute") == "#uname" and expr.get("operation") == "eq":
            return expr.get("value")
    return None


class ResourceMove(t.NamedTuple):
    """A resource moved to a node (``cli-prefer-<id>``), banned from one (``cli-ban-<id>-on-<node>``), or its
    moves and bans cleared (all of them, or those naming ``node``), as crm_resource writes them."""

    resource: str
    state: str
    node: str | None
    lifetime: int | None  # seconds, for a move or a ban
    now: datetime.datetime

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [("rsc_location", self.resource, {"state": self.state, "node": self.node})]

    def declaration(self, cib: Cib) -> Declaration:
        return Declaration(self.edit_pass)

    def ours(self, constraints: t.Any) -> tuple[t.Any | None, list[t.Any]]:
        prefer, bans = None, []
        for el in constraints.findall("rsc_location"):
            ident = el.get("id") or ""
            if ident == "cli-prefer-%s" % self.resource:
                prefer = el
            elif ident.startswith("cli-ban-%s-on-" % self.resource):
                bans.append(el)
        return prefer, bans

    def element(self, ident: str, score: str, index: IdIndex) -> t.Any:
        """The constraint as crm_resource writes it: node and score, or with a lifetime a rule that ends."""
        el = etree.Element("rsc_location", {"id": ident, "rsc": self.resource, "role": "Started"})
        if self.lifetime is None:
            el.set("node", str(self.node))
            el.set("score", score)
        else:
            kind = "prefer" if ident.startswith("cli-prefer-") else "ban"
            end = (self.now + datetime.timedelta(seconds=self.lifetime)).strftime("%Y-%m-%d %H:%M:%SZ")
            rule = etree.SubElement(el, "rule", {"id": index.unique("cli-%s-rule-%s" % (kind, self.resource)),
                                                 "score": score, "boolean-op": "and"})
            etree.SubElement(rule, "expression", {"id": index.unique("cli-%s-expr-%s" % (kind, self.resource)),
                                                  "attribute": "#uname", "operation": "eq", "value": str(self.node),
                                                  "type": "string"})
            etree.SubElement(rule, "date_expression", {
                "id": index.unique("cli-%s-lifetime-end-%s" % (kind, self.resource)), "operation": "lt", "end": end})
        return el

    def edit_pass(self, config: t.Any, index: IdIndex, edit: Edit) -> None:
        el = find_resource(config, self.resource)
        if self.state == "moved" and el.tag == "clone" and \
                not truthy(nvpairs(el, "meta_attributes").get("promotable")):
            raise CibError("clone %s runs on several nodes and cannot be moved to one: ban it from a node "
                           "instead; nothing was written" % self.resource)
        if self.node is not None:
            find_node(config, self.node)
        constraints = config.find("constraints")
        if constraints is None:
            constraints = etree.SubElement(config, "constraints")
        prefer, bans = self.ours(constraints)
        if self.state == "cleared":
            gone = [c for c in ([prefer] if prefer is not None else []) + bans
                    if self.node is None or (prefer_node(c) if c is prefer else c.get("node") or prefer_node(c))
                    == self.node]
            for c in gone:
                edit.record("rsc_location", c.get("id"), copy.deepcopy(c), None)
                index.drop(c)
                constraints.remove(c)
            return
        if self.state == "moved":
            if prefer is not None and prefer_node(prefer) == self.node:
                return
            if prefer is not None:
                edit.record("rsc_location", prefer.get("id"), copy.deepcopy(prefer), None)
                index.drop(prefer)
                constraints.remove(prefer)
            new = self.element("cli-prefer-%s" % self.resource, "INFINITY", index)
        else:
            ident = "cli-ban-%s-on-%s" % (self.resource, self.node)
            if any(b.get("id") == ident for b in bans):
                return
            new = self.element(ident, "-INFINITY", index)
        if new.get("id") in index.ids:
            raise CibError("constraint id %s is taken by another element; nothing was written" % new.get("id"))
        constraints.append(new)
        for sub in new.iter():
            index.ids[sub.get("id")] = sub
        edit.record("rsc_location", new.get("id"), None, new)

    def settled(self, cib: Cib, timeout: int) -> None:
        """After the cluster settled: a moved resource runs on its node, a banned one not on its node."""
        settle(cib, timeout, "resource %s was %s" % (self.resource, self.state))
        if self.state == "cleared" or cib.cib_file:
            return
        config = cib.read().find("configuration")
        ids = primitive_ids(find_resource(config, self.resource))
        status = _status.read(cib.runner)
        where = running_on(status, ids)
        if self.state == "moved":
            wrong = {i: n for i, n in where.items() if self.node not in n}
            if wrong:
                where_words = "; ".join("%s runs on %s" % (i, ", ".join(n) or "no node") for i, n in sorted(wrong.items()))
                raise CibError("resource %s was moved to %s, but after the cluster settled %s%s"
                               % (self.resource, self.node, where_words, node_condition(status, str(self.node))))
        else:
            wrong = {i: n for i, n in where.items() if self.node in n}
            if wrong:
                raise CibError("resource %s was banned from %s, but after the cluster settled %s still run(s) "
                               "there" % (self.resource, self.node, ", ".join(sorted(wrong))))


def parse_node_state(name: str, state: str) -> NodeState:
    return NodeState(check_id(name, "node name"), state)


def parse_resource_manage(resource: str, managed: bool | None, maintenance: bool | None) -> ResourceManage:
    if managed is None and maintenance is None:
        raise CibError("resource %s: give managed, maintenance or both; nothing was written" % resource)
    return ResourceManage(check_id(resource, "resource"), managed, maintenance)


def parse_resource_move(resource: str, state: str, node: str | None, lifetime: str | None) -> ResourceMove:
    check_id(resource, "resource")
    if state in ("moved", "banned") and not node:
        raise CibError("resource %s: state %s needs the node; nothing was written" % (resource, state))
    if state == "cleared" and lifetime:
        raise CibError("resource %s: lifetime %r applies to a move or a ban, not to clearing them" % (resource, lifetime))
    return ResourceMove(resource, state, check_id(node, "node name") if node else None, duration_seconds(lifetime),
                        datetime.datetime.now(datetime.timezone.utc))


# ----- actions the CIB does not hold --------------------------------------------------------------------------

def failures(status: dict[str, t.Any], resource: str | None, node: str | None) -> list[dict[str, t.Any]]:
    """Failed actions and fail counts, one entry per (resource, node), filtered by ``resource`` and ``node``."""
    out: dict[tuple[str, str], dict[str, t.Any]] = {}
    for count in status["fail_counts"]:
        out[(count["resource"], count["node"])] = dict(count, failed_actions=[])
    for fail in status["failed_actions"]:
        rid = (fail.get("op_key") or "").rsplit("_", 2)[0].split(":")[0]
        key = (rid, fail.get("node") or "")
        entry = out.setdefault(key, {"resource": rid, "node": key[1], "fail_count": 0, "failed_actions": []})
        entry["failed_actions"].append(fail.get("op_key"))
    return [e for (rid, where), e in sorted(out.items())
            if (resource is None or rid == resource) and (node is None or where == node)]


class ResourceAction:
    """cleanup (changed only where a fail count or a failed action is to clear), refresh (always an action),
    restart (an action where the resource is active). check mode predicts each from crm_mon's status."""

    def __init__(self, module: t.Any) -> None:
        self.params = module.params
        self.runner = Runner(module)

    def target(self) -> list[str]:
        argv = []
        if self.params["resource"]:
            argv += ["--resource", self.params["resource"]]
        if self.params["node"]:
            argv += ["--node", self.params["node"]]
        return argv

    def plan(self) -> Plan:
        action, resource, node = self.params["action"], self.params["resource"], self.params["node"]
        status = _status.read(self.runner)
        if not status["running"]:
            raise CibError("the cluster does not run on this node (%s): nothing to %s" % (status["reason"], action))
        if node is not None and node not in [n["name"] for n in status["nodes"]]:
            raise CibError("node %s is not in the cluster (its nodes are: %s); nothing was done"
                           % (node, ", ".join(sorted(n["name"] for n in status["nodes"]))))
        known = {(r["id"] or "").split(":")[0] for r in status["resources"]} | set(status["members"])
        if resource is not None and resource not in known:
            raise CibError("resource %s is not in the cluster's status; nothing was done" % resource)
        where = " on %s" % node if node else ""
        if action == "cleanup":
            found = failures(status, resource, node)
            steps = ["clean up %s on %s (fail count %s%s)" % (
                f["resource"], f["node"], f["fail_count"],
                ", failed %s" % ", ".join(f["failed_actions"]) if f["failed_actions"] else "") for f in found]
            before = "".join("%s\n" % s[len("clean up "):] for s in steps)
            return Plan(steps=steps, before=before, after="", header="fail counts and failed actions",
                        result={"failures": found})
        if action == "refresh":
            return Plan(steps=["refresh %s%s" % (resource or "every resource", where)], header="resource history",
                        result={"failures": failures(status, resource, node)})
        if resource is None:
            raise CibError("action restart needs the resource")
        active = any(r["active"] for r in status["resources"] if (r["id"] or "").split(":")[0] in
                     self.members(resource, status))
        return Plan(steps=["restart %s" % resource] if active else [], header="resource",
                    before="%s: %s\n" % (resource, "active" if active else "not active"),
                    after="%s: restarted\n" % resource if active else "%s: not active\n" % resource,
                    result={"failures": failures(status, resource, node)})

    @staticmethod
    def members(resource: str, status: dict[str, t.Any]) -> set[str]:
        return set(status["members"].get(resource, [])) | {resource}

    def apply(self, plan: Plan) -> dict[str, t.Any]:
        action, timeout = self.params["action"], self.params["wait_timeout"]
        if action == "restart":
            self.runner.run(["crm_resource", "--restart", "--resource", self.params["resource"],
                             "--timeout", "%ds" % timeout])
        else:
            self.runner.run(["crm_resource", "--%s" % action] + self.target())
        if self.params["wait"]:
            settle(Cib(self.runner), timeout, "the %s" % action)
        return {}


def ticket_reads(runner: Runner, ticket: str) -> tuple[dict[str, t.Any] | None, list[str]]:
    """In one CIB query: the ticket's state in the status section (granted, standby; None when the cluster holds
    none) and the ids of the rsc_ticket constraints that name it."""
    rc, out, _err = runner.run(["cibadmin", "--query", "--xpath",
                                "/cib/status/tickets/ticket_state[@id='%s'] | //rsc_ticket[@ticket='%s']"
                                % (ticket, ticket)], check=False, read=True)
    if rc != 0 or not out.strip():
        return None, []
    found = list(etree.fromstring(out.encode()).iter("ticket_state", "rsc_ticket"))
    states = [el for el in found if el.tag == "ticket_state"]
    state = {"granted": truthy(states[0].get("granted")), "standby": truthy(states[0].get("standby")),
             "last_granted": states[0].get("last-granted")} if states else None
    return state, [el.get("id") for el in found if el.tag == "rsc_ticket"]


def ticket_state(runner: Runner, ticket: str) -> dict[str, t.Any] | None:
    """The ticket's state in the CIB's status section (granted, standby), or None when the cluster has none."""
    return ticket_reads(runner, ticket)[0]


class TicketAction:
    """A ticket granted or revoked, put in standby or activated at this site, as C(crm_ticket) does; a change only
    where the ticket is not yet as asked. Tickets live in the CIB's status section, not its configuration: this is
    an operation, not a declaration. A ticket that no C(rsc_ticket) constraint names and that has no state is refused
    (most likely a misspelt name)."""

    def __init__(self, module: t.Any, runner: Runner | None = None) -> None:
        self.params = module.params
        env = {"CIB_file": self.params["cib_file"]} if self.params.get("cib_file") else {}
        self.runner = runner or Runner(module, env=env)

    @staticmethod
    def describe(ticket: str, state: dict[str, t.Any]) -> str:
        return "%s: %s%s\n" % (ticket, "granted" if state["granted"] else "revoked",
                               ", standby" if state["standby"] else "")

    def plan(self) -> Plan:
        ticket = self.params["ticket"]
        check_id(ticket, "ticket")
        state, constraints = ticket_reads(self.runner, ticket)
        if state is None and not constraints:
            raise CibError("ticket %s: no rsc_ticket constraint names it and the cluster holds no state for it (a "
                           "misspelt name?); nothing was done" % ticket)
        current = state or {"granted": False, "standby": False, "last_granted": None}
        wanted = dict(current)
        steps = []
        for key, on, off in (("granted", "grant", "revoke"), ("standby", "standby", "activate")):
            if self.params[key] is not None and bool(self.params[key]) != current[key]:
                wanted[key] = bool(self.params[key])
                steps.append("%s ticket %s" % (on if self.params[key] else off, ticket))
        return Plan(steps=steps, before=self.describe(ticket, current), after=self.describe(ticket, wanted),
                    header="ticket %s" % ticket,
                    result={"ticket": {"id": ticket, "granted": wanted["granted"], "standby": wanted["standby"],
                                       "constraints": constraints}},
                    data=steps)

    def apply(self, plan: Plan) -> dict[str, t.Any]:
        ticket = self.params["ticket"]
        for step in plan.data:
            verb = step.split(" ", 1)[0]
            # --force: granting or revoking by hand is what booth would otherwise do, and crm_ticket asks for it
            self.runner.run(["crm_ticket", "--ticket", ticket, "--%s" % verb]
                            + (["--force"] if verb in ("grant", "revoke") else []))
        if self.params["wait"]:  # nothing to wait for on a CIB_file
            settle(Cib(self.runner, self.params.get("cib_file")), self.params["wait_timeout"], "the ticket's change")
        return {}
