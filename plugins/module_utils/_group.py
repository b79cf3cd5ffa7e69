# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Groups (``crm configure group``): primitives started in order on one node, matched by id; absent
ungroups and keeps the members."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError, Edit, IdIndex, check_id
from ansible_collections.hacluster.crm.plugins.module_utils._items import (
    Container, check_keys, container_of, description_of, meta_of, snapshot, state_of,
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
    box = Container(config, index, edit, "group")
    box.claim_once(groups, lambda spec: spec.members, noun="primitive")
    for spec in groups:
        group = box.find(spec.id)
        if spec.state == "absent":
            box.remove(group, spec.id)  # ungrouped, the members kept: crmsh's delete of a group
            continue
        members = [member_of(index, spec, member) for member in spec.members]
        before = snapshot(group)
        group = box.ensure(group, spec)
        box.keep_out(group, lambda el: el.get("id") in spec.members)
        for el in members:
            if el.getparent() is not group:
                el.getparent().remove(el)
            group.append(el)  # in the declared order
        order_moved = before is not None and [p.get("id") for p in before.findall("primitive")] != list(spec.members)
        box.finish(group, spec, before, moved=order_moved)


def member_of(index: IdIndex, spec: GroupSpec, member: str) -> t.Any:
    el = index.ids.get(member)
    if el is None:
        raise CibError("group %s: member %s is no resource in the CIB nor declared with it" % (spec.id, member))
    if el.tag != "primitive":
        raise CibError("group %s: member %s is a %s; a group holds primitives only" % (spec.id, member, el.tag))
    holder = container_of(el)
    if holder is not None and holder.get("id") != spec.id:
        raise CibError("group %s: primitive %s is already in %s %s" % (spec.id, member, holder.tag, holder.get("id")))
    return el
