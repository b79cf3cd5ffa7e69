# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Opening the cluster's ports with the firewall a node runs: firewalld, ufw or nftables.

nftables filters with every base chain on a hook and a drop in any of them is final, so accept
rules in a table of our own cannot open a port that the operator's input chain drops: our rules
go into the operator's filtering input chain (inserted, never removing or reordering a rule of
the operator's), and persist through an include at the end of the operator's config, whose
``flush ruleset`` would otherwise drop them on reload.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils import _corosync as cc
from ansible_collections.hacluster.crm.plugins.module_utils._files import read_text, write_atomic
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner, failing_on

PORT_RE = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?/(tcp|udp)$")
COMMENT = "hacluster.crm"
Port = t.Tuple[str, int, int]  # (protocol, first, last)


class FirewallError(Exception):
    """Bad input or a firewall that cannot be changed as asked; nothing was changed."""


def parse_ports(ports: list[str]) -> list[Port]:
    """Ports as (protocol, first, last), overlapping and adjacent ranges merged, as nftables stores them."""
    out: list[Port] = []
    for spec in ports:
        match = PORT_RE.match(str(spec).strip())
        if not match:
            raise FirewallError("invalid port %r: use PORT/PROTO or FIRST-LAST/PROTO with PROTO tcp or udp" % spec)
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last <= 65535:
            raise FirewallError("invalid port range %r" % spec)
        out.append((match.group(3), first, last))
    merged: list[Port] = []
    for proto, first, last in sorted(out):
        if merged and merged[-1][0] == proto and first <= merged[-1][2] + 1:
            merged[-1] = (proto, merged[-1][1], max(last, merged[-1][2]))
        else:
            merged.append((proto, first, last))
    return merged


def knet_ports(path: str | None) -> list[str]:
    """The UDP port of every knet link in corosync.conf: its mcastport, else 5405 + its link number."""
    text = read_text(path) if path else None
    if not text:
        return []
    try:
        data = cc.to_data(cc.parse(text, path))
    except cc.CorosyncConfError as exc:
        raise FirewallError(str(exc)) from exc
    ports = []
    links = {str(i["linknumber"]) for i in data.get("totem", {}).get("interface", []) if "linknumber" in i}
    for node in data.get("nodelist", {}).get("node", []):
        links |= {key[4:-5] for key in node if key.startswith("ring") and key.endswith("_addr") and key[4:-5].isdigit()}
    for interface in data.get("totem", {}).get("interface", []):
        if str(interface.get("mcastport", "")).isdigit():
            ports.append("%s/udp" % interface["mcastport"])
            links.discard(str(interface.get("linknumber", "0")))
    ports += ["%d/udp" % (5405 + int(link)) for link in sorted(links, key=int)]
    return ports


def port_text(port: Port, range_sep: str = "-") -> str:
    proto, first, last = port
    return ("%d" % first if first == last else "%d%s%d" % (first, range_sep, last)) + "/" + proto


class Backend:
    name = ""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def plan(self, ports: list[Port]) -> list[str]:
        raise NotImplementedError

    def apply(self, ports: list[Port]) -> None:
        raise NotImplementedError


class Firewalld(Backend):
    name = "firewalld"

    def __init__(self, runner: Runner, zone: str | None) -> None:
        super().__init__(runner)
        self.zone = zone or runner.run(["firewall-cmd", "--get-default-zone"])[1].strip()

    def _query(self, port: Port, permanent: bool) -> bool:
        argv = ["firewall-cmd", "--zone", self.zone, "--query-port", port_text(port)]
        if permanent:
            argv.insert(1, "--permanent")
        return self.runner.run(argv, check=False)[0] == 0

    def missing(self, ports: list[Port]) -> list[tuple[Port, bool]]:
        return [(p, perm) for p in ports for perm in (True, False) if not self._query(p, perm)]

    def plan(self, ports: list[Port]) -> list[str]:
        return ["open %s in zone %s (%s)" % (port_text(p), self.zone, "permanent" if perm else "runtime")
                for p, perm in self.missing(ports)]

    def apply(self, ports: list[Port]) -> None:
        for port, permanent in self.missing(ports):
            argv = ["firewall-cmd", "--zone", self.zone, "--add-port", port_text(port)]
            if permanent:
                argv.insert(1, "--permanent")
            self.runner.run(argv)


