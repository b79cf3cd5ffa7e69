# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules, with every expression Pacemaker's schema has (crmsh's ``rule`` in location constraints and in
attribute sets): node attribute ``expression``, ``date_expression`` (in_range with an end or a duration,
gt, lt, date_spec), ``rsc_expression``, ``op_expression``, and rules nested in rules, joined by and/or.

A rule is declared as a dict::

    {score: INFINITY, boolean_op: or, expressions: [
        {attribute: "#uname", operation: eq, value: alice},
        {date: {operation: in_range, start: "2027-01-01", duration: {months: 1}}},
        {date: {operation: date_spec, date_spec: {hours: "9-16", weekdays: "1-5"}}},
        {resource: {class: ocf, provider: heartbeat, type: IPaddr2}},
        {op: {name: monitor, interval: 10s}},
        {rule: {boolean_op: and, expressions: [...]}}]}

Which expressions a rule may hold where is the schema's word: the result is validated against the CIB's
own schema before anything is written."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError, check_id, to_value
from ansible_collections.hacluster.crm.plugins.module_utils._items import check_keys, choice_of, role_of, score_of
from ansible_collections.hacluster.crm.plugins.module_utils._tree import Node

OPERATIONS = ("lt", "gt", "lte", "gte", "eq", "ne", "defined", "not_defined")
TYPES = ("string", "integer", "number", "version")
VALUE_SOURCES = ("literal", "param", "meta")
DATE_OPERATIONS = ("in_range", "gt", "lt", "date_spec")
DATE_FIELDS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds", "monthdays", "weekdays",
               "yeardays", "weekyears", "moon")
RULE_KEYS = ("id", "score", "score_attribute", "boolean_op", "role", "expressions")
EXPRESSION_KINDS = ("attribute", "date", "resource", "op", "rule")
# a date_spec field: a number or a range of numbers (crmsh's hours=9-16)
DATE_SPEC_RE = re.compile(r"^[0-9]+(-[0-9]+)?$")


def parse_rule(raw: t.Any, where: str) -> Node:
    """A declared rule as a tree."""
    if not isinstance(raw, dict):
        raise CibError("%s: a rule must be a dict with expressions, not %r" % (where, raw))
    check_keys(raw, RULE_KEYS, where)
    attrs: dict[str, str] = {}
    if raw.get("score") is not None and raw.get("score_attribute") not in (None, ""):
        raise CibError("%s: a rule takes a score or a score_attribute, not both" % where)
    if raw.get("score") is not None:
        attrs["score"] = score_of(raw["score"], where)
    if raw.get("score_attribute") not in (None, ""):
        attrs["score-attribute"] = to_value(raw["score_attribute"], "%s score_attribute" % where)
    boolean = choice_of(raw, "boolean_op", ("and", "or"), where)
    if boolean:
        attrs["boolean-op"] = boolean
    role = role_of(raw.get("role"), where)
    if role:
        attrs["role"] = role
    exprs = raw.get("expressions")
    if not isinstance(exprs, list) or not exprs:
        raise CibError("%s: a rule needs a non-empty list of expressions" % where)
    ident = check_id(raw["id"], "%s rule id" % where) if raw.get("id") not in (None, "") else None
    return Node("rule", attrs, tuple(parse_expression(e, "%s expressions[%d]" % (where, n))
                                     for n, e in enumerate(exprs)), ident)


def parse_expression(raw: t.Any, where: str) -> Node:
    if not isinstance(raw, dict):
        raise CibError("%s: an expression must be a dict, not %r" % (where, raw))
    kinds = [k for k in EXPRESSION_KINDS if raw.get(k) not in (None, "", {})]
    if len(kinds) != 1:
        raise CibError("%s: an expression is one of: attribute (with operation and value), date, resource, op or "
                       "rule; %s given" % (where, " and ".join(kinds) or "none"))
    kind = kinds[0]
    if kind == "attribute":
        return node_expression(raw, where)
    check_keys(raw, (kind,), where)
    body = raw[kind]
    if not isinstance(body, dict):
        raise CibError("%s: %s must be a dict, not %r" % (where, kind, body))
    if kind == "rule":
        return parse_rule(body, where)
    if kind == "date":
        return date_expression(body, where)
    keys = ("class", "provider", "type") if kind == "resource" else ("name", "interval")
    check_keys(body, keys, "%s %s" % (where, kind))
    attrs = {k: to_value(body[k], "%s %s %s" % (where, kind, k)) for k in keys if body.get(k) not in (None, "")}
    if kind == "op" and "name" not in attrs:
        raise CibError("%s: an op expression needs the operation's name" % where)
    if kind == "resource" and not attrs:
        raise CibError("%s: a resource expression needs a class, a provider or a type" % where)
    return Node("rsc_expression" if kind == "resource" else "op_expression", attrs)


