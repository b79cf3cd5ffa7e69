# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource model beyond primitives: groups, clones (promotable too) and constraints
(location, colocation, order), and the one declaration that applies them with primitives and
fencing levels in one CIB transaction (one read, one patch).

Ownership is partial: only what is declared is touched. Groups and clones are matched by id;
constraints by what they say (their resources, node or rule, roles), or by id when one is given,
so that a rerun never adds a duplicate."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    Cib, CibError, Declaration, Edit, IdIndex, canonical, check_id, etree, is_secret, sync_nvpairs, to_value,
)
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import (
    META_NAME_RE, Spec, apply_specs, specs_from, validate_specs,
)
from ansible_collections.hacluster.crm.plugins.module_utils._topology import apply_levels, parse_levels

RESOURCE_TAGS = ("primitive", "group", "clone", "bundle", "master")
ROLES = ("Started", "Stopped", "Promoted", "Unpromoted")
# Pacemaker 2's names of the promotable roles, the only ones before schema pacemaker-3.7
LEGACY_ROLES = {"Master": "Promoted", "Slave": "Unpromoted"}
MODERN_TO_LEGACY = {v: k for k, v in LEGACY_ROLES.items()}
DISCOVERY = ("always", "never", "exclusive")
ORDERINGS = ("group", "listed")
SCORE_RE = re.compile(r"^([-+]?(INFINITY|inf|infinity)|[-+]?[0-9]+)$")
KINDS = ("Mandatory", "Optional", "Serialize")
ACTIONS = ("start", "stop", "promote", "demote")
OPERATIONS = ("lt", "gt", "lte", "gte", "eq", "ne", "defined", "not_defined")
TYPES = ("string", "integer", "number", "version")
CONSTRAINT_TAGS = {"location": "rsc_location", "colocation": "rsc_colocation", "order": "rsc_order"}


def check_keys(item: dict, known: t.Iterable[str], where: str) -> None:
    """A key given (not null: the argument spec gives every key of every type) that this kind does not take."""
    unknown = sorted(k for k, v in item.items() if k not in set(known) and v is not None)
    if unknown:
        raise CibError("%s: unknown key %s (known: %s)" % (where, ", ".join(unknown), ", ".join(sorted(known))))


def meta_of(raw: t.Any, where: str) -> dict[str, str | None]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise CibError("%s: meta must be a dict, not %r" % (where, raw))
    out = {}
    for name, value in raw.items():
        if not META_NAME_RE.match(str(name)):
            raise CibError("%s: invalid meta attribute name %r" % (where, name))
        out[str(name)] = None if value is None else to_value(value, "%s meta %s" % (where, name))
    return out


def score_of(value: t.Any, where: str) -> str:
    text = "INFINITY" if value is None else str(value).strip()
    if isinstance(value, bool) or not SCORE_RE.match(text):
        raise CibError("%s: score %r is not a score (an integer, INFINITY or -INFINITY)" % (where, value))
    return text.replace("+", "").replace("infinity", "INFINITY").replace("inf", "INFINITY") \
        if not text.lstrip("+-").isdigit() else text


def role_of(value: t.Any, where: str) -> str | None:
    """A role by its meaning: Pacemaker 2's Master and Slave are Promoted and Unpromoted."""
    if value in (None, ""):
        return None
    if value not in ROLES and value not in LEGACY_ROLES:
        raise CibError("%s: role %r is not one of %s (or Pacemaker 2's Master, Slave)" % (where, value, ", ".join(ROLES)))
    return LEGACY_ROLES.get(str(value), str(value))


def canonical_role(value: str | None) -> str | None:
    return LEGACY_ROLES.get(value, value) if value else value


def legacy_roles(validate_with: str | None) -> bool:
    """Whether the CIB's schema knows only Master and Slave (Promoted came with pacemaker-3.7)."""
    match = re.match(r"^pacemaker-(\d+)\.(\d+)$", validate_with or "")
    return bool(match) and (int(match.group(1)), int(match.group(2))) < (3, 7)


def spell_role(role: str, existing: str | None, legacy: bool) -> str:
    """The role as the CIB should hold it: as it already does when that means the same, else in the
    form the CIB's schema accepts."""
    if existing and canonical_role(existing) == role:
        return existing
    return MODERN_TO_LEGACY.get(role, role) if legacy else role


