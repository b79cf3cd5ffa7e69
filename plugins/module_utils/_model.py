# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource model: primitives, groups, clones, constraints and fencing levels declared together and
applied in one CIB transaction (one read, one patch). Ownership is partial: only what is declared is
touched. Each kind is a file of its own; this one parses them together and checks what spans them."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError, Declaration, Edit, IdIndex, is_secret
from ansible_collections.hacluster.crm.plugins.module_utils._clone import CloneSpec, apply_clones, parse_clone
from ansible_collections.hacluster.crm.plugins.module_utils._constraint import (
    Constraint, apply_constraints, parse_constraint,
)
from ansible_collections.hacluster.crm.plugins.module_utils._group import GroupSpec, apply_groups, parse_group
from ansible_collections.hacluster.crm.plugins.module_utils._items import legacy_roles, one_rule_schema
from ansible_collections.hacluster.crm.plugins.module_utils._objects import Objects, parse_objects
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import (
    Primitives, Spec, apply_specs, specs_from, validate_specs,
)
from ansible_collections.hacluster.crm.plugins.module_utils._topology import Level, apply_levels, parse_levels


class Model(t.NamedTuple):
    primitives: list[Spec]
    groups: list[GroupSpec]
    clones: list[CloneSpec]
    constraints: list[Constraint]
    levels: list[Level]
    templates: list[Spec]
    objects: Objects

    def summary(self) -> list[tuple[str, str, t.Any]]:
        out = Primitives(self.templates + self.primitives).summary()
        for kind, specs in (("group", self.groups), ("clone", self.clones)):
            out += [(kind, s.id, {"id": s.id}) for s in specs if s.state != "absent"]
        out += [(c.type, c.id or c.default_id, dict(c.attrs)) for c in self.constraints if c.state != "absent"]
        out += [("fencing-level", lv.default_id, {"devices": list(lv.devices)}) for lv in self.levels
                if lv.state == "present"]
        return out + self.objects.summary()

    def declaration(self, cib: Cib) -> Declaration:
        """Primitives, groups, clones, constraints and fencing levels as one pass: one read, one patch."""
        checked = validate_specs(cib, self.templates + self.primitives)
        declared = {s.id for s in self.primitives if s.state != "absent"} | \
            {g.id for g in self.groups if g.state != "absent"} | {c.id for c in self.clones if c.state != "absent"} | \
            {w.id for w in self.objects.wholes if w.kind == "bundle" and w.state != "absent"}
        devices = {s.id for s in self.primitives if s.state != "absent" and s.agent and s.agent[0] == "stonith"}

        def edit_pass(config: t.Any, index: IdIndex, edit: Edit) -> None:
            # the root's attributes are known once the CIB is read (in check mode before the cluster runs: the empty
            # CIB's), never before
            legacy = legacy_roles(cib.root_attrib().get("validate-with"))
            if self.templates:
                apply_specs(config, index, edit, [s for s in self.templates if s.state != "absent"])
            apply_specs(config, index, edit, self.primitives)
            apply_groups(config, index, edit, self.groups)
            apply_clones(config, index, edit, self.clones)
            self.objects.apply(config, index, edit, declared, legacy)
            apply_constraints(config, index, edit, self.constraints, declared, legacy,
                              one_rule_schema(cib.root_attrib().get("validate-with")))
            if any(s.state == "absent" for s in self.templates):  # after the primitives made from them
                apply_specs(config, index, edit, [s for s in self.templates if s.state == "absent"])
            if self.levels:
                apply_levels(config, index, edit, self.levels, False, lambda device: device in devices)

        return Declaration(edit_pass, lambda name: is_secret(name, checked.known), checked.secrets, checked.warnings)


def parse_model(primitives: list | None, groups: list | None, clones: list | None, constraints: list | None,
                levels: list | None, templates: list | None = None, **objects: t.Any) -> Model:
    """The resource model; ``objects`` are the other kinds cib_resources takes (nodes, acl_roles, acl_targets,
    acl_groups, alerts, tags, bundles)."""
    for name, value in (("primitives", primitives), ("groups", groups), ("clones", clones),
                        ("constraints", constraints), ("fencing_levels", levels), ("templates", templates)):
        if value is not None and not isinstance(value, list):
            raise CibError("%s must be a list, not %r" % (name, value))
    model = Model(specs_from(primitives or []), [parse_group(g, n) for n, g in enumerate(groups or [])],
                  [parse_clone(c, n) for n, c in enumerate(clones or [])],
                  [parse_constraint(c, n) for n, c in enumerate(constraints or [])], parse_levels(levels or []),
                  specs_from(templates or [], "template"), parse_objects(objects))
    ids: dict[str, str] = {}
    bundles = [w for w in model.objects.wholes if w.kind == "bundle"]
    for kind, items in (("template", model.templates), ("primitive", model.primitives), ("group", model.groups),
                        ("clone", model.clones), ("bundle", bundles)):
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
