# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CIB delta engine (declarations and modules reach it through ``_cib_change.run_cib``).

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
import time
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._runner import (
    BUSY_PAUSE, CommandError, Runner, busy, busy_tries,
)
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import MASK, is_secret, mask_url, url_password

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
EMPTY_CONFIGURATION = "<configuration><crm_config/><nodes/><resources/><constraints/></configuration>"
SCHEMA_DIR = "/usr/share/pacemaker"
# cibadmin's exit code when the CIB's crm_feature_set is newer than this node's Pacemaker
CRM_EX_PROTOCOL = 76
# A value's characters that XML 1.0 cannot hold, or that a one-line attribute should not.
CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
# A move crm_diff makes of a resource itself (a group's member order): kept when the resource is declared.
MOVED_RESOURCE_RE = re.compile(r"/(?:primitive|group|clone)\[@id='([^']*)'\]$")
RESOURCE_KINDS = ("primitive", "group", "clone")
# A dumped CIB line in cibadmin's error output ("  12 <primitive ...>"), or an element it echoes back
# (a refused create's "<failed_update ...>" and the element inside): content, never a message.
DUMP_LINE_RE = re.compile(r"^\s*(?:\d+[: ]\s*)?<")


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
        raise CibError("%s must be a scalar (a string, a number or a boolean), not %s"
                       % (what, "null" if value is None else type(value).__name__))
    text = str(value)
    control = CONTROL_RE.search(text)
    if control:
        raise CibError("%s holds the control character %r at position %d: a CIB value is one line of text"
                       % (what, control.group(), control.start()))
    return text


def masked(el: t.Any, secret: t.Callable[[str], bool], found: set[str] | None = None) -> t.Any:
    """A copy of ``el`` whose secret nvpair values read MASK, and whose URLs with credentials (an alert recipient's
    https://user:password@host/) show no password; the values masked are added to ``found``."""
    if el is None:
        return None
    copied = copy.deepcopy(el)
    for nv in copied.iter("nvpair"):
        if nv.get("value") and secret(nv.get("name") or ""):
            if found is not None:
                found.add(nv.get("value"))
            nv.set("value", MASK)
    for sub in copied.iter():
        for attr, text in list(sub.attrib.items()) if isinstance(sub.tag, str) else []:
            if url_password(text):
                if found is not None:
                    found.add(url_password(text))
                sub.set(attr, mask_url(text))
    return copied


def refusal_message(err: str) -> str:
    """cibadmin's words without the CIB it dumps: a refusal may not quote configuration content."""
    lines = [line.strip() for line in err.splitlines() if line.strip() and not DUMP_LINE_RE.match(line)]
    return "; ".join(lines) or "(no message)"


def canonical(el: t.Any) -> tuple:
    """Attribute order and empty containers are not differences."""
    kids = tuple(canonical(c) for c in el if isinstance(c.tag, str)
                 and not (c.tag in CONTAINERS and len(c) == 0 and not c.attrib.get("id-ref")))
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(), kids)


def pretty(el: t.Any | None) -> str:
    if el is None:
        return ""
    return etree.tostring(el, pretty_print=True, encoding="unicode")


DAEMON_DIRS = ("/usr/lib/pacemaker", "/usr/libexec/pacemaker")


def daemon_metadata(runner: Runner, daemon: str) -> t.Any | None:
    """A Pacemaker daemon's own metadata (its options) as XML; None where it cannot be read."""
    path = next((os.path.join(d, daemon) for d in DAEMON_DIRS if os.access(os.path.join(d, daemon), os.X_OK)), None)
    if path is None:
        return None
    rc, out, _err = runner.run([path, "metadata"], check=False)
    if rc != 0 or not out.strip():
        return None
    return etree.fromstring(out.encode(), etree.XMLParser(resolve_entities=False, no_network=True))


def schema_version(name: str) -> tuple[int, ...] | None:
    """``pacemaker-3.10`` -> (3, 10); None for a name that is not a numbered Pacemaker schema (pacemaker-next)."""
    match = re.match(r"^pacemaker-(\d+(?:\.\d+)*)$", name)
    return tuple(int(n) for n in match.group(1).split(".")) if match else None