def bool_of(item: dict, key: str, where: str) -> str | None:
    if item.get(key) is None:
        return None
    if not isinstance(item[key], bool):
        raise CibError("%s: %s must be true or false, not %r" % (where, key, item[key]))
    return "true" if item[key] else "false"


def choice_of(item: dict, key: str, choices: tuple, where: str) -> str | None:
    if item.get(key) is None:
        return None
    if item[key] not in choices:
        raise CibError("%s: %s %r is not one of %s" % (where, key, item[key], ", ".join(choices)))
    return str(item[key])


def description_of(item: dict, where: str) -> str | None:
    return None if item.get("description") is None else to_value(item["description"], "%s description" % where)


def state_of(item: dict, where: str) -> str:
    state = item.get("state") or "present"
    if state not in ("present", "absent"):
        raise CibError("%s: state %r is not present or absent" % (where, state))
    return state


# ---------------------------------------------------------------- groups and clones

class GroupSpec(t.NamedTuple):
    id: str
    members: tuple[str, ...]
    meta: dict[str, str | None]
    state: str
    description: str | None


class CloneSpec(t.NamedTuple):
    id: str
    resource: str | None
    meta: dict[str, str | None]
    promotable: bool | None
    state: str
    description: str | None


def parse_group(item: t.Any, n: int) -> GroupSpec:
    if not isinstance(item, dict):
        raise CibError("groups[%d] must be a dict, not %r" % (n, item))
    ident = check_id(item.get("id"), "groups[%d] id" % n)
    where = "group %s" % ident
    check_keys(item, ("id", "members", "meta", "state", "description"), where)
    state = state_of(item, where)
    members = item.get("members") or []
    if state == "present":
        if not isinstance(members, list) or not members:
            raise CibError("%s: members must be a non-empty list of primitive ids, not %r" % (where, members))
        members = [check_id(m, "%s member" % where) for m in members]
        twice = sorted({m for m in members if members.count(m) > 1})
        if twice:
            raise CibError("%s names %s twice" % (where, ", ".join(twice)))
    return GroupSpec(ident, tuple(members), meta_of(item.get("meta"), where), state, description_of(item, where))


def parse_clone(item: t.Any, n: int) -> CloneSpec:
    if not isinstance(item, dict):
        raise CibError("clones[%d] must be a dict, not %r" % (n, item))
    ident = check_id(item.get("id"), "clones[%d] id" % n)
    where = "clone %s" % ident
    check_keys(item, ("id", "resource", "meta", "promotable", "state", "description"), where)
    state = state_of(item, where)
    resource = item.get("resource")
    if state == "present":
        resource = check_id(resource, "%s resource" % where)
    promotable = item.get("promotable")
    if promotable is not None and not isinstance(promotable, bool):
        raise CibError("%s: promotable must be true or false, not %r" % (where, promotable))
    meta = meta_of(item.get("meta"), where)
    if promotable is not None:
        meta["promotable"] = "true" if promotable else None
    return CloneSpec(ident, resource, meta, promotable, state, description_of(item, where))


def lift(el: t.Any, resources: t.Any) -> None:
    """Move a resource element out of its group or clone to the top of the resources section."""
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)
    resources.append(el)


def snapshot(el: t.Any | None) -> t.Any | None:
    return None if el is None else etree.fromstring(etree.tostring(el))


def container_of(el: t.Any) -> t.Any | None:
    parent = el.getparent()
    return parent if parent is not None and parent.tag in ("group", "clone", "master", "bundle") else None


