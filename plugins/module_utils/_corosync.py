# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The corosync.conf model.

Parsed with corosync's own grammar (each line tested for ``{``, then ``:``, then ``}``)
into a tree that keeps every line's text, so that rendering an untouched file gives the
same bytes back and an edit rewrites only the lines it must.
"""

from __future__ import annotations

import re
import typing as t

KEY_RE = re.compile(r"^[A-Za-z0-9_/-]+$")

# Keys that corosync-cfgtool -R applies to a running cluster (corosync.conf(5),
# "runtime changes"); every other change needs corosync restarted.
RELOADABLE_PREFIXES = ("nodelist.", "quorum.expected_votes", "quorum.two_node", "logging.")

# Sections that corosync keeps apart when repeated (nodelist.node.0, .1, ...,
# totem.interface by link); any other repeated section is merged, last key winning.
LIST_SECTIONS = {("nodelist", "node"), ("totem", "interface")}


class CorosyncConfError(Exception):
    """A corosync.conf that cannot be parsed, or a change that cannot be made."""


class Line:
    """A blank line or a comment: kept as text, never interpreted."""

    def __init__(self, text: str) -> None:
        self.text = text

    def render(self) -> str:
        return self.text


class Pair:
    """``key: value``; ``prefix`` is the line up to the value, so an edit keeps its style."""

    def __init__(self, key: str, value: str, text: str, lineno: int = 0) -> None:
        self.key = key
        self.value = value
        self.text = text
        self.lineno = lineno

    def set_value(self, value: str) -> None:
        body = self.text.rstrip("\r\n")
        ending = self.text[len(body):] or "\n"
        colon = body.index(":")
        after = body[colon + 1:]
        spacing = after[:len(after) - len(after.lstrip())]
        self.text = body[:colon + 1] + spacing + value + ending
        self.value = value

    def render(self) -> str:
        return self.text


class Section:
    def __init__(self, name: str, open_text: str = "", close_text: str = "", lineno: int = 0) -> None:
        self.name = name
        self.open_text = open_text
        self.close_text = close_text
        self.lineno = lineno
        self.items: list[Line | Pair | Section] = []

    def render(self) -> str:
        return self.open_text + "".join(item.render() for item in self.items) + self.close_text

    def pairs(self, key: str) -> list[Pair]:
        return [i for i in self.items if isinstance(i, Pair) and i.key == key]

    def sections(self, name: str) -> list[Section]:
        return [i for i in self.items if isinstance(i, Section) and i.name == name]


def _split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def parse(text: str, source: str = "corosync.conf") -> Section:
    """Parse ``text`` the way corosync does; errors name the file and line."""
    root = Section("")
    stack = [root]
    for lineno, raw in enumerate(_split_lines(text), start=1):
        stripped = raw.strip()
        where = "%s:%d" % (source, lineno)
        if not stripped or stripped.startswith("#"):
            stack[-1].items.append(Line(raw))
            continue
        if "{" in stripped:
            name, _brace, after = stripped.partition("{")
            name = name.strip()
            if not name:
                raise CorosyncConfError("%s: parser error: Missing section name before opening bracket '{'" % where)
            if after.strip():
                raise CorosyncConfError("%s: parser error: Extra characters after opening bracket '{'" % where)
            section = Section(name, open_text=raw, lineno=lineno)
            stack[-1].items.append(section)
            stack.append(section)
            continue
        if ":" in stripped:
            key, _colon, value = stripped.partition(":")
            key = key.strip()
            if not key:
                raise CorosyncConfError("%s: parser error: Key name can't be empty" % where)
            stack[-1].items.append(Pair(key, value.strip(), raw, lineno))
            continue
        if "}" in stripped:
            if stripped != "}" or len(stack) == 1:
                raise CorosyncConfError("%s: parser error: Unexpected closing brace" % where)
            stack.pop().close_text = raw
            continue
        raise CorosyncConfError("%s: parser error: line is neither a section, a key: value pair nor a closing "
                                "brace: %r" % (where, stripped))
    if len(stack) > 1:
        raise CorosyncConfError("%s:%d: parser error: Missing closing brace (section '%s' is never closed)"
                                % (source, stack[-1].lineno, stack[-1].name))
    return root


def render(root: Section) -> str:
    return root.render()


def to_data(section: Section, path: tuple[str, ...] = ()) -> dict[str, t.Any]:
    """The file as corosync reads it: duplicates resolved, repeated node/interface sections as lists."""
    data: dict[str, t.Any] = {}
    for item in section.items:
        if isinstance(item, Pair):
            data[item.key] = item.value
        elif isinstance(item, Section):
            child = to_data(item, path + (item.name,))
            parent = path[-1] if path else ""
            if (parent, item.name) in LIST_SECTIONS:
                data.setdefault(item.name, []).append(child)
            elif isinstance(data.get(item.name), dict):
                data[item.name].update(child)
            else:
                data[item.name] = child
    return data


def indent_unit(root: Section) -> str:
    """The file's own indentation step: a tab, or the spaces its first nested line uses."""
    for section in (i for i in root.items if isinstance(i, Section)):
        for item in section.items:
            text = item.open_text if isinstance(item, Section) else item.render()
            if text.strip():
                lead = text[:len(text) - len(text.lstrip(" \t"))]
                if lead:
                    return "\t" if lead.startswith("\t") else lead
    return "\t"


