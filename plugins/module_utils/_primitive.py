# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Primitives: crmsh's agent forms, validation against agent metadata, and the element itself."""

from __future__ import annotations

import copy
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    Cib, CibError, Declaration, Edit, IdIndex, canonical, check_id, daemon_metadata, etree, is_secret,
    sync_nvpairs, to_value,
)
from ansible_collections.hacluster.crm.plugins.module_utils._items import META_NAME_RE, canonical_role, check_keys
from ansible_collections.hacluster.crm.plugins.module_utils._rules import parse_rule
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
from ansible_collections.hacluster.crm.plugins.module_utils._tree import Node, claim_declared, fill, nvset

STANDARD_OPS = {"start", "stop", "monitor", "promote", "demote", "notify", "reload", "reload-agent",
                "migrate_to", "migrate_from", "meta-data", "validate-all", "status"}
STATE_ROLE = {"started": "Started", "stopped": "Stopped"}
STATES = ("present", "absent", "started", "stopped")
PRIMITIVE_KEYS = ("id", "agent", "template", "params", "meta", "params_sets", "meta_sets", "utilization", "ops",
                  "description", "state")
# crmsh's rsc_template: a primitive's agent, params, meta, utilization and ops, which primitives are made from
TEMPLATE_KEYS = ("id", "agent", "params", "meta", "params_sets", "meta_sets", "utilization", "ops", "description",
                 "state")
# The sets with a rule beside the plain params and meta (crmsh: params rule 10: #uname eq alice ip=...).
RULE_SETS = {"params_sets": "instance_attributes", "meta_sets": "meta_attributes"}
RULE_SET_KEYS = ("id", "score", "rule", "values")
NOUNS = {"primitive": "primitive", "template": "template"}
# An op's attributes in the CIB's schema, and its own instance (OCF_CHECK_LEVEL) and meta attributes.
OP_ATTRIBUTES = ("name", "interval", "description", "start-delay", "interval-origin", "timeout", "enabled",
                 "record-pending", "role", "requires", "on-fail")
OP_SETS = {"params": "instance_attributes", "meta": "meta_attributes"}


def parse_agent(agent: str) -> tuple[str, str | None, str]:
    """crmsh's forms: ``Dummy`` (ocf:heartbeat:Dummy), ``ocf:pacemaker:Stateful``, ``systemd:nginx``."""
    parts = str(agent).split(":")
    if len(parts) == 1 and parts[0]:
        return "ocf", "heartbeat", parts[0]
    if len(parts) == 2 and all(parts) and parts[0] != "ocf":
        return parts[0], None, parts[1]
    if len(parts) == 3 and all(parts) and parts[0] == "ocf":
        return parts[0], parts[1], parts[2]
    raise CibError("invalid agent %r: use TYPE (ocf:heartbeat:TYPE), ocf:PROVIDER:TYPE or CLASS:TYPE" % agent)


def agent_name(cls: str, provider: str | None, kind: str) -> str:
    return ":".join(p for p in (cls, provider, kind) if p)


class AgentInfo(t.NamedTuple):
    params: dict[str, bool]  # name: required
    actions: set[str]
    secrets: set[str]  # parameter names the metadata marks as passwords (content type="password")
    aliases: dict[str, str]  # a deprecated name: the name that obsoletes it (fence agents' login/username)


def agent_info(root: t.Any) -> AgentInfo:
    params = {p.get("name"): p.get("required") in ("1", "true") for p in root.iter("parameter")}
    aliases = {p.get("obsoletes"): p.get("name") for p in root.iter("parameter") if p.get("obsoletes")}
    # what the agent itself marks as a password (its description is no reason: "without password")
    secrets = {p.get("name") for p in root.iter("parameter")
               if p.find("content") is not None and p.find("content").get("type") == "password"}
    return AgentInfo(params, {a.get("name") for a in root.iter("action")}, secrets, aliases)


