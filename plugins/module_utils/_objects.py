# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rest of the CIB, declared whole on the same engine: rule-based attribute sets (crmsh's ``property
$id: rule ...``, ``rsc_defaults`` and ``op_defaults`` with rules), ACLs (``acl_target``, ``acl_group``,
``role``), alerts, tags and bundles; and, declared partially, node attributes and utilization (crmsh's
``node attribute NODE set`` and ``node utilization``).

Each element declared by its id is owned whole: after the run it says exactly what is declared (the ids of
what it replaces kept). Node attributes are shared with the cluster (standby, maintenance, what crm_attribute
writes): only the names declared are touched, a null value removes one."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    CibError, Edit, IdIndex, canonical, check_id, etree, sync_nvpairs, to_value,
)
from ansible_collections.hacluster.crm.plugins.module_utils._items import (
    check_keys, check_resource_refs, description_of, snapshot, state_of,
)
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import nvpairs_of
from ansible_collections.hacluster.crm.plugins.module_utils._rules import parse_rule
from ansible_collections.hacluster.crm.plugins.module_utils._tree import Node, fill, nvset

# variable: (section under configuration, the set's tag, the plain set the scalar variables declare)
SET_KINDS = {
    "property_sets": ("crm_config", "cluster_property_set", "cib-bootstrap-options"),
    "rsc_defaults_sets": ("rsc_defaults", "meta_attributes", "rsc-options"),
    "op_defaults_sets": ("op_defaults", "meta_attributes", "op-options"),
}
PERMISSION_KINDS = ("read", "write", "deny")
ALERT_SELECT = ("nodes", "fencing", "resources", "attributes")
CONTAINERS = ("docker", "podman", "rkt")
CONTAINER_ATTRS = ("image", "replicas", "replicas-per-host", "promoted-max", "run-command", "network", "options")
NETWORK_ATTRS = ("ip-range-start", "control-port", "host-interface", "host-netmask", "add-host")
PORT_ATTRS = ("port", "internal-port", "range")
STORAGE_ATTRS = ("source-dir", "source-dir-root", "target-dir", "options")


class Whole(t.NamedTuple):
    """One element declared whole: its kind (for the changes), id, the section it lives in, and its tree."""

    kind: str
    id: str
    section: str
    node: Node | None  # None: declared absent
    refs: tuple[str, ...] = ()  # resources it names, which must exist or be declared

    @property
    def state(self) -> str:
        return "absent" if self.node is None else "present"


def attrs_of(raw: dict, names: t.Iterable[str], where: str) -> dict[str, str]:
    """The declared attributes (keys with '_' for the schema's '-') as the element's attributes."""
    out = {}
    for attr in names:
        key = attr.replace("-", "_")
        if raw.get(key) not in (None, ""):
            value = raw[key]
            out[attr] = ("true" if value else "false") if isinstance(value, bool) else to_value(value, "%s %s" % (where, key))
    return out


def items_of(raw: t.Any, what: str) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        raise CibError("%s must be a list of dicts, not %r" % (what, raw))
    return raw


def once(items: list[Whole], what: str) -> list[Whole]:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise CibError("%s %s is declared twice" % (what, item.id))
        seen.add(item.id)
    return items


# ---------------------------------------------------------------- parsing, one kind at a time


def declared(raw: t.Any, what: str, kind: str, section: str, keys: tuple[str, ...], out: list[Whole],
             ident_of: t.Callable[[t.Any, str], str] = check_id) -> t.Iterator[tuple[str, dict, str]]:
    """What every kind declared by id shares: each item of the list ``what`` checked for its keys and id; an
    absent one goes into ``out`` as the removal of a ``kind`` from ``section``, a present one is yielded as
    (id, item, where)."""
    noun = kind.replace("_", " ") if kind not in SET_KINDS else kind
    for n, item in enumerate(items_of(raw, what)):
        where = "%s[%d]" % (what, n)
        check_keys(item, keys, where)
        ident = ident_of(item.get("id"), "%s id" % where)
        where = "%s %s" % (noun, ident)
        if state_of(item, where) == "absent":
            out.append(Whole(kind, ident, section, None))
        else:
            yield ident, item, where


