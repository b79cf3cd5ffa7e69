# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live configuration as this collection's variables: how a cluster built by hand comes under
Ansible. Running the roles with what this returns changes nothing on the cluster it came from.

Everything the collection declares is read whole (every attribute the schema allows on it); what it
cannot declare is named in the notes and left out, and the roles leave it untouched in the CIB.
Secret values never go into the variables: each is replaced by a reference to a variable of its
own (``crm_secret_<id>_<param>``, unique), whose value is returned apart, only when asked for.
Values read from the cluster are data, never templates: the rendered files tag them ``!unsafe``."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib
from ansible_collections.hacluster.crm.plugins.module_utils._objects import (
    CONTAINER_ATTRS, CONTAINERS, NETWORK_ATTRS, PORT_ATTRS, SET_KINDS, STORAGE_ATTRS,
)
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import OP_ATTRIBUTES, Metadata, agent_name
from ansible_collections.hacluster.crm.plugins.module_utils._rules import NotDeclarable, rule_of
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import is_secret, url_password

# Properties Pacemaker and crmsh maintain themselves; declaring them would fight the cluster.
INTERNAL_PROPERTIES = ("dc-version", "cluster-infrastructure", "cluster-name", "have-watchdog", "last-lrm-refresh")
CONSTRAINT_TYPES = {"rsc_location": "location", "rsc_colocation": "colocation", "rsc_order": "order",
                    "rsc_ticket": "ticket"}
TICKET_ATTRS = {"ticket": "ticket", "rsc": "resource", "rsc-role": "role", "loss-policy": "loss_policy"}
# node attributes that are the cluster's operations (crm node standby, maintenance), not configuration
OPERATIONAL_NODE_ATTRIBUTES = ("standby", "maintenance")
TEMPORARY_PREFIXES = ("cli-prefer-", "cli-ban-")
# op_defaults the init role adds as crmsh's bootstrap does: absent here, they are exported as null (none).
BOOTSTRAP_OP_DEFAULTS = ("timeout", "record-pending")
# CIB attribute: variable key, per element the collection declares
LOCATION_ATTRS = {"rsc": "resource", "rsc-pattern": "resource_pattern", "node": "node", "score": "score",
                  "role": "role", "resource-discovery": "resource_discovery"}
COLOCATION_ATTRS = {"rsc": "resource", "with-rsc": "with", "score": "score", "rsc-role": "role",
                    "with-rsc-role": "with_role", "node-attribute": "node_attribute", "influence": "influence"}
ORDER_ATTRS = {"first": "first", "then": "then", "kind": "kind", "score": "score", "symmetrical": "symmetrical",
               "require-all": "require_all", "first-action": "first_action", "then-action": "then_action"}
SET_ATTRS = {"role": "role", "action": "action", "sequential": "sequential", "require-all": "require_all",
             "ordering": "ordering", "score": "score", "kind": "kind"}
BOOLEAN_KEYS = ("symmetrical", "require_all", "sequential", "influence")


class Undeclarable(Exception):
    """An element holds what the collection cannot declare: left out of the export, untouched."""


class Reference(str):
    """A reference to a secret's variable: the one string of an export that is a template."""

    def __new__(cls, name: str) -> Reference:
        ref = super().__new__(cls, "{{ %s }}" % name)
        ref.name = name
        return ref


def first_plain_set(el: t.Any, tag: str) -> t.Any | None:
    """The first rule-less ``tag`` set: the one the roles declare (the others they leave alone)."""
    if el is None:
        return None
    return next((s for s in el.findall(tag) if s.find("rule") is None and not s.get("id-ref")), None)


def plain_set(el: t.Any, tag: str) -> dict[str, str]:
    nvset = first_plain_set(el, tag)
    out: dict[str, str] = {}
    for nv in nvset.findall("nvpair") if nvset is not None else []:
        out[nv.get("name")] = nv.get("value")  # the last of a repeated name wins, as in Pacemaker
    return out


def value(text: str | None) -> t.Any:
    """Integers stay integers in the YAML; everything else is the string Pacemaker holds."""
    if text is not None and re.match(r"^-?[1-9][0-9]{0,17}$|^0$", text):
        return int(text)
    return text


def values(pairs: dict[str, str]) -> dict[str, t.Any]:
    return {k: value(v) for k, v in pairs.items()}


