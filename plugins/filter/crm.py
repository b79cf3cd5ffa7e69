# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import ipaddress
import socket
import typing as t

from ansible.errors import AnsibleFilterError

# The module_utils (and jmespath) are imported by the filters that use them, not here. Ansible loads this file
# afresh in every worker process that templates any of its filters (a worker is forked per task and host, and the
# main process has not loaded it before it forks them), so whatever this file imports at the top is imported again
# for every such task on every host: that was a fifth of the controller's CPU in a no-op run of site.yml.


def query(data: t.Any, expression: str) -> t.Any:
    """A JMESPath query on data, for example on cluster_info's status."""
    try:
        import jmespath
    except ImportError:
        raise AnsibleFilterError("hacluster.crm.query needs the jmespath Python library on the controller") from None
    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError as exc:
        raise AnsibleFilterError("hacluster.crm.query: invalid expression %r: %s" % (expression, exc)) from exc


QDEVICE_NET_KEYS = ("host", "algorithm", "tie_breaker", "tls", "port", "connect_timeout", "force_ip_version")
QDEVICE_KEYS = ("votes", "timeout", "sync_timeout")


def quorum_settings(node_count: int, crm_quorum: dict | None = None, qdevice: dict | None = None) -> dict[str, t.Any]:
    """corosync.conf quorum keys for a cluster of node_count nodes: the one place both roles compute them.

    two_node is set for exactly two nodes and removed otherwise, or when a quorum device (qdevice,
    crm_qdevice) replaces it; the quorum.device section is exactly what qdevice declares, and removed
    without one. crm_quorum overrides any key.
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
    if qdevice:
        settings.update(qdevice_settings(count, qdevice))
    else:
        settings["quorum.device"] = None
    for key, value in (crm_quorum or {}).items():
        settings["quorum.%s" % key] = value
    return settings


def qdevice_settings(count: int, qdevice: t.Any) -> dict[str, t.Any]:
    if not isinstance(qdevice, dict) or not qdevice.get("host"):
        raise AnsibleFilterError("crm_qdevice needs a host (the QNetd server), not %r" % (qdevice,))
    unknown = sorted(set(qdevice) - set(QDEVICE_NET_KEYS) - set(QDEVICE_KEYS))
    if unknown:
        raise AnsibleFilterError("crm_qdevice: unknown key %s (known: %s)"
                                 % (", ".join(unknown), ", ".join(QDEVICE_KEYS + QDEVICE_NET_KEYS)))
    algorithm = qdevice.get("algorithm") or "ffsplit"
    if algorithm not in ("ffsplit", "lms"):
        raise AnsibleFilterError("crm_qdevice: algorithm %r is not ffsplit or lms" % algorithm)
    votes = qdevice.get("votes") or (1 if algorithm == "ffsplit" else count - 1)
    settings: dict[str, t.Any] = {
        "quorum.two_node": None,  # a quorum device replaces it (corosync-qdevice refuses to run with it)
        "quorum.expected_votes": count + int(votes),
        "quorum.device.model": "net",
        "quorum.device.votes": votes,
        "quorum.device.net.algorithm": algorithm,
    }
    for key in QDEVICE_NET_KEYS:
        if key != "algorithm":
            settings["quorum.device.net.%s" % key] = qdevice.get(key)
    for key in ("timeout", "sync_timeout"):
        settings["quorum.device.%s" % key] = qdevice.get(key)
    return settings


# knet's links: 0 to 7
MAX_LINKS = 8


def resolve(host: str, given: str, what: str) -> str:
    """An IP address for ``given``; a name is resolved here, on the controller, since corosync.conf and /etc/hosts
    need an address."""
    try:
        return str(ipaddress.ip_address(given))
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(given, None, type=socket.SOCK_DGRAM)
    except OSError as exc:
        raise AnsibleFilterError("nodelist: the %s address of %s is %r, which is not an IP address and does not "
                                 "resolve on the controller (%s): set %s to the node's cluster address"
                                 % (what, host, given, exc, "crm_links" if what.startswith("link") else
                                    "crm_ring0_addr or ansible_host")) from exc
    return str(infos[0][4][0])


def ring0_address(host: str, hostvars: t.Any) -> str:
    """crm_ring0_addr, else the inventory's ansible_host, else the name, resolved to an IP."""
    variables = hostvars[host] if host in hostvars else {}
    given = host
    for key in ("crm_ring0_addr", "ansible_host"):
        if key in variables and variables[key]:
            given = str(variables[key])
            break
    return resolve(host, given, "ring0")