def apply_groups(config: t.Any, index: IdIndex, edit: Edit, groups: list[GroupSpec]) -> None:
    resources = config.find("resources")
    claimed: dict[str, str] = {}
    for spec in groups:
        for member in spec.members:
            if member in claimed:
                raise CibError("primitive %s is declared in two groups: %s and %s" % (member, claimed[member], spec.id))
            claimed[member] = spec.id
    for spec in groups:
        group = index.ids.get(spec.id)
        if group is not None and group.tag != "group":
            raise CibError("id %s is already used by a <%s> element, not a group" % (spec.id, group.tag))
        if spec.state == "absent":
            if group is not None:
                before = snapshot(group)
                for member in group.findall("primitive"):
                    lift(member, resources)  # ungrouped, kept: crmsh's delete of a group
                edit.record("group", spec.id, before, None)
                index.drop(group)
                group.getparent().remove(group)
            continue
        members = []
        for member in spec.members:
            el = index.ids.get(member)
            if el is None:
                raise CibError("group %s: member %s is no resource in the CIB nor declared with it" % (spec.id, member))
            if el.tag != "primitive":
                raise CibError("group %s: member %s is a %s; a group holds primitives only" % (spec.id, member, el.tag))
            holder = container_of(el)
            if holder is not None and holder.get("id") != spec.id:
                raise CibError("group %s: primitive %s is already in %s %s"
                               % (spec.id, member, holder.tag, holder.get("id")))
            members.append(el)
        before = snapshot(group)
        if group is None:
            group = etree.SubElement(resources, "group", id=spec.id)
            index.ids[spec.id] = group
        if spec.description is not None:
            group.set("description", str(spec.description))
        for el in group.findall("primitive"):
            if el.get("id") not in spec.members:
                lift(el, resources)
        for el in members:
            if el.getparent() is not group:
                el.getparent().remove(el)
            group.append(el)
        sync_nvpairs(group, "meta_attributes", spec.id + "-meta_attributes", spec.meta, index, exclusive=False)
        meta = group.find("meta_attributes")
        if meta is not None:
            group.remove(meta)
            group.insert(0, meta)
        if before is None or canonical(before) != canonical(group) or \
                [p.get("id") for p in before.findall("primitive")] != list(spec.members):
            edit.record("group", spec.id, before, group)


def apply_clones(config: t.Any, index: IdIndex, edit: Edit, clones: list[CloneSpec]) -> None:
    resources = config.find("resources")
    wrapped: dict[str, str] = {}
    for spec in clones:
        if spec.state == "present":
            if spec.resource in wrapped:
                raise CibError("resource %s is declared in two clones: %s and %s"
                               % (spec.resource, wrapped[spec.resource], spec.id))
            wrapped[spec.resource] = spec.id
    for spec in clones:
        clone = index.ids.get(spec.id)
        if clone is not None and clone.tag != "clone":
            raise CibError("id %s is already used by a <%s> element, not a clone" % (spec.id, clone.tag))
        if spec.state == "absent":
            if clone is not None:
                before = snapshot(clone)
                for child in [c for c in clone if c.tag in RESOURCE_TAGS]:
                    lift(child, resources)  # uncloned, kept
                edit.record("clone", spec.id, before, None)
                index.drop(clone)
                clone.getparent().remove(clone)
            continue
        el = index.ids.get(spec.resource)
        if el is None:
            raise CibError("clone %s: resource %s is no resource in the CIB nor declared with it"
                           % (spec.id, spec.resource))
        if el.tag not in ("primitive", "group"):
            raise CibError("clone %s: %s is a %s; a clone holds a primitive or a group (a clone of a clone is "
                           "not possible)" % (spec.id, spec.resource, el.tag))
        holder = container_of(el)
        if holder is not None and holder.get("id") != spec.id:
            raise CibError("clone %s: %s %s is in %s %s; clone the %s instead" % (
                spec.id, el.tag, spec.resource, holder.tag, holder.get("id"), holder.tag))
        before = snapshot(clone)
        if clone is None:
            clone = etree.SubElement(resources, "clone", id=spec.id)
            index.ids[spec.id] = clone
        if spec.description is not None:
            clone.set("description", str(spec.description))
        for child in [c for c in clone if c.tag in RESOURCE_TAGS and c is not el]:
            lift(child, resources)
        if el.getparent() is not clone:
            el.getparent().remove(el)
            clone.append(el)
        sync_nvpairs(clone, "meta_attributes", spec.id + "-meta_attributes", spec.meta, index, exclusive=False)
        meta = clone.find("meta_attributes")
        if meta is not None:
            clone.remove(meta)
            clone.insert(0, meta)
        if before is None or canonical(before) != canonical(clone):
            edit.record("clone", spec.id, before, clone)


# ---------------------------------------------------------------- constraints

# crm resource move/ban's temporary constraints: never matched, declared, exported or touched
TEMPORARY_PREFIXES = ("cli-prefer-", "cli-ban-")
ROLE_ATTRS = ("role", "rsc-role", "with-rsc-role")
EXPRESSION_KEYS = ("attribute", "operation", "value", "type", "value-source")
VALUE_SOURCES = ("literal", "param", "meta")