class Metadata:
    """Agent metadata from ``crm_resource --show-metadata``, fetched once per agent. Fence devices
    (class stonith) also take the fencer's own parameters (pcmk_host_list, pcmk_delay_max, ...),
    from pacemaker-fenced's metadata."""

    def __init__(self, runner: Runner, lenient: bool = False) -> None:
        self.runner = runner
        self.cache: dict[str, AgentInfo | None] = {}
        self._fencer: AgentInfo | None = None
        # check mode: an agent that is not installed yet (an earlier task of the run installs it) is not checked
        self.lenient = lenient
        self.unchecked: set[str] = set()

    def fencer(self) -> AgentInfo:
        if self._fencer is None:
            meta = daemon_metadata(self.runner, "pacemaker-fenced")
            if meta is None:
                raise CibError("pacemaker-fenced's metadata cannot be read on this node: the fencer's parameters "
                               "(pcmk_host_list, ...) cannot be checked; is the pacemaker package installed?")
            info = agent_info(meta)
            self._fencer = AgentInfo({name: False for name in info.params}, set(), info.secrets, {})
        return self._fencer

    def get(self, agent: str) -> AgentInfo | None:
        if agent not in self.cache:
            rc, out, err = self.runner.run(["crm_resource", "--show-metadata", agent], check=False)
            if (rc != 0 or not out.strip()) and self.lenient:
                self.unchecked.add(agent)
                self.cache[agent] = None
                return None
            if rc != 0 or not out.strip():
                raise CibError("unknown agent %r: crm_resource --show-metadata says: %s"
                               % (agent, (err or out).strip() or "rc=%d" % rc))
            info = agent_info(etree.fromstring(out.encode(), etree.XMLParser(resolve_entities=False, no_network=True)))
            if agent.startswith("stonith:"):
                fencer = self.fencer()
                info = AgentInfo(dict(fencer.params, **info.params), info.actions, info.secrets | fencer.secrets,
                                 info.aliases)
            self.cache[agent] = info
        return self.cache[agent]

    def secret_names(self) -> set[str]:
        return set().union(*(info.secrets for info in self.cache.values() if info is not None))


