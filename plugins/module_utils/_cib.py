# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CIB delta engine.

Reads the configuration once, lets declarations edit a copy (reusing existing ids, so that
generated ids are never a difference), and writes one ``--no-version`` delta patch made by
``crm_diff``: writers touching other elements never lose their changes. A refused patch
(the CIB moved underneath) is recomputed from a fresh read, a bounded number of times; the
loop ends only when a fresh read shows the declared state holds.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner

try:
    from lxml import etree
except ImportError:  # pragma: no cover - reported by the modules through missing_required_lib
    etree = None

ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
CONTAINERS = ("instance_attributes", "meta_attributes", "operations", "utilization")
# crm_diff picks its patch format from the root's feature set: one above 3.0.8 gives format 2,
# the delta format that --no-version patches need.
WRAPPER = '<cib crm_feature_set="3.0.9" validate-with="pacemaker-3.0">%s</cib>'
MAX_ATTEMPTS = 5


class CibError(Exception):
    """Bad input or a CIB that cannot be brought to the declared state; nothing was written."""


def require_lxml() -> None:
    if etree is None:
        raise CibError("the lxml Python library is required on the managed node (python3-lxml)")


def check_id(value: t.Any, what: str = "id") -> str:
    text = str(value) if value is not None else ""
    if not ID_RE.match(text):
        raise CibError("invalid %s %r: an XML id starts with a letter or '_' and holds only letters, digits, "
                       "'_', '.' and '-'" % (what, text))
    return text


def to_value(value: t.Any, what: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)) or value is None:
        raise CibError("%s must be a scalar, not %r" % (what, value))
    return str(value)


def canonical(el: t.Any) -> tuple:
    """Attribute order and empty containers are not differences."""
    kids = tuple(canonical(c) for c in el if isinstance(c.tag, str)
                 and not (c.tag in CONTAINERS and len(c) == 0 and not c.attrib.get("id-ref")))
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(), kids)


def pretty(el: t.Any | None) -> str:
    if el is None:
        return ""
    return etree.tostring(el, pretty_print=True, encoding="unicode")


class Cib:
    """The live CIB, or a file through CIB_file: the same code and pacemaker's own tools."""

    def __init__(self, runner: Runner, cib_file: str | None = None, predict: bool = False) -> None:
        require_lxml()
        # in check mode on a node whose cluster is not running yet, predict against the empty CIB
        # that a new cluster starts with
        self.predict = predict
        self.cib_file = cib_file
        if cib_file:
            if not os.path.exists(cib_file):
                raise CibError("cib_file %s does not exist (cibadmin --empty makes an empty CIB)" % cib_file)
            runner.env["CIB_file"] = cib_file
        self.runner = runner
        self.patches_applied = 0
        self.patches_refused = 0
        self.last_refusal: tuple[int | None, str] = (None, "the declared state did not hold after the patch")

    def read(self) -> t.Any:
        try:
            _rc, out, _err = self.runner.run(["cibadmin", "--query", "--scope", "configuration"])
        except CommandError:
            if not (self.predict and not self.cib_file):
                raise
            _rc, empty, _err = self.runner.run(["cibadmin", "--empty"])
            out = etree.tostring(etree.fromstring(empty.encode()).find("configuration"), encoding="unicode")
        return etree.fromstring(WRAPPER % out, etree.XMLParser(remove_blank_text=True))

    def patch(self, old: t.Any, new: t.Any) -> bool:
        """Apply the delta from ``old`` to ``new``; False when the CIB refused it."""
        with tempfile.TemporaryDirectory(prefix="hacluster-cib-") as folder:
            paths = []
            for name, tree in (("old.xml", old), ("new.xml", new)):
                path = os.path.join(folder, name)
                with open(path, "wb") as handle:
                    handle.write(etree.tostring(tree))
                paths.append(path)
            rc, diff, err = self.runner.run(["crm_diff", "--no-version", "-o", paths[0], "-n", paths[1]],
                                            check=False)
        if rc == 0:
            return True
        if rc != 1:
            raise CommandError("crm_diff failed (rc=%s): %s" % (rc, err.strip()), ["crm_diff"], rc, err)
        rc, _out, err = self.runner.run(["cibadmin", "--patch", "--xml-pipe"], data=diff, check=False)
        if rc == 0:
            self.patches_applied += 1
            return True
        self.patches_refused += 1
        self.last_refusal = (rc, err.strip())
        return False

    def wait(self, timeout: int) -> None:
        if not self.cib_file:
            self.runner.run(["crm_resource", "--wait", "--timeout", "%ds" % timeout])