def newest_schema(names: list[str]) -> str | None:
    """The newest numbered schema among file names such as ``pacemaker-3.10.rng``."""
    numbered = [n[:-4] for n in names if n.endswith(".rng") and schema_version(n[:-4])]
    return max(numbered, key=schema_version) if numbered else None


# Where Pacemaker stores a node's CIB between runs, and reads it at start.
STORED_CIB = "/var/lib/pacemaker/cib/cib.xml"


class Cib:
    """The live CIB, or a file through CIB_file: the same code and pacemaker's own tools."""

    def __init__(self, runner: Runner, cib_file: str | None = None, predict: bool = False) -> None:
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
        self.changes_dropped = 0
        self.last_refusal: tuple[int | None, str] = (None, "the declared state did not hold after the patch")
        self._schema: t.Any = None
        self._root_attrib: dict[str, str] | None = None
        self._offline: bool | None = None
        if not self.offline:
            require_lxml()

    @property
    def offline(self) -> bool:
        """Predicting on a server without Pacemaker's tools yet (check mode before the packages are
        installed): the prediction is made against an empty configuration, unvalidated."""
        if self._offline is None:
            self._offline = False
            if self.predict and not self.cib_file:
                try:
                    self.runner.binary("cibadmin")
                except CommandError:
                    self._offline = True
        return self._offline

    def read(self) -> t.Any:
        if self.offline:
            self._root_attrib = {}
            return etree.fromstring(WRAPPER % EMPTY_CONFIGURATION, etree.XMLParser(remove_blank_text=True))
        try:
            _rc, out, _err = self.runner.run(["cibadmin", "--query", "--scope", "configuration"], read=True)
        except CommandError:
            if not (self.predict and not self.cib_file):
                raise
            # not running: a cluster stopped whole starts again with the CIB it stored, a new one with an empty CIB
            if os.path.exists(STORED_CIB):
                _rc, out, _err = Runner(self.runner.module, env={"CIB_file": STORED_CIB}).run(["cibadmin", "--query"])
            else:
                _rc, out, _err = self.runner.run(["cibadmin", "--empty"])
            root = etree.fromstring(out.encode())
            self._root_attrib = dict(root.attrib)
            out = etree.tostring(root.find("configuration"), encoding="unicode")
        return etree.fromstring(WRAPPER % out, etree.XMLParser(remove_blank_text=True))

    def root_attrib(self) -> dict[str, str]:
        """The CIB root's attributes (validate-with, crm_feature_set), read once."""
        if self._root_attrib is None:
            _rc, out, _err = self.runner.run(["cibadmin", "--query", "--xpath", "/cib", "--no-children"], read=True)
            self._root_attrib = dict(etree.fromstring(out.encode()).attrib)
        return self._root_attrib

    def schema_versions(self) -> dict[str, str | None]:
        """The schema the CIB validates with (``validate_with``) and the newest this node's Pacemaker knows
        (``newest``, what ``cibadmin --upgrade`` moves it to)."""
        names = os.listdir(SCHEMA_DIR) if os.path.isdir(SCHEMA_DIR) else []
        return {"validate_with": self.root_attrib().get("validate-with"), "newest": newest_schema(names)}

    def schema(self) -> t.Any:
        """The RelaxNG schema the CIB validates with (None when this node has no such file)."""
        if self._schema is None:
            name = self.root_attrib().get("validate-with", "")
            path = os.path.join(SCHEMA_DIR, "%s.rng" % name)
            self._schema = etree.RelaxNG(etree.parse(path)) if re.match(r"^[\w.-]+$", name) and \
                os.path.exists(path) else False
        return self._schema or None

    def validate(self, new: t.Any) -> None:
        """Refuse a configuration the CIB's own schema refuses, naming the element: nothing is written."""
        schema = self.schema()
        if schema is None:
            return
        doc = etree.Element("cib", {k: v for k, v in self.root_attrib().items()
                                    if k in ("validate-with", "crm_feature_set", "epoch", "num_updates",
                                             "admin_epoch")})
        doc.append(copy.deepcopy(new.find("configuration")))
        etree.SubElement(doc, "status")
        if schema.validate(doc):
            return
        # the deepest element the schema complains about names the offender; the outer ones only say that
        # their content failed ("Element resources has extra content")
        located = [e for e in schema.error_log if e.path]
        error = max(located, key=lambda e: e.path.count("/")) if located else schema.error_log.last_error
        found = doc.xpath(error.path) if error.path else []
        el = found[0] if found else None
        while el is not None and not el.get("id"):
            el = el.getparent()
        where = "<%s id=%s>" % (el.tag, el.get("id")) if el is not None else error.path or "the configuration"
        raise CibError("the CIB's schema (%s) refuses the result at %s: %s; nothing was written"
                       % (self.root_attrib().get("validate-with"), where, error.message))

    def patch(self, old: t.Any, new: t.Any, owned: set[str]) -> bool:
        """Apply the delta from ``old`` to ``new`` that touches only ``owned`` ids; False when refused.

        A change outside the declared elements (``crm_diff`` moves an id-less set beside one with an
        id, for instance) is dropped: the engine never touches what the task did not declare.
        """
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
            raise CommandError("crm_diff failed (rc=%s): %s" % (rc, refusal_message(err)), ["crm_diff"], rc)
        diff = self.owned_changes(diff, owned)
        if diff is None:
            return True
        return self._written(*self.runner.run(["cibadmin", "--patch", "--xml-pipe"], data=diff, check=False))

    def create(self, elements: list[t.Any]) -> bool:
        """New top-level resources in one ``cibadmin --create`` of the resources section: no delta to
        compute and apply (applying a patch is quadratic in its number of changes), nothing else
        touched, the same one write. The CIB adds them all or none, and refuses (108) an id another
        writer made since the read, where ``--modify`` would merge into that writer's element. False
        when the CIB refused it."""
        section = etree.Element("resources")
        section.extend(copy.deepcopy(el) for el in elements)
        return self._written(*self.runner.run(["cibadmin", "--create", "--scope", "resources", "--xml-pipe"],
                                              data=etree.tostring(section, encoding="unicode"), check=False))

    def _written(self, rc: int, _out: str, err: str) -> bool:
        """One write's outcome: counted, refused (its words, no CIB content), or a feature set said in words."""
        if rc == 0:
            self.patches_applied += 1
            return True
        if rc == CRM_EX_PROTOCOL:
            raise CibError(self.feature_set_message())
        self.last_refusal = (rc, refusal_message(err))
        return False

    def write(self, old: t.Any, new: t.Any, edit: Edit) -> str | None:
        """The change from ``old`` to ``new`` in one write: only new resources, by create(); else the
        delta patch. How it was written (``created``, ``patched``), or None when the CIB refused it."""
        tops = edit.new_resources()
        if tops is not None:
            return "created" if self.create(tops) else None
        return "patched" if self.patch(old, new, edit.owned) else None

    def owned_changes(self, diff: str, owned: set[str]) -> str | None:
        """The patch less its moves and its changes outside ``owned``; None when nothing is left."""
        root = etree.fromstring(diff.encode())
        for change in list(root):
            ids = set(re.findall(r"@id='([^']*)'", change.get("path", "")))
            ids |= {el.get("id") for el in change.iter() if el is not change and isinstance(el.tag, str)}
            moved = MOVED_RESOURCE_RE.search(change.get("path", "")) if change.get("operation") == "move" else None
            if (change.get("operation") == "move" and not (moved and moved.group(1) in owned)) or not ids & owned:
                root.remove(change)
                self.changes_dropped += 1
        return etree.tostring(root, encoding="unicode") if len(root) else None

    def feature_set_message(self) -> str:
        cib_set = self.root_attrib().get("crm_feature_set", "?")
        rc, out, _err = self.runner.run(["cibadmin", "--version"], check=False)
        version = out.splitlines()[0].strip() if rc == 0 and out.strip() else "this node's Pacemaker"
        return ("the CIB has crm_feature_set %s, newer than %s on this node supports: the cluster's DC runs a "
                "newer Pacemaker. Upgrade Pacemaker on this node, or run the task on a node with the newest "
                "Pacemaker. Nothing was written." % (cib_set, version))

    def wait(self, timeout: int) -> None:
        """``crm_resource --wait`` within ``timeout`` seconds in all, asked again while the CIB is too busy to
        answer it (the read's retry, with what is left of the time)."""
        if self.cib_file:
            return
        deadline = time.monotonic() + timeout
        for _attempt in busy_tries(deadline):
            argv = ["crm_resource", "--wait", "--timeout", "%ds" % max(1, round(deadline - time.monotonic()))]
            rc, out, err = self.runner.run(argv, check=False)
            if not busy(rc, err):
                break
        if rc != 0:
            raise self.runner.error(argv, rc, out, err)