def link_addresses(host: str, hostvars: t.Any) -> dict[int, str]:
    """The host's address on each link, by link number: its ``crm_links`` (a list, link 0 first, or a mapping of
    link numbers to addresses), else one link, ring0 (``crm_ring0_addr``, ``ansible_host``, the name)."""
    variables = hostvars[host] if host in hostvars else {}
    given = variables.get("crm_links") if hasattr(variables, "get") else None
    if not given:
        return {0: ring0_address(host, hostvars)}
    if isinstance(given, (list, tuple)):
        pairs = list(enumerate(given))
    elif hasattr(given, "items"):
        pairs = list(given.items())
    else:
        raise AnsibleFilterError("nodelist: crm_links of %s is %r: give a list of addresses (link 0 first) or a "
                                 "mapping of link numbers to addresses" % (host, given))
    out: dict[int, str] = {}
    for number, address in pairs:
        try:
            link = int(str(number))
        except ValueError:
            link = -1
        if not 0 <= link < MAX_LINKS:
            raise AnsibleFilterError("nodelist: crm_links of %s names link %r: knet has links 0 to %d"
                                     % (host, number, MAX_LINKS - 1))
        if not address:
            raise AnsibleFilterError("nodelist: crm_links of %s gives link %d no address" % (host, link))
        out[link] = resolve(host, str(address), "link %d" % link)
    if 0 not in out:
        raise AnsibleFilterError("nodelist: crm_links of %s has no link 0 (its address names the node in /etc/hosts)"
                                 % host)
    if variables.get("crm_ring0_addr") and resolve(host, str(variables["crm_ring0_addr"]), "ring0") != out[0]:
        raise AnsibleFilterError("nodelist: %s has crm_ring0_addr %s but link 0 of its crm_links is %s: give one"
                                 % (host, variables["crm_ring0_addr"], out[0]))
    return dict(sorted(out.items()))


def nodelist(hosts: list[str], hostvars: t.Any, configs: list[dict] | None = None) -> list[dict[str, t.Any]]:
    """The corosync nodelist for the inventory group ``hosts``; addresses from ``hostvars``.

    nodeids are kept from the corosync.conf files read from the nodes (``configs``: every node of the
    group that answered, also outside --limit or the current serial batch), so they are stable across
    runs, partial runs and inventory reordering; new nodes get the lowest id no configuration uses.
    Two nodes with one ring0 address (port-forwarded hosts on 127.0.0.1, say) are refused.
    """
    known: dict[str, int] = {}
    for config in configs or []:
        for node in ((config or {}).get("nodelist") or {}).get("node") or []:
            if node.get("name") and str(node.get("nodeid", "")).isdigit():
                known.setdefault(node["name"], int(node["nodeid"]))
    used = set(known.values())
    result = []
    owners: dict[str, str] = {}
    first_links: tuple[str, list[int]] | None = None
    for host in hosts:
        if host not in known:
            known[host] = next(i for i in range(1, len(hosts) + len(used) + 2) if i not in used)
            used.add(known[host])
        addresses = link_addresses(host, hostvars)
        if first_links is None:
            first_links = (host, list(addresses))
        elif list(addresses) != first_links[1]:
            raise AnsibleFilterError("nodelist: %s has links %s but %s has links %s: every node needs an address on "
                                     "every link (crm_links)" % (host, ", ".join(map(str, addresses)), first_links[0],
                                                                 ", ".join(map(str, first_links[1]))))
        node = {"name": host, "nodeid": known[host]}
        for link, address in addresses.items():
            me = "%s (link %d)" % (host, link) if len(addresses) > 1 else host
            if address in owners:
                raise AnsibleFilterError("nodelist: %s and %s have the same %s address %s; every node needs an "
                                         "address of its own on each cluster network (set %s)"
                                         % (owners[address], me, "ring0" if len(addresses) == 1 else "link", address,
                                            "crm_links" if len(addresses) > 1 else "crm_ring0_addr"))
            owners[address] = me
            node["ring%d_addr" % link] = address
        result.append(node)
    return result


LINK_OPTIONS = ("knet_link_priority", "knet_transport", "knet_ping_interval", "knet_ping_timeout",
                "knet_ping_precision", "knet_pong_count", "mcastport")


def link_settings(link_options: list[dict[str, t.Any]] | None, link_mode: str | None = None) -> dict[str, t.Any]:
    """corosync.conf keys for ``crm_link_options`` (per link: its ``totem.interface`` options) and ``crm_link_mode``
    (``totem.link_mode``). An option left out or null is left as the file has it; so is the mode when null."""
    settings: dict[str, t.Any] = {"totem.link_mode": link_mode} if link_mode else {}
    seen = set()
    for item in link_options or []:
        link = int(item["linknumber"])
        if not 0 <= link < MAX_LINKS or link in seen:
            raise AnsibleFilterError("crm_link_options: link %s is %s" % (
                item["linknumber"], "given twice" if link in seen else "out of range (knet has links 0 to %d)"
                % (MAX_LINKS - 1)))
        seen.add(link)
        settings.update({"totem.interface.%d.%s" % (link, key): item[key] for key in LINK_OPTIONS
                         if item.get(key) is not None})
    return settings


def link_ports(links: t.Any, link_options: list[dict[str, t.Any]] | None = None) -> list[str]:
    """The UDP port of each link a host declares (``crm_links``: a list, link 0 first, or a mapping by link number):
    its ``mcastport`` in ``crm_link_options``, else 5405 plus the link number; none for a host without crm_links."""
    if not links:
        return []
    numbers = range(len(links)) if isinstance(links, (list, tuple)) else [int(str(n)) for n in links]
    ports = {int(o["linknumber"]): o.get("mcastport") for o in link_options or [] if o.get("linknumber") is not None}
    return sorted({"%d/udp" % int(ports.get(n) or 5405 + n) for n in numbers}, key=lambda p: int(p.split("/")[0]))