def attributes(el: t.Any, names: dict[str, str], where: str) -> dict[str, t.Any]:
    """An element's attributes under the variables' keys; one the collection does not declare raises."""
    out: dict[str, t.Any] = {}
    for attr, text in el.attrib.items():
        if attr == "id":
            continue
        if attr not in names:
            raise Undeclarable("%s has the attribute %s, which the collection does not declare" % (where, attr))
        key = names[attr]
        out[key] = text == "true" if key in BOOLEAN_KEYS else value(text)
    return out


class Exporter:
    def __init__(self, cib: Cib, include_secrets: bool) -> None:
        self.cib = cib
        self.include_secrets = include_secrets
        self.secrets: dict[str, str] = {}
        self.owners: dict[str, tuple[str, str]] = {}  # reference name: (element id, parameter)
        self.notes: list[str] = []
        self.metadata = Metadata(cib.runner, lenient=True)

    def secret_names(self, agent: str) -> set[str]:
        info = self.metadata.get(agent)
        return info.secrets if info is not None else set()

    def reference(self, ident: str, param: str, text: str) -> Reference:
        """A unique variable name for this secret: ``fence-bob`` and ``fence_bob`` never share one."""
        base = "crm_secret_%s_%s" % (re.sub(r"[^A-Za-z0-9_]", "_", ident), re.sub(r"[^A-Za-z0-9_]", "_", param))
        name, n = base, 1
        while name in self.owners and self.owners[name] != (ident, param):
            n += 1
            name = "%s_%d" % (base, n)
        self.owners[name] = (ident, param)
        self.secrets[name] = text
        return Reference(name)

    def params(self, prim: t.Any, agent: str) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {}
        known = self.secret_names(agent)
        for name, text in plain_set(prim, "instance_attributes").items():
            out[name] = self.reference(prim.get("id"), name, text) if text and is_secret(name, known) else value(text)
        return out

    def op(self, op: t.Any, where: str) -> dict[str, t.Any]:
        item = attributes(op, {a: a for a in OP_ATTRIBUTES}, "%s op %s" % (where, op.get("id")))
        for key, tag in (("params", "instance_attributes"), ("meta", "meta_attributes")):
            sets = op.findall(tag)
            if len(sets) > 1 or any(s.find("rule") is not None or s.get("id-ref") for s in sets):
                raise Undeclarable("%s op %s has %s with rules or in several sets" % (where, op.get("id"), tag))
            if sets:
                item[key] = values(plain_set(op, tag))
        if any(isinstance(c.tag, str) and c.tag not in ("instance_attributes", "meta_attributes") for c in op):
            raise Undeclarable("%s op %s holds elements the collection does not declare" % (where, op.get("id")))
        return item

    def primitive(self, prim: t.Any) -> dict[str, t.Any]:
        noun = "template" if prim.tag == "template" else "primitive"
        where = "%s %s" % (noun, prim.get("id"))
        for tag in ("instance_attributes", "meta_attributes", "utilization"):
            plain = first_plain_set(prim, tag)
            if any(s is not plain and (s.find("rule") is None or tag == "utilization") for s in prim.findall(tag)):
                self.notes.append("%s: only its first %s set without a rule (and its sets with a rule) is exported "
                                  "and declared; the others are left as they are" % (where, tag))
        ops_el = prim.find("operations")
        if ops_el is not None and ops_el.get("id-ref"):
            raise Undeclarable("%s refers to the operations of another element (id-ref)" % where)
        item: dict[str, t.Any] = {"id": prim.get("id")}
        if prim.get("template"):
            template = next((el for el in prim.getroottree().getroot().iter("template")
                             if el.get("id") == prim.get("template")), None)
            agent = agent_name(template.get("class"), template.get("provider"), template.get("type")) \
                if template is not None else ""
            item["template"] = prim.get("template")
        else:
            agent = agent_name(prim.get("class"), prim.get("provider"), prim.get("type"))
            item["agent"] = agent
        item.update(attributes(prim, {"class": "class", "provider": "provider", "type": "type", "template": "template",
                                      "description": "description"}, where))
        for key in ("class", "provider", "type"):
            item.pop(key, None)
        params = self.params(prim, agent)
        if params:
            item["params"] = params
        meta = values(plain_set(prim, "meta_attributes"))
        if meta:
            item["meta"] = meta
        for key, tag in (("params_sets", "instance_attributes"), ("meta_sets", "meta_attributes")):
            sets = self.primitive_rule_sets(prim, tag, where, agent if key == "params_sets" else None)
            if sets:
                item[key] = sets
        if first_plain_set(prim, "utilization") is not None:
            item["utilization"] = values(plain_set(prim, "utilization"))
        ops = [self.op(op, where) for op in prim.iterfind("operations/op")]
        if ops:
            item["ops"] = ops
        return item

    def primitive_rule_sets(self, prim: t.Any, tag: str, where: str, agent: str | None) -> list[dict[str, t.Any]]:
        """A primitive's ``tag`` sets with a rule (params_sets, meta_sets), secrets as references (``agent``: the
        params' agent, whose secret names count)."""
        known = self.secret_names(agent) if agent else set()
        out = []
        for el in prim.findall(tag):
            if el.find("rule") is None or el.get("id-ref"):
                continue
            try:
                item: dict[str, t.Any] = {"id": el.get("id")}
                if el.get("score") is not None:
                    item["score"] = value(el.get("score"))
                item["rule"] = rule_of(el.find("rule"))
            except NotDeclarable as exc:
                self.notes.append("%s: its %s set %s %s; not exported, left as it is" % (where, tag, el.get("id"), exc))
                continue
            item["values"] = {nv.get("name"): self.reference(el.get("id"), nv.get("name"), nv.get("value"))
                              if agent and nv.get("value") and is_secret(nv.get("name"), known) else value(nv.get("value"))
                              for nv in el.findall("nvpair")}
            out.append(item)
        return out

    def fence_device(self, prim: t.Any) -> dict[str, t.Any]:
        """A device as crm_fencing declares it: ``host`` only where the roles would write pcmk_host_list
        exactly as it is (one name, or names joined by commas); otherwise pcmk_host_list stays a parameter."""
        item = self.primitive(prim)
        params = item.get("params") or {}
        hosts = params.get("pcmk_host_list")
        if isinstance(hosts, str) and re.match(r"^[^\s,;]+(,[^\s,;]+)*$", hosts):
            del params["pcmk_host_list"]
            names = hosts.split(",")
            item["host"] = names[0] if len(names) == 1 else names
        if "params" in item and not item["params"]:
            del item["params"]
        return item

    def group(self, el: t.Any) -> dict[str, t.Any]:
        group: dict[str, t.Any] = {"id": el.get("id"), "members": [p.get("id") for p in el.findall("primitive")]}
        group.update(attributes(el, {"description": "description"}, "group %s" % el.get("id")))
        meta = values(plain_set(el, "meta_attributes"))
        if meta:
            group["meta"] = meta
        return group

    def clone(self, el: t.Any) -> dict[str, t.Any]:
        child = next((c for c in el if c.tag in ("primitive", "group")), None)
        meta = values(plain_set(el, "meta_attributes"))
        clone: dict[str, t.Any] = {"id": el.get("id"), "resource": child.get("id") if child is not None else None}
        clone.update(attributes(el, {"description": "description"}, "clone %s" % el.get("id")))
        if str(meta.pop("promotable", "false")).lower() in ("true", "1", "yes", "on"):
            clone["promotable"] = True
        if meta:
            clone["meta"] = meta
        return clone

    def export(self) -> dict[str, t.Any]:
        config = self.cib.read().find("configuration")
        out: dict[str, t.Any] = {}
        out["crm_properties"] = {k: v for k, v in values(plain_set(config.find("crm_config"), "cluster_property_set"))
                                 .items() if k not in INTERNAL_PROPERTIES}
        out["crm_rsc_defaults"] = values(plain_set(config.find("rsc_defaults"), "meta_attributes"))
        op_defaults = values(plain_set(config.find("op_defaults"), "meta_attributes"))
        out["crm_op_defaults"] = dict({name: None for name in BOOTSTRAP_OP_DEFAULTS}, **op_defaults)
        kinds: dict[str, list] = {"crm_resources": [], "crm_fencing": [], "crm_groups": [], "crm_clones": [],
                                  "crm_templates": [], "crm_bundles": []}
        for el in config.find("resources").iter("primitive", "group", "clone", "master", "bundle", "template"):
            if el.tag == "master":
                self.notes.append("%s %s is not exported: the collection declares primitives, groups and clones (a "
                                  "master resource becomes a promotable clone); left as it is" % (el.tag, el.get("id")))
                continue
            try:
                if el.tag == "template":
                    kinds["crm_templates"].append(self.primitive(el))
                elif el.tag == "bundle":
                    kinds["crm_bundles"].append(self.bundle(el))
                elif el.tag == "primitive":
                    device = el.get("class") == "stonith"
                    kinds["crm_fencing" if device else "crm_resources"].append(
                        self.fence_device(el) if device else self.primitive(el))
                else:
                    kinds["crm_groups" if el.tag == "group" else "crm_clones"].append(
                        self.group(el) if el.tag == "group" else self.clone(el))
            except Undeclarable as exc:
                self.notes.append("%s: not exported, left as it is" % exc)
        out.update(kinds)
        out["crm_constraints"] = self.constraints(config.find("constraints"))
        if kinds["crm_fencing"]:
            # the devices carry whatever delays they have: the roles must not add one
            out["crm_fencing_two_node_delay"] = None
            # declaring devices turns stonith-enabled on explicitly; absent here, it stays absent
            out["crm_properties"].setdefault("stonith-enabled", None)
        out["crm_fencing_levels"] = self.levels(config.find("fencing-topology"))
        for kind, (section, tag, _plain) in SET_KINDS.items():
            out["crm_" + kind] = self.rule_sets(config.find(section), tag, kind)
        out["crm_node_settings"] = self.nodes(config.find("nodes"))
        out.update(self.acls(config.find("acls")))
        out["crm_alerts"] = self.whole(config.find("alerts"), "alert", self.alert)
        out["crm_tags"] = self.whole(config.find("tags"), "tag", lambda el: {
            "id": el.get("id"), "resources": [r.get("id") for r in el.findall("obj_ref")]})
        return out

    def whole(self, section: t.Any, tag: str, read: t.Callable[[t.Any], dict[str, t.Any]]) -> list[dict[str, t.Any]]:
        out = []
        for el in section.findall(tag) if section is not None else []:
            try:
                out.append(read(el))
            except (Undeclarable, NotDeclarable) as exc:
                self.notes.append("%s %s: %s; not exported, left as it is" % (tag, el.get("id"), exc))
        return out

    def nvsets(self, el: t.Any, where: str) -> dict[str, t.Any]:
        """An element's one meta and one instance attribute set (alerts, recipients, bundles) as meta and params;
        secret values become references."""
        out: dict[str, t.Any] = {}
        for key, tag in (("meta", "meta_attributes"), ("params", "instance_attributes")):
            sets = el.findall(tag)
            if len(sets) > 1 or any(s.find("rule") is not None or s.get("id-ref") for s in sets):
                raise Undeclarable("%s has %s with rules or in several sets" % (where, tag))
            if sets:
                out[key] = {nv.get("name"): self.reference(el.get("id"), nv.get("name"), nv.get("value"))
                            if nv.get("value") and is_secret(nv.get("name")) else value(nv.get("value"))
                            for nv in sets[0].findall("nvpair")}
        return out

    def rule_sets(self, section: t.Any, tag: str, kind: str) -> list[dict[str, t.Any]]:
        """The sets besides the plain one (the first without a rule), each with its id, score and rule."""
        plain = first_plain_set(section, tag)
        out = []
        for el in section.findall(tag) if section is not None else []:
            if el is plain or el.get("id-ref"):
                continue
            item: dict[str, t.Any] = {"id": el.get("id")}
            if el.get("score") is not None:
                item["score"] = value(el.get("score"))
            try:
                if el.find("rule") is not None:
                    item["rule"] = rule_of(el.find("rule"))
            except NotDeclarable as exc:
                self.notes.append("%s %s: %s; not exported, left as it is" % (kind, el.get("id"), exc))
                continue
            item["values"] = {nv.get("name"): value(nv.get("value")) for nv in el.findall("nvpair")}
            out.append(item)
        return out

    def nodes(self, section: t.Any) -> list[dict[str, t.Any]]:
        out = []
        for el in section.findall("node") if section is not None else []:
            item: dict[str, t.Any] = {"name": el.get("uname")}
            attrs = {k: v for k, v in values(plain_set(el, "instance_attributes")).items()
                     if k not in OPERATIONAL_NODE_ATTRIBUTES}
            if attrs:
                item["attributes"] = attrs
            util = values(plain_set(el, "utilization"))
            if util:
                item["utilization"] = util
            if len(item) > 1:
                out.append(item)
        return out

    def acls(self, section: t.Any) -> dict[str, list]:
        out: dict[str, list] = {"crm_acl_roles": [], "crm_acl_targets": [], "crm_acl_groups": []}
        for el in section if section is not None else []:
            if not isinstance(el.tag, str):
                continue
            if el.tag == "acl_role":
                role: dict[str, t.Any] = {"id": el.get("id")}
                if el.get("description") is not None:
                    role["description"] = el.get("description")
                role["permissions"] = [{k.replace("-", "_"): v for k, v in p.attrib.items() if k != "id"}
                                       for p in el.findall("acl_permission")]
                out["crm_acl_roles"].append(role)
            elif el.tag in ("acl_target", "acl_group"):
                item: dict[str, t.Any] = {"id": el.get("id")}
                if el.get("name"):
                    item["name"] = el.get("name")
                item["roles"] = [r.get("id") for r in el.findall("role")]
                out["crm_%ss" % el.tag].append(item)
            else:
                self.notes.append("%s %s is an ACL of Pacemaker 1's schema, not exported; left as it is"
                                  % (el.tag, el.get("id")))
        return out

    def alert(self, el: t.Any) -> dict[str, t.Any]:
        where = "alert %s" % el.get("id")
        item: dict[str, t.Any] = {"id": el.get("id"), "path": el.get("path")}
        if el.get("description") is not None:
            item["description"] = el.get("description")
        item.update(self.nvsets(el, where))
        select = el.find("select")
        if select is not None:
            item["select"] = [c.tag[len("select_"):] for c in select if isinstance(c.tag, str)]
            names = [a.get("name") for a in select.iterfind("select_attributes/attribute")]
            if names:
                item["select_attributes"] = names
        recipients = []
        for rec in el.findall("recipient"):
            # a URL with its own credentials goes to the secrets file whole, as a reference
            recipient: dict[str, t.Any] = {"value": self.reference(rec.get("id"), "value", rec.get("value"))
                                           if url_password(rec.get("value")) else rec.get("value")}
            if rec.get("description") is not None:
                recipient["description"] = rec.get("description")
            recipient.update(self.nvsets(rec, "%s recipient %s" % (where, rec.get("id"))))
            recipients.append(recipient)
        if recipients:
            item["recipients"] = recipients
        return item

    def bundle(self, el: t.Any) -> dict[str, t.Any]:
        where = "bundle %s" % el.get("id")
        item: dict[str, t.Any] = {"id": el.get("id")}
        if el.get("description") is not None:
            item["description"] = el.get("description")
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag in CONTAINERS:
                item["container"] = dict({"type": child.tag}, **{a.replace("-", "_"): value(child.get(a))
                                                                 for a in CONTAINER_ATTRS if child.get(a) is not None})
            elif child.tag == "network":
                network = {a.replace("-", "_"): value(child.get(a)) for a in NETWORK_ATTRS if child.get(a) is not None}
                ports = [dict({"id": p.get("id")}, **{a.replace("-", "_"): value(p.get(a)) for a in PORT_ATTRS
                                                      if p.get(a) is not None}) for p in child.findall("port-mapping")]
                if ports:
                    network["port_mappings"] = ports
                item["network"] = network
            elif child.tag == "storage":
                item["storage"] = [dict({"id": m.get("id")}, **{a.replace("-", "_"): m.get(a) for a in STORAGE_ATTRS
                                                                if m.get(a) is not None})
                                   for m in child.findall("storage-mapping")]
            elif child.tag == "primitive":
                item["resource"] = child.get("id")
            elif child.tag == "meta_attributes":
                item["meta"] = values(plain_set(el, "meta_attributes"))
            else:
                raise Undeclarable("%s holds a <%s>, which the collection does not declare" % (where, child.tag))
        return item

    def constraints(self, section: t.Any) -> list[dict[str, t.Any]]:
        out: list[dict[str, t.Any]] = []
        for el in section if section is not None else []:
            if not isinstance(el.tag, str):
                continue
            kind = CONSTRAINT_TYPES.get(el.tag)
            if kind is None:
                self.notes.append("%s %s is not exported: the collection declares location, colocation and order "
                                  "constraints; left as it is" % (el.tag, el.get("id")))
            elif el.get("id", "").startswith(TEMPORARY_PREFIXES):
                self.notes.append("%s %s is a temporary constraint of crm resource move/ban, not exported and never "
                                  "touched (clear it with crm resource clear)" % (kind, el.get("id")))
            else:
                try:
                    out.append(self.constraint(el, kind))
                except Undeclarable as exc:
                    self.notes.append("%s: not exported, left as it is" % exc)
        return out

    def constraint(self, el: t.Any, kind: str) -> dict[str, t.Any]:
        where = "%s %s" % (kind, el.get("id"))
        names = {"location": LOCATION_ATTRS, "colocation": COLOCATION_ATTRS, "order": ORDER_ATTRS,
                 "ticket": TICKET_ATTRS}[kind]
        item: dict[str, t.Any] = {"type": kind, "id": el.get("id")}
        item.update(attributes(el, names, where))
        children = [c for c in el if isinstance(c.tag, str)]
        allowed = {"location": {"rule"}, "ticket": set()}.get(kind, {"resource_set"})
        strange = sorted({c.tag for c in children} - allowed)
        if strange:
            raise Undeclarable("%s holds %s, which the collection does not declare" % (where, ", ".join(strange)))
        if kind == "location":
            if children:
                try:
                    item["rules"] = [rule_of(r) for r in children]
                except NotDeclarable as exc:
                    raise Undeclarable("%s: %s" % (where, exc)) from exc
        elif children:
            item["resource_sets"] = [self.resource_set(s, where) for s in children]
        return item

    @staticmethod
    def resource_set(el: t.Any, where: str) -> dict[str, t.Any]:
        if el.get("id-ref"):
            raise Undeclarable("%s refers to the resource set %s (id-ref)" % (where, el.get("id-ref")))
        out: dict[str, t.Any] = {"resources": [r.get("id") for r in el.findall("resource_ref")]}
        out.update(attributes(el, SET_ATTRS, "%s set %s" % (where, el.get("id"))))
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


