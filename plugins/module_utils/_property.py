# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster properties, rsc_defaults and op_defaults, in the sets and with the ids crmsh uses."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    Cib, CibError, Declaration, Edit, IdIndex, canonical, check_id, daemon_metadata, etree, sync_nvpairs, to_value,
)
from ansible_collections.hacluster.crm.plugins.module_utils._objects import SET_KINDS, Whole, apply_whole, parse_sets

# section: (parent tag under configuration, set tag, id of the set crmsh creates)
SECTIONS = {
    "properties": ("crm_config", "cluster_property_set", "cib-bootstrap-options"),
    "rsc_defaults": ("rsc_defaults", "meta_attributes", "rsc-options"),
    "op_defaults": ("op_defaults", "meta_attributes", "op-options"),
}
DAEMONS = ("pacemaker-schedulerd", "pacemaker-controld", "pacemaker-based", "pacemaker-fenced")


def known_properties(cib: Cib) -> set[str] | None:
    """Cluster option names from the daemons' own metadata; None when it cannot be read."""
    names: set[str] = set()
    for daemon in DAEMONS:
        meta = daemon_metadata(cib.runner, daemon)
        if meta is not None:
            names |= {p.get("name") for p in meta.iter("parameter")}
    return names or None


def clean(section: str, values: dict[str, t.Any]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name, value in (values or {}).items():
        check_id(name, "%s name" % section)
        out[str(name)] = None if value is None else to_value(value, "%s %s" % (section, name))
    return out


def apply_sets(config: t.Any, index: IdIndex, edit: Edit, wanted: dict[str, dict[str, str | None]],
               whole: t.Collection[str] = ()) -> None:
    """The plain sets, name by name; in a section with sets declared whole (``whole``, their parent tags), the
    plain set is the one with crmsh's id, never one of those."""
    for section, values in wanted.items():
        if not values:
            continue
        parent_tag, set_tag, set_id = SECTIONS[section]
        parent = config.find(parent_tag)
        created = parent is None
        if created:
            parent = etree.SubElement(config, parent_tag)
        before = canonical(parent)
        snapshot = etree.fromstring(etree.tostring(parent))
        fixed = set_id if section == "properties" or parent_tag in whole else None
        sync_nvpairs(parent, set_tag, set_id, values, index, exclusive=False, fixed_id=fixed)
        if created and len(parent) == 0:
            config.remove(parent)
            continue
        if canonical(parent) != before:
            edit.record(section, parent_tag, None if created else snapshot, parent)


class Properties(t.NamedTuple):
    """Declared cluster properties, rsc_defaults and op_defaults (null removes a name), checked for form;
    the property names are checked against Pacemaker's daemons by ``declaration``."""

    wanted: dict[str, dict[str, str | None]]
    sets: list[Whole] = []

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [(section, section, values) for section, values in self.wanted.items()
                if any(value is not None for value in values.values())] + \
            [(s.kind, s.id, {"id": s.id}) for s in self.sets if s.node is not None]

    def declaration(self, cib: Cib) -> Declaration:
        named = set(self.wanted["properties"]) | {nv.attrs["name"] for s in self.sets if s.kind == "property_sets"
                                                  and s.node is not None for nv in s.node.children
                                                  if nv.tag == "nvpair"}
        if named:
            known = known_properties(cib)
            unknown = sorted(named - known) if known else []
            if unknown:
                raise CibError("unknown cluster property %s (pacemaker knows: %s)"
                               % (", ".join(unknown), ", ".join(sorted(known))))

        def edit_pass(config: t.Any, index: IdIndex, edit: Edit) -> None:
            apply_sets(config, index, edit, self.wanted, {s.section for s in self.sets})
            apply_whole(config, index, edit, self.sets)

        return Declaration(edit_pass)


def parse_properties(properties: dict | None, rsc_defaults: dict | None, op_defaults: dict | None,
                     **sets: t.Any) -> Properties:
    """The plain sets, name by name; ``sets`` the sets declared whole (property_sets, rsc_defaults_sets,
    op_defaults_sets), each with its id, score and rule."""
    return Properties({"properties": clean("properties", properties), "rsc_defaults": clean("rsc_defaults", rsc_defaults),
                       "op_defaults": clean("op_defaults", op_defaults)},
                      [w for kind in SET_KINDS for w in parse_sets(kind, sets.get(kind))])