def answered(results: list[dict[str, t.Any]] | None) -> list[dict[str, t.Any]]:
    """The results of a delegated loop that answered (unreachable and skipped ones left out)."""
    return [r for r in results or [] if isinstance(r, dict) and not r.get("unreachable") and not r.get("skipped")]


def by_host(hosts: list[str], results: list[t.Any], others: list[dict[str, t.Any]] | None = None) -> dict[str, t.Any]:
    """Results keyed by host: ``results`` of the tasks the ``hosts`` ran (in their order), and the answered
    ``others`` of a loop delegated to the nodes outside the play (keyed by their ``item``)."""
    if len(hosts) != len(results):
        raise AnsibleFilterError("%d hosts but %d results" % (len(hosts), len(results)))
    out = dict(zip(hosts, results))
    out.update({r.get("item"): r for r in answered(others)})
    return out


def unaware_members(host: str, units: list[dict[str, t.Any]], configs: list[dict[str, t.Any]]) -> list[str]:
    """The members running corosync whose corosync.conf does not list ``host``.

    ``units`` are the looped ``ansible.builtin.systemd_service`` results for corosync on the nodes outside
    the play, ``configs`` the looped M(hacluster.crm.corosync_conf) reads of the same nodes (unreachable
    and skipped results are ignored).
    """
    listed = {}
    for result in answered(configs):
        nodes = ((result.get("config") or {}).get("nodelist") or {}).get("node") or []
        listed[result.get("item")] = {n.get("name") for n in nodes if isinstance(n, dict)}
    running = [r.get("item") for r in answered(units) if (r.get("status") or {}).get("ActiveState") == "active"]
    return sorted(member for member in running if member != host and host not in listed.get(member, set()))


def ssh_peers(nodes: list[dict[str, t.Any]], hosts: list[str], results: list[t.Any], me: str) -> dict[str, list]:
    """What ssh_trust needs on ``me``: every node's public key, and the other nodes' host keys by name and address.

    ``results`` are the ssh_trust results of ``hosts`` (the play's hosts, in order); nodes without one
    (unreachable, outside --limit) are left out.
    """
    keys: list[str] = []
    known: list[dict[str, t.Any]] = []
    found = by_host(hosts, results)
    for node in nodes:
        result = found.get(node["name"])
        if not result or not result.get("public_key"):
            continue
        keys.append("%s hacluster.crm:%s" % (result["public_key"], node["name"]))
        if node["name"] != me:
            known.append({"names": [node["name"], str(node["ring0_addr"])], "keys": list(result.get("host_keys") or [])})
    return {"authorized_keys": keys, "known_hosts": known, "members": [node["name"] for node in nodes]}


def authkey_source(hosts: list[str], batch: list[str], batch_stats: list[t.Any], batch_units: list[t.Any],
                   other_stats: list[dict[str, t.Any]] | None = None,
                   other_units: list[dict[str, t.Any]] | None = None,
                   key: str = "corosync authkey") -> dict[str, t.Any]:
    """Which node's authkey the cluster shares, and whether a node of ``batch`` needs it.

    ``batch_stats`` and ``batch_units`` are the ``stat`` results of the key file and the ``systemd_service``
    results of corosync on the play's batch (in its order); ``other_stats`` and ``other_units`` the same
    tasks looped over the group's nodes outside the batch (unreachable ones left out).

    The key held by running members wins (the one most of them have), so a running cluster is never
    restarted into another key; with no member running, the key most nodes have (ties: the first node
    in group order). A new key is made (on the first node that answered) only when no node has one and
    every node of the group answered: a node that did not answer may hold the key. Only checksums pass.
    ``key`` names the key in the errors (the Pacemaker Remote key shares this choice).
    """
    stats = by_host(batch, batch_stats, other_stats)
    units = by_host(batch, batch_units, other_units)
    running = {h: ((u or {}).get("status") or {}).get("ActiveState") for h, u in units.items()}
    answered_hosts = [h for h in hosts if (stats.get(h) or {}).get("stat") is not None]
    if not answered_hosts:
        raise AnsibleFilterError("authkey_source: no node of the group answered")
    keyed = [h for h in answered_hosts if stats[h]["stat"].get("exists")]
    members = [h for h in keyed if running.get(h) == "active"]
    pool = members or keyed
    if pool:
        counts: dict[str, int] = {}
        for host in pool:
            counts[stats[host]["stat"]["checksum"]] = counts.get(stats[host]["stat"]["checksum"], 0) + 1
        best = max(pool, key=lambda h: (counts[stats[h]["stat"]["checksum"]], -hosts.index(h)))
        checksum = stats[best]["stat"]["checksum"]
    else:
        silent = [h for h in hosts if h not in answered_hosts]
        if silent:
            raise AnsibleFilterError("authkey_source: no node that answered has a %s, and %s did not answer: it "
                                     "may hold the cluster's key, so no new key is made. Bring it back, or take it "
                                     "out of the group, then run again." % (key, ", ".join(silent)))
        best, checksum = answered_hosts[0], None
    spread = checksum is None or any(((stats.get(h) or {}).get("stat") or {}).get("checksum") != checksum
                                     for h in batch)
    return {"host": best, "checksum": checksum, "spread": spread}