def node_expression(raw: dict, where: str) -> Node:
    check_keys(raw, ("attribute", "operation", "value", "type", "value_source"), where)
    attrs = {"attribute": to_value(raw["attribute"], "%s attribute" % where)}
    operation = raw.get("operation") or "eq"
    if operation not in OPERATIONS:
        raise CibError("%s: operation %r is not one of %s" % (where, operation, ", ".join(OPERATIONS)))
    attrs["operation"] = str(operation)
    if operation not in ("defined", "not_defined"):
        if raw.get("value") is None:
            raise CibError("%s: operation %s needs a value" % (where, operation))
        attrs["value"] = to_value(raw["value"], "%s value" % where)
    for key, attr, choices in (("type", "type", TYPES), ("value_source", "value-source", VALUE_SOURCES)):
        chosen = choice_of(raw, key, choices, where)
        if chosen:
            attrs[attr] = chosen
    return Node("expression", attrs)


def date_fields(raw: t.Any, what: str, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        raise CibError("%s: %s must be a non-empty dict of %s" % (where, what, ", ".join(DATE_FIELDS)))
    check_keys(raw, DATE_FIELDS, "%s %s" % (where, what))
    out = {}
    for key, value in raw.items():
        if value is None:
            continue
        text = to_value(value, "%s %s %s" % (where, what, key))
        if not DATE_SPEC_RE.match(text):
            raise CibError("%s: %s %s %r is not a number or a range (9-16)" % (where, what, key, text))
        out[key] = text
    return out


def date_expression(raw: dict, where: str) -> Node:
    check_keys(raw, ("operation", "start", "end", "duration", "date_spec"), "%s date" % where)
    operation = raw.get("operation") or "in_range"
    if operation not in DATE_OPERATIONS:
        raise CibError("%s: date operation %r is not one of %s" % (where, operation, ", ".join(DATE_OPERATIONS)))
    attrs = {"operation": operation}
    for key in ("start", "end"):
        if raw.get(key) not in (None, ""):
            attrs[key] = to_value(raw[key], "%s date %s" % (where, key))
    children: list[Node] = []
    need = {"gt": ("start",), "lt": ("end",)}.get(operation, ())
    if any(k not in attrs for k in need):
        raise CibError("%s: date operation %s needs %s" % (where, operation, " and ".join(need)))
    if operation == "in_range":
        if "start" not in attrs and "end" not in attrs:
            raise CibError("%s: date operation in_range needs a start, an end, or both" % where)
        if raw.get("duration") is not None:
            if "end" in attrs:
                raise CibError("%s: date operation in_range takes an end or a duration, not both" % where)
            children.append(Node("duration", date_fields(raw["duration"], "duration", where)))
    elif raw.get("duration") is not None:
        raise CibError("%s: a duration goes with date operation in_range only" % where)
    if operation == "date_spec":
        if attrs.keys() - {"operation"}:
            raise CibError("%s: date operation date_spec takes a date_spec, not a start or an end" % where)
        children.append(Node("date_spec", date_fields(raw.get("date_spec"), "date_spec", where)))
    elif raw.get("date_spec") is not None:
        raise CibError("%s: a date_spec goes with date operation date_spec only" % where)
    return Node("date_expression", attrs, tuple(children))


def rule_canon(rule: Node) -> tuple:
    """What a rule says for matching a constraint: not its scores nor how its expressions are joined."""
    return rule.canon(ignore=("score", "score-attribute", "boolean-op"))


# ---------------------------------------------------------------- the export: a rule element as its declaration

EXPRESSION_ATTRS = {"attribute": "attribute", "operation": "operation", "value": "value", "type": "type",
                    "value-source": "value_source"}


class NotDeclarable(Exception):
    """A rule holds what the declaration cannot say (an id-ref)."""


def rule_of(el: t.Any) -> dict[str, t.Any]:
    """A rule element as it is declared (the inverse of ``parse_rule``)."""
    if el.get("id-ref"):
        raise NotDeclarable("rule refers to rule %s (id-ref)" % el.get("id-ref"))
    out: dict[str, t.Any] = {}
    for attr, key in (("score", "score"), ("score-attribute", "score_attribute"), ("boolean-op", "boolean_op"),
                      ("role", "role")):
        if el.get(attr) is not None:
            text = el.get(attr)
            out[key] = int(text) if key == "score" and re.match(r"^-?(0|[1-9][0-9]{0,17})$", text) else text
    exprs: list[dict[str, t.Any]] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "expression":
            exprs.append({key: child.get(attr) for attr, key in EXPRESSION_ATTRS.items() if child.get(attr) is not None})
        elif child.tag == "date_expression":
            date: dict[str, t.Any] = {k: child.get(k) for k in ("operation", "start", "end") if child.get(k) is not None}
            for sub in child:
                if isinstance(sub.tag, str) and sub.tag in ("duration", "date_spec"):
                    date[sub.tag] = {k: v for k, v in sub.attrib.items() if k != "id"}
            exprs.append({"date": date})
        elif child.tag in ("rsc_expression", "op_expression"):
            exprs.append({"resource" if child.tag == "rsc_expression" else "op":
                          {k: v for k, v in child.attrib.items() if k != "id"}})
        elif child.tag == "rule":
            exprs.append({"rule": rule_of(child)})
        else:
            raise NotDeclarable("rule %s holds a <%s>" % (el.get("id"), child.tag))
    out["expressions"] = exprs
    return out
