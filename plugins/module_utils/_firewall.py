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
import socket
import tempfile
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils import _corosync as cc
from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._files import read_text, write_atomic
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner

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
    """plan(ports) says what is missing (steps, and the data to add exactly that); apply(data) adds it."""

    name = ""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def plan(self, ports: list[Port]) -> tuple[list[str], t.Any]:
        raise NotImplementedError

    def apply(self, data: t.Any) -> None:
        raise NotImplementedError

    def result(self) -> dict[str, t.Any]:
        return {}


def local_addresses(runner: Runner) -> dict[str, str]:
    """This host's addresses and the interface carrying each."""
    _rc, out, _err = runner.run(["ip", "-j", "addr", "show"])
    return {a["local"]: link["ifname"] for link in json.loads(out or "[]") for a in link.get("addr_info", [])}


class Firewalld(Backend):
    """Ports go into the zone of each interface that carries one of the cluster's addresses (a node's ring0
    address may well sit in another zone than the default one, and a second link's interface in a third), unless a
    zone is given."""

    name = "firewalld"

    def __init__(self, runner: Runner, zone: str | None, addresses: list[str]) -> None:
        super().__init__(runner)
        self.zones = [zone] if zone else (self._zones_of(addresses)
                                          or [runner.run(["firewall-cmd", "--get-default-zone"])[1].strip()])
        self.zone = self.zones[0]

    def _zones_of(self, addresses: list[str]) -> list[str]:
        interfaces = local_addresses(self.runner)
        zones: list[str] = []
        for address in addresses:
            interface = interfaces.get(address)
            if interface:
                rc, out, _err = self.runner.run(["firewall-cmd", "--get-zone-of-interface=%s" % interface], check=False)
                if rc == 0 and out.strip() and out.strip() not in zones:
                    zones.append(out.strip())
        return zones

    def _query(self, zone: str, port: Port, permanent: bool) -> bool:
        argv = ["firewall-cmd", "--zone", zone, "--query-port", port_text(port)]
        if permanent:
            argv.insert(1, "--permanent")
        return self.runner.run(argv, check=False)[0] == 0

    def plan(self, ports: list[Port]) -> tuple[list[str], t.Any]:
        missing = [(z, p, perm) for z in self.zones for p in ports for perm in (True, False)
                   if not self._query(z, p, perm)]
        return (["open %s in zone %s (%s)" % (port_text(p), z, "permanent" if perm else "runtime")
                 for z, p, perm in missing], missing)

    def apply(self, data: t.Any) -> None:
        for zone, port, permanent in data:
            argv = ["firewall-cmd", "--zone", zone, "--add-port", port_text(port)]
            if permanent:
                argv.insert(1, "--permanent")
            self.runner.run(argv)

    def result(self) -> dict[str, t.Any]:
        return {"zone": self.zone, "zones": self.zones}


class Ufw(Backend):
    name = "ufw"

    def _rule(self, port: Port) -> str:
        return "ufw allow %s" % port_text(port, ":")

    def plan(self, ports: list[Port]) -> tuple[list[str], t.Any]:
        _rc, out, _err = self.runner.run(["ufw", "show", "added"])
        added = {re.sub(r" comment .*$", "", line.strip()) for line in out.splitlines()}
        missing = [p for p in ports if self._rule(p) not in added]
        return ["open %s" % port_text(p) for p in missing], missing

    def apply(self, data: t.Any) -> None:
        for port in data:
            self.runner.run(["ufw", "allow", port_text(port, ":"), "comment", COMMENT])


Chain = t.Tuple[str, str, str]  # (family, table, name)