def check_value(key: str, value: t.Any) -> str:
    if isinstance(value, bool):
        raise CorosyncConfError("value of %s is a boolean (%s): corosync has no booleans, quote the word you mean "
                                "(for example 'yes', 'on' or '1')" % (key, value))
    if isinstance(value, (dict, list)):
        raise CorosyncConfError("value of %s must be a scalar, not %s" % (key, type(value).__name__))
    text = str(value)
    if any(c in text for c in "\n\r{}") or text.strip().startswith("#"):
        raise CorosyncConfError("invalid value for %s: %r (a value may not contain a newline, '{' or '}', "
                                "nor start with '#')" % (key, text))
    if text != text.strip():
        raise CorosyncConfError("invalid value for %s: %r (corosync strips surrounding blanks)" % (key, text))
    return text


def check_key(dotted: str) -> list[str]:
    parts = dotted.split(".")
    for part in parts:
        if not KEY_RE.match(part):
            raise CorosyncConfError("invalid key %r: each dotted part must match [A-Za-z0-9_/-]+" % dotted)
    if parts[0] == "nodelist":
        raise CorosyncConfError("key %r: the nodelist is set with the nodes option, not with settings" % dotted)
    if len(parts) < 2:
        raise CorosyncConfError("key %r has no section: corosync.conf keys live in a section, for example "
                                "quorum.expected_votes" % dotted)
    return parts