# ---------------------------------------------------------------- the files, as YAML that is never templated

YAML_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"))
PLAIN_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
HEADER = ("---\n# Exported from the cluster by hacluster.crm's playbooks/export.yml. Values read from the cluster\n"
          "# that hold a brace are tagged !unsafe: Ansible never templates them.\n")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text``: printable ASCII as it is, the rest escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7f:
            out.append(char)
        elif code < 0x100:
            out.append("\\x%02x" % code)
        elif code < 0x10000:
            out.append("\\u%04x" % code)
        else:
            out.append("\\U%08x" % code)
    return '"%s"' % "".join(out)


def scalar(item: t.Any) -> str:
    if item is None:
        return "null"
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    text = str(item)
    # Only a string with a brace can be a template (Jinja's {{, {% and {#). Such a string alone is tagged: Ansible
    # reads an !unsafe scalar as if it were plain, so "false" or "10" tagged would come back a boolean or a number.
    if isinstance(item, Reference) or "{" not in text:
        return quoted(text)
    return "!unsafe " + quoted(text)


def key(name: t.Any) -> str:
    text = str(name)
    return text if PLAIN_KEY_RE.match(text) and text.lower() not in YAML_WORDS else scalar(text)


def block(item: t.Any, indent: int) -> list[str]:
    """``item`` as YAML block lines at ``indent`` spaces (dicts and lists nest, empty ones are {} and [])."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(item, dict):
        for name, sub in item.items():
            if isinstance(sub, (dict, list)) and sub:
                lines.append("%s%s:" % (pad, key(name)))
                lines += block(sub, indent + 2)
            else:
                lines.append("%s%s: %s" % (pad, key(name), inline(sub)))
    else:
        for sub in item:
            if isinstance(sub, (dict, list)) and sub:
                nested = block(sub, indent + 2)
                lines.append("%s- %s" % (pad, nested[0][indent + 2:]))
                lines += nested[1:]
            else:
                lines.append("%s- %s" % (pad, inline(sub)))
    return lines


def inline(item: t.Any) -> str:
    if isinstance(item, dict):
        return "{}"
    if isinstance(item, list):
        return "[]"
    return scalar(item)


def render(variables: dict[str, t.Any]) -> str:
    """The variables file: every value read from the cluster ``!unsafe``; the secret references templates."""
    return HEADER + "\n".join(block(variables, 0)) + "\n"


def render_secrets(secrets: dict[str, str]) -> str:
    return ("---\n# Secret values exported by hacluster.crm: encrypt this file with ansible-vault.\n"
            + "\n".join(block(secrets, 0)) + "\n") if secrets else ""