class Constraint(t.NamedTuple):
    type: str
    id: str | None
    attrs: dict[str, str]  # the element's attributes but id (roles by meaning: Promoted, Unpromoted)
    children: list  # parsed sets or rules
    state: str
    identity: tuple  # what the constraint says, for matching without an id
    refs: tuple[str, ...]  # resources it names
    default_id: str


def parse_expression(expr: t.Any, where: str) -> dict[str, str]:
    if not isinstance(expr, dict):
        raise CibError("%s: an expression must be a dict with attribute, operation and value, not %r" % (where, expr))
    check_keys(expr, ("attribute", "operation", "value", "type", "value_source"), where)
    attribute = to_value(expr.get("attribute") or "", "%s attribute" % where)
    if not attribute:
        raise CibError("%s: an expression needs an attribute (a node attribute, or #uname for the node name)" % where)
    operation = expr.get("operation") or "eq"
    if operation not in OPERATIONS:
        raise CibError("%s: operation %r is not one of %s" % (where, operation, ", ".join(OPERATIONS)))
    out = {"attribute": attribute, "operation": str(operation)}
    if operation not in ("defined", "not_defined"):
        if expr.get("value") is None:
            raise CibError("%s: operation %s needs a value" % (where, operation))
        out["value"] = to_value(expr["value"], "%s value" % where)
    for key, attr, choices in (("type", "type", TYPES), ("value_source", "value-source", VALUE_SOURCES)):
        chosen = choice_of(expr, key, choices, where)
        if chosen:
            out[attr] = chosen
    return out


def parse_rule(rule: t.Any, where: str) -> dict[str, t.Any]:
    if not isinstance(rule, dict):
        raise CibError("%s: a rule must be a dict with score and expressions, not %r" % (where, rule))
    check_keys(rule, ("score", "expressions", "boolean_op", "role"), where)
    exprs = rule.get("expressions")
    if not isinstance(exprs, list) or not exprs:
        raise CibError("%s: a rule needs a non-empty list of expressions" % where)
    return {"score": score_of(rule.get("score"), where),
            "boolean-op": choice_of(rule, "boolean_op", ("and", "or"), where) or "and",
            "role": role_of(rule.get("role"), where),
            "expressions": [parse_expression(e, where) for e in exprs]}


def parse_set(raw: t.Any, where: str) -> dict[str, t.Any]:
    if not isinstance(raw, dict):
        raise CibError("%s: a resource set must be a dict with resources, not %r" % (where, raw))
    check_keys(raw, ("resources", "role", "sequential", "require_all", "action", "ordering", "score", "kind"), where)
    resources = raw.get("resources")
    if not isinstance(resources, list) or not resources:
        raise CibError("%s: a resource set needs a non-empty list of resources" % where)
    if raw.get("score") is not None and raw.get("kind") is not None:
        raise CibError("%s: a resource set takes a score or a kind, not both" % where)
    return {"resources": [check_id(r, "%s resource" % where) for r in resources],
            "role": role_of(raw.get("role"), where),
            "sequential": bool_of(raw, "sequential", where), "require-all": bool_of(raw, "require_all", where),
            "action": choice_of(raw, "action", ACTIONS, where), "ordering": choice_of(raw, "ordering", ORDERINGS, where),
            "score": None if raw.get("score") is None else score_of(raw["score"], where),
            "kind": choice_of(raw, "kind", KINDS, where)}


def set_canon(sets: list) -> tuple:
    """What a list of sets says for matching: their resources, each set's role and action."""
    return tuple((tuple(s["resources"]), canonical_role(s.get("role")), s.get("action")) for s in sets)


def rule_canon(rules: list) -> tuple:
    return tuple((canonical_role(r.get("role")), tuple(tuple(sorted(e.items())) for e in r["expressions"]))
                 for r in rules)


def order_actions(first: str | None, then: str | None) -> tuple[str, str]:
    """Pacemaker's defaults: first-action start, then-action as first-action."""
    first = first or "start"
    return first, then or first