class Nftables(Backend):
    """Rules go into every input filter chain that may drop the cluster's traffic (a drop policy, or a
    drop or reject rule): an IPv4 and an IPv6 table both get them. Old and new rules change in one
    ``nft -f`` transaction, checked first together with the persistent config that will load them."""

    name = "nftables"

    def __init__(self, runner: Runner, module: t.Any, chain: str | None, config: str | None, rules_file: str) -> None:
        super().__init__(runner)
        self.module = module
        self.config = config
        self.rules_file = rules_file
        self.ruleset = json.loads(runner.run(["nft", "-j", "list", "ruleset"])[1] or '{"nftables": []}')["nftables"]
        self.chains = self._find_chains(chain)

    def _find_chains(self, wanted: str | None) -> list[Chain]:
        chains = [c["chain"] for c in self.ruleset if "chain" in c]
        if wanted:
            parts = wanted.split()
            if len(parts) != 3:
                raise FirewallError("nft_chain %r must be 'FAMILY TABLE CHAIN', for example 'inet filter input'" % wanted)
            if not any((c["family"], c["table"], c["name"]) == tuple(parts) for c in chains):
                raise FirewallError("nft_chain %r does not exist in the running ruleset" % wanted)
            return [(parts[0], parts[1], parts[2])]
        dropping = {(r["rule"]["family"], r["rule"]["table"], r["rule"]["chain"]) for r in self.ruleset
                    if "rule" in r and any(isinstance(e, dict) and ("drop" in e or "reject" in e)
                                           for e in r["rule"].get("expr", []))}
        return [(c["family"], c["table"], c["name"]) for c in chains
                if c.get("hook") == "input" and c.get("type") == "filter" and c.get("family") in ("inet", "ip", "ip6")
                and (c.get("policy") == "drop" or (c["family"], c["table"], c["name"]) in dropping)]

    def _our_rules(self) -> list[dict[str, t.Any]]:
        return [r["rule"] for r in self.ruleset if "rule" in r and r["rule"].get("comment") == COMMENT]

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
        lines = ["# Written by hacluster.crm: the cluster's ports, in the operator's input chains."]
        for family, table, chain in self.chains:
            for proto in ("tcp", "udp"):
                items = [port_text(p).split("/")[0] for p in ports if p[0] == proto]
                if items:
                    lines.append('insert rule %s %s %s %s dport { %s } accept comment "%s"'
                                 % (family, table, chain, proto, ", ".join(items), COMMENT))
        return "\n".join(lines) + "\n"

    def _include_line(self, path: str | None = None) -> str:
        return 'include "%s"' % (path or self.rules_file)

    def _with_include(self, config: str, path: str | None = None) -> str:
        new = config + ("" if config.endswith("\n") or not config else "\n")
        return new + "# hacluster.crm: the cluster's ports (keep this line last)\n%s\n" % self._include_line(path)

    def plan(self, ports: list[Port]) -> tuple[list[str], t.Any]:
        if not self.chains:
            return [], None
        ours = self._our_rules()
        live: dict[Chain, set[Port]] = {}
        counts: dict[Chain, int] = {}
        for rule in ours:
            where = (rule["family"], rule["table"], rule["chain"])
            live.setdefault(where, set()).update(self._ports_of(rule))
            counts[where] = counts.get(where, 0) + 1
        steps = []
        protocols = len({p[0] for p in ports})
        stale = set(live) - set(self.chains)
        for chain in self.chains:
            if live.get(chain) != set(ports) or counts.get(chain) != protocols:
                steps.append("insert rules for %s into %s" % (", ".join(port_text(p) for p in ports), " ".join(chain)))
        for chain in sorted(stale):
            steps.append("delete the rules in %s" % " ".join(chain))
        text = self.rules_text(ports)
        if read_text(self.rules_file) != text:
            steps.append("write %s" % self.rules_file)
        config = read_text(self.config) if self.config else None
        include = config is not None and self._include_line() not in config.splitlines()
        if include:
            steps.append("include %s at the end of %s" % (self.rules_file, self.config))
        live_change = any(s.startswith(("insert", "delete")) for s in steps)
        return steps, {"text": text, "delete": [(r["family"], r["table"], r["chain"], r["handle"]) for r in ours],
                       "live": live_change, "config": config, "include": include}

    def apply(self, data: t.Any) -> None:
        with tempfile.TemporaryDirectory(prefix="hacluster-nft-") as folder:
            rules = os.path.join(folder, "rules.nft")
            with open(rules, "w", encoding="utf-8") as handle:
                handle.write(data["text"])
            if data["config"] is not None:
                # what the nftables service will load at boot, checked before the live ruleset is touched
                persistent = os.path.join(folder, "config.nft")
                config = data["config"]
                if self._include_line() in config.splitlines():
                    config = config.replace(self._include_line(), self._include_line(rules))
                else:
                    config = self._with_include(config, rules)
                with open(persistent, "w", encoding="utf-8") as handle:
                    handle.write(config)
                self._check(persistent, "the persistent config %s with the new rules" % self.config)
            if data["live"]:
                script = os.path.join(folder, "transaction.nft")
                with open(script, "w", encoding="utf-8") as handle:
                    handle.writelines("delete rule %s %s %s handle %s\n" % rule for rule in data["delete"])
                    handle.write(data["text"])
                self._check(script, "the change to the running ruleset")
                self.runner.run(["nft", "-f", script])
        write_atomic(self.module, self.rules_file, data["text"], 0o644)
        if data["include"]:
            write_atomic(self.module, self.config, self._with_include(data["config"]),
                         os.stat(self.config).st_mode & 0o7777)

    def _check(self, path: str, what: str) -> None:
        rc, out, err = self.runner.run(["nft", "-c", "-f", path], check=False)
        if rc != 0:
            raise FirewallError("nft -c refused %s, so nothing was changed: %s" % (what, (err or out).strip()))

    def result(self) -> dict[str, t.Any]:
        return {"chain": " ".join(self.chains[0]) if self.chains else None,
                "chains": [" ".join(c) for c in self.chains], "persistent": self.config is not None}


