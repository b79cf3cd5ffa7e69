# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every kind of declared item shares: its checks (keys, scores, roles by meaning, states, one-line
values) and the moves of resources between containers."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError, canonical, etree, sync_nvpairs, to_value

RESOURCE_TAGS = ("primitive", "group", "clone", "bundle", "master")
ROLES = ("Started", "Stopped", "Promoted", "Unpromoted")
# Pacemaker 2's names of the promotable roles, the only ones before schema pacemaker-3.7
LEGACY_ROLES = {"Master": "Promoted", "Slave": "Unpromoted"}
MODERN_TO_LEGACY = {v: k for k, v in LEGACY_ROLES.items()}
# Attribute names as Pacemaker spells them (target-role, resource-stickiness, OCF_CHECK_LEVEL, ...)
META_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")
SCORE_RE = re.compile(r"^([-+]?(INFINITY|inf|infinity)|[-+]?[0-9]+)$")


def check_keys(item: dict, known: t.Iterable[str], where: str) -> None:
    """A key given (not null: the argument spec gives every key of every type) that this kind does not take."""
    unknown = sorted(k for k, v in item.items() if k not in set(known) and v is not None)
    if unknown:
        raise CibError("%s: unknown key %s (known: %s)" % (where, ", ".join(unknown), ", ".join(sorted(known))))


def check_resource_refs(refs: t.Iterable[str], index: t.Any, declared: t.Collection[str], what: str) -> None:
    """Each resource ``what`` names exists in the CIB (``index``) or is ``declared`` in the same task."""
    for ref in refs:
        el = index.ids.get(ref)
        if (el is None or el.tag not in RESOURCE_TAGS) and ref not in declared:
            raise CibError("%s names %s, which is no resource in the CIB nor declared with it" % (what, ref))


def meta_of(raw: t.Any, where: str) -> dict[str, str | None]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise CibError("%s: meta must be a dict, not %r" % (where, raw))
    out = {}
    for name, value in raw.items():
        if not META_NAME_RE.match(str(name)):
            raise CibError("%s: invalid meta attribute name %r" % (where, name))
        out[str(name)] = None if value is None else to_value(value, "%s meta %s" % (where, name))
    return out


def score_of(value: t.Any, where: str) -> str:
    text = "INFINITY" if value is None else str(value).strip()
    if isinstance(value, bool) or not SCORE_RE.match(text):
        raise CibError("%s: score %r is not a score (an integer, INFINITY or -INFINITY)" % (where, value))
    return text.replace("+", "").replace("infinity", "INFINITY").replace("inf", "INFINITY") \
        if not text.lstrip("+-").isdigit() else text


def role_of(value: t.Any, where: str) -> str | None:
    """A role by its meaning: Pacemaker 2's Master and Slave are Promoted and Unpromoted."""
    if value in (None, ""):
        return None
    if value not in ROLES and value not in LEGACY_ROLES:
        raise CibError("%s: role %r is not one of %s (or Pacemaker 2's Master, Slave)" % (where, value, ", ".join(ROLES)))
    return LEGACY_ROLES.get(str(value), str(value))


def canonical_role(value: str | None) -> str | None:
    return LEGACY_ROLES.get(value, value) if value else value


def legacy_roles(validate_with: str | None) -> bool:
    """Whether the CIB's schema knows only Master and Slave (Promoted came with pacemaker-3.7)."""
    match = re.match(r"^pacemaker-(\d+)\.(\d+)$", validate_with or "")
    return bool(match) and (int(match.group(1)), int(match.group(2))) < (3, 7)


def one_rule_schema(validate_with: str | None) -> str | None:
    """The CIB's schema when it allows one rule per location constraint (pacemaker-4.0 and later)."""
    match = re.match(r"^pacemaker-(\d+)\.(\d+)$", validate_with or "")
    return validate_with if match and int(match.group(1)) >= 4 else None


def spell_role(role: str, existing: str | None, legacy: bool) -> str:
    """The role as the CIB should hold it: as it already does when that means the same, else in the
    form the CIB's schema accepts."""
    if existing and canonical_role(existing) == role:
        return existing
    return MODERN_TO_LEGACY.get(role, role) if legacy else role


