# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Clones (``crm configure clone``), promotable ones too, matched by id; absent unclones and keeps the
resource."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError, Edit, IdIndex, check_id
from ansible_collections.hacluster.crm.plugins.module_utils._items import (
    Container, check_keys, container_of, description_of, meta_of, snapshot, state_of,
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
    box = Container(config, index, edit, "clone")
    box.claim_once(clones, lambda spec: [spec.resource])
    for spec in clones:
        clone = box.find(spec.id)
        if spec.state == "absent":
            box.remove(clone, spec.id)  # uncloned, the resource kept
            continue
        el = cloned(index, spec)
        before = snapshot(clone)
        clone = box.ensure(clone, spec)
        box.keep_out(clone, lambda child, el=el: child is el)
        if el.getparent() is not clone:
            el.getparent().remove(el)
            clone.append(el)
        box.finish(clone, spec, before)


def cloned(index: IdIndex, spec: CloneSpec) -> t.Any:
    el = index.ids.get(spec.resource)
    if el is None:
        raise CibError("clone %s: resource %s is no resource in the CIB nor declared with it" % (spec.id, spec.resource))
    if el.tag not in ("primitive", "group"):
        raise CibError("clone %s: %s is a %s; a clone holds a primitive or a group (a clone of a clone is "
                       "not possible)" % (spec.id, spec.resource, el.tag))
    holder = container_of(el)
    if holder is not None and holder.get("id") != spec.id:
        raise CibError("clone %s: %s %s is in %s %s; clone the %s instead" % (
            spec.id, el.tag, spec.resource, holder.tag, holder.get("id"), holder.tag))
    return el