class Ufw(Backend):
    name = "ufw"

    def _added(self) -> set[str]:
        _rc, out, _err = self.runner.run(["ufw", "show", "added"])
        return {line.strip() for line in out.splitlines()}

    def _rule(self, port: Port) -> str:
        return "ufw allow %s" % port_text(port, ":")

    def plan(self, ports: list[Port]) -> list[str]:
        added = {re.sub(r" comment .*$", "", line) for line in self._added()}
        return ["open %s" % port_text(p) for p in ports if self._rule(p) not in added]

    def apply(self, ports: list[Port]) -> None:
        added = {re.sub(r" comment .*$", "", line) for line in self._added()}
        for port in ports:
            if self._rule(port) not in added:
                self.runner.run(["ufw", "allow", port_text(port, ":"), "comment", COMMENT])


class Nftables(Backend):
    name = "nftables"

    def __init__(self, runner: Runner, module: t.Any, chain: str | None, config: str, rules_file: str) -> None:
        super().__init__(runner)
        self.module = module
        self.config = config
        self.rules_file = rules_file
        self.ruleset = json.loads(runner.run(["nft", "-j", "list", "ruleset"])[1] or '{"nftables": []}')["nftables"]
        self.chain = self._find_chain(chain)

    def _find_chain(self, wanted: str | None) -> tuple[str, str, str] | None:
        chains = [c["chain"] for c in self.ruleset if "chain" in c]
        if wanted:
            parts = wanted.split()
            if len(parts) != 3:
                raise FirewallError("nft_chain %r must be 'FAMILY TABLE CHAIN', for example 'inet filter input'" % wanted)
            if not any((c["family"], c["table"], c["name"]) == tuple(parts) for c in chains):
                raise FirewallError("nft_chain %r does not exist in the running ruleset" % wanted)
            return parts[0], parts[1], parts[2]
        base = [c for c in chains if c.get("hook") == "input" and c.get("type") == "filter"]
        base.sort(key=lambda c: (c["family"] != "inet", c["table"] != "filter", c["name"] != "input"))
        return (base[0]["family"], base[0]["table"], base[0]["name"]) if base else None

    def _our_rules(self) -> list[dict[str, t.Any]]:
        family, table, chain = self.chain
        return [r["rule"] for r in self.ruleset if "rule" in r and r["rule"].get("comment") == COMMENT
                and (r["rule"]["family"], r["rule"]["table"], r["rule"]["chain"]) == (family, table, chain)]

    @staticmethod
    def _ports_of(rule: dict[str, t.Any]) -> set[Port]:
        found: set[Port] = set()
        for expr in rule.get("expr", []):
            match = expr.get("match") if isinstance(expr, dict) else None
            payload = match and isinstance(match.get("left"), dict) and match["left"].get("payload")
            if not payload or payload.get("field") != "dport":
                continue
            right = match["right"]
            items = right["set"] if isinstance(right, dict) and "set" in right else [right]
            for item in items:
                if isinstance(item, dict) and "range" in item:
                    found.add((payload["protocol"], int(item["range"][0]), int(item["range"][1])))
                else:
                    found.add((payload["protocol"], int(item), int(item)))
        return found

    def rules_text(self, ports: list[Port]) -> str:
        family, table, chain = self.chain
        lines = ["# Written by hacluster.crm: the cluster's ports, in the operator's input chain."]
        for proto in ("tcp", "udp"):
            items = [port_text(p).split("/")[0] for p in ports if p[0] == proto]
            if items:
                lines.append('insert rule %s %s %s %s dport { %s } accept comment "%s"'
                             % (family, table, chain, proto, ", ".join(items), COMMENT))
        return "\n".join(lines) + "\n"

    def _include_line(self) -> str:
        return 'include "%s"' % self.rules_file

    def plan(self, ports: list[Port]) -> list[str]:
        if self.chain is None:
            return []
        steps = []
        live: set[Port] = set()
        ours = self._our_rules()
        for rule in ours:
            live |= self._ports_of(rule)
        if live != set(ports) or len(ours) != len({p[0] for p in ports}):
            steps.append("insert rules for %s into %s" % (", ".join(port_text(p) for p in ports), " ".join(self.chain)))
        if read_text(self.rules_file) != self.rules_text(ports):
            steps.append("write %s" % self.rules_file)
        config = read_text(self.config)
        if config is not None and self._include_line() not in config.splitlines():
            steps.append("include %s at the end of %s" % (self.rules_file, self.config))
        return steps

    def apply(self, ports: list[Port]) -> None:
        if self.chain is None:
            return
        steps = self.plan(ports)
        if not steps:
            return
        text = self.rules_text(ports)
        folder = os.path.dirname(self.rules_file)
        fd, candidate = tempfile.mkstemp(dir=folder, prefix=".hacluster-crm.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            self.runner.run(["nft", "-c", "-f", candidate])
            family, table, chain = self.chain
            for rule in self._our_rules():
                self.runner.run(["nft", "delete", "rule", family, table, chain, "handle", str(rule["handle"])])
            self.runner.run(["nft", "-f", candidate])
        finally:
            os.unlink(candidate)
        write_atomic(self.module, self.rules_file, text, 0o644)
        config = read_text(self.config)
        if config is not None and self._include_line() not in config.splitlines():
            new = config + ("" if config.endswith("\n") or not config else "\n")
            new += "# hacluster.crm: the cluster's ports (keep this line last)\n%s\n" % self._include_line()
            fd, check = tempfile.mkstemp(dir=os.path.dirname(self.config), prefix=".nftables-check.")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(new)
            try:
                self.runner.run(["nft", "-c", "-f", check])
            finally:
                os.unlink(check)
            write_atomic(self.module, self.config, new, os.stat(self.config).st_mode & 0o7777)


def active_backend(runner: Runner) -> str | None:
    """firewalld or ufw when running, else nftables when an input filter chain is loaded, else None."""
    if _has(runner, "firewall-cmd") and runner.run(["firewall-cmd", "--state"], check=False)[0] == 0:
        return "firewalld"
    if _has(runner, "ufw"):
        rc, out, _err = runner.run(["ufw", "status"], check=False)
        if rc == 0 and "Status: active" in out:
            return "ufw"
    if _has(runner, "nft"):
        rc, out, _err = runner.run(["nft", "-j", "list", "chains"], check=False)
        if rc == 0 and any(c.get("chain", {}).get("hook") == "input" for c in json.loads(out or '{"nftables": []}')["nftables"]):
            return "nftables"
    return None


def _has(runner: Runner, name: str) -> bool:
    try:
        runner.binary(name)
    except CommandError:
        return False
    return True


def run_module(module: t.Any) -> None:
    params = module.params
    runner = Runner(module)
    with failing_on(module, FirewallError):
        ports = parse_ports(params["ports"] + knet_ports(params["corosync_conf"]))
        name = params["backend"]
        if name == "auto":
            name = active_backend(runner)
        if name is None:
            module.exit_json(changed=False, backend=None, steps=[], msg="no active firewall: nothing to open")
        if name == "firewalld":
            backend: Backend = Firewalld(runner, params["zone"])
        elif name == "ufw":
            backend = Ufw(runner)
        else:
            backend = Nftables(runner, module, params["nft_chain"], params["nft_config"], params["nft_rules_file"])
        steps = backend.plan(ports)
        if steps and not module.check_mode:
            backend.apply(ports)
    result = {"changed": bool(steps), "backend": name, "steps": steps, "ports": [port_text(p) for p in ports]}
    if isinstance(backend, Nftables):
        result["chain"] = " ".join(backend.chain) if backend.chain else None
    module.exit_json(**result)