def bool_of(item: dict, key: str, where: str) -> str | None:
    if item.get(key) is None:
        return None
    if not isinstance(item[key], bool):
        raise CibError("%s: %s must be true or false, not %r" % (where, key, item[key]))
    return "true" if item[key] else "false"


def choice_of(item: dict, key: str, choices: tuple, where: str) -> str | None:
    if item.get(key) is None:
        return None
    if item[key] not in choices:
        raise CibError("%s: %s %r is not one of %s" % (where, key, item[key], ", ".join(choices)))
    return str(item[key])


def description_of(item: dict, where: str) -> str | None:
    return None if item.get("description") is None else to_value(item["description"], "%s description" % where)


def state_of(item: dict, where: str) -> str:
    state = item.get("state") or "present"
    if state not in ("present", "absent"):
        raise CibError("%s: state %r is not present or absent" % (where, state))
    return state


def lift(el: t.Any, resources: t.Any) -> None:
    """Move a resource element out of its group or clone to the top of the resources section."""
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)
    resources.append(el)


def snapshot(el: t.Any | None) -> t.Any | None:
    return None if el is None else etree.fromstring(etree.tostring(el))


def container_of(el: t.Any) -> t.Any | None:
    parent = el.getparent()
    return parent if parent is not None and parent.tag in ("group", "clone", "master", "bundle") else None


class Container:
    """What a group and a clone share: the resources section, an id used by one kind of element only, removal
    that keeps the children (crmsh's delete of a group or clone), and the element's own attributes."""

    def __init__(self, config: t.Any, index: t.Any, edit: t.Any, tag: str) -> None:
        self.resources = config.find("resources")
        self.index = index
        self.edit = edit
        self.tag = tag

    def claim_once(self, specs: t.Iterable[t.Any], children: t.Callable[[t.Any], t.Iterable[str]],
                   noun: str = "resource") -> None:
        """Refuses a resource declared in two containers of this kind, naming both."""
        claimed: dict[str, str] = {}
        for spec in specs:
            if spec.state != "present":
                continue
            for child in children(spec):
                if child in claimed:
                    raise CibError("%s %s is declared in two %ss: %s and %s"
                                   % (noun, child, self.tag, claimed[child], spec.id))
                claimed[child] = spec.id

    def find(self, ident: str) -> t.Any | None:
        el = self.index.ids.get(ident)
        if el is not None and el.tag != self.tag:
            raise CibError("id %s is already used by a <%s> element, not a %s" % (ident, el.tag, self.tag))
        return el

    def remove(self, el: t.Any | None, ident: str) -> None:
        """The container gone, its resources kept at the top of the resources section."""
        if el is None:
            return
        before = snapshot(el)
        for child in [c for c in el if c.tag in RESOURCE_TAGS]:
            lift(child, self.resources)
        self.edit.record(self.tag, ident, before, None)
        self.index.drop(el)
        el.getparent().remove(el)

    def ensure(self, el: t.Any | None, spec: t.Any) -> t.Any:
        """The element (made when missing) with the declared description."""
        if el is None:
            el = etree.SubElement(self.resources, self.tag, id=spec.id)
            self.index.ids[spec.id] = el
        if spec.description is not None:
            el.set("description", str(spec.description))
        return el

    def keep_out(self, el: t.Any, wanted: t.Callable[[t.Any], bool]) -> None:
        """Children the declaration no longer holds go back to the top of the resources section."""
        for child in [c for c in el if c.tag in RESOURCE_TAGS and not wanted(c)]:
            lift(child, self.resources)

    def finish(self, el: t.Any, spec: t.Any, before: t.Any | None, moved: bool = False) -> None:
        """The declared meta attributes, first among the children as crmsh writes them; recorded when changed."""
        sync_nvpairs(el, "meta_attributes", spec.id + "-meta_attributes", spec.meta, self.index, exclusive=False)
        meta = el.find("meta_attributes")
        if meta is not None:
            el.remove(meta)
            el.insert(0, meta)
        if before is None or moved or canonical(before) != canonical(el):
            self.edit.record(self.tag, spec.id, before, el)
