# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Elements declared whole: a declaration becomes a tree of ``Node`` (tag, attributes, children), and the
tree becomes the element, keeping the ids of what it replaces. Rules, rule-based attribute sets, ACLs,
alerts, tags and bundles are built this way; the element in the CIB then says exactly what is declared.

An existing child keeps its id when the declared child matches it: an nvpair (or a selected attribute) by
its name, anything else by its tag and position among its siblings of that tag. So a configuration made by
hand (crmsh's ids) is never rewritten only to rename its ids, and a rerun finds nothing to do."""

from __future__ import annotations

import copy
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError, IdIndex, etree
from ansible_collections.hacluster.crm.plugins.module_utils._items import canonical_role, spell_role

# Elements the schema gives no id
NO_ID = frozenset(("select", "select_nodes", "select_fencing", "select_resources", "select_attributes", "docker",
                   "podman", "rkt", "network", "storage"))
# Elements whose id attribute refers to another element (an IDREF): declared, never generated
REFERENCES = IdIndex.REFERENCES
ROLE_ATTRS = ("role", "rsc-role", "with-rsc-role")
# Children matched by their name rather than their position
BY_NAME = frozenset(("nvpair", "attribute"))


class Node(t.NamedTuple):
    tag: str
    attrs: dict[str, str]
    children: tuple = ()
    ident: str | None = None  # a declared id (a reference, or an id the declaration names)

    def canon(self, ignore: tuple[str, ...] = ()) -> tuple:
        """What the node says, without generated ids and the attributes in ``ignore``; roles by meaning."""
        attrs = tuple(sorted((k, canonical_role(v) if k in ROLE_ATTRS else v) for k, v in self.attrs.items()
                             if k not in ignore))
        return (self.tag, self.ident if self.tag in REFERENCES else None, attrs,
                tuple(c.canon(ignore) for c in self.children))


def nvset(tag: str, values: dict[str, str | None], ident: str | None = None, attrs: dict[str, str] | None = None,
          rule: Node | None = None) -> Node:
    """An attribute set: its rule first, then one nvpair per name (a null value leaves the name out)."""
    pairs = tuple(Node("nvpair", {"name": name, "value": value}) for name, value in values.items() if value is not None)
    return Node(tag, dict(attrs or {}), ((rule,) if rule is not None else ()) + pairs, ident)


def from_xml(el: t.Any) -> Node:
    """An element as a tree (ids dropped, but for references, which are what they say)."""
    attrs = {k: v for k, v in el.attrib.items() if k != "id"}
    return Node(el.tag, attrs, tuple(from_xml(c) for c in el if isinstance(c.tag, str)),
                el.get("id") if el.tag in REFERENCES else None)


def _match(old: list, node: Node, taken: set[int], position: int) -> t.Any | None:
    if node.tag in BY_NAME:
        return next((c for c in old if id(c) not in taken and c.tag == node.tag
                     and c.get("name") == node.attrs.get("name")), None)
    same = [c for c in old if c.tag == node.tag]
    return same[position] if position < len(same) and id(same[position]) not in taken else None


def fill(el: t.Any, node: Node, index: IdIndex, legacy: bool = False) -> None:
    """Make ``el`` (already holding its id) say what ``node`` says: its attributes and children, rebuilt,
    each child keeping the id of the child it replaces."""
    old = copy.deepcopy(el)
    for child in list(el):
        if isinstance(child.tag, str):
            index.drop(child)
        el.remove(child)
    fill_from(el, node, old, index, legacy)


def fill_from(el: t.Any, node: Node, old: t.Any | None, index: IdIndex, legacy: bool = False) -> None:
    """``fill`` of a new element ``el`` from the ``old`` one it replaces (already out of the tree and the index)."""
    old_attrs = dict(old.attrib) if old is not None else {}
    for attr in [a for a in el.attrib if a != "id"]:
        del el.attrib[attr]
    for attr, value in node.attrs.items():
        el.set(attr, spell_role(value, old_attrs.get(attr), legacy) if attr in ROLE_ATTRS else value)
    old_children = [c for c in old if isinstance(c.tag, str)] if old is not None else []
    taken: set[int] = set()
    positions: dict[str, int] = {}
    for child in node.children:
        position = positions.get(child.tag, 0)
        positions[child.tag] = position + 1
        match = _match(old_children, child, taken, position)
        if match is not None:
            taken.add(id(match))
        sub = etree.SubElement(el, child.tag)
        if child.tag in REFERENCES:
            sub.set("id", child.ident or "")
        elif child.ident:
            claim_declared(sub, child.ident, index)
        elif child.tag not in NO_ID:
            if match is not None and match.get("id") and match.get("id") not in index.ids:
                sub.set("id", match.get("id"))
                index.ids[match.get("id")] = sub
            else:
                suffix = child.attrs.get("name") if child.tag in BY_NAME else child.tag
                index.claim(sub, "%s-%s" % (owner_id(el), suffix))
        fill_from(sub, child, match, index, legacy)


def owner_id(el: t.Any) -> str:
    while el is not None and not el.get("id"):
        el = el.getparent()
    return el.get("id") if el is not None else "cib"


def claim_declared(el: t.Any, ident: str, index: IdIndex) -> None:
    """A declared id: refused when another element already holds it."""
    holder = index.ids.get(ident)
    if holder is not None and holder is not el:
        raise CibError("id %s is declared for a <%s>, but a <%s> element already has it; nothing was written"
                       % (ident, el.tag, holder.tag))
    el.set("id", ident)
    index.ids[ident] = el
