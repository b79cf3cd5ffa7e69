# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live configuration as this collection's variables: how a cluster built by hand comes under
Ansible. Running the roles with what this returns changes nothing on the cluster it came from.

Secret values never go into the variables: each is replaced by a reference to a variable of its
own (``crm_secret_<id>_<param>``), whose value is returned apart, only when asked for."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, is_secret
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import Metadata, agent_name

# Properties Pacemaker and crmsh maintain themselves; declaring them would fight the cluster.
INTERNAL_PROPERTIES = ("dc-version", "cluster-infrastructure", "cluster-name", "have-watchdog", "last-lrm-refresh")
CONSTRAINT_TYPES = {"rsc_location": "location", "rsc_colocation": "colocation", "rsc_order": "order"}


def plain_sets(el: t.Any, tag: str) -> dict[str, str]:
    """The nvpairs of the rule-less sets of ``tag`` under ``el``, the first set winning, as crmsh reads them."""
    out: dict[str, str] = {}
    if el is None:
        return out
    for nvset in el.findall(tag):
        if nvset.find("rule") is None:
            for nv in nvset.findall("nvpair"):
                out.setdefault(nv.get("name"), nv.get("value"))
    return out


def value(text: str | None) -> t.Any:
    """Integers stay integers in the YAML; everything else is the string Pacemaker holds."""
    if text is not None and re.match(r"^-?[1-9][0-9]{0,17}$|^0$", text):
        return int(text)
    return text