def parse_location(item: dict, where: str, attrs: dict, refs: list) -> tuple[list, tuple, str]:
    check_keys(item, ("type", "id", "resource", "resource_pattern", "node", "score", "rules", "role",
                      "resource_discovery", "state"), where)
    if bool(item.get("resource")) == bool(item.get("resource_pattern")):
        raise CibError("%s needs exactly one of resource and resource_pattern" % where)
    if item.get("resource"):
        attrs["rsc"] = check_id(item["resource"], "%s resource" % where)
        refs.append(attrs["rsc"])
    else:
        attrs["rsc-pattern"] = to_value(item["resource_pattern"], "%s resource_pattern" % where)
    if bool(item.get("node")) == bool(item.get("rules")):
        raise CibError("%s needs exactly one of node (with a score) and rules" % where)
    rules: list = []
    if item.get("node"):
        attrs["node"] = to_value(item["node"], "%s node" % where)
        attrs["score"] = score_of(item.get("score"), where)
    else:
        if not isinstance(item["rules"], list):
            raise CibError("%s: rules must be a list" % where)
        rules = [parse_rule(r, where) for r in item["rules"]]
    role = role_of(item.get("role"), where)
    if role:
        attrs["role"] = role
    discovery = choice_of(item, "resource_discovery", DISCOVERY, where)
    if discovery:
        attrs["resource-discovery"] = discovery
    subject = attrs.get("rsc") or "pattern-" + attrs.get("rsc-pattern", "")
    identity = ("location", subject, attrs.get("node"), role, rule_canon(rules))
    return rules, identity, "location-%s-%s" % (subject, attrs.get("node") or "rule")


def parse_colocation(item: dict, where: str, attrs: dict, refs: list) -> tuple[list, tuple, str]:
    check_keys(item, ("type", "id", "resource", "with", "score", "role", "with_role", "resource_sets", "node_attribute",
                      "influence", "state"), where)
    attrs["score"] = score_of(item.get("score"), where)
    influence = bool_of(item, "influence", where)
    if influence:
        attrs["influence"] = influence
    if item.get("resource_sets"):
        if item.get("resource") or item.get("with") or item.get("node_attribute"):
            raise CibError("%s: give resource and with (and node_attribute), or resource_sets, not both" % where)
        sets = [parse_set(s, where) for s in item["resource_sets"]]
        refs += [r for s in sets for r in s["resources"]]
        return sets, ("colocation", set_canon(sets)), \
            "colocation-set-%s" % "-".join(r for s in sets for r in s["resources"])
    if not item.get("resource") or not item.get("with"):
        raise CibError("%s needs resource and with (or resource_sets)" % where)
    attrs["rsc"] = check_id(item["resource"], "%s resource" % where)
    attrs["with-rsc"] = check_id(item["with"], "%s with" % where)
    refs += [attrs["rsc"], attrs["with-rsc"]]
    if item.get("node_attribute") not in (None, ""):
        attrs["node-attribute"] = to_value(item["node_attribute"], "%s node_attribute" % where)
    for key, attr in (("role", "rsc-role"), ("with_role", "with-rsc-role")):
        role = role_of(item.get(key), where)
        if role:
            attrs[attr] = role
    return [], ("colocation", attrs["rsc"], attrs["with-rsc"], attrs.get("rsc-role"), attrs.get("with-rsc-role")), \
        "colocation-%s-%s" % (attrs["rsc"], attrs["with-rsc"])


def parse_order(item: dict, where: str, attrs: dict, refs: list) -> tuple[list, tuple, str]:
    check_keys(item, ("type", "id", "first", "then", "kind", "score", "symmetrical", "require_all", "first_action",
                      "then_action", "resource_sets", "state"), where)
    if item.get("kind") is not None and item.get("score") is not None:
        raise CibError("%s: give kind or score (Pacemaker 1's form of kind), not both" % where)
    for key, attr in (("kind", "kind"), ("symmetrical", "symmetrical"), ("require_all", "require-all")):
        chosen = choice_of(item, key, KINDS, where) if key == "kind" else bool_of(item, key, where)
        if chosen:
            attrs[attr] = chosen
    if item.get("score") is not None:
        attrs["score"] = score_of(item["score"], where)
    if item.get("resource_sets"):
        if item.get("first") or item.get("then"):
            raise CibError("%s: give first and then, or resource_sets, not both" % where)
        sets = [parse_set(s, where) for s in item["resource_sets"]]
        refs += [r for s in sets for r in s["resources"]]
        return sets, ("order", set_canon(sets)), "order-set-%s" % "-".join(r for s in sets for r in s["resources"])
    if not item.get("first") or not item.get("then"):
        raise CibError("%s needs first and then (or resource_sets)" % where)
    attrs["first"] = check_id(item["first"], "%s first" % where)
    attrs["then"] = check_id(item["then"], "%s then" % where)
    refs += [attrs["first"], attrs["then"]]
    for key, attr in (("first_action", "first-action"), ("then_action", "then-action")):
        action = choice_of(item, key, ACTIONS, where)
        if action:
            attrs[attr] = action
    first, then = order_actions(attrs.get("first-action"), attrs.get("then-action"))
    return [], ("order", attrs["first"], first, attrs["then"], then), "order-%s-%s" % (attrs["first"], attrs["then"])


