# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fencing topology (``crm configure fencing_topology``): levels 1 to 9 per target, each a list of
fence devices tried together; the first level whose devices all succeed fences the target."""

from __future__ import annotations

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import (
    Cib, CibError, Declaration, Edit, IdIndex, canonical, check_id, etree, to_value,
)

MIN_INDEX, MAX_INDEX = 1, 9
TARGET_KEYS = ("target", "target_pattern", "target_attribute")
# declaration key: XML attribute
ATTRIBUTES = {"target": "target", "target_pattern": "target-pattern", "target_attribute": "target-attribute",
              "target_value": "target-value"}


class Level(t.NamedTuple):
    """One declared level: what it fences (the XML's target attributes), its index, its devices."""

    target: tuple[tuple[str, str], ...]
    index: int
    devices: tuple[str, ...]
    state: str

    @property
    def key(self) -> tuple:
        return (self.target, self.index)

    @property
    def name(self) -> str:
        """How crmsh shows the target: ``alice``, ``pattern:web-.*`` or ``attr:rack=1``."""
        attrs = dict(self.target)
        if "target" in attrs:
            return attrs["target"]
        if "target-pattern" in attrs:
            return "pattern:" + attrs["target-pattern"]
        return "attr:%s=%s" % (attrs["target-attribute"], attrs["target-value"])

    @property
    def default_id(self) -> str:
        """``fl-TARGET-INDEX``, as pcs names levels."""
        return "fl-%s-%d" % (self.name.replace(":", "-").replace("=", "-"), self.index)


def level_key(el: t.Any) -> tuple:
    target = tuple(sorted((attr, el.get(attr)) for attr in ATTRIBUTES.values() if el.get(attr) is not None))
    try:
        index = int(el.get("index") or 0)
    except ValueError:
        index = 0
    return (target, index)


def parse_level(item: t.Any, position: int, default_state: str) -> Level:
    where = "level %d" % (position + 1)
    if not isinstance(item, dict):
        raise CibError("%s must be a dict with a target, an index and devices, not %r" % (where, item))
    unknown = sorted(set(item) - set(TARGET_KEYS) - {"target_value", "index", "devices", "state"})
    if unknown:
        raise CibError("%s: unknown key %s (known: target, target_pattern, target_attribute, target_value, index, "
                       "devices, state)" % (where, ", ".join(unknown)))
    given = [k for k in TARGET_KEYS if item.get(k) not in (None, "")]
    if len(given) != 1:
        raise CibError("%s needs exactly one of target (a node name), target_pattern (a regular expression of node "
                       "names) or target_attribute with target_value; it has %s" % (where, ", ".join(given) or "none"))
    kind = given[0]
    target = {ATTRIBUTES[kind]: to_value(item[kind], "%s %s" % (where, kind))}
    if kind == "target_attribute":
        if item.get("target_value") in (None, ""):
            raise CibError("%s: target_attribute %s needs a target_value" % (where, item[kind]))
        target["target-value"] = to_value(item["target_value"], "%s target_value" % where)
    elif item.get("target_value") not in (None, ""):
        raise CibError("%s: target_value goes with target_attribute only" % where)
    where = "level %d (%s)" % (position + 1, next(iter(target.values())))
    index = item.get("index")
    if isinstance(index, bool) or not isinstance(index, (int, str)) or not str(index).strip().isdigit() \
            or not MIN_INDEX <= int(index) <= MAX_INDEX:
        raise CibError("%s: index %r is not a level from %d to %d" % (where, index, MIN_INDEX, MAX_INDEX))
    state = item.get("state") or default_state
    if state not in ("present", "absent"):
        raise CibError("%s: state %r is not present or absent" % (where, state))
    devices = item.get("devices")
    if isinstance(devices, str):
        devices = [d for d in devices.split(",") if d]
    if state == "present":
        if not isinstance(devices, list) or not devices:
            raise CibError("%s: devices must be a non-empty list of fence device ids, not %r" % (where, devices))
        devices = [check_id(d, "fence device of %s" % where) for d in devices]
        if len(set(devices)) != len(devices):
            raise CibError("%s names a device twice: %s" % (where, ", ".join(devices)))
    return Level(tuple(sorted(target.items())), int(index), tuple(devices or ()), state)


def parse_levels(items: list, default_state: str = "present") -> list[Level]:
    levels = [parse_level(item, n, default_state) for n, item in enumerate(items or [])]
    seen: dict[tuple, Level] = {}
    for level in levels:
        if level.key in seen:
            raise CibError("level %d of %s is declared twice" % (level.index, level.name))
        seen[level.key] = level
    return levels


def stonith_ids(config: t.Any) -> set[str]:
    resources = config.find("resources")
    if resources is None:
        return set()
    return {p.get("id") for p in resources.iter("primitive") if p.get("class") == "stonith"}


def apply_levels(config: t.Any, index: IdIndex, edit: Edit, levels: list[Level], exclusive: bool,
                 pending: t.Callable[[str], bool]) -> None:
    devices = stonith_ids(config)
    for level in levels:
        missing = [d for d in level.devices if d not in devices and not pending(d)]
        if missing:
            raise CibError("level %d of %s names %s, which %s no fence device (a primitive of class stonith) in "
                           "the CIB" % (level.index, level.name, ", ".join(missing),
                                        "is" if len(missing) == 1 else "are"))
    topology = config.find("fencing-topology")
    if topology is None:
        if not any(level.state == "present" for level in levels):
            return
        topology = etree.SubElement(config, "fencing-topology")
    existing: dict[tuple, list] = {}
    for el in topology.findall("fencing-level"):
        existing.setdefault(level_key(el), []).append(el)
    declared = {level.key for level in levels}
    for level in levels:
        found = existing.get(level.key, [])
        if level.state == "absent":
            for el in found:
                remove(topology, el, index, edit)
            continue
        for el in found[1:]:
            remove(topology, el, index, edit)
        el = found[0] if found else None
        before = None if el is None else etree.fromstring(etree.tostring(el))
        if el is None:
            el = etree.SubElement(topology, "fencing-level")
            index.claim(el, level.default_id)
            for attr, value in level.target:
                el.set(attr, value)
            el.set("index", str(level.index))
        el.set("devices", ",".join(level.devices))
        if before is None or canonical(before) != canonical(el):
            edit.record("fencing-level", el.get("id"), before, el)
    if exclusive:
        for key, found in existing.items():
            if key not in declared:
                for el in found:
                    remove(topology, el, index, edit)


def remove(topology: t.Any, el: t.Any, index: IdIndex, edit: Edit) -> None:
    edit.record("fencing-level", el.get("id"), etree.fromstring(etree.tostring(el)), None)
    index.drop(el)
    topology.remove(el)


class Levels(t.NamedTuple):
    """Declared fencing levels, checked for form. A device that is no stonith primitive in the CIB is
    refused unless ``accepts`` takes it (check mode: one an earlier task of the run creates)."""

    levels: list[Level]
    exclusive: bool
    accepts: t.Callable[[str], bool]

    def summary(self) -> list[tuple[str, str, t.Any]]:
        return [("fencing-level", level.default_id, {"target": level.name, "index": level.index,
                                                     "devices": list(level.devices)})
                for level in self.levels if level.state == "present"]

    def declaration(self, cib: Cib) -> Declaration:
        return Declaration(lambda config, index, edit: apply_levels(config, index, edit, self.levels, self.exclusive,
                                                                    self.accepts))


def parse_topology(items: list, state: str = "present", exclusive: bool = False,
                   accepts: t.Callable[[str], bool] = lambda device: False) -> Levels:
    if exclusive and state == "absent":
        raise CibError("exclusive with state=absent would remove every level: declare state=present levels, "
                       "or list the levels to remove")
    return Levels(parse_levels(items, state), exclusive, accepts)