class Edit:
    """What one converge pass did to the copy: per object, its XML before and after (secret values
    masked), and every id the pass may touch."""

    def __init__(self, secret: t.Callable[[str], bool] = is_secret) -> None:
        self.changes: list[tuple[str, str, str, str]] = []  # (kind, id, before, after)
        self.owned: set[str] = set()
        self.secret = secret
        # secret values met in the elements recorded, read back from the CIB or declared: never to be shown
        self.secrets: set[str] = set()
        self.created: list[t.Any] = []  # new top-level resources, in the copy

    def record(self, kind: str, ident: str, before: t.Any | None, after: t.Any | None) -> None:
        self.changes.append((kind, ident, pretty(masked(before, self.secret, self.secrets)),
                             pretty(masked(after, self.secret, self.secrets))))
        parent = after.getparent() if after is not None else None
        if before is None and parent is not None and parent.tag == "resources":
            self.created.append(after)
        for el in (before, after):
            if el is not None:
                self.owned |= {sub.get("id") for sub in el.iter() if isinstance(sub.tag, str) and sub.get("id")}

    def new_resources(self) -> list[t.Any] | None:
        """The new top-level resources when creating them is all this edit does (each resource inside
        them new too), for one ``cibadmin --create``; None when a patch is needed."""
        if not self.created or any(before or kind not in RESOURCE_KINDS for kind, _i, before, _a in self.changes):
            return None
        tops = [el for el in self.created if el.getparent() is not None and el.getparent().tag == "resources"]
        created = {ident for _k, ident, _b, _a in self.changes}
        inside = {sub.get("id") for top in tops for sub in top.iter() if sub.tag in RESOURCE_KINDS}
        return tops if inside <= created else None