def mapping(raw: t.Any, what: str) -> dict[str, t.Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CibError("%s must be a dict of names and values, not a %s" % (what, type(raw).__name__))
    return raw


NAMES = {"params": "parameter", "meta": "meta attribute", "utilization": "utilization attribute"}


def nvpairs_of(raw: t.Any, what: str, removable: bool) -> dict[str, str | None]:
    """Names and values of an attribute set (``what``: "primitive X params", "... meta"); with ``removable``,
    a null value removes a name."""
    out: dict[str, str | None] = {}
    owner, _sep, key = what.rpartition(" ")
    for name, value in mapping(raw, what).items():
        if not META_NAME_RE.match(str(name)):
            raise CibError("%s: invalid %s name %r (a name starts with a letter or '_' and holds letters, digits, "
                           "'_', '.', ':' and '-')" % (owner, NAMES.get(key, key), name))
        out[str(name)] = None if value is None and removable else to_value(value, "%s %s" % (what, name))
    return out


def op_key(op: t.Any) -> tuple[str, str, str]:
    """An op by name, interval and role (its role by meaning: Master is Promoted)."""
    return op.get("name"), op.get("interval", "0s"), canonical_role(op.get("role")) or ""


class Spec:
    """One declared primitive, checked for form (metadata checks come later, once per agent)."""

    def __init__(self, raw: t.Any, where: str, tag: str = "primitive") -> None:
        if not isinstance(raw, dict):
            raise CibError("%s must be a dict with id, agent, ...; not a %s" % (where, type(raw).__name__))
        self.tag = tag
        self.id = check_id(raw.get("id"), "%s id" % where)
        self.where = "%s %s" % (NOUNS[tag], self.id)
        keys = PRIMITIVE_KEYS if tag == "primitive" else TEMPLATE_KEYS
        unknown = sorted(str(k) for k, v in raw.items() if k not in keys and v is not None)
        if unknown:
            raise CibError("%s: unknown key %s (known: %s); nothing was written"
                           % (self.where, ", ".join(unknown), ", ".join(keys)))
        self.state = raw.get("state") or "present"
        if self.state not in (STATES if tag == "primitive" else ("present", "absent")):
            raise CibError("%s: state %r is not one of %s" % (self.where, self.state, ", ".join(STATES)))
        self.agent = None
        self.template = None
        if self.state != "absent":
            if bool(raw.get("agent")) == bool(raw.get("template")):
                raise CibError("%s: agent is required unless state is absent (or a template to make it from; not "
                               "both)" % self.where if tag == "primitive" else
                               "%s: agent is required unless state is absent" % self.where)
            if raw.get("template"):
                self.template = check_id(raw["template"], "%s template" % self.where)
            else:
                self.agent = parse_agent(raw["agent"])
        self.utilization = None if raw.get("utilization") is None else \
            nvpairs_of(raw["utilization"], "%s utilization" % self.where, removable=False)
        self.params = nvpairs_of(raw.get("params"), "%s params" % self.where, removable=False)
        self.meta = nvpairs_of(raw.get("meta"), "%s meta" % self.where, removable=True)
        # None: the sets with rules are not declared, and left as they are
        self.rule_sets: dict[str, list[tuple[str, Node, dict[str, str | None]]] | None] = {
            key: None if raw.get(key) is None else self._rule_sets(raw[key], key) for key in RULE_SETS}
        if self.state in STATE_ROLE:
            self.meta["target-role"] = STATE_ROLE[self.state]
        self.description = None if raw.get("description") is None else \
            to_value(raw["description"], "%s description" % self.where)
        ops = raw.get("ops") or []
        if not isinstance(ops, list):
            raise CibError("%s: ops must be a list of dicts, not a %s" % (self.where, type(ops).__name__))
        self.ops = [self._op(i, op) for i, op in enumerate(ops)]
        keys = [op_key(o) for o in self.ops]
        if len(set(keys)) != len(keys):
            raise CibError("%s: an op with the same name, interval and role is given twice" % self.where)

    def _rule_sets(self, raw: t.Any, key: str) -> list[tuple[str, Node, dict[str, str | None]]]:
        """``params_sets``/``meta_sets``: each set with its id, an optional score, its rule and its values, owned whole."""
        if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
            raise CibError("%s %s must be a list of dicts, not %r" % (self.where, key, raw))
        out = []
        for n, item in enumerate(raw):
            where = "%s %s[%d]" % (self.where, key, n)
            check_keys(item, RULE_SET_KEYS, where)
            ident = check_id(item.get("id"), "%s id" % where)
            where = "%s %s %s" % (self.where, key, ident)
            if item.get("rule") is None:
                raise CibError("%s: a set here needs a rule (the plain ones are %s)" % (where, key[:-len("_sets")]))
            values = nvpairs_of(item.get("values"), "%s values" % where, removable=False)
            if not values:
                raise CibError("%s: a set needs values" % where)
            attrs = {"score": to_value(item["score"], "%s score" % where)} if item.get("score") is not None else {}
            out.append((ident, nvset(RULE_SETS[key], values, attrs=attrs, rule=parse_rule(item["rule"], "%s rule" % where)),
                        values))
        idents = [ident for ident, _node, _values in out]
        if len(set(idents)) != len(idents):
            raise CibError("%s: a set id is given twice in %s" % (self.where, key))
        return out

    def _op(self, index: int, op: t.Any) -> dict[str, t.Any]:
        if not isinstance(op, dict) or not op.get("name"):
            raise CibError("%s: ops[%d] needs a name" % (self.where, index))
        where = "%s op %s" % (self.where, op["name"])
        unknown = sorted(str(k) for k in op if k not in OP_ATTRIBUTES and k not in OP_SETS)
        if unknown:
            raise CibError("%s: unknown op attribute %s (known: %s)"
                           % (where, ", ".join(unknown), ", ".join(OP_ATTRIBUTES + tuple(OP_SETS))))
        clean: dict[str, t.Any] = {}
        for key, value in op.items():
            if value is None:
                continue
            if key in OP_SETS:
                clean[key] = nvpairs_of(value, "%s %s" % (where, key), removable=False)
            else:
                clean[str(key)] = to_value(value, "%s %s" % (where, key))
        clean.setdefault("interval", "0s")
        return clean

    def validate(self, metadata: Metadata) -> None:
        if self.agent is None:
            return
        name = agent_name(*self.agent)
        info = metadata.get(name)
        if info is None:
            return
        params, actions, _secrets, aliases = info
        ruled = {name for ident, _node, values in self.rule_sets["params_sets"] or [] for name in values}
        unknown = sorted((set(self.params) | ruled) - set(params))
        if unknown:
            raise CibError("%s: unknown parameter %s for agent %s (it takes: %s)"
                           % (self.where, ", ".join(unknown), name, ", ".join(sorted(params)) or "none"))
        given = set(self.params) | {aliases[p] for p in self.params if p in aliases} | \
            {old for old, new in aliases.items() if new in self.params}
        missing = sorted({aliases.get(p, p) for p, required in params.items() if required and p not in given})
        if missing:
            raise CibError("%s: agent %s requires parameter %s" % (self.where, name, ", ".join(missing)))
        for op in self.ops:
            if op["name"] not in actions | STANDARD_OPS:
                raise CibError("%s: unknown op %r for agent %s (it has: %s)"
                               % (self.where, op["name"], name, ", ".join(sorted(actions))))


def specs_from(items: list[dict[str, t.Any]], tag: str = "primitive") -> list[Spec]:
    specs = [Spec(raw, "%ss[%d]" % (NOUNS[tag], i), tag) for i, raw in enumerate(items)]
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            raise CibError("%s %s is declared twice" % (NOUNS[tag], spec.id))
        seen.add(spec.id)
    return specs


def build(existing: t.Any | None, spec: Spec, index: IdIndex) -> t.Any:
    """The primitive (or template) as declared, reusing the ids of what already exists."""
    el = copy.deepcopy(existing) if existing is not None else etree.Element(spec.tag, id=spec.id)
    if spec.template:
        for attr in ("class", "provider", "type"):
            el.attrib.pop(attr, None)
        el.set("template", spec.template)
    else:
        el.attrib.pop("template", None)
        cls, provider, kind = spec.agent
        el.set("class", cls)
        if provider:
            el.set("provider", provider)
        elif "provider" in el.attrib:
            del el.attrib["provider"]
        el.set("type", kind)
    if spec.description is not None:
        el.set("description", str(spec.description))
    if existing is not None:
        index.drop(existing)
        for sub in el.iter():
            if isinstance(sub.tag, str) and sub.get("id"):
                index.ids[sub.get("id")] = sub
    else:
        index.ids[spec.id] = el
    sync_nvpairs(el, "instance_attributes", spec.id + "-instance_attributes", dict(spec.params), index,
                 exclusive=True)
    sync_ops(el, spec, index)
    sync_nvpairs(el, "meta_attributes", spec.id + "-meta_attributes", spec.meta, index, exclusive=False)
    if spec.utilization is not None:
        sync_nvpairs(el, "utilization", spec.id + "-utilization", dict(spec.utilization), index, exclusive=True)
    for key, tag in RULE_SETS.items():
        sync_rule_sets(el, tag, spec.rule_sets[key], index)
    return el


def sync_rule_sets(el: t.Any, tag: str, sets: list[tuple[str, Node, dict[str, str | None]]] | None,
                   index: IdIndex) -> None:
    """The ``tag`` sets with a rule exactly as declared (each whole, the ids of what it replaces kept); those not
    declared go. Not declared at all (None): left as they are."""
    if sets is None:
        return
    wanted = {ident for ident, _node, _values in sets}
    for old in [s for s in el.findall(tag) if s.find("rule") is not None and s.get("id") not in wanted]:
        index.drop(old)
        el.remove(old)
    for ident, node, _values in sets:
        target = next((s for s in el.findall(tag) if s.get("id") == ident), None)
        if target is None:
            target = etree.SubElement(el, tag)
            claim_declared(target, ident, index)
        fill(target, node, index)


def sync_ops(el: t.Any, spec: Spec, index: IdIndex) -> None:
    ops_el = el.find("operations")
    existing = {op_key(op): op for op in ops_el.findall("op")} if ops_el is not None else {}
    if not spec.ops and ops_el is None:
        return
    if ops_el is None:
        ops_el = etree.SubElement(el, "operations")
    wanted = set()
    for op in spec.ops:
        key = op_key(op)
        wanted.add(key)
        node = existing.get(key)
        if node is None:
            node = etree.SubElement(ops_el, "op")
            index.claim(node, "%s-%s-%s" % (spec.id, op["name"], op["interval"]))
        for attr in [a for a in node.attrib if a != "id" and a not in op]:
            del node.attrib[attr]
        for attr, value in op.items():
            if attr in OP_SETS:
                continue
            if attr == "role" and canonical_role(node.get("role")) == canonical_role(value):
                continue  # the same role in Pacemaker 2's spelling stays as it is
            node.set(attr, value)
        for key_name, tag in OP_SETS.items():
            sync_nvpairs(node, tag, "%s-%s" % (node.get("id"), tag), dict(op.get(key_name) or {}), index,
                         exclusive=True)
    for key, node in existing.items():
        if key not in wanted:
            index.drop(node)
            ops_el.remove(node)
    if len(ops_el) == 0:
        el.remove(ops_el)


def apply_specs(config: t.Any, index: IdIndex, edit: Edit, specs: list[Spec]) -> None:
    resources = config.find("resources")
    for spec in specs:
        existing = index.ids.get(spec.id)
        noun = NOUNS[spec.tag]
        if existing is not None and existing.tag != spec.tag:
            raise CibError("id %s is already used by a <%s> element, not a %s" % (spec.id, existing.tag, noun))
        if spec.template and spec.state != "absent":
            found = index.ids.get(spec.template)
            if found is None or found.tag != "template":
                raise CibError("%s: template %s is no resource template in the CIB nor declared with it"
                               % (spec.where, spec.template))
        if spec.state == "absent":
            if existing is not None:
                if spec.tag == "template":
                    users = [p.get("id") for p in resources.iter("primitive") if p.get("template") == spec.id]
                    if users:
                        raise CibError("template %s is removed, but primitive %s is made from it: remove or change "
                                       "it in the same declaration; nothing was written" % (spec.id, users[0]))
                edit.record(noun, spec.id, existing, None)
                index.drop(existing)
                existing.getparent().remove(existing)
            continue
        desired = build(existing, spec, index)
        if existing is None:
            resources.append(desired)
            edit.record(noun, spec.id, None, desired)
        elif canonical(existing) != canonical(desired):
            edit.record(noun, spec.id, existing, desired)
            existing.getparent().replace(existing, desired)
        else:  # unchanged: the index points at the element in the tree again, not at the copy
            for sub in existing.iter():
                if isinstance(sub.tag, str) and sub.get("id"):
                    index.ids[sub.get("id")] = sub


class Checked(t.NamedTuple):
    """What checking specs against their agents found: secret parameter names the metadata marks, the
    secret values declared, and what the module should warn about."""

    known: set[str]
    secrets: frozenset[str]
    warnings: tuple[str, ...]


def validate_specs(cib: Cib, specs: list[Spec]) -> Checked:
    """Check every spec against its agent's metadata (leniently in check mode: an agent installed by an
    earlier task)."""
    metadata = Metadata(cib.runner, lenient=cib.predict)
    for spec in specs:
        if not cib.offline:  # no agents to ask before the packages are installed
            spec.validate(metadata)
    known = metadata.secret_names()
    warnings = tuple("agent %s is not installed on this node: in check mode its parameters are not checked (an "
                     "earlier task, the init role's package install, may install it)" % agent
                     for agent in sorted(metadata.unchecked))
    secrets = frozenset(v for spec in specs for k, v in spec.params.items() if v and is_secret(k, known))
    return Checked(known, secrets, warnings)


class Primitives(t.NamedTuple):
    """Declared primitives, checked for form; their agents are checked by ``declaration``."""

    specs: list[Spec]

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [(NOUNS[s.tag], s.id, {"id": s.id, "agent": agent_name(*s.agent) if s.agent else None,
                                      "template": s.template, "params": s.params})
                for s in self.specs if s.state != "absent"]

    def declaration(self, cib: Cib) -> Declaration:
        """Every primitive validated against its agent before anything is written; values of secret
        parameters (by name, or marked so in the agent's metadata) masked in the diff and returned."""
        checked = validate_specs(cib, self.specs)
        return Declaration(lambda config, index, edit: apply_specs(config, index, edit, self.specs),
                           lambda name: is_secret(name, checked.known), checked.secrets, checked.warnings)


def parse_primitives(items: t.Any) -> Primitives:
    if not isinstance(items, list):
        raise CibError("primitives must be a list, not a %s" % type(items).__name__)
    return Primitives(specs_from(items))
