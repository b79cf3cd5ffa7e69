# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constraints (``crm configure location/colocation/order``), matched by what they say (their resources,
node or rules, roles and actions) or by id, so a rerun never adds a duplicate. The temporary constraints
of ``crm resource move/ban`` are never matched, declared or touched."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    CibError, Edit, IdIndex, canonical, check_id, etree, to_value,
)
from ansible_collections.hacluster.crm.plugins.module_utils._items import (
    bool_of, canonical_role, check_keys, check_resource_refs, choice_of, role_of, score_of, snapshot, spell_role,
    state_of,
)
from ansible_collections.hacluster.crm.plugins.module_utils._rules import parse_rule, rule_canon
from ansible_collections.hacluster.crm.plugins.module_utils._tree import Node, claim_declared, fill_from, from_xml

DISCOVERY = ("always", "never", "exclusive")
ORDERINGS = ("group", "listed")
KINDS = ("Mandatory", "Optional", "Serialize")
ACTIONS = ("start", "stop", "promote", "demote")
LOSS_POLICIES = ("stop", "demote", "fence", "freeze")
CONSTRAINT_TAGS = {"location": "rsc_location", "colocation": "rsc_colocation", "order": "rsc_order",
                   "ticket": "rsc_ticket"}
# crm resource move/ban's temporary constraints: never matched, declared, exported or touched
TEMPORARY_PREFIXES = ("cli-prefer-", "cli-ban-")
ROLE_ATTRS = ("role", "rsc-role", "with-rsc-role")


class Constraint(t.NamedTuple):
    type: str
    id: str | None
    attrs: dict[str, str]  # the element's attributes but id (roles by meaning: Promoted, Unpromoted)
    children: list  # parsed sets or rules
    state: str
    identity: tuple  # what the constraint says, for matching without an id
    refs: tuple[str, ...]  # resources it names
    default_id: str


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
        rules = [location_rule(r, "%s rules[%d]" % (where, n)) for n, r in enumerate(item["rules"])]
    role = role_of(item.get("role"), where)
    if role:
        attrs["role"] = role
    discovery = choice_of(item, "resource_discovery", DISCOVERY, where)
    if discovery:
        attrs["resource-discovery"] = discovery
    subject = attrs.get("rsc") or "pattern-" + attrs.get("rsc-pattern", "")
    identity = ("location", subject, attrs.get("node"), role, tuple(rule_canon(r) for r in rules))
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


def parse_ticket(item: dict, where: str, attrs: dict, refs: list) -> tuple[list, tuple, str]:
    """crmsh's ``rsc_ticket``: a resource runs only while its ticket is granted (booth, or crm_ticket)."""
    check_keys(item, ("type", "id", "ticket", "resource", "role", "loss_policy", "state"), where)
    if not item.get("ticket") or not item.get("resource"):
        raise CibError("%s needs a ticket and a resource" % where)
    attrs["ticket"] = check_id(item["ticket"], "%s ticket" % where)
    attrs["rsc"] = check_id(item["resource"], "%s resource" % where)
    refs.append(attrs["rsc"])
    role = role_of(item.get("role"), where)
    if role:
        attrs["rsc-role"] = role
    policy = choice_of(item, "loss_policy", LOSS_POLICIES, where)
    if policy:
        attrs["loss-policy"] = policy
    return [], ("ticket", attrs["ticket"], attrs["rsc"], role), "ticket-%s-%s" % (attrs["ticket"], attrs["rsc"])


PARSERS = {"location": parse_location, "colocation": parse_colocation, "order": parse_order, "ticket": parse_ticket}


def parse_constraint(item: t.Any, n: int) -> Constraint:
    if not isinstance(item, dict):
        raise CibError("constraints[%d] must be a dict, not %r" % (n, item))
    kind = item.get("type")
    if not isinstance(kind, str) or kind not in CONSTRAINT_TAGS:
        raise CibError("constraints[%d]: type %r is not location, colocation, order or ticket" % (n, kind))
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
    collection does not declare (a lifetime, a score attribute, id-ref rules or sets), which is never matched
    by what it says, so never rewritten."""
    if el.find("lifetime") is not None or el.get("score-attribute") or any(
            r.get("id-ref") for r in el.iter("rule")) or any(s.get("id-ref") for s in el.findall("resource_set")):
        return None
    kind = {v: k for k, v in CONSTRAINT_TAGS.items()}.get(el.tag)
    sets = [{"resources": [r.get("id") for r in s.findall("resource_ref")], "role": s.get("role"),
             "action": s.get("action")} for s in el.findall("resource_set")]
    if kind == "location":
        subject = el.get("rsc") or "pattern-" + (el.get("rsc-pattern") or "")
        return ("location", subject, el.get("node"), canonical_role(el.get("role")),
                tuple(rule_canon(from_xml(r)) for r in el.findall("rule")))
    if kind == "ticket":
        return ("ticket", el.get("ticket"), el.get("rsc"), canonical_role(el.get("rsc-role")))
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


def location_rule(raw: t.Any, where: str) -> Node:
    """A location constraint's rule: a score (INFINITY unless given, or a score_attribute) always."""
    rule = parse_rule(raw, where)
    if "score" not in rule.attrs and "score-attribute" not in rule.attrs:
        rule.attrs["score"] = "INFINITY"
    return rule


def build_rule(el: t.Any, rule: Node, old: t.Any | None, index: IdIndex, legacy: bool) -> None:
    """The rule as declared, keeping the ids of the rule it replaces and of its expressions."""
    node = etree.SubElement(el, "rule")
    if old is not None:
        index.drop(old)
    if rule.ident:
        claim_declared(node, rule.ident, index)
    else:
        keep_id(node, old, index, "%s-rule" % el.get("id"))
    fill_from(node, rule, old, index, legacy)


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


def apply_constraints(config: t.Any, index: IdIndex, edit: Edit, constraints: list[Constraint],
                      declared_resources: set[str], legacy: bool = False, one_rule: str | None = None) -> None:
    """``one_rule`` names the CIB's schema when it allows one rule per location constraint (pacemaker-4.0,
    Pacemaker 3); the schema before it allowed several."""
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
            check_resource_refs(spec.refs, index, declared_resources,
                                "%s constraint %s" % (spec.type, spec.id or spec.default_id))
            if one_rule and spec.type == "location" and len(spec.children) > 1:
                raise CibError("location constraint %s declares %d rules, but the CIB's schema %s (Pacemaker 3) allows "
                               "one rule per location constraint: join them in one rule (boolean_op: or, each a nested "
                               "rule), or declare one constraint per rule; nothing was written"
                               % (spec.id or spec.default_id, len(spec.children), one_rule))
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
