# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Groups (``crm configure group``): primitives started in order on one node, matched by id; absent
ungroups and keeps the members."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    CibError, Edit, IdIndex, canonical, check_id, etree, sync_nvpairs,
)
from ansible_collections.hacluster.crm.plugins.module_utils._items import (
    check_keys, container_of, description_of, lift, meta_of, snapshot, state_of,
)


class GroupSpec(t.NamedTuple):
    id: str
    members: tuple[str, ...]
    meta: dict[str, str | None]
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
