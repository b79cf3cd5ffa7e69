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

# What corosync-cfgtool -R applies to a running cluster, measured on the lab with corosync 3.1.7 (Debian 12) and
# 3.1.9 (Debian 13), knet, 3 nodes (the same on both; corosync's PID unchanged in each case):
# - a link added or removed (ringN_addr on every node): its sockets opened or closed, corosync-cfgtool -n shows it;
# - a link's knet_link_priority (the data moves to the link of the highest priority at once), knet_ping_interval
#   and knet_ping_timeout (the pings' rate follows);
# - the nodelist, quorum votes, two_node, the quorum device and logging (corosync.conf(5), "runtime changes").
# Not applied by a reload: link_mode (the new value shows in cmap, the traffic keeps the old policy) and a link's
# mcastport (logged as configured, the old port stays bound), and every other totem key: a restart.
# crypto_cipher, crypto_hash, crypto_model and the authkey: a reload does apply them ("kronosnet crypto
# reconfigured"), but each node switches on its own, so for a moment nodes send with a key or cipher that others
# have dropped. On the lab that was not safe: under load a node left the membership for 3 s during a cipher
# reload (corosync 3.1.9), and in three runs with fencing a node was fenced during or just after a cipher or
# authkey reload (3.1.7 and 3.1.9; one of them with reloads asked from every node at once). A rolling restart is
# worse: the restarted node cannot talk to the others at all. So they cannot roll, and are applied only by a
# coordinated restart of the whole cluster (stop every node, start them all).
RELOADABLE_PREFIXES = ("nodelist.", "quorum.expected_votes", "quorum.two_node", "quorum.device", "logging.")
RELOADABLE_LINK_KEYS = ("knet_link_priority", "knet_ping_interval", "knet_ping_timeout")
# A node restarted with one of these cannot talk to the nodes that run without it, so a rolling restart would
# split the cluster: the transport, the crypto keys (corosync's defaults: none, none, nss), and the port or
# transport of every link at once (with one link unchanged, the nodes keep talking on it during the roll). A node
# restarted with another cluster_name joined (knet does not use it on the wire), so it rolls. A link's port and
# transport are compared by links() below.
CRYPTO_KEYS = {"crypto_cipher": "none", "crypto_hash": "none", "crypto_model": "nss"}

