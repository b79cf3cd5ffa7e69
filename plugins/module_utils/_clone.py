# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Clones (``crm configure clone``), promotable ones too, matched by id; absent unclones and keeps the
resource."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    CibError, Edit, IdIndex, canonical, check_id, etree, sync_nvpairs,
)
from ansible_collections.hacluster.crm.plugins.module_utils._items import (
    RESOURCE_TAGS, check_keys, container_of, description_of, lift, meta_of, snapshot, state_of,
)


class CloneSpec(t.NamedTuple):
    id: str
    resource: str | None
    meta: dict[str, str | None]
    promotable: bool | None
    state: str
    description: str | None


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