class IdIndex:
    """Every id in the configuration, built once per pass (lookups are by id, never a search per item)."""

    # elements whose id attribute refers to another element (an IDREF), not an id of their own
    REFERENCES = ("resource_ref", "obj_ref", "role")
    # elements whose id attribute is a name (an ACL target's user), which another element's id may equal
    NAMES = ("acl_target",)

    def __init__(self, root: t.Any) -> None:
        self.ids = {el.get("id"): el for el in root.iter()
                    if isinstance(el.tag, str) and el.get("id") and el.tag not in self.REFERENCES + self.NAMES}

    def find(self, tag: str, ident: str, section: t.Any | None) -> t.Any | None:
        """The ``tag`` element of this id: by the index, or, for a name, in its ``section``."""
        if tag in self.NAMES:
            return next((c for c in section if c.tag == tag and c.get("id") == ident), None) \
                if section is not None else None
        return self.ids.get(ident)

    def register(self, el: t.Any) -> None:
        if el.tag not in self.REFERENCES + self.NAMES:
            self.ids[el.get("id")] = el

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
        """Forget the ids ``el`` and its children hold (a name or a reference equal to an id is not theirs)."""
        for sub in el.iter():
            if isinstance(sub.tag, str) and sub.get("id") and self.ids.get(sub.get("id")) is sub:
                del self.ids[sub.get("id")]


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