class Exporter:
    def __init__(self, cib: Cib, include_secrets: bool) -> None:
        self.cib = cib
        self.include_secrets = include_secrets
        self.secrets: dict[str, str] = {}
        self.notes: list[str] = []
        self.metadata = Metadata(cib.runner, lenient=True)

    def secret_names(self, agent: str) -> set[str]:
        info = self.metadata.get(agent)
        return info.secrets if info is not None else set()

    def params(self, prim: t.Any, agent: str) -> dict[str, t.Any]:
        out = {}
        known = self.secret_names(agent)
        for name, text in plain_sets(prim, "instance_attributes").items():
            if text and is_secret(name, known):
                var = "crm_secret_%s_%s" % (re.sub(r"[^A-Za-z0-9_]", "_", prim.get("id")), re.sub(r"[^A-Za-z0-9_]", "_", name))
                self.secrets[var] = text
                out[name] = "{{ %s }}" % var
            else:
                out[name] = value(text)
        return out

    def primitive(self, prim: t.Any) -> dict[str, t.Any]:
        agent = agent_name(prim.get("class"), prim.get("provider"), prim.get("type"))
        item: dict[str, t.Any] = {"id": prim.get("id"), "agent": agent}
        params = self.params(prim, agent)
        if params:
            item["params"] = params
        meta = {k: value(v) for k, v in plain_sets(prim, "meta_attributes").items()}
        if meta:
            item["meta"] = meta
        ops = []
        for op in prim.iterfind("operations/op"):
            if len(op):
                self.notes.append("primitive %s: op %s has nested attributes, which the collection does not declare; "
                                  "left out" % (prim.get("id"), op.get("id")))
                continue
            ops.append({k: value(v) for k, v in op.attrib.items() if k != "id"})
        if ops:
            item["ops"] = ops
        if prim.get("description"):
            item["description"] = prim.get("description")
        return item

    def export(self) -> dict[str, t.Any]:
        config = self.cib.read().find("configuration")
        resources = config.find("resources")
        out: dict[str, t.Any] = {}
        props = {k: value(v) for k, v in plain_sets(config.find("crm_config"), "cluster_property_set").items()
                 if k not in INTERNAL_PROPERTIES}
        out["crm_properties"] = props
        out["crm_rsc_defaults"] = {k: value(v) for k, v in plain_sets(config.find("rsc_defaults"), "meta_attributes").items()}
        out["crm_op_defaults"] = {k: value(v) for k, v in plain_sets(config.find("op_defaults"), "meta_attributes").items()}
        prims, fencing, groups, clones = [], [], [], []
        for el in resources.iter("primitive", "group", "clone", "master", "bundle"):
            if el.tag == "primitive":
                if el.get("class") == "stonith":
                    fencing.append(self.fence_device(el))
                else:
                    prims.append(self.primitive(el))
            elif el.tag == "group":
                group = {"id": el.get("id"), "members": [p.get("id") for p in el.findall("primitive")]}
                meta = {k: value(v) for k, v in plain_sets(el, "meta_attributes").items()}
                if meta:
                    group["meta"] = meta
                if el.get("description"):
                    group["description"] = el.get("description")
                groups.append(group)
            elif el.tag == "clone":
                child = next((c for c in el if c.tag in ("primitive", "group")), None)
                meta = {k: value(v) for k, v in plain_sets(el, "meta_attributes").items()}
                clone: dict[str, t.Any] = {"id": el.get("id"), "resource": child.get("id") if child is not None else None}
                if str(meta.pop("promotable", "false")).lower() in ("true", "1", "yes", "on"):
                    clone["promotable"] = True
                if meta:
                    clone["meta"] = meta
                if el.get("description"):
                    clone["description"] = el.get("description")
                clones.append(clone)
            else:
                self.notes.append("%s %s is not exported: the collection declares primitives, groups and clones "
                                  "(a master resource becomes a promotable clone)" % (el.tag, el.get("id")))
        out["crm_resources"] = prims
        out["crm_groups"] = groups
        out["crm_clones"] = clones
        out["crm_constraints"] = self.constraints(config.find("constraints"))
        out["crm_fencing"] = fencing
        if fencing:
            # the devices carry whatever delays they have: the roles must not add one
            out["crm_fencing_two_node_delay"] = None
        out["crm_fencing_levels"] = self.levels(config.find("fencing-topology"))
        return out

    def fence_device(self, prim: t.Any) -> dict[str, t.Any]:
        item = self.primitive(prim)
        hosts = (item.get("params") or {}).pop("pcmk_host_list", None)
        if hosts is not None:
            names = [h for h in re.split(r"[\s,;]+", str(hosts)) if h]
            item["host"] = names[0] if len(names) == 1 else names
        if "params" in item and not item["params"]:
            del item["params"]
        return item

    def constraints(self, section: t.Any) -> list[dict[str, t.Any]]:
        out: list[dict[str, t.Any]] = []
        if section is None:
            return out
        for el in section:
            kind = CONSTRAINT_TYPES.get(el.tag) if isinstance(el.tag, str) else None
            if kind is None:
                if isinstance(el.tag, str):
                    self.notes.append("%s %s is not exported: the collection declares location, colocation and order "
                                      "constraints" % (el.tag, el.get("id")))
                continue
            if el.get("id", "").startswith(("cli-prefer-", "cli-ban-")):
                self.notes.append("%s %s is a temporary constraint of crm resource move/ban, not exported (clear it "
                                  "with crm resource clear)" % (kind, el.get("id")))
                continue
            item = self.constraint(el, kind)
            if item is not None:
                out.append(item)
        return out

    def constraint(self, el: t.Any, kind: str) -> dict[str, t.Any] | None:
        item: dict[str, t.Any] = {"type": kind, "id": el.get("id")}
        attrs = dict(el.attrib)
        sets = el.findall("resource_set")
        if kind == "location":
            unsupported = [a for a in ("score-attribute", "rsc-discovery", "resource-discovery") if a in attrs]
            if unsupported or any(r.find("date_expression") is not None or r.find("rule") is not None
                                  or r.get("score-attribute") for r in el.findall("rule")) or sets:
                self.notes.append("location %s uses what the collection does not declare (%s); left out"
                                  % (el.get("id"), ", ".join(unsupported) or "date expressions, nested rules, score "
                                     "attributes or resource sets"))
                return None
            if attrs.get("rsc"):
                item["resource"] = attrs["rsc"]
            else:
                item["resource_pattern"] = attrs.get("rsc-pattern")
            if attrs.get("node"):
                item["node"] = attrs["node"]
                item["score"] = value(attrs.get("score"))
            else:
                rules = []
                for rule in el.findall("rule"):
                    entry: dict[str, t.Any] = {"score": value(rule.get("score")), "expressions": [
                        {k: v for k, v in ex.attrib.items() if k in ("attribute", "operation", "value", "type")}
                        for ex in rule.findall("expression")]}
                    if rule.get("boolean-op"):
                        entry["boolean_op"] = rule.get("boolean-op")
                    if rule.get("role"):
                        entry["role"] = rule.get("role")
                    rules.append(entry)
                item["rules"] = rules
            if attrs.get("role"):
                item["role"] = attrs["role"]
        elif kind == "colocation":
            item["score"] = value(attrs.get("score", "INFINITY"))
            if sets:
                item["resource_sets"] = [self.resource_set(s) for s in sets]
            else:
                item["resource"] = attrs.get("rsc")
                item["with"] = attrs.get("with-rsc")
                for attr, key in (("rsc-role", "role"), ("with-rsc-role", "with_role")):
                    if attrs.get(attr):
                        item[key] = attrs[attr]
        else:
            if attrs.get("kind"):
                item["kind"] = attrs["kind"]
            if attrs.get("symmetrical"):
                item["symmetrical"] = attrs["symmetrical"] == "true"
            if attrs.get("score"):
                self.notes.append("order %s has a score, which Pacemaker ignores in favour of kind; not exported"
                                  % el.get("id"))
            if sets:
                item["resource_sets"] = [self.resource_set(s) for s in sets]
            else:
                item["first"] = attrs.get("first")
                item["then"] = attrs.get("then")
                for attr, key in (("first-action", "first_action"), ("then-action", "then_action")):
                    if attrs.get(attr):
                        item[key] = attrs[attr]
        return item

    @staticmethod
    def resource_set(el: t.Any) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {"resources": [r.get("id") for r in el.findall("resource_ref")]}
        if el.get("role"):
            out["role"] = el.get("role")
        if el.get("action"):
            out["action"] = el.get("action")
        for attr, key in (("sequential", "sequential"), ("require-all", "require_all")):
            if el.get(attr):
                out[key] = el.get(attr) == "true"
        return out

    @staticmethod
    def levels(topology: t.Any) -> list[dict[str, t.Any]]:
        out = []
        for el in topology.findall("fencing-level") if topology is not None else []:
            item: dict[str, t.Any] = {}
            for attr, key in (("target", "target"), ("target-pattern", "target_pattern"),
                              ("target-attribute", "target_attribute"), ("target-value", "target_value")):
                if el.get(attr):
                    item[key] = el.get(attr)
            item["index"] = int(el.get("index"))
            item["devices"] = [d for d in (el.get("devices") or "").split(",") if d]
            out.append(item)
        return out