# Sections that corosync keeps apart when repeated, and what tells them apart: nodes by their
# position in their nodelist section (coroparse.c numbers the nodes of each nodelist from 0 and
# merges node N of every nodelist key by key), interfaces by link (linknumber, formerly
# ringnumber, 0 when absent), logger_subsys by subsys. Any other repeated section is merged,
# the last key winning.
LIST_SECTIONS = {("nodelist", "node"), ("totem", "interface"), ("logging", "logger_subsys")}
KEYED_SECTIONS = {("totem", "interface"): "linknumber", ("logging", "logger_subsys"): "subsys"}
# corosync reads a line with fgets() into a 512-byte buffer: 510 characters, the newline and NUL.
MAX_LINE = 510
# C0 and C1 control characters but the tab: corosync keeps them as bytes of a value, and
# nothing that reads a value expects them (NUL even ends the value early).
CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


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
    """Only ``\\n`` ends a line for corosync (``\\x0b``, ``\\x0c``, ``\\x85``, U+2028 do not)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def _content(raw: str) -> str:
    """The line as corosync sees it: newline, one CR, then surrounding blanks and tabs gone."""
    body = raw[:-1] if raw.endswith("\n") else raw
    if body.endswith("\r"):
        body = body[:-1]
    return body.strip(" \t")


def parse(text: str, source: str = "corosync.conf") -> Section:
    """Parse ``text`` the way corosync does; errors name the file and line."""
    root = Section("")
    stack = [root]
    for lineno, raw in enumerate(_split_lines(text), start=1):
        stripped = _content(raw)
        where = "%s:%d" % (source, lineno)
        if len(raw.rstrip("\n")) > MAX_LINE:
            raise CorosyncConfError("%s: parser error: Line too long (%d characters; corosync reads at most %d)"
                                    % (where, len(raw.rstrip("\n")), MAX_LINE))
        if "\x00" in raw:
            raise CorosyncConfError("%s: parser error: a NUL character (corosync would cut the line there)" % where)
        if not stripped or stripped.startswith("#"):
            stack[-1].items.append(Line(raw))
            continue
        if "{" in stripped:
            name, _brace, after = stripped.partition("{")
            name = name.strip(" \t")
            if not name:
                raise CorosyncConfError("%s: parser error: Missing section name before opening bracket '{'" % where)
            if after.strip(" \t"):
                raise CorosyncConfError("%s: parser error: Extra characters after opening bracket '{'" % where)
            section = Section(name, open_text=raw, lineno=lineno)
            stack[-1].items.append(section)
            stack.append(section)
            continue
        if ":" in stripped:
            key, _colon, value = stripped.partition(":")
            key = key.strip(" \t")
            if not key:
                raise CorosyncConfError("%s: parser error: Key name can't be empty" % where)
            stack[-1].items.append(Pair(key, value.strip(" \t"), raw, lineno))
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


def section_key(section: Section, parent: str) -> str | None:
    """The link or subsys of a keyed section, read from its own lines."""
    field = KEYED_SECTIONS[(parent, section.name)]
    values = section.pairs(field) or (section.pairs("ringnumber") if field == "linknumber" else [])
    if values:
        return values[-1].value
    return "0" if field == "linknumber" else None


def _ident(parent: str, name: str, data: dict[str, t.Any]) -> str | None:
    """What tells a repeated keyed section apart: its link or its subsys."""
    field = KEYED_SECTIONS[(parent, name)]
    if field == "linknumber":
        return data.get("linknumber", data.get("ringnumber", "0"))
    return data.get(field)


def _add_keyed(parent: str, name: str, into: list[dict[str, t.Any]], child: dict[str, t.Any]) -> None:
    ident = _ident(parent, name, child)
    for entry in into:
        if ident is not None and _ident(parent, name, entry) == ident:
            _merge(name, entry, child)
            return
    into.append(child)


def _merge(name: str, into: dict[str, t.Any], child: dict[str, t.Any]) -> None:
    """A repeated section merged into its first occurrence, as corosync does."""
    for key, value in child.items():
        old = into.get(key)
        if isinstance(old, list) and isinstance(value, list):
            for position, entry in enumerate(value):
                if (name, key) in KEYED_SECTIONS:
                    _add_keyed(name, key, old, entry)
                elif position < len(old):  # nodes: node N of every nodelist section is one node
                    _merge(key, old[position], entry)
                else:
                    old.append(entry)
        elif isinstance(old, dict) and isinstance(value, dict):
            _merge(key, old, value)
        else:
            into[key] = value


def to_data(section: Section, path: tuple[str, ...] = ()) -> dict[str, t.Any]:
    """The file as corosync reads it: duplicates resolved, repeated sections as corosync keeps them.

    Nodes are one list across every nodelist section (node N of each section merged key by key);
    interfaces one entry per link, logger_subsys one per subsys, in the order they first appear.
    """
    data: dict[str, t.Any] = {}
    parent = path[-1] if path else ""
    for item in section.items:
        if isinstance(item, Pair):
            data[item.key] = item.value
        elif isinstance(item, Section):
            child = to_data(item, path + (item.name,))
            if (parent, item.name) in KEYED_SECTIONS:
                _add_keyed(parent, item.name, data.setdefault(item.name, []), child)
            elif (parent, item.name) in LIST_SECTIONS:
                data.setdefault(item.name, []).append(child)
            elif isinstance(data.get(item.name), dict):
                _merge(item.name, data[item.name], child)
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
    control = CONTROL_RE.search(text)
    if control:
        raise CorosyncConfError("invalid value for %s: %r holds the control character %r at position %d "
                                "(corosync.conf values are one line of printable text)"
                                % (key, text[:40], control.group(), control.start()))
    if any(c in text for c in "{}") or text.strip(" \t").startswith("#"):
        raise CorosyncConfError("invalid value for %s: %r (a value may not contain '{' or '}', "
                                "nor start with '#')" % (key, text))
    if text != text.strip(" \t"):
        raise CorosyncConfError("invalid value for %s: %r (corosync strips surrounding blanks)" % (key, text))
    return text


def check_fits(dotted: str, pair: Pair) -> None:
    """A written line must be one corosync can read (its fgets buffer)."""
    length = len(pair.text.rstrip("\r\n"))
    if length > MAX_LINE:
        raise CorosyncConfError("value of %s is %d characters long: its line would be %d characters, and corosync "
                                "reads lines of at most %d" % (dotted, len(pair.value), length, MAX_LINE))


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
        """All sections at the dotted path (corosync merges them), with their depth.

        A keyed section is addressed by its link or subsys, as corosync's own keys do:
        ``totem.interface.1``, ``logging.logger_subsys.QUORUM``.
        """
        found: list[tuple[Section, int]] = [(self.root, 0)]
        parent, position = "", 0
        while position < len(parts):
            name = parts[position]
            field = KEYED_SECTIONS.get((parent, name))
            ident = None
            if field:
                if position + 1 >= len(parts):
                    where = ".".join(parts[:position + 1])
                    raise CorosyncConfError(
                        "%s sections are told apart by %s: address one as %s.<%s>.KEY (for example %s)"
                        % (where, field, where, field.upper(), "totem.interface.0.knet_link_priority"
                           if field == "linknumber" else "logging.logger_subsys.QUORUM.debug"))
                ident = parts[position + 1]
            nxt = [(s, d + 1) for sec, d in found for s in sec.sections(name)
                   if ident is None or section_key(s, parent) == ident]
            if not nxt:
                if not create:
                    return []
                owner, depth = found[-1]
                section = self._new_section(owner, name, depth)
                if field:
                    section.items.append(Pair(field, ident, self._line(depth + 1, "%s: %s" % (field, ident))))
                nxt = [(section, depth + 1)]
            found = nxt
            parent = name
            position += 2 if field else 1
        return found

    # -- settings
    def set(self, dotted: str, value: t.Any) -> None:
        parts = check_key(dotted)
        key = parts[-1]
        for (parent, name), field in KEYED_SECTIONS.items():
            if key == field and parts[-4:-2] == [parent, name]:
                raise CorosyncConfError("key %s: the %s of a %s section is its address, not a setting"
                                        % (dotted, field, name))
        if value is None:
            owners = self._resolve(parts[:-1], create=False)
            # a key, or a whole section of that name (quorum.device: no device)
            hits = [(sec, p) for sec, _depth in owners for p in sec.pairs(key) + sec.sections(key)]
            for sec, pair in hits:
                sec.items.remove(pair)
            if hits:
                self.changed.append(dotted)
                self._prune(parts[:-1])
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
            check_fits(dotted, hits[-1][1])
        else:
            section, depth = owners[-1]
            pair = Pair(key, text, self._line(depth, "%s: %s" % (key, text)))
            check_fits(dotted, pair)
            self._append(section, pair)
        self.changed.append(dotted)

    def _prune(self, parts: list[str]) -> None:
        """Remove the sections along ``parts`` that a removal left without any setting (a
        ``quorum.device`` whose keys are all gone is no device), deepest first."""
        for end in range(len(parts), 0, -1):
            if any(KEYED_SECTIONS.get((parts[i - 1] if i else "", parts[i])) for i in range(end)):
                return  # keyed sections keep their address key: never empty
            parents = self._resolve(parts[:end - 1], create=False) if end > 1 else [(self.root, 0)]
            for parent, _depth in parents:
                for section in parent.sections(parts[end - 1]):
                    if not any(isinstance(i, (Pair, Section)) for i in section.items):
                        parent.items.remove(section)

    # -- nodelist
    def set_nodes(self, nodes: list[dict[str, t.Any]]) -> None:
        wanted = [self._check_node(i, n) for i, n in enumerate(nodes)]
        seen: dict[str, set[str]] = {"nodeid": set(), "name": set(), "ring0_addr": set()}
        for node in wanted:
            for ident in seen:
                if ident in node:
                    if node[ident] in seen[ident]:
                        raise CorosyncConfError("nodes: %s %s is given twice" % (ident, node[ident]))
                    seen[ident].add(node[ident])
        lists = self._resolve(["nodelist"], create=bool(wanted))
        if not lists:
            return
        if len(lists) > 1:
            self._keep_merged_nodelists(len(lists), wanted)
            return
        nodelist, depth = lists[0]
        existing = nodelist.sections("node")
        for section in existing:
            if not any(isinstance(i, Pair) for i in section.items):
                raise CorosyncConfError("line %d: an empty 'node { }' section: corosync refuses a node without "
                                        "ring0_addr; remove the section or fill it in, then run again"
                                        % section.lineno)
        unmatched = list(existing)
        for node in wanted:
            match = self._match(node, unmatched)
            if match is None:
                section = Section("node", open_text=self._line(depth, "node {"), close_text=self._line(depth, "}"))
                for key, value in node.items():
                    pair = Pair(key, value, self._line(depth + 1, "%s: %s" % (key, value)))
                    check_fits("nodelist.node.%s" % key, pair)
                    section.items.append(pair)
                self._append(nodelist, section)
                self.changed.append("nodelist.node")
                continue
            unmatched.remove(match)
            self._sync_node(match, node, depth + 1)
        for section in unmatched:
            nodelist.items.remove(section)
            self.changed.append("nodelist.node")

    def _keep_merged_nodelists(self, count: int, wanted: list[dict[str, str]]) -> None:
        """Several nodelist sections: corosync merges node N of each; only that same nodelist is accepted."""
        effective = to_data(self.root)["nodelist"].get("node", [])
        if sorted(sorted(n.items()) for n in effective) != sorted(sorted(n.items()) for n in wanted):
            raise CorosyncConfError(
                "the file has %d nodelist sections, which corosync merges node by node (node N of each section "
                "is one node): it describes %d nodes (%s). This module changes such a nodelist only by "
                "rewriting all its sections, which it will not do to a file it did not write: merge them into "
                "one nodelist section by hand, then run again. Nothing was changed."
                % (count, len(effective), ", ".join(n.get("name") or n.get("ring0_addr") or "?" for n in effective)))

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
        if not set(clean) & {"nodeid", "name", "ring0_addr"}:
            raise CorosyncConfError("nodes[%d] needs a nodeid, a name or a ring0_addr to be matched by" % index)
        if "nodeid" in clean and not clean["nodeid"].isdigit():
            raise CorosyncConfError("nodes[%d]: nodeid %r is not a positive integer" % (index, clean["nodeid"]))
        return clean

    @staticmethod
    def _match(node: dict[str, str], candidates: list[Section]) -> Section | None:
        """By nodeid, then name, then (nodes written with neither) by ring0_addr."""
        for ident in ("nodeid", "name", "ring0_addr"):
            if ident not in node:
                continue
            for cand in candidates:
                values = cand.pairs(ident)
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
                check_fits("nodelist.node.%s" % key, hits[-1])
            else:
                pair = Pair(key, value, self._line(depth, "%s: %s" % (key, value)))
                check_fits("nodelist.node.%s" % key, pair)
                section.items.append(pair)
            edited = True
        if edited:
            self.changed.append("nodelist.node")


def _terminate(item: Line | Pair | Section) -> None:
    if isinstance(item, Section):
        item.close_text += "\n"
    else:
        item.text += "\n"


def reloadable(key: str) -> bool:
    """Whether corosync-cfgtool -R applies a change of the dotted ``key`` (the table above)."""
    parts = key.split(".")
    if parts[:2] == ["totem", "interface"] and len(parts) == 4:
        return parts[3] in RELOADABLE_LINK_KEYS
    return key.startswith(RELOADABLE_PREFIXES)


def reload_or_restart(changed_keys: t.Iterable[str]) -> tuple[bool, bool]:
    """(reload_required, restart_required) for a set of changed dotted keys."""
    keys = list(changed_keys)
    if not keys:
        return False, False
    restart = not all(reloadable(key) for key in keys)
    return not restart, restart


def links(data: dict[str, t.Any]) -> dict[str, dict[str, str]]:
    """Per link number, what a node needs to reach the others on it: its port and knet transport (defaults
    spelt out), for the links the nodelist has (ringN_addr)."""
    numbers = {key[4:-5] for node in data.get("nodelist", {}).get("node", []) for key in node
               if key.startswith("ring") and key.endswith("_addr") and key[4:-5].isdigit()}
    options = {str(i.get("linknumber", "0")): i for i in data.get("totem", {}).get("interface", [])}
    return {n: {"mcastport": str(options.get(n, {}).get("mcastport", 5405 + int(n))),
                "knet_transport": str(options.get(n, {}).get("knet_transport", "udp"))} for n in numbers}


def roll_problems(before: dict[str, t.Any], after: dict[str, t.Any]) -> list[str]:
    """Why a rolling restart from the file ``before`` to ``after`` (as ``to_data`` gives them) would leave the
    restarted node unable to talk to the others; empty when it can roll."""
    problems = []
    old, new = before.get("totem", {}).get("transport", "knet"), after.get("totem", {}).get("transport", "knet")
    if old != new:
        problems.append("totem.transport changes from %s to %s" % (old, new))
    for key, default in CRYPTO_KEYS.items():
        old, new = before.get("totem", {}).get(key, default), after.get("totem", {}).get(key, default)
        if old != new:
            problems.append("totem.%s changes from %s to %s" % (key, old, new))
    old_links, new_links = links(before), links(after)
    kept = [n for n in old_links if n in new_links and old_links[n] == new_links[n]]
    if old_links and new_links and not kept:
        problems.append("no link keeps its port and transport (%s)" % ", ".join(
            "link %s: %s" % (n, link_change(old_links[n], new_links.get(n, {}))) for n in sorted(old_links, key=int)))
    return problems


def link_change(old: dict[str, str], new: dict[str, str]) -> str:
    """What changes of one link's port and transport, in words; "removed" for a link that goes."""
    if not new:
        return "removed"
    return ", ".join("%s %s to %s" % (key, value, new.get(key)) for key, value in sorted(old.items()) if new.get(key) != value)


def nodelist_names(data: dict[str, t.Any]) -> list[str]:
    nodes = data.get("nodelist", {}).get("node", [])
    names = []
    for node in nodes:
        names += [v for k, v in node.items() if k == "name" or k.startswith("ring")]
    return names