PARSERS = {"location": parse_location, "colocation": parse_colocation, "order": parse_order}


def parse_constraint(item: t.Any, n: int) -> Constraint:
    if not isinstance(item, dict):
        raise CibError("constraints[%d] must be a dict, not %r" % (n, item))
    kind = item.get("type")
    if not isinstance(kind, str) or kind not in CONSTRAINT_TAGS:
        raise CibError("constraints[%d]: type %r is not location, colocation or order" % (n, kind))
    ident = check_id(item["id"], "constraints[%d] id" % n) if item.get("id") not in (None, "") else None
    if ident and ident.startswith(TEMPORARY_PREFIXES):
        raise CibError("constraints[%d]: id %s is a temporary constraint of crm resource move/ban (cli-prefer-*, "
                       "cli-ban-*), which the collection never declares; choose another id" % (n, ident))
    where = "%s constraint %s" % (kind, ident or "constraints[%d]" % n)
    state = state_of(item, where)
    attrs: dict[str, str] = {}
    refs: list[str] = []
    children, identity, default = PARSERS[kind](item, where, attrs, refs)
    return Constraint(kind, ident, attrs, children, state, identity, tuple(refs), re.sub(r"[^A-Za-z0-9_.-]", "_", default))


def element_identity(el: t.Any) -> tuple | None:
    """What an existing constraint says, in the terms of Constraint.identity; None for one that says what the
    collection does not declare (date expressions, nested rules, a lifetime, score attributes, id-ref sets),
    which is never matched by what it says, so never rewritten."""
    if el.find("lifetime") is not None or el.get("score-attribute") or any(
            r.get("id-ref") or r.get("score-attribute") or r.find("date_expression") is not None
            or r.find("rule") is not None for r in el.findall("rule")) or \
            any(s.get("id-ref") for s in el.findall("resource_set")):
        return None
    kind = {v: k for k, v in CONSTRAINT_TAGS.items()}.get(el.tag)
    sets = [{"resources": [r.get("id") for r in s.findall("resource_ref")], "role": s.get("role"),
             "action": s.get("action")} for s in el.findall("resource_set")]
    if kind == "location":
        rules = [{"role": r.get("role"), "expressions": [
            {k: v for k, v in e.attrib.items() if k in EXPRESSION_KEYS} for e in r.findall("expression")]}
            for r in el.findall("rule")]
        subject = el.get("rsc") or "pattern-" + (el.get("rsc-pattern") or "")
        return ("location", subject, el.get("node"), canonical_role(el.get("role")), rule_canon(rules))
    if sets:
        return (kind, set_canon(sets))
    if kind == "colocation":
        return ("colocation", el.get("rsc"), el.get("with-rsc"), canonical_role(el.get("rsc-role")),
                canonical_role(el.get("with-rsc-role")))
    first, then = order_actions(el.get("first-action"), el.get("then-action"))
    return ("order", el.get("first"), first, el.get("then"), then)


def keep_id(node: t.Any, old: t.Any | None, index: IdIndex, wanted: str) -> None:
    """The id of the element it replaces, or a new unique one."""
    if old is not None and old.get("id"):
        node.set("id", old.get("id"))
        index.ids[old.get("id")] = node
    else:
        index.claim(node, wanted)