class Declaration(t.NamedTuple):
    """What a task declares, all of it: a pass that edits a copy of the configuration, which parameter
    names hold secrets, the secret values it declares, and what the module should warn about."""

    edit_pass: t.Callable[[t.Any, IdIndex, Edit], None]
    secret: t.Callable[[str], bool] = is_secret
    secrets: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()


def check_left_behind(old: t.Any, new: t.Any) -> None:
    """Refuse, in the collection's words, a result that leaves a group or a clone empty or a fencing level
    naming a fence device this change removes (the schema would only say "extra content")."""
    config = new.find("configuration")
    for el in config.iter("group", "clone"):
        if not any(isinstance(c.tag, str) and c.tag in RESOURCE_KINDS for c in el):
            holder = "it holds no resource" if el.tag == "clone" else "its last member goes"
            raise CibError("%s %s would be left empty (%s): declare the %s absent (its resources are kept), or keep "
                           "what it holds; nothing was written" % (el.tag, el.get("id"), holder, el.tag))
    present = {p.get("id") for p in config.iter("primitive")}
    removed = {p.get("id") for p in old.iter("primitive")} - present
    for level in config.iter("fencing-level"):
        gone = [d for d in (level.get("devices") or "").split(",") if d in removed]
        if gone:
            target = level.get("target") or level.get("target-pattern") or level.get("target-attribute")
            raise CibError("fence device %s is removed, but fencing level %s of %s names it: remove or change the "
                           "level in the same declaration; nothing was written" % (gone[0], level.get("index"), target))


def edited(cib: Cib, declaration: Declaration, old: t.Any) -> tuple[t.Any, Edit]:
    """The declaration applied to a copy of ``old``, checked and validated: (new, edit)."""
    new = copy.deepcopy(old)
    edit = Edit(declaration.secret)
    declaration.edit_pass(new.find("configuration"), IdIndex(new), edit)
    if edit.changes:
        check_left_behind(old, new)
        cib.validate(new)
    return new, edit


def first_pass(cib: Cib, declaration: Declaration) -> tuple[t.Any, t.Any, Edit]:
    """One read, the declaration applied to a copy, the result validated: (old, new, edit)."""
    old = cib.read()
    new, edit = edited(cib, declaration, old)
    return old, new, edit


def converge(cib: Cib, declaration: Declaration, check_mode: bool,
             start: tuple[t.Any, t.Any, Edit] | None = None) -> Edit:
    """Patch the first pass's delta (``start``, or a fresh one), then re-read until the declared state holds.

    A refusal is retried only when the CIB moved underneath (a fresh read differs from the one the
    patch was made from), with a short back-off; a refusal of an unchanged CIB is final. New
    resources alone, once created, need no read back: ``cibadmin --create`` wrote each of them as
    declared or nothing, and the rest of the declaration held in the read the edit was made from.
    Returns the first pass's edit: what this run changed, or would change in check mode.
    """
    old, new, first = start or first_pass(cib, declaration)
    if not first.changes or check_mode:
        return first
    edit = first
    for attempt in range(MAX_ATTEMPTS):
        written = cib.write(old, new, edit)
        if written == "created":
            return first
        refused = written is None
        # a write the CIB was too busy to take is tried again (a write it took, though too busy to answer,
        # shows in the fresh read); any other refusal of an unchanged CIB is final
        too_busy = refused and busy(*cib.last_refusal)
        if refused:
            time.sleep(BUSY_PAUSE * (attempt + 1) if too_busy else min(0.05 * 2 ** attempt, 1.0))
        fresh = cib.read()
        if refused and not too_busy and canonical(fresh) == canonical(old):
            rc, err = cib.last_refusal
            raise CibError("the CIB refused the change (rc=%s): %s; nothing was written" % (rc, err))
        old = fresh
        new, edit = edited(cib, declaration, old)
        if not edit.changes:
            return first
    rc, err = cib.last_refusal
    raise CibError("the CIB did not reach the declared state after %d attempts; last refusal (rc=%s): %s"
                   % (MAX_ATTEMPTS, rc, err))