class Edit:
    """What one converge pass did to the copy: per object, its XML before and after."""

    def __init__(self) -> None:
        self.changes: list[tuple[str, str, str, str]] = []  # (kind, id, before, after)

    def record(self, kind: str, ident: str, before: t.Any | None, after: t.Any | None) -> None:
        self.changes.append((kind, ident, pretty(before), pretty(after)))


class IdIndex:
    """Every id in the configuration, built once per pass (lookups are by id, never a search per item)."""

    def __init__(self, root: t.Any) -> None:
        self.ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}

    def unique(self, wanted: str) -> str:
        candidate, n = wanted, 0
        while candidate in self.ids:
            n += 1
            candidate = "%s-%d" % (wanted, n)
        return candidate

    def claim(self, el: t.Any, wanted: str) -> str:
        ident = self.unique(re.sub(r"[^A-Za-z0-9_.-]", "_", wanted))
        el.set("id", ident)
        self.ids[ident] = el
        return ident

    def drop(self, el: t.Any) -> None:
        for sub in el.iter():
            if isinstance(sub.tag, str) and sub.get("id"):
                self.ids.pop(sub.get("id"), None)


def sync_nvpairs(parent: t.Any, tag: str, set_id: str, values: dict[str, str | None], index: IdIndex,
                 exclusive: bool, fixed_id: str | None = None) -> None:
    """Make the first rule-less ``tag`` set under ``parent`` hold ``values`` (None removes a name).

    ``exclusive`` removes names not given. An empty set left behind is removed.
    """
    sets = [s for s in parent.findall(tag) if s.find("rule") is None]
    if fixed_id:
        sets = [s for s in sets if s.get("id") == fixed_id] or []
    target = sets[0] if sets else None
    if target is None:
        if not any(v is not None for v in values.values()):
            return
        target = etree.SubElement(parent, tag)
        index.claim(target, fixed_id or set_id)
    by_name: dict[str, list] = {}
    for nv in target.findall("nvpair"):
        by_name.setdefault(nv.get("name"), []).append(nv)
    for name, value in values.items():
        found = by_name.get(name, [])
        if value is None:
            for nv in found:
                index.drop(nv)
                target.remove(nv)
            continue
        keep = found[-1] if found else None
        for nv in found[:-1]:
            index.drop(nv)
            target.remove(nv)
        if keep is None:
            keep = etree.SubElement(target, "nvpair")
            index.claim(keep, "%s-%s" % (target.get("id"), name))
            keep.set("name", name)
        keep.set("value", value)
    if exclusive:
        for name, found in by_name.items():
            if name not in values:
                for nv in found:
                    index.drop(nv)
                    target.remove(nv)
    if len(target) == 0:
        index.drop(target)
        parent.remove(target)


def converge(cib: Cib, edit_pass: t.Callable[[t.Any, IdIndex, Edit], None], check_mode: bool) -> Edit:
    """Read, let ``edit_pass`` change a copy, and patch until a fresh read needs no change.

    Returns the first pass's edit (what this run changed, or would change in check mode).
    """
    first: Edit | None = None
    for _attempt in range(MAX_ATTEMPTS + 1):
        old = cib.read()
        new = copy.deepcopy(old)
        edit = Edit()
        edit_pass(new.find("configuration"), IdIndex(new), edit)
        if first is None:
            first = edit
        if not edit.changes or check_mode:
            return first
        cib.patch(old, new)
    rc, err = cib.last_refusal
    raise CibError("the CIB did not reach the declared state after %d attempts; last refusal (rc=%s): %s"
                   % (MAX_ATTEMPTS, rc, err))