def build_rule(el: t.Any, rule: dict, old: t.Any | None, index: IdIndex, legacy: bool) -> None:
    node = etree.SubElement(el, "rule")
    keep_id(node, old, index, "%s-rule" % el.get("id"))
    node.set("score", rule["score"])
    if rule["boolean-op"] != "and" or (old is not None and old.get("boolean-op")):
        node.set("boolean-op", rule["boolean-op"])
    if rule["role"]:
        node.set("role", spell_role(rule["role"], old.get("role") if old is not None else None, legacy))
    old_exprs = old.findall("expression") if old is not None else []
    for m, expr in enumerate(rule["expressions"]):
        ex = etree.SubElement(node, "expression")
        keep_id(ex, old_exprs[m] if m < len(old_exprs) else None, index, "%s-expression" % node.get("id"))
        for key, value in expr.items():
            ex.set(key, value)


def build_set(el: t.Any, rset: dict, n: int, old: t.Any | None, index: IdIndex, legacy: bool) -> None:
    node = etree.SubElement(el, "resource_set")
    keep_id(node, old, index, "%s-%d" % (el.get("id"), n))
    for key, value in rset.items():
        if key == "role" and value:
            node.set(key, spell_role(value, old.get("role") if old is not None else None, legacy))
        elif key != "resources" and value:
            node.set(key, value)
    for rsc in rset["resources"]:
        etree.SubElement(node, "resource_ref", id=rsc)


def build_constraint(el: t.Any, spec: Constraint, index: IdIndex, legacy: bool) -> None:
    """Make ``el`` say exactly what ``spec`` says (attributes, sets or rules), keeping its id, the ids of
    sets and rules that stay, and its spelling of a role that means the same."""
    old_attrs = dict(el.attrib)
    for attr in [a for a in el.attrib if a != "id"]:
        del el.attrib[attr]
    for attr, value in spec.attrs.items():
        el.set(attr, spell_role(value, old_attrs.get(attr), legacy) if attr in ROLE_ATTRS else value)
    old_children = [c for c in el if c.tag in ("resource_set", "rule")]
    for child in old_children:
        el.remove(child)
    old_rules = [c for c in old_children if c.tag == "rule"]
    old_sets = [c for c in old_children if c.tag == "resource_set"]
    for n, child in enumerate(spec.children):
        if spec.type == "location":
            build_rule(el, child, old_rules[n] if n < len(old_rules) else None, index, legacy)
        else:
            build_set(el, child, n, old_sets[n] if n < len(old_sets) else None, index, legacy)


def check_references(spec: Constraint, index: IdIndex, declared_resources: set[str]) -> None:
    for ref in spec.refs:
        el = index.ids.get(ref)
        if (el is None or el.tag not in RESOURCE_TAGS) and ref not in declared_resources:
            raise CibError("%s constraint %s names %s, which is no resource in the CIB nor declared with it"
                           % (spec.type, spec.id or spec.default_id, ref))


def apply_constraints(config: t.Any, index: IdIndex, edit: Edit, constraints: list[Constraint],
                      declared_resources: set[str], legacy: bool = False) -> None:
    section = config.find("constraints")
    if section is None:
        section = etree.SubElement(config, "constraints")
    by_identity: dict[tuple, t.Any] = {}
    for el in section:
        if isinstance(el.tag, str) and el.tag in CONSTRAINT_TAGS.values() and \
                not el.get("id", "").startswith(TEMPORARY_PREFIXES):
            identity = element_identity(el)
            if identity is not None:
                by_identity.setdefault((el.tag, identity), el)
    seen: dict[tuple, int] = {}
    for n, spec in enumerate(constraints):
        key = (CONSTRAINT_TAGS[spec.type], spec.identity)
        if key in seen and spec.state == "present":
            raise CibError("constraints[%d] says what constraints[%d] says (%s): declare it once" % (n, seen[key], spec.type))
        seen[key] = n
        if spec.state == "present":
            check_references(spec, index, declared_resources)
        el = index.ids.get(spec.id) if spec.id else by_identity.get(key)
        if el is not None and el.tag != CONSTRAINT_TAGS[spec.type]:
            raise CibError("id %s is already used by a <%s> element, not a %s constraint" % (spec.id, el.tag, spec.type))
        if spec.state == "absent":
            if el is not None:
                edit.record(spec.type, el.get("id"), snapshot(el), None)
                index.drop(el)
                section.remove(el)
            continue
        before = snapshot(el)
        if el is None:
            el = etree.SubElement(section, CONSTRAINT_TAGS[spec.type])
            if spec.id:
                el.set("id", spec.id)
                index.ids[spec.id] = el
            else:
                index.claim(el, spec.default_id)
            by_identity[key] = el
        build_constraint(el, spec, index, legacy)
        if before is None or canonical(before) != canonical(el):
            edit.record(spec.type, el.get("id"), before, el)