def name_of(value: t.Any, what: str) -> str:
    """A user or group name: an ACL target's or group's id."""
    ident = to_value(value or "", what)
    if not ident or ident.strip() != ident:
        raise CibError("%s %r must be a user or group name" % (what, ident))
    return ident


def parse_sets(kind: str, raw: t.Any) -> list[Whole]:
    """``property_sets``, ``rsc_defaults_sets``, ``op_defaults_sets``: sets with an id, a score and a rule."""
    section, tag, plain = SET_KINDS[kind]

    def not_plain(value: t.Any, what: str) -> str:
        ident = check_id(value, what)
        if ident == plain:
            raise CibError("%s: %s is the set the plain variables declare (crm_properties, crm_rsc_defaults, "
                           "crm_op_defaults), name by name; give this set another id" % (what, ident))
        return ident

    out: list[Whole] = []
    for ident, item, where in declared(raw, kind, kind, section, ("id", "score", "rule", "values", "state"), out,
                                       not_plain):
        attrs = {"score": to_value(item["score"], "%s score" % where)} if item.get("score") is not None else {}
        rule = parse_rule(item["rule"], "%s rule" % where) if item.get("rule") is not None else None
        values = nvpairs_of(item.get("values"), "%s values" % where, removable=False)
        if not values:
            raise CibError("%s: a set needs values" % where)
        out.append(Whole(kind, ident, section, nvset(tag, values, attrs=attrs, rule=rule)))
    return once(out, kind)


def parse_acls(roles: t.Any, targets: t.Any, groups: t.Any) -> list[Whole]:
    out: list[Whole] = []
    for ident, item, where in declared(roles, "acl_roles", "acl_role", "acls",
                                       ("id", "description", "permissions", "state"), out):
        perms = tuple(permission(p, "%s permissions[%d]" % (where, m))
                      for m, p in enumerate(items_of(item.get("permissions"), "%s permissions" % where)))
        attrs = {"description": description_of(item, where)} if item.get("description") is not None else {}
        out.append(Whole("acl_role", ident, "acls", Node("acl_role", attrs, perms)))
    for kind, raw in (("acl_target", targets), ("acl_group", groups)):
        for ident, item, where in declared(raw, kind + "s", kind, "acls", ("id", "name", "roles", "state"), out,
                                           name_of):
            roles_raw = item.get("roles") or []
            if not isinstance(roles_raw, list):
                raise CibError("%s: roles must be a list of acl role ids" % where)
            attrs = {"name": to_value(item["name"], "%s name" % where)} if item.get("name") else {}
            out.append(Whole(kind, ident, "acls", Node(kind, attrs, tuple(
                Node("role", {}, (), check_id(r, "%s role" % where)) for r in roles_raw))))
    return once(out, "acl")


def permission(raw: dict, where: str) -> Node:
    check_keys(raw, ("id", "kind", "xpath", "reference", "object_type", "attribute", "description"), where)
    if raw.get("kind") not in PERMISSION_KINDS:
        raise CibError("%s: kind %r is not one of %s" % (where, raw.get("kind"), ", ".join(PERMISSION_KINDS)))
    given = [k for k in ("xpath", "reference", "object_type") if raw.get(k) not in (None, "")]
    if len(given) != 1:
        raise CibError("%s: a permission names exactly one of xpath, reference and object_type (%s given)"
                       % (where, " and ".join(given) or "none"))
    if raw.get("attribute") and given != ["object_type"]:
        raise CibError("%s: attribute goes with object_type only" % where)
    attrs = {"kind": raw["kind"]}
    attrs.update(attrs_of(raw, ("xpath", "reference", "object-type", "attribute", "description"), where))
    ident = check_id(raw["id"], "%s id" % where) if raw.get("id") else None
    return Node("acl_permission", attrs, (), ident)