def corosync_unchanged(read: t.Any, settings: dict[str, t.Any] | None, nodes: list[dict[str, t.Any]] | None = None) -> bool:
    """True when M(hacluster.crm.corosync_conf) with ``settings`` and ``nodes`` would leave this corosync.conf as it is.

    ``read`` is M(hacluster.crm.node_state)'s C(corosync_conf), whose C(text) is the file. The same plan as the
    module's, made on the controller: a file that is missing, unreadable, or that the module would refuse (a bad
    setting) is not unchanged, so the module runs and says why.
    """
    from ansible_collections.hacluster.crm.plugins.module_utils._corosync import CorosyncConfError
    from ansible_collections.hacluster.crm.plugins.module_utils._corosync_conf import plan as corosync_plan

    text = read.get("text") if isinstance(read, dict) else None
    if not isinstance(text, str):
        return False
    try:
        new, _keys = corosync_plan(text, dict(settings or {}), nodes, str(read.get("path") or "corosync.conf"))
    except CorosyncConfError:
        return False
    return new == text


def leaving_nodes(configs: list[t.Any], hosts: list[str], cluster_name: str) -> list[str]:
    """The nodes that leave the cluster: named in the nodelist of a corosync.conf of this cluster (``configs``,
    the M(hacluster.crm.corosync_conf) reads of the play's hosts) and no longer in the group (``hosts``)."""
    names: list[str] = []
    for result in configs or []:
        config = (result or {}).get("config") if isinstance(result, dict) else None
        if not isinstance(config, dict) or (config.get("totem") or {}).get("cluster_name") != cluster_name:
            continue
        for node in (config.get("nodelist") or {}).get("node") or []:
            name = node.get("name") if isinstance(node, dict) else None
            if name and name not in hosts and name not in names:
                names.append(name)
    return names


def node_declarations(hosts: list[str], hostvars: t.Any, nodes: list[dict[str, t.Any]] | None = None) -> list[dict[str, t.Any]]:
    """The ``nodes`` of M(hacluster.crm.cib_resources): each host's C(crm_node_attributes) and C(crm_node_utilization),
    then the items of ``nodes`` (C(crm_node_settings), what the export writes), which win for a node both name."""
    out: dict[str, dict[str, t.Any]] = {}
    for host in hosts:
        facts = hostvars[host] if host in hostvars else {}
        item = {"name": host}
        for var, key in (("crm_node_attributes", "attributes"), ("crm_node_utilization", "utilization")):
            if facts.get(var):
                item[key] = dict(facts[var])
        if len(item) > 1:
            out[host] = item
    for item in nodes or []:
        name = item.get("name") if isinstance(item, dict) else None
        if not name:
            raise AnsibleFilterError("crm_node_settings: each item needs a name, not %r" % (item,))
        merged = out.setdefault(name, {"name": name})
        for key in ("attributes", "utilization"):
            if item.get(key):
                merged[key] = dict(merged.get(key) or {}, **item[key])
    return list(out.values())


def remote_primitives(hosts: list[str], hostvars: t.Any, params: dict[str, t.Any] | None = None,
                      monitor_interval: str = "20s", cluster_hosts: list[str] | None = None,
                      monitor_timeout: str = "20s") -> list[dict[str, t.Any]]:
    """The connection resource of each Pacemaker Remote node in ``hosts``: an C(ocf:pacemaker:remote) primitive named
    after the host (its node name), whose C(server) is the host's C(crm_remote_address), else its C(ansible_host),
    else its name; ``params`` add to every one (C(crm_remote_params)), a host's own C(crm_remote_params) win.

    The monitor has its own timeout: a partitioned connection does not close, and only the monitor's timeout (not
    op_defaults' 600 s that crmsh sets) tells the cluster that the node is lost."""
    if not isinstance(params or {}, dict):
        raise AnsibleFilterError("crm_remote_params: a mapping of the connection's parameters, not %r" % (params,))
    out = []
    for host in hosts:
        if host in (cluster_hosts or []):
            raise AnsibleFilterError("remote_primitives: %s is in the cluster group and in the remote group; a "
                                     "node is a cluster node or a Pacemaker Remote node, not both" % host)
        facts = hostvars[host] if host in hostvars else {}
        own = facts.get("crm_remote_params") or {}
        if not isinstance(own, dict):
            raise AnsibleFilterError("crm_remote_params of %s: a mapping, not %r" % (host, own))
        server = facts.get("crm_remote_address") or facts.get("ansible_host") or host
        merged = dict(params or {}, **own)
        out.append({"id": host, "agent": "ocf:pacemaker:remote",
                    "params": dict({"server": str(server)}, **{k: v for k, v in merged.items() if v is not None}),
                    "ops": [{"name": "monitor", "interval": monitor_interval, "timeout": monitor_timeout}]})
    return out


def _majority(values: dict[str, t.Any]) -> t.Any:
    counts: dict[t.Any, int] = {}
    for value in values.values():
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=lambda v: counts[v]) if counts else None


Row = t.Callable[..., None]