# ---------------------------------------------------------------- the one declaration

class Model(t.NamedTuple):
    primitives: list[Spec]
    groups: list[GroupSpec]
    clones: list[CloneSpec]
    constraints: list[Constraint]
    levels: list


def parse_model(primitives: list | None, groups: list | None, clones: list | None, constraints: list | None,
                levels: list | None) -> Model:
    for name, value in (("primitives", primitives), ("groups", groups), ("clones", clones),
                        ("constraints", constraints), ("fencing_levels", levels)):
        if value is not None and not isinstance(value, list):
            raise CibError("%s must be a list, not %r" % (name, value))
    model = Model(specs_from(primitives or []), [parse_group(g, n) for n, g in enumerate(groups or [])],
                  [parse_clone(c, n) for n, c in enumerate(clones or [])],
                  [parse_constraint(c, n) for n, c in enumerate(constraints or [])], parse_levels(levels or []))
    ids: dict[str, str] = {}
    for kind, items in (("primitive", model.primitives), ("group", model.groups), ("clone", model.clones)):
        for item in items:
            if item.id in ids:
                raise CibError("id %s is declared as a %s and as a %s" % (item.id, ids[item.id], kind))
            ids[item.id] = kind
    for group in model.groups:
        for member in group.members:
            if ids.get(member) in ("group", "clone"):
                raise CibError("group %s: member %s is declared as a %s; a group holds primitives only"
                               % (group.id, member, ids[member]))
    for clone in model.clones:
        if clone.state == "present" and ids.get(clone.resource) == "clone":
            raise CibError("clone %s: %s is declared as a clone; a clone of a clone is not possible"
                           % (clone.id, clone.resource))
        grouped = [g.id for g in model.groups if clone.resource in g.members and g.state == "present"]
        if grouped:
            raise CibError("clone %s: primitive %s is declared in group %s; clone the group instead"
                           % (clone.id, clone.resource, grouped[0]))
    return model


def model_declaration(cib: Cib, model: Model) -> Declaration:
    """Primitives, groups, clones, constraints and fencing levels as one pass: one read, one patch."""
    known = validate_specs(cib, model.primitives)
    declared = {s.id for s in model.primitives if s.state != "absent"} | \
        {g.id for g in model.groups if g.state != "absent"} | {c.id for c in model.clones if c.state != "absent"}
    devices = {s.id for s in model.primitives if s.state != "absent" and s.agent and s.agent[0] == "stonith"}

    def edit_pass(config: t.Any, index: IdIndex, edit: Edit) -> None:
        apply_specs(config, index, edit, model.primitives)
        apply_groups(config, index, edit, model.groups)
        apply_clones(config, index, edit, model.clones)
        apply_constraints(config, index, edit, model.constraints, declared,
                          legacy_roles(cib.root_attrib().get("validate-with")))
        if model.levels:
            apply_levels(config, index, edit, model.levels, False, lambda device: device in devices)

    return Declaration(edit_pass, lambda name: is_secret(name, known))


def run_model(module: t.Any, primitives: list | None = None, groups: list | None = None, clones: list | None = None,
              constraints: list | None = None, levels: list | None = None) -> None:
    """The modules' one glue: the declaration, its prediction without Pacemaker, check and diff mode."""
    from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import CibChange
    from ansible_collections.hacluster.crm.plugins.module_utils._engine import run

    def parsed() -> Model:
        return parse_model(primitives, groups, clones, constraints, levels)

    def declared() -> list[tuple[str, str, t.Any]]:
        model = parsed()
        out: list[tuple[str, str, t.Any]] = []
        for kind, specs in (("primitive", model.primitives), ("group", model.groups), ("clone", model.clones)):
            out += [(kind, s.id, {"id": s.id}) for s in specs if s.state != "absent"]
        out += [(c.type, c.id or c.default_id, dict(c.attrs)) for c in model.constraints if c.state != "absent"]
        out += [("fencing-level", lv.default_id, {"devices": list(lv.devices)}) for lv in model.levels]
        return out

    run(module, lambda: CibChange(module, lambda cib: model_declaration(cib, parsed()), declared), CibError)