def parse_alerts(raw: t.Any) -> list[Whole]:
    out: list[Whole] = []
    keys = ("id", "path", "description", "params", "meta", "select", "select_attributes", "recipients", "state")
    for ident, item, where in declared(raw, "alerts", "alert", "alerts", keys, out):
        if not item.get("path") or not str(item["path"]).startswith("/"):
            raise CibError("%s: path %r must be the absolute path of the alert agent" % (where, item.get("path")))
        attrs = {"path": to_value(item["path"], "%s path" % where)}
        if item.get("description") is not None:
            attrs["description"] = description_of(item, where)
        children = list(extras(item, where))
        select = item.get("select") or []
        if not isinstance(select, list) or any(s not in ALERT_SELECT for s in select):
            raise CibError("%s: select %r is a list of %s" % (where, select, ", ".join(ALERT_SELECT)))
        names = item.get("select_attributes") or []
        if names and "attributes" not in select:
            select = list(select) + ["attributes"]
        if select:
            kids = []
            for kind in ALERT_SELECT:
                if kind in select:
                    inner = tuple(Node("attribute", {"name": check_id(a, "%s select_attributes" % where)})
                                  for a in names) if kind == "attributes" else ()
                    kids.append(Node("select_" + kind, {}, inner))
            children.insert(0, Node("select", {}, tuple(kids)))
        for m, rec in enumerate(items_of(item.get("recipients"), "%s recipients" % where)):
            rwhere = "%s recipients[%d]" % (where, m)
            check_keys(rec, ("id", "value", "description", "params", "meta"), rwhere)
            if rec.get("value") in (None, ""):
                raise CibError("%s: a recipient needs a value (a file, an address: what the agent takes)" % rwhere)
            rattrs = {"value": to_value(rec["value"], "%s value" % rwhere)}
            if rec.get("description") is not None:
                rattrs["description"] = description_of(rec, rwhere)
            rid = check_id(rec["id"], "%s id" % rwhere) if rec.get("id") else None
            children.append(Node("recipient", rattrs, tuple(extras(rec, rwhere)), rid))
        out.append(Whole("alert", ident, "alerts", Node("alert", attrs, tuple(children))))
    return once(out, "alert")


def extras(item: dict, where: str) -> t.Iterator[Node]:
    """An alert's or a recipient's meta and instance attributes, one set each."""
    for key, tag in (("meta", "meta_attributes"), ("params", "instance_attributes")):
        values = nvpairs_of(item.get(key), "%s %s" % (where, key), removable=False)
        if values:
            yield nvset(tag, values)


def parse_tags(raw: t.Any) -> list[Whole]:
    out: list[Whole] = []
    for ident, item, where in declared(raw, "tags", "tag", "tags", ("id", "resources", "state"), out):
        names = item.get("resources")
        if not isinstance(names, list) or not names:
            raise CibError("%s: a tag needs a non-empty list of resources" % where)
        refs = tuple(check_id(r, "%s resource" % where) for r in names)
        out.append(Whole("tag", ident, "tags", Node("tag", {}, tuple(Node("obj_ref", {}, (), r) for r in refs)), refs))
    return once(out, "tag")