# The file each distribution's nftables service loads at boot.
NFT_CONFIGS = ("/etc/nftables.conf", "/etc/sysconfig/nftables.conf")


def persistent_config(given: str | None) -> str | None:
    if given:
        return given
    return next((path for path in NFT_CONFIGS if os.path.exists(path)), None)


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


class FirewallPorts:
    """The cluster's ports open in the firewall the node runs."""

    def __init__(self, module: t.Any) -> None:
        self.module = module
        params = module.params
        runner = Runner(module)
        self.ports = parse_ports(params["ports"] + knet_ports(params["corosync_conf"]))
        self.name = params["backend"]
        if self.name == "auto":
            self.name = active_backend(runner)
        self.backend: Backend | None = None
        if self.name == "firewalld":
            addresses = resolve(params["addresses"]) + ring_addresses(params["corosync_conf"])
            self.backend = Firewalld(runner, params["zone"], addresses)
        elif self.name == "ufw":
            self.backend = Ufw(runner)
        elif self.name == "nftables":
            config = persistent_config(params["nft_config"])
            if config is None:
                module.warn("no persistent nftables config found (%s): the ports are opened in the running "
                            "ruleset only and will be closed after a reboot; set nft_config" % ", ".join(NFT_CONFIGS))
            self.backend = Nftables(runner, module, params["nft_chain"], config, params["nft_rules_file"])

    def plan(self) -> Plan:
        result = {"backend": self.name, "ports": [port_text(p) for p in self.ports], "steps": []}
        if self.backend is None:
            result["msg"] = "no active firewall: nothing to open"
            return Plan(result=result)
        steps, data = self.backend.plan(self.ports)
        result.update(self.backend.result(), steps=steps)
        return Plan(steps=steps, before="", after="".join(step + "\n" for step in steps), header=self.name,
                    result=result, data=data)

    def apply(self, plan: Plan) -> None:
        self.backend.apply(plan.data)


def resolve(names: list[str]) -> list[str]:
    out = []
    for name in names:
        try:
            out += [info[4][0] for info in socket.getaddrinfo(name, None, type=socket.SOCK_DGRAM)]
        except OSError:
            pass
    return out


def ring_addresses(path: str | None) -> list[str]:
    text = read_text(path) if path else None
    if not text:
        return []
    data = cc.to_data(cc.parse(text, path))
    return [v for node in data.get("nodelist", {}).get("node", []) for k, v in node.items()
            if k.startswith("ring") and k.endswith("_addr")]