class Editor:
    """Applies changes to a parsed tree, recording which dotted keys changed."""

    def __init__(self, root: Section) -> None:
        self.root = root
        self.unit = indent_unit(root)
        self.changed: list[str] = []

    # -- generic helpers
    def _line(self, depth: int, body: str) -> str:
        return self.unit * depth + body + "\n"

    def _append(self, section: Section, item: Line | Pair | Section) -> None:
        """Append after the last non-blank item of ``section`` (before trailing blank lines)."""
        if section is self.root and section.items:
            last = section.items[-1]
            if not last.render().endswith("\n"):
                _terminate(last)
            if isinstance(item, Section) and last.render().strip():
                section.items.append(Line("\n"))
            section.items.append(item)
            return
        pos = len(section.items)
        while pos > 0 and isinstance(section.items[pos - 1], Line) and not section.items[pos - 1].text.strip():
            pos -= 1
        section.items.insert(pos, item)

    def _new_section(self, parent: Section, name: str, depth: int) -> Section:
        section = Section(name, open_text=self._line(depth, name + " {"), close_text=self._line(depth, "}"))
        self._append(parent, section)
        return section

    def _resolve(self, parts: list[str], create: bool) -> list[tuple[Section, int]]:
        """All sections at the dotted path (corosync merges them), with their depth."""
        found: list[tuple[Section, int]] = [(self.root, 0)]
        for name in parts:
            nxt = [(s, d + 1) for sec, d in found for s in sec.sections(name)]
            if not nxt:
                if not create:
                    return []
                parent, depth = found[-1]
                nxt = [(self._new_section(parent, name, depth), depth + 1)]
            if (found[-1][0].name, name) in LIST_SECTIONS and len(nxt) > 1:
                raise CorosyncConfError("path %s is ambiguous: the file has %d '%s' sections"
                                        % (".".join(parts), len(nxt), name))
            found = nxt
        return found

    # -- settings
    def set(self, dotted: str, value: t.Any) -> None:
        parts = check_key(dotted)
        key = parts[-1]
        if value is None:
            owners = self._resolve(parts[:-1], create=False)
            hits = [(sec, p) for sec, _depth in owners for p in sec.pairs(key)]
            for sec, pair in hits:
                sec.items.remove(pair)
            if hits:
                self.changed.append(dotted)
            return
        text = check_value(dotted, value)
        owners = self._resolve(parts[:-1], create=True)
        hits = [(sec, p) for sec, _depth in owners for p in sec.pairs(key)]
        if hits and hits[-1][1].value == text:
            # the value in effect (the last one) is already right: leave the file byte-identical
            return
        if hits:
            for sec, pair in hits[:-1]:
                sec.items.remove(pair)
            hits[-1][1].set_value(text)
        else:
            section, depth = owners[-1]
            self._append(section, Pair(key, text, self._line(depth, "%s: %s" % (key, text))))
        self.changed.append(dotted)

    # -- nodelist
    def set_nodes(self, nodes: list[dict[str, t.Any]]) -> None:
        wanted = [self._check_node(i, n) for i, n in enumerate(nodes)]
        seen: dict[str, set[str]] = {"nodeid": set(), "name": set()}
        for node in wanted:
            for ident in ("nodeid", "name"):
                if ident in node:
                    if node[ident] in seen[ident]:
                        raise CorosyncConfError("nodes: %s %s is given twice" % (ident, node[ident]))
                    seen[ident].add(node[ident])
        lists = self._resolve(["nodelist"], create=bool(wanted))
        if not lists:
            return
        nodelist, depth = lists[-1]
        existing = [(sec, s) for sec, _depth in lists for s in sec.sections("node")]
        unmatched = list(existing)
        for node in wanted:
            match = self._match(node, unmatched)
            if match is None:
                section = Section("node", open_text=self._line(depth, "node {"), close_text=self._line(depth, "}"))
                for key, value in node.items():
                    section.items.append(Pair(key, value, self._line(depth + 1, "%s: %s" % (key, value))))
                self._append(nodelist, section)
                self.changed.append("nodelist.node")
                continue
            unmatched.remove(match)
            self._sync_node(match[1], node, depth + 1)
        for owner, section in unmatched:
            owner.items.remove(section)
            self.changed.append("nodelist.node")

    @staticmethod
    def _check_node(index: int, node: dict[str, t.Any]) -> dict[str, str]:
        if not isinstance(node, dict) or not node:
            raise CorosyncConfError("nodes[%d] must be a non-empty dict of node keys" % index)
        clean = {}
        for key, value in node.items():
            if value is None:
                continue
            if not KEY_RE.match(str(key)):
                raise CorosyncConfError("nodes[%d]: invalid node key %r" % (index, key))
            clean[str(key)] = check_value("nodes[%d].%s" % (index, key), value)
        if "nodeid" not in clean and "name" not in clean:
            raise CorosyncConfError("nodes[%d] needs a nodeid or a name to be matched by" % index)
        if "nodeid" in clean and not clean["nodeid"].isdigit():
            raise CorosyncConfError("nodes[%d]: nodeid %r is not a positive integer" % (index, clean["nodeid"]))
        return clean

    @staticmethod
    def _match(node: dict[str, str], candidates: list[tuple[Section, Section]]) -> tuple[Section, Section] | None:
        for ident in ("nodeid", "name"):
            if ident not in node:
                continue
            for cand in candidates:
                values = cand[1].pairs(ident)
                if values and values[-1].value == node[ident]:
                    return cand
        return None

    def _sync_node(self, section: Section, node: dict[str, str], depth: int) -> None:
        edited = False
        for key in sorted({p.key for p in section.items if isinstance(p, Pair)} - set(node)):
            for pair in section.pairs(key):
                section.items.remove(pair)
            edited = True
        for key, value in node.items():
            hits = section.pairs(key)
            if hits and hits[-1].value == value:
                continue
            for pair in hits[:-1]:
                section.items.remove(pair)
            if hits:
                hits[-1].set_value(value)
            else:
                section.items.append(Pair(key, value, self._line(depth, "%s: %s" % (key, value))))
            edited = True
        if edited:
            self.changed.append("nodelist.node")


def _terminate(item: Line | Pair | Section) -> None:
    if isinstance(item, Section):
        item.close_text += "\n"
    else:
        item.text += "\n"


def reload_or_restart(changed_keys: t.Iterable[str]) -> tuple[bool, bool]:
    """(reload_required, restart_required) for a set of changed dotted keys."""
    keys = list(changed_keys)
    if not keys:
        return False, False
    restart = any(not key.startswith(RELOADABLE_PREFIXES) for key in keys)
    return not restart, restart


def nodelist_names(data: dict[str, t.Any]) -> list[str]:
    nodes = data.get("nodelist", {}).get("node", [])
    names = []
    for node in nodes:
        names += [v for k, v in node.items() if k == "name" or k.startswith("ring")]
    return names