def parse_bundles(raw: t.Any) -> list[Whole]:
    out: list[Whole] = []
    keys = ("id", "description", "container", "network", "storage", "resource", "meta", "state")
    for ident, item, where in declared(raw, "bundles", "bundle", "resources", keys, out):
        container = item.get("container")
        if not isinstance(container, dict) or container.get("type") not in CONTAINERS:
            raise CibError("%s: container must be a dict with a type (%s) and an image" % (where, ", ".join(CONTAINERS)))
        check_keys(container, ("type",) + tuple(a.replace("-", "_") for a in CONTAINER_ATTRS), "%s container" % where)
        cattrs = attrs_of(container, CONTAINER_ATTRS, "%s container" % where)
        if "image" not in cattrs:
            raise CibError("%s: the container needs an image" % where)
        children = [Node(container["type"], cattrs)]
        network = item.get("network")
        if network is not None:
            if not isinstance(network, dict):
                raise CibError("%s: network must be a dict" % where)
            check_keys(network, tuple(a.replace("-", "_") for a in NETWORK_ATTRS) + ("port_mappings",),
                       "%s network" % where)
            ports = []
            for m, port in enumerate(items_of(network.get("port_mappings"), "%s port_mappings" % where)):
                pwhere = "%s port_mappings[%d]" % (where, m)
                check_keys(port, ("id",) + tuple(a.replace("-", "_") for a in PORT_ATTRS), pwhere)
                pattrs = attrs_of(port, PORT_ATTRS, pwhere)
                if ("port" in pattrs) == ("range" in pattrs):
                    raise CibError("%s: a port mapping takes a port (and an internal_port) or a range" % pwhere)
                ports.append(Node("port-mapping", pattrs, (), check_id(port["id"], pwhere) if port.get("id") else None))
            children.append(Node("network", attrs_of(network, NETWORK_ATTRS, "%s network" % where), tuple(ports)))
        storage = items_of(item.get("storage"), "%s storage" % where)
        if storage:
            maps = []
            for m, mapping in enumerate(storage):
                swhere = "%s storage[%d]" % (where, m)
                check_keys(mapping, ("id",) + tuple(a.replace("-", "_") for a in STORAGE_ATTRS), swhere)
                sattrs = attrs_of(mapping, STORAGE_ATTRS, swhere)
                if ("source-dir" in sattrs) == ("source-dir-root" in sattrs) or "target-dir" not in sattrs:
                    raise CibError("%s: a storage mapping takes one of source_dir and source_dir_root, and a target_dir"
                                   % swhere)
                maps.append(Node("storage-mapping", sattrs, (), check_id(mapping["id"], swhere) if mapping.get("id") else None))
            children.append(Node("storage", {}, tuple(maps)))
        meta = nvpairs_of(item.get("meta"), "%s meta" % where, removable=False)
        if meta:
            children.insert(0, nvset("meta_attributes", meta))
        attrs = {"description": description_of(item, where)} if item.get("description") is not None else {}
        refs = (check_id(item["resource"], "%s resource" % where),) if item.get("resource") else ()
        out.append(Whole("bundle", ident, "resources", Node("bundle", attrs, tuple(children)), refs))
    return once(out, "bundle")


class NodeAttrs(t.NamedTuple):
    """A cluster node's permanent attributes and utilization, by its name; only these names are touched."""

    name: str
    attributes: dict[str, str | None]
    utilization: dict[str, str | None]


def parse_nodes(raw: t.Any) -> list[NodeAttrs]:
    out = []
    seen: set[str] = set()
    for n, item in enumerate(items_of(raw, "nodes")):
        where = "nodes[%d]" % n
        check_keys(item, ("name", "attributes", "utilization"), where)
        name = to_value(item.get("name") or "", "%s name" % where)
        if not name:
            raise CibError("%s: a node needs its name" % where)
        if name in seen:
            raise CibError("node %s is declared twice" % name)
        seen.add(name)
        out.append(NodeAttrs(name, nvpairs_of(item.get("attributes"), "node %s attributes" % name, removable=True),
                             nvpairs_of(item.get("utilization"), "node %s utilization" % name, removable=True)))
    return out


# ---------------------------------------------------------------- the pass


def find_whole(section: t.Any, index: IdIndex, item: Whole) -> t.Any | None:
    tag = SET_KINDS[item.kind][1] if item.kind in SET_KINDS else item.kind
    el = index.find(tag, item.id, section)
    if el is not None and (el.tag != tag or el.getparent() is None or el.getparent().tag != item.section):
        raise CibError("id %s is already used by a <%s> element, not a %s" % (item.id, el.tag, item.kind))
    return el