def health_report(hosts: list[str], health_results: list[t.Any]) -> list[dict[str, str]]:
    """Rows of (check, node, status, detail) from every node's cluster_health result (``health_results``,
    in the order of ``hosts``; empty for a node that did not answer).

    A value most nodes share is right; the odd ones out are flagged. A node with no result FAILs.
    """
    results = by_host(hosts, health_results)
    rows: list[dict[str, str]] = []

    def row(check: str, node: str, status: str, detail: str = "") -> None:
        rows.append({"check": check, "node": node, "status": status, "detail": detail})

    health = {h: (results.get(h) or {}).get("health") for h in hosts}
    for host in hosts:
        if not health[host]:
            row("reachable", host, "FAIL", "no health facts: the node did not answer")
    seen = {h: v for h, v in health.items() if v}
    package_rows(row, seen)
    checksum_rows(row, seen)
    times = sorted(v["time"] for v in seen.values())
    middle = times[len(times) // 2] if times else 0
    for host, facts in seen.items():
        skew = facts["time"] - middle
        row("clock", host, "FAIL" if abs(skew) > 30 else "WARN" if abs(skew) > 2 else "OK", "%+.1f s from the others" % skew)
        node_rows(row, host, facts)
    fencing_rows(row, [facts.get("fencing") for facts in seen.values()])
    resource_rows(row, [facts.get("fencing") for facts in seen.values()])
    return rows


def upgrade_preflight(status: dict[str, t.Any], quorum: dict[str, t.Any], verify: dict[str, t.Any],
                      hosts: list[str] | None = None, versions: list[t.Any] | None = None,
                      release: str | None = None, codenames: list[t.Any] | None = None) -> dict[str, list[str]]:
    """What refuses a rolling upgrade (``problems``) and what is said loudly (``warnings``), from cluster_info's
    status, the registered ``corosync-quorumtool -s`` and ``crm_verify --live-check`` results, and per host (in
    the order of ``hosts``) node_state's ``packages`` (pacemaker's installed version and, read with
    package_candidates, the one apt would upgrade it to). With ``release``, a release upgrade: ``codenames`` (each
    host's release, node_state's ``os.release``) say what it runs, and the candidate is the Pacemaker that release
    ships."""
    from ansible_collections.hacluster.crm.plugins.module_utils._upgrade import preflight, release_problems

    pairs = {}
    for host, packages in (by_host(hosts, versions or []) if hosts else {}).items():
        packages = packages or {}
        pairs[host] = {"installed": (packages.get("versions") or {}).get("pacemaker"),
                       "candidate": None if release else (packages.get("candidates") or {}).get("pacemaker")}
    out = preflight(status, str(quorum.get("stdout", "")), int(verify.get("rc", 1)),
                    "%s %s" % (verify.get("stdout", ""), verify.get("stderr", "")), pairs)
    if release:
        names = {host: str(name).strip() or None if name else None
                 for host, name in by_host(hosts or [], codenames or []).items()}
        out["problems"] += release_problems(str(release), names, {h: p["installed"] for h, p in pairs.items()})
    return out


def failure_list(status: dict[str, t.Any] | None) -> list[dict[str, t.Any]]:
    from ansible_collections.hacluster.crm.plugins.module_utils._operations import failures

    status = status or {}
    return failures({"fail_counts": status.get("fail_counts") or [], "failed_actions": status.get("failed_actions") or []},
                    None, None)


def failure_words(failure: dict[str, t.Any]) -> str:
    what = ["fail count %s" % failure["fail_count"]] if failure["fail_count"] else []
    if failure["failed_actions"]:
        what.append("failed %s" % ", ".join(failure["failed_actions"]))
    return ("%s: once the cause is fixed, clean it up (crm resource cleanup %s; playbooks/cleanup.yml -e "
            "crm_cleanup_resource=%s)" % ("; ".join(what), failure["resource"], failure["resource"]))


def failure_report(status: dict[str, t.Any] | None) -> list[str]:
    """Which resource failed where, one sentence per resource and node, with the next step."""
    return ["%s on %s: %s" % (f["resource"], f["node"], failure_words(f)) for f in failure_list(status)]


def resource_rows(row: Row, views: list[t.Any]) -> None:
    """Which resource failed where, and the next step: a cleanup once the cause is fixed."""
    status = next((v for v in views if v), None)
    if status is None:
        return
    found = failure_list(status)
    for failure in found:
        row("resource " + failure["resource"], failure["node"], "WARN", failure_words(failure))
    if not found:
        row("resources", "cluster", "OK", "no failed actions, no fail counts")


def package_rows(row: Row, seen: dict[str, t.Any]) -> None:
    """The cluster packages' versions: the one most nodes run is right."""
    for pkg in ("pacemaker", "corosync", "crmsh"):
        versions = {h: v["packages"].get(pkg) for h, v in seen.items()}
        usual = _majority(versions)
        for host, version in versions.items():
            if version is None:
                row("package " + pkg, host, "WARN", "not installed")
            elif version != usual:
                row("package " + pkg, host, "WARN", "%s, the others run %s" % (version, usual))
            else:
                row("package " + pkg, host, "OK", version)


def checksum_rows(row: Row, seen: dict[str, t.Any]) -> None:
    """corosync.conf and the authkey: the same on every node."""
    for name, label in (("corosync_conf", "corosync.conf"), ("authkey", "authkey")):
        sums = {h: v["checksums"].get(name) for h, v in seen.items()}
        usual = _majority(sums)
        for host, digest in sums.items():
            if digest is None:
                row(label, host, "WARN", "missing")
            elif digest != usual:
                row(label, host, "FAIL", "differs from the other nodes (sha256 %s, others %s)" % (digest[:12], (usual or "")[:12]))
            else:
                row(label, host, "OK", "sha256 " + digest[:12])


def node_rows(row: Row, host: str, facts: dict[str, t.Any]) -> None:
    """One node's own checks: disk, peers, corosync links, quorum, the quorum device."""
    for path, free in sorted(facts["disk"].items()):
        low = free["free_bytes"] < 200 * 2 ** 20 or free["free_percent"] < 5
        row("disk " + path, host, "FAIL" if low else "WARN" if free["free_percent"] < 15 else "OK",
            "%d MiB free (%s%%)" % (free["free_bytes"] // 2 ** 20, free["free_percent"]))
    for peer, info in sorted(facts["peers"].items()):
        if info["resolves_to"] is None:
            row("peer " + peer, host, "FAIL", "does not resolve")
        elif not info["reachable"]:
            row("peer " + peer, host, "FAIL", "resolves to %s but does not answer" % info["resolves_to"])
        elif info["expected"] and info["resolves_to"] != str(info["expected"]):
            row("peer " + peer, host, "WARN", "resolves to %s, its ring0 address is %s" % (info["resolves_to"], info["expected"]))
        else:
            row("peer " + peer, host, "OK", info["resolves_to"])
    if facts["links"] is None:
        row("corosync links", host, "WARN", "corosync is not running")
    else:
        from ansible_collections.hacluster.crm.plugins.module_utils._status import link_words

        row("corosync links", host, *link_words(facts["links"]))
    if facts["quorate"] is None:
        row("quorum", host, "WARN", "corosync is not running")
    else:
        row("quorum", host, "OK" if facts["quorate"] else "FAIL", "quorate" if facts["quorate"] else "NOT quorate")
    device = facts.get("qdevice")
    if device:
        connected = device.get("state") == "Connected"
        row("quorum device", host, "OK" if connected else "FAIL",
            "%s to QNetd %s" % (device.get("state"), device.get("qnetd_host", "?")) if device.get("running")
            else "corosync-qdevice is not running")


def fencing_rows(row: Row, views: list[t.Any]) -> None:
    """Cluster-wide fencing rows, from the first node whose Pacemaker answered (the CIB is one)."""
    status = next((v for v in views if v), None)
    if status is None:
        return
    problems = fence_device_problems(status)
    if not status.get("stonith_enabled"):
        row("fencing", "cluster", "WARN", "disabled (stonith-enabled=false): a split cluster can run a resource twice")
    else:
        device_problems = [p for p in problems if p.startswith("fence device") or p.startswith("stonith-enabled")]
        row("fencing", "cluster", "FAIL" if device_problems else "OK",
            "; ".join(device_problems) or "enabled, %d fence devices started" % len(status.get("fence_devices") or []))
    for target, event in sorted((status.get("last_fencing") or {}).items()):
        line = fencing_report({target: event})[0].split(": ", 1)[1]
        row("last fencing", target, "OK" if event.get("status") == "success" else
            "WARN" if event.get("status") == "pending" else "FAIL", line)


FENCE_KEYS = ("id", "agent", "params", "host", "meta", "ops", "description", "state")
DELAY_PARAMS = ("pcmk_delay_base", "pcmk_delay_max")


def fence_primitives(devices: list[dict[str, t.Any]] | None, hosts: list[str], two_node_delay: t.Any = "5s",
                     remote_hosts: list[str] | None = None) -> list[dict[str, t.Any]]:
    """crm_fencing's devices as hacluster.crm.cib_primitive takes them: class stonith, ``host`` as
    ``pcmk_host_list``, and on a two-node cluster a fixed ``pcmk_delay_base`` on the device that fences
    the first node, so that in a split the first node shoots first and survives (unless a device sets
    its own delay, or ``two_node_delay`` is null). A device's host is a cluster node or a Pacemaker Remote node
    (``remote_hosts``)."""
    out = []
    nodes = [str(h) for h in hosts or []]
    fenceable = nodes + [str(h) for h in remote_hosts or [] if str(h) not in nodes]
    for position, device in enumerate(devices or []):
        if not isinstance(device, dict) or not device.get("id") or not device.get("agent"):
            raise AnsibleFilterError("crm_fencing item %d needs an id and an agent (stonith:fence_redfish, ...): %r"
                                     % (position + 1, device if not isinstance(device, dict)
                                        else {k: v for k, v in device.items() if k in ("id", "agent", "host")}))
        unknown = sorted(set(device) - set(FENCE_KEYS))
        if unknown:
            raise AnsibleFilterError("crm_fencing device %s: unknown key %s (known: %s)"
                                     % (device["id"], ", ".join(unknown), ", ".join(FENCE_KEYS)))
        agent = str(device["agent"])
        if ":" not in agent:
            agent = "stonith:" + agent
        if not agent.startswith("stonith:"):
            raise AnsibleFilterError("crm_fencing device %s: agent %s is not a fence agent (stonith:NAME)"
                                     % (device["id"], agent))
        params = dict(device.get("params") or {})
        host = device.get("host")
        if host not in (None, "", []):
            targets = [str(h) for h in (host if isinstance(host, list) else [host])]
            strangers = [h for h in targets if h not in fenceable]
            if strangers:
                raise AnsibleFilterError("crm_fencing device %s: host %s is not a node of the cluster (%s)"
                                         % (device["id"], ", ".join(strangers), ", ".join(fenceable)))
            if "pcmk_host_list" in params:
                raise AnsibleFilterError("crm_fencing device %s: give host or params.pcmk_host_list, not both"
                                         % device["id"])
            params["pcmk_host_list"] = ",".join(targets)
        primitive = {k: v for k, v in device.items() if k not in ("host",)}
        primitive.update(agent=agent, params=params)
        out.append(primitive)
    delays = any(name in item["params"] for item in out for name in DELAY_PARAMS)
    if len(nodes) == 2 and two_node_delay not in (None, "") and not delays:
        first = [item for item in out if item["params"].get("pcmk_host_list") == nodes[0]]
        for item in first:
            item["params"]["pcmk_delay_base"] = str(two_node_delay)
    return out


PAST = {"reboot": "rebooted", "off": "powered off", "on": "powered on"}


def fencing_report(last_fencing: dict[str, dict[str, t.Any]] | None) -> list[str]:
    """cluster_info's last_fencing as one sentence per node."""
    lines = []
    for target, event in sorted((last_fencing or {}).items()):
        action = str(event.get("action") or "fence")
        status = event.get("status")
        when = event.get("completed") or "an unknown time"
        who = event.get("delegate") or "?"
        if status == "success":
            lines.append("%s: %s by %s at %s" % (target, PAST.get(action, action + "ed"), who, when))
        elif status == "pending":
            lines.append("%s: %s in progress, asked by %s" % (target, action, event.get("origin") or "?"))
        else:
            reason = event.get("exit_reason") or event.get("extended_status") or "no reason given"
            lines.append("%s: %s FAILED at %s (%s): the node may still run its resources" % (target, action, when, reason))
    return lines


# What tells two fencing actions apart, the time aside: Pacemaker 2.1 writes the completion time to the second and
# 3.0 to the microsecond (both recorded on the lab), so a history read by one release's stonith_admin at the start
# and by another's crm_mon at the end (a release upgrade) would differ in every event. Events alike but for the time
# are counted instead.
FENCE_EVENT_KEY = ("target", "action", "status", "delegate", "origin", "client")


def fenced_in_run(status: dict[str, t.Any] | None, probes: list[t.Any] | None) -> list[str]:
    """The fencing actions in ``status`` (cluster_info's, read at the end of a run) that no node's fencer knew when
    node_state read it at the run's start (``probes``, the node_state results of the cluster's nodes, with
    fencing_history), one sentence per node as fencing_report says them. Empty when the start was not read
    (check mode, a playbook without the init role), when Pacemaker ran at the start but no fencer answered, or when
    the cluster does not run now. A node that did not run Pacemaker at the start knew no history. Events that differ
    only in their time are counted: where the end has more of them than any node knew, its newest ones are new."""
    if not (status or {}).get("running"):
        return []
    reads = [p["fencing"] for p in probes or [] if isinstance(p, dict) and isinstance(p.get("fencing"), dict)]
    running = [r for r in reads if r.get("pacemaker_running")]
    if not reads or (running and all(r.get("history") is None for r in running)):
        return []
    known: dict[tuple[t.Any, ...], int] = {}
    for read in running:
        counts: dict[tuple[t.Any, ...], int] = {}
        for event in read.get("history") or []:
            key = tuple(event.get(k) for k in FENCE_EVENT_KEY)
            counts[key] = counts.get(key, 0) + 1
        for key, count in counts.items():
            known[key] = max(known.get(key, 0), count)
    seen: dict[tuple[t.Any, ...], int] = {}
    newer: dict[str, dict[str, t.Any]] = {}
    for event in reversed(status.get("fencing_history") or []):  # oldest first: the known ones are the oldest alike
        key = tuple(event.get(k) for k in FENCE_EVENT_KEY)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > known.get(key, 0):
            newer[str(event.get("target"))] = event  # a later one replaces it: the newest per node
    return fencing_report(newer)


def fence_device_problems(status: dict[str, t.Any] | None) -> list[str]:
    """What is wrong with fencing, in words: devices not started or failed, fencing that failed."""
    status = status or {}
    if not status.get("running"):
        return []
    problems = []
    failures = status.get("failed_actions") or []
    for device in status.get("fence_devices") or []:
        ident = str(device.get("id"))
        failed: dict[tuple, list[str]] = {}
        for failure in failures:
            op_key = str(failure.get("op_key", ""))
            if op_key.startswith(ident + "_"):
                task = failure.get("task") or op_key[len(ident) + 1:].rsplit("_", 1)[0]
                words = str(failure.get("exitstatus") or failure.get("status") or "failed")
                if failure.get("exitreason"):
                    words += ": " + str(failure["exitreason"])
                failed.setdefault((task, words), []).append(str(failure.get("node")))
        if failed or device.get("failed") or not device.get("active"):
            detail = "; ".join("its %s failed on %s (%s)" % (task, ", ".join(sorted(nodes)), words)
                               for (task, words), nodes in sorted(failed.items()))
            problems.append("fence device %s is %s%s. Check its address and credentials (a wrong password fails "
                            "this way): it fences nothing until it runs" % (
                                ident, device.get("role") or "not running", ": " + detail if detail else ""))
    if status.get("stonith_enabled") and not status.get("fence_devices"):
        problems.append("stonith-enabled is true but no fence device is configured: resources do not start")
    for target, event in sorted((status.get("last_fencing") or {}).items()):
        if event.get("status") not in ("success", "pending"):
            problems.append("the last fencing of %s FAILED (%s, asked by %s, at %s): until a fencing of it succeeds "
                            "the cluster cannot be sure %s is down. Once the fence devices work, stonith_admin "
                            "--history %s --cleanup clears the record"
                            % (target, event.get("action"), event.get("origin"), event.get("completed"), target,
                               target))
    return problems


def node_report(status: dict[str, t.Any] | None) -> list[str]:
    """The node list as ``crm status`` shows it: the cluster nodes online and joined, those still joining
    (pending, only when there are), those offline, then the Pacemaker Remote nodes."""
    status = status or {}
    members = [n for n in status.get("nodes") or [] if n.get("type") != "remote"]
    remote = [n for n in status.get("nodes") or [] if n.get("type") == "remote"]
    pending = [str(n.get("name")) for n in members if n.get("online") and n.get("pending")]
    return (["Online: " + " ".join(str(n.get("name")) for n in members if n.get("online") and not n.get("pending"))]
            + (["Pending: " + " ".join(pending)] if pending else [])
            + ["Offline: " + " ".join(str(n.get("name")) for n in members if not n.get("online")),
               "Remote nodes: " + (", ".join("%s online=%s" % (n.get("name"), bool(n.get("online"))) for n in remote)
                                   or "none")])


def node_problems(status: dict[str, t.Any] | None) -> list[str]:
    """What needs attention in the node list, in words: UNCLEAN nodes (the guide's hint: a firewall or the network;
    for Pacemaker Remote nodes, their own port), and nodes still joining, which run nothing until the DC has finished
    their join."""
    status = status or {}
    nodes = status.get("nodes") or []
    unclean = [str(n.get("name")) for n in nodes if n.get("unclean") and n.get("type") != "remote"]
    unclean_remote = [str(n.get("name")) for n in nodes if n.get("unclean") and n.get("type") == "remote"]
    pending = [str(n.get("name")) for n in nodes if n.get("online") and n.get("pending") and not n.get("unclean")]
    problems = []
    if unclean:
        problems.append("UNCLEAN nodes %s: a firewall is blocking the cluster's traffic (UDP 5404-5405) or the network "
                        "between the nodes is broken." % ", ".join(unclean))
    if unclean_remote:
        problems.append("UNCLEAN remote nodes %s: the cluster has no connection to their pacemaker-remoted (TCP 3121: a "
                        "firewall, the network, or the service not running there) and has not fenced them yet."
                        % ", ".join(unclean_remote))
    if pending:
        problems.append("Pending nodes %s: corosync has them, but their join with the DC (%s) is not finished, and "
                        "they run nothing until it is. A node that has just started is pending for a few seconds; one "
                        "that stays pending: see the DC's log of the join (journalctl -u pacemaker on %s)."
                        % (", ".join(pending), status.get("dc") or "none yet", status.get("dc") or "the DC"))
    return problems


def qdevice_enrollment(hosts: list[str], results: list[t.Any]) -> dict[str, t.Any]:
    """Which nodes need the quorum device's cluster certificate (``todo``), which hold it (``done``), and the
    node the others get it from (``source``: the first that holds it, else the first to enroll, which makes the
    request; None when there are no nodes). ``results`` are the nodes' hacluster.crm.qdevice_certs results,
    in the order of ``hosts``; a node without one is to enroll."""
    found = by_host(hosts, results)
    out: dict[str, t.Any] = {"todo": [], "done": []}
    for host in hosts:
        out["done" if (found.get(host) or {}).get("enrolled") is True else "todo"].append(host)
    out["source"] = (out["done"] + out["todo"] + [None])[0]
    return out


def fence_packages(agents: list[str], split: bool) -> list[str]:
    """The packages of the fence agents among ``agents`` (see module_utils/_packages.py)."""
    from ansible_collections.hacluster.crm.plugins.module_utils._packages import fence_packages as packages_of

    return packages_of(agents, split)


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {"query": query, "quorum_settings": quorum_settings, "nodelist": nodelist,
                "ssh_peers": ssh_peers, "unaware_members": unaware_members,
                "authkey_source": authkey_source, "health_report": health_report,
                "fence_primitives": fence_primitives, "fencing_report": fencing_report, "fenced_in_run": fenced_in_run,
                "fence_device_problems": fence_device_problems, "qdevice_enrollment": qdevice_enrollment,
                "leaving_nodes": leaving_nodes, "failure_report": failure_report,
                "node_report": node_report, "node_problems": node_problems,
                "upgrade_preflight": upgrade_preflight, "fence_packages": fence_packages,
                "link_settings": link_settings, "link_ports": link_ports, "node_declarations": node_declarations,
                "remote_primitives": remote_primitives, "corosync_unchanged": corosync_unchanged}
