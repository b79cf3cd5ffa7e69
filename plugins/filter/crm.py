# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

try:
    import jmespath
except ImportError:
    jmespath = None


def query(data: t.Any, expression: str) -> t.Any:
    """A JMESPath query on data, for example on cluster_info's status."""
    if jmespath is None:
        raise AnsibleFilterError("hacluster.crm.query needs the jmespath Python library on the controller")
    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError as exc:
        raise AnsibleFilterError("hacluster.crm.query: invalid expression %r: %s" % (expression, exc)) from exc


def quorum_settings(node_count: int, crm_quorum: dict | None = None) -> dict[str, t.Any]:
    """corosync.conf quorum keys for a cluster of node_count nodes: the one place both roles compute them.

    two_node is set for exactly two nodes and removed otherwise; crm_quorum overrides any key.
    """
    try:
        count = int(node_count)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError("quorum_settings: node count %r is not a number" % (node_count,)) from exc
    if count < 1:
        raise AnsibleFilterError("quorum_settings: a cluster needs at least one node, not %d" % count)
    settings: dict[str, t.Any] = {
        "quorum.provider": "corosync_votequorum",
        "quorum.expected_votes": count,
        "quorum.two_node": 1 if count == 2 else None,
    }
    for key, value in (crm_quorum or {}).items():
        settings["quorum.%s" % key] = value
    return settings


def ring0_address(host: str, hostvars: t.Any) -> str:
    """crm_ring0_addr, else the inventory's ansible_host, else the name."""
    variables = hostvars[host] if host in hostvars else {}
    for key in ("crm_ring0_addr", "ansible_host"):
        if key in variables and variables[key]:
            return str(variables[key])
    return host


def nodelist(hosts: list[str], hostvars: t.Any, configs: list[dict] | None = None) -> list[dict[str, t.Any]]:
    """The corosync nodelist for the inventory group ``hosts``; addresses from ``hostvars``.

    nodeids are kept from the corosync.conf files read from the nodes (``configs``), so they are stable
    across runs and inventory reordering; new nodes get the lowest free ids.
    """
    known: dict[str, int] = {}
    for config in configs or []:
        for node in ((config or {}).get("nodelist") or {}).get("node") or []:
            if node.get("name") and str(node.get("nodeid", "")).isdigit():
                known.setdefault(node["name"], int(node["nodeid"]))
    used = {known[h] for h in hosts if h in known}
    result = []
    for host in hosts:
        if host not in known:
            known[host] = next(i for i in range(1, len(hosts) + len(used) + 2) if i not in used)
            used.add(known[host])
        result.append({"name": host, "nodeid": known[host], "ring0_addr": ring0_address(host, hostvars)})
    return result


def ssh_peers(nodes: list[dict[str, t.Any]], hostvars: t.Any, me: str, result_var: str = "__crm_ssh") -> dict[str, list]:
    """What ssh_trust needs on ``me``: every node's public key, and the other nodes' host keys by name and address.

    Nodes without a ssh_trust result in ``result_var`` (unreachable, outside --limit) are left out.
    """
    keys: list[str] = []
    known: list[dict[str, t.Any]] = []
    for node in nodes:
        variables = hostvars[node["name"]] if node["name"] in hostvars else {}
        result = variables[result_var] if result_var in variables else None
        if not result or not result.get("public_key"):
            continue
        keys.append(result["public_key"])
        if node["name"] != me:
            known.append({"names": [node["name"], str(node["ring0_addr"])], "keys": list(result.get("host_keys") or [])})
    return {"authorized_keys": keys, "known_hosts": known}


def knet_port(link: t.Sequence[t.Any]) -> str:
    """The UDP port of a knet link from (mcastport, linknumber): mcastport when set, else 5405 + linknumber."""
    mcastport, linknumber = link
    if str(mcastport or "").isdigit():
        return "%s/udp" % mcastport
    if not str(linknumber or "0").isdigit():
        raise AnsibleFilterError("knet_port: linknumber %r is not a number" % (linknumber,))
    return "%d/udp" % (5405 + int(linknumber or 0))


def authkey_source(hosts: list[str], stats: dict[str, t.Any]) -> dict[str, t.Any]:
    """Which node's authkey the cluster shares, from ``stats`` (host -> stat result of the key file).

    The key most nodes already have wins (ties: the first node in group order), so an existing
    cluster keeps its key; with no key anywhere, the first node that answered makes it.
    """
    counts: dict[str, int] = {}
    first_with: dict[str, str] = {}
    answered = []
    for host in hosts:
        stat = (stats.get(host) or {}).get("stat")
        if stat is None:
            continue
        answered.append(host)
        if stat.get("exists"):
            counts[stat["checksum"]] = counts.get(stat["checksum"], 0) + 1
            first_with.setdefault(stat["checksum"], host)
    if not answered:
        raise AnsibleFilterError("authkey_source: no node of the group answered")
    if not counts:
        return {"host": answered[0], "checksum": None}
    best = max(counts, key=lambda c: (counts[c], -hosts.index(first_with[c])))
    return {"host": first_with[best], "checksum": best}


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {"query": query, "quorum_settings": quorum_settings, "nodelist": nodelist,
                "ssh_peers": ssh_peers, "knet_port": knet_port,
                "authkey_source": authkey_source}