def apply_whole(config: t.Any, index: IdIndex, edit: Edit, items: list[Whole], declared: set[str] = frozenset(),
                legacy: bool = False) -> None:
    for item in items:
        section = config.find(item.section)
        el = find_whole(section, index, item)
        if item.node is None:
            if el is not None:
                if item.kind == "bundle" and any(c.tag == "primitive" for c in el):
                    raise CibError("bundle %s holds a primitive: declare the primitive absent too, or keep the "
                                   "bundle; nothing was written" % item.id)
                edit.record(item.kind, item.id, snapshot(el), None)
                index.drop(el)
                el.getparent().remove(el)
            continue
        check_resource_refs(item.refs, index, declared, "%s %s" % (item.kind, item.id))
        if section is None:
            section = etree.SubElement(config, item.section)
        before = snapshot(el)
        if el is None:
            el = etree.SubElement(section, item.node.tag, id=item.id)
            index.register(el)
        inner = [c for c in el if c.tag == "primitive"] if item.kind == "bundle" else []
        for prim in inner:  # kept whole, in the index: the primitives pass declared it
            el.remove(prim)
        fill(el, item.node, index, legacy)
        if item.kind == "bundle":
            place_in_bundle(el, item, inner, index)
        if before is None or canonical(before) != canonical(el):
            edit.record(item.kind, item.id, before, el)


def place_in_bundle(el: t.Any, item: Whole, inner: list, index: IdIndex) -> None:
    """The bundle's primitive: the one it held, or the declared one moved into it (as crmsh's bundle does)."""
    for prim in inner:
        if not item.refs or prim.get("id") != item.refs[0]:
            raise CibError("bundle %s holds primitive %s, not the declared resource %s; nothing was written"
                           % (item.id, prim.get("id"), item.refs[0] if item.refs else "(none)"))
    if item.refs:
        prim = index.ids.get(item.refs[0])
        if prim is None or prim.tag != "primitive":
            raise CibError("bundle %s: its resource %s must be a primitive" % (item.id, item.refs[0]))
        if prim.getparent() is not None and prim.getparent().tag != "resources":
            raise CibError("bundle %s: primitive %s is in %s %s" % (item.id, prim.get("id"), prim.getparent().tag,
                                                                    prim.getparent().get("id")))
        if prim.getparent() is not None:
            prim.getparent().remove(prim)
        el.append(prim)


def apply_nodes(config: t.Any, index: IdIndex, edit: Edit, nodes: list[NodeAttrs]) -> None:
    section = config.find("nodes")
    by_name = {n.get("uname"): n for n in section.findall("node")} if section is not None else {}
    for spec in nodes:
        el = by_name.get(spec.name)
        if el is None:
            raise CibError("node %s is not in the CIB's nodes section (known: %s): a node is there once it has "
                           "joined the cluster; nothing was written" % (spec.name, ", ".join(sorted(by_name)) or "none"))
        before = snapshot(el)
        sync_nvpairs(el, "instance_attributes", "nodes-%s" % el.get("id"), spec.attributes, index, exclusive=False)
        sync_nvpairs(el, "utilization", "nodes-%s-utilization" % el.get("id"), spec.utilization, index,
                     exclusive=False)
        if canonical(before) != canonical(el):
            edit.record("node", spec.name, before, el)


class Objects(t.NamedTuple):
    """Everything of this file one task declares."""

    wholes: list[Whole]
    nodes: list[NodeAttrs]

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [(w.kind, w.id, {"id": w.id}) for w in self.wholes if w.node is not None] + \
            [("node", n.name, {"attributes": n.attributes, "utilization": n.utilization}) for n in self.nodes]

    def apply(self, config: t.Any, index: IdIndex, edit: Edit, declared: set[str], legacy: bool) -> None:
        apply_whole(config, index, edit, self.wholes, declared, legacy)
        if self.nodes:
            apply_nodes(config, index, edit, self.nodes)


def parse_objects(params: dict[str, t.Any]) -> Objects:
    wholes = parse_acls(params.get("acl_roles"), params.get("acl_targets"), params.get("acl_groups"))
    wholes += parse_alerts(params.get("alerts")) + parse_tags(params.get("tags")) + parse_bundles(params.get("bundles"))
    for kind in SET_KINDS:
        wholes += parse_sets(kind, params.get(kind))
    return Objects(wholes, parse_nodes(params.get("nodes")))
