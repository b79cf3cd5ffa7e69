# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hacluster.crm.plugins.filter import crm


HOSTVARS = {"alice": {"ansible_host": "10.0.0.2"}, "bob": {"ansible_host": "10.0.0.3", "crm_ring0_addr": "192.168.1.3"},
            "carol": {"ansible_host": "10.0.0.4"}}


def test_quorum_settings_two_node_only_for_two():
    assert crm.quorum_settings(2) == {"quorum.provider": "corosync_votequorum", "quorum.expected_votes": 2,
                                      "quorum.two_node": 1, "quorum.device": None}
    assert crm.quorum_settings(3)["quorum.two_node"] is None
    assert crm.quorum_settings(1)["quorum.two_node"] is None
    assert crm.quorum_settings(2, {"expected_votes": 5, "wait_for_all": 0})["quorum.expected_votes"] == 5
    with pytest.raises(AnsibleFilterError, match="at least one node"):
        crm.quorum_settings(0)


def test_quorum_settings_with_a_quorum_device_drop_two_node():
    settings = crm.quorum_settings(2, {}, {"host": "carol"})
    assert settings["quorum.two_node"] is None and settings["quorum.expected_votes"] == 3
    assert {k: v for k, v in settings.items() if k.startswith("quorum.device") and v is not None} == {
        "quorum.device.model": "net", "quorum.device.votes": 1, "quorum.device.net.host": "carol",
        "quorum.device.net.algorithm": "ffsplit"}
    assert settings["quorum.device.net.port"] is None  # undeclared keys are removed
    lms = crm.quorum_settings(3, {}, {"host": "q", "algorithm": "lms", "tie_breaker": "highest", "port": 5404})
    assert lms["quorum.device.votes"] == 2 and lms["quorum.expected_votes"] == 5
    assert lms["quorum.device.net.tie_breaker"] == "highest" and lms["quorum.device.net.port"] == 5404
    for bad, message in (({"algorithm": "ffsplit"}, "needs a host"), ({"host": "q", "algorithm": "x"}, "not ffsplit or lms"),
                         ({"host": "q", "hosts": 1}, "unknown key hosts")):
        with pytest.raises(AnsibleFilterError, match=message):
            crm.quorum_settings(2, {}, bad)


def test_nodelist_addresses_and_fresh_ids():
    assert crm.nodelist(["alice", "bob", "carol"], HOSTVARS) == [
        {"name": "alice", "nodeid": 1, "ring0_addr": "10.0.0.2"},
        {"name": "bob", "nodeid": 2, "ring0_addr": "192.168.1.3"},
        {"name": "carol", "nodeid": 3, "ring0_addr": "10.0.0.4"}]


def test_nodelist_keeps_known_ids_across_reordering_and_fills_the_lowest_gap():
    configs = [{"nodelist": {"node": [{"name": "alice", "nodeid": "7"}, {"name": "carol", "nodeid": "1"}]}}, {}]
    nodes = crm.nodelist(["carol", "bob", "alice"], HOSTVARS, configs)
    assert {n["name"]: n["nodeid"] for n in nodes} == {"alice": 7, "carol": 1, "bob": 2}


def test_nodelist_new_node_under_limit_never_takes_an_id_in_use():
    # --limit dave: the configurations of alice, bob and carol (read from the group, outside the
    # play) keep their ids, and dave gets one no configuration uses
    configs = [{"nodelist": {"node": [{"name": "alice", "nodeid": "1"}, {"name": "bob", "nodeid": "2"},
                                      {"name": "carol", "nodeid": "3"}]}}]
    hostvars = dict(HOSTVARS, dave={"ansible_host": "10.0.0.5"})
    nodes = crm.nodelist(["alice", "bob", "carol", "dave"], hostvars, configs)
    assert {n["name"]: n["nodeid"] for n in nodes} == {"alice": 1, "bob": 2, "carol": 3, "dave": 4}
    # an id still in a configuration, of a node that left, is not given to a newcomer
    nodes = crm.nodelist(["alice", "bob", "dave"], hostvars, configs)
    assert {n["name"]: n["nodeid"] for n in nodes} == {"alice": 1, "bob": 2, "dave": 4}


def test_nodelist_ring0_is_an_ip_resolved_on_the_controller():
    assert crm.nodelist(["localhost-named"], {"localhost-named": {"ansible_host": "::ffff:10.0.0.9"}})[0][
        "ring0_addr"] == "::ffff:a00:9"
    with pytest.raises(AnsibleFilterError, match="ring0 address of ghost is 'ghost.invalid', which is not an IP"):
        crm.nodelist(["ghost"], {"ghost": {"ansible_host": "ghost.invalid"}})


@pytest.mark.parametrize("hostvars,message", [
    ({"a": {"ansible_host": "127.0.0.1"}, "b": {"ansible_host": "127.0.0.1"}}, "a and b have the same ring0 address"),
    ({"a": {"ansible_host": "10.0.0.1"}, "b": {"ansible_host": "10.0.0.1"}}, "a and b have the same ring0 address"),
    ({"a": {"ansible_host": "10.0.0.1"}, "b": {"crm_ring0_addr": "10.0.0.1", "ansible_host": "10.0.0.2"}},
     "a and b have the same ring0 address 10.0.0.1"),
])
def test_nodelist_refuses_shared_addresses(hostvars, message):
    with pytest.raises(AnsibleFilterError, match=message):
        crm.nodelist(["a", "b"], hostvars)


def stat(checksum=None):
    return {"stat": {"exists": checksum is not None, **({"checksum": checksum} if checksum else {})}}


def unit(state):
    return {"status": {"ActiveState": state}}


def test_authkey_source_majority_then_order():
    hosts = ["alice", "bob", "carol"]
    assert crm.authkey_source(hosts, hosts, [stat("x"), stat("y"), stat("y")], [unit("inactive")] * 3) == {
        "host": "bob", "checksum": "y", "spread": True}
    assert crm.authkey_source(["bob", "alice"], ["bob", "alice"], [stat(), stat()], [unit("inactive")] * 2) == {
        "host": "bob", "checksum": None, "spread": True}
    assert crm.authkey_source(hosts, hosts, [stat("y")] * 3, [unit("active")] * 3)["spread"] is False
    with pytest.raises(AnsibleFilterError, match="no node of the group answered"):
        crm.authkey_source(["alice"], [], [], [])


def test_authkey_of_running_members_wins_over_an_image_key():
    # two running members outside the batch, and three fresh nodes cloned from an image with a key baked in
    hosts = ["alice", "bob", "carol", "dave", "erin"]
    batch = ["carol", "dave", "erin"]
    others = [dict(stat("cluster"), item="alice"), dict(stat("cluster"), item="bob")]
    units = [dict(unit("active"), item="alice"), dict(unit("active"), item="bob")]
    key = crm.authkey_source(hosts, batch, [stat("image")] * 3, [unit("inactive")] * 3, others, units)
    assert key == {"host": "alice", "checksum": "cluster", "spread": True}
    # without running members the majority still decides
    idle = [dict(u, status={"ActiveState": "inactive"}) for u in units]
    assert crm.authkey_source(hosts, batch, [stat("image")] * 3, [unit("inactive")] * 3, others, idle)["checksum"] == \
        "image"


def test_no_new_key_while_a_node_that_may_hold_it_is_silent():
    hosts = ["alice", "bob", "carol"]
    silent = [{"item": "carol", "unreachable": True}]
    with pytest.raises(AnsibleFilterError, match="carol did not answer: it may hold the cluster's key"):
        crm.authkey_source(hosts, ["alice", "bob"], [stat(), stat()], [unit("inactive")] * 2, silent, silent)
    # a silent node does not stop the key that answering nodes hold
    assert crm.authkey_source(hosts, ["alice", "bob"], [stat(), stat("k")], [unit("inactive")] * 2, silent,
                              silent) == {"host": "bob", "checksum": "k", "spread": True}


def test_leaving_nodes_are_in_this_clusters_nodelist_and_out_of_the_group():
    def conf(name, *nodes):
        return {"config": {"totem": {"cluster_name": name}, "nodelist": {"node": [{"name": n} for n in nodes]}}}
    configs = [conf("hacluster", "alice", "bob", "dave"), conf("hacluster", "alice", "dave", "erin"),
               conf("other", "zed"), {"config": {}}, {"failed": True}]
    assert crm.leaving_nodes(configs, ["alice", "bob", "carol"], "hacluster") == ["dave", "erin"]
    assert crm.leaving_nodes([], ["alice"], "hacluster") == []


def test_ssh_peers_skips_nodes_without_results():
    nodes = [{"name": "alice", "ring0_addr": "10.0.0.2"}, {"name": "bob", "ring0_addr": "10.0.0.3"},
             {"name": "carol", "ring0_addr": "10.0.0.4"}]
    results = [{"public_key": "ssh-ed25519 A", "host_keys": ["ssh-ed25519 HA"]},
               {"public_key": "ssh-ed25519 B", "host_keys": ["ssh-ed25519 HB"]}]
    assert crm.ssh_peers(nodes, ["alice", "bob"], results, "alice") == {
        "authorized_keys": ["ssh-ed25519 A hacluster.crm:alice", "ssh-ed25519 B hacluster.crm:bob"],
        "known_hosts": [{"names": ["bob", "10.0.0.3"], "keys": ["ssh-ed25519 HB"]}],
        "members": ["alice", "bob", "carol"]}
    with pytest.raises(AnsibleFilterError, match="2 hosts but 1 results"):
        crm.ssh_peers(nodes, ["alice", "bob"], results[:1], "alice")


def test_query():
    status = {"resources": [{"id": "p0", "role": "Started"}, {"id": "p1", "role": "Stopped"}]}
    assert crm.query(status, "resources[?role=='Started'].id") == ["p0"]
    with pytest.raises(AnsibleFilterError, match="invalid expression"):
        crm.query(status, "resources[?")


def facts(conf="c1", key="k1", pacemaker="2.1.5", t=100.0, quorate=True, links=None):
    return {"health": {
        "time": t, "packages": {"pacemaker": pacemaker, "corosync": "3.1.7", "crmsh": "4.4.1"},
        "checksums": {"corosync_conf": conf, "authkey": key},
        "disk": {"/var/log": {"free_bytes": 10 * 2 ** 30, "free_percent": 50.0}},
        "peers": {}, "links": links if links is not None else {"configured": [0], "peers": {"bob": {"0": True}}},
        "quorate": quorate}}


def statuses(rows, check):
    return {r["node"]: r["status"] for r in rows if r["check"] == check}


def test_health_report_flags_the_odd_ones_out():
    rows = crm.health_report(["alice", "bob", "carol", "dave"],
                             [facts(), facts(conf="c2", pacemaker="2.1.6"), facts(t=140.0), None])
    assert statuses(rows, "corosync.conf") == {"alice": "OK", "bob": "FAIL", "carol": "OK"}
    assert statuses(rows, "package pacemaker") == {"alice": "OK", "bob": "WARN", "carol": "OK"}
    assert statuses(rows, "clock") == {"alice": "OK", "bob": "OK", "carol": "FAIL"}
    assert statuses(rows, "reachable") == {"dave": "FAIL"}
    assert statuses(rows, "authkey") == {"alice": "OK", "bob": "OK", "carol": "OK"}


def test_health_report_before_the_cluster_exists_warns_only():
    fresh = {"health": dict(facts()["health"], links=None, quorate=None, checksums={"corosync_conf": None, "authkey": None})}
    rows = crm.health_report(["alice", "bob"], [fresh, fresh])
    assert {r["status"] for r in rows} <= {"OK", "WARN"}
    assert statuses(rows, "quorum") == {"alice": "WARN", "bob": "WARN"}


def test_unaware_members_are_the_running_ones_that_do_not_list_the_node():
    units = [{"item": "alice", "status": {"ActiveState": "active"}}, {"item": "bob", "status": {"ActiveState": "active"}},
             {"item": "carol", "status": {"ActiveState": "inactive"}}, {"item": "dave", "unreachable": True}]
    configs = [{"item": "alice", "config": {"nodelist": {"node": [{"name": "alice"}, {"name": "erin"}]}}},
               {"item": "bob", "config": {"nodelist": {"node": [{"name": "alice"}, {"name": "bob"}]}}},
               {"item": "carol", "config": {}}]
    assert crm.unaware_members("erin", units, configs) == ["bob"]
    assert crm.unaware_members("bob", units, configs) == ["alice"]
    assert crm.unaware_members("zed", units, configs) == ["alice", "bob"]
    assert crm.unaware_members("erin", [], []) == []


REDFISH = {"ip": "10.213.7.2", "username": "admin", "password": "pw", "ssl_insecure": 1}


def test_fence_primitives_host_becomes_the_host_list_and_two_nodes_get_one_delay():
    devices = [{"id": "f-alice", "agent": "fence_redfish", "params": dict(REDFISH, systems_uri="/s/alice"), "host": "alice"},
               {"id": "f-bob", "agent": "stonith:fence_redfish", "params": dict(REDFISH, systems_uri="/s/bob"),
                "host": "bob", "meta": {"target-role": "Started"}}]
    out = crm.fence_primitives(devices, ["alice", "bob"])
    assert [p["agent"] for p in out] == ["stonith:fence_redfish"] * 2
    assert out[0]["params"]["pcmk_host_list"] == "alice" and out[0]["params"]["pcmk_delay_base"] == "5s"
    assert out[1]["params"]["pcmk_host_list"] == "bob" and "pcmk_delay_base" not in out[1]["params"]
    assert out[1]["meta"] == {"target-role": "Started"} and "host" not in out[1]
    assert "pcmk_host_list" not in devices[0]["params"]  # the input is not changed
    three = crm.fence_primitives(devices, ["alice", "bob", "carol"])
    assert all("pcmk_delay_base" not in p["params"] for p in three)
    own = [dict(devices[0], params=dict(devices[0]["params"], pcmk_delay_max="10s")), devices[1]]
    assert all("pcmk_delay_base" not in p["params"] for p in crm.fence_primitives(own, ["alice", "bob"]))
    assert all("pcmk_delay_base" not in p["params"] for p in crm.fence_primitives(devices, ["alice", "bob"], None))
    pdu = crm.fence_primitives([{"id": "pdu", "agent": "fence_apc", "host": ["alice", "bob"]}], ["alice", "bob"])
    assert pdu[0]["params"] == {"pcmk_host_list": "alice,bob"}


@pytest.mark.parametrize("devices, message", [
    ([{"id": "f1"}], "crm_fencing item 1 needs an id and an agent"),
    (["f1"], "crm_fencing item 1 needs an id and an agent"),
    ([{"id": "f1", "agent": "ocf:heartbeat:Dummy"}], "device f1: agent ocf:heartbeat:Dummy is not a fence agent"),
    ([{"id": "f1", "agent": "fence_redfish", "host": "dave"}], "device f1: host dave is not a node of the cluster"),
    ([{"id": "f1", "agent": "fence_redfish", "host": "alice", "params": {"pcmk_host_list": "alice"}}],
     "device f1: give host or params.pcmk_host_list, not both"),
    ([{"id": "f1", "agent": "fence_redfish", "hosts": "alice"}], "device f1: unknown key hosts"),
])
def test_fence_primitives_refuse_bad_devices_naming_them(devices, message):
    with pytest.raises(AnsibleFilterError, match=message):
        crm.fence_primitives(devices, ["alice", "bob"])


def test_fence_primitives_fence_remote_nodes_too_which_do_not_count_for_the_two_node_delay():
    devices = [{"id": "f-alice", "agent": "fence_redfish", "host": "alice"},
               {"id": "f-rr1", "agent": "fence_redfish", "host": "rr1"}]
    out = crm.fence_primitives(devices, ["alice", "bob"], "5s", ["rr1"])
    assert out[1]["params"] == {"pcmk_host_list": "rr1"}
    assert out[0]["params"]["pcmk_delay_base"] == "5s"  # still a two-node cluster
    with pytest.raises(AnsibleFilterError, match=r"host rr1 is not a node of the cluster \(alice, bob\)"):
        crm.fence_primitives(devices, ["alice", "bob"])


def test_remote_primitives_one_connection_per_remote_node():
    hostvars = {"rr1": {"ansible_host": "10.0.0.5"},
                "rr2": {"ansible_host": "10.0.0.6", "crm_remote_address": "192.168.1.6",
                        "crm_remote_params": {"reconnect_interval": "60s", "port": 3122}},
                "rr3": {}}
    out = crm.remote_primitives(["rr1", "rr2", "rr3"], hostvars, {"reconnect_interval": "30s"}, "15s", ["alice"], "25s")
    assert out[0] == {"id": "rr1", "agent": "ocf:pacemaker:remote",
                      "params": {"server": "10.0.0.5", "reconnect_interval": "30s"},
                      "ops": [{"name": "monitor", "interval": "15s", "timeout": "25s"}]}
    assert out[1]["params"] == {"server": "192.168.1.6", "reconnect_interval": "60s", "port": 3122}
    assert out[2]["params"]["server"] == "rr3"
    # a null leaves a parameter out
    assert crm.remote_primitives(["rr1"], hostvars, {"reconnect_interval": None})[0]["params"] == {"server": "10.0.0.5"}
    assert crm.remote_primitives([], hostvars) == []


@pytest.mark.parametrize("hosts, params, message", [
    (["alice"], {}, "alice is in the cluster group and in the remote group"),
    (["rr1"], ["reconnect_interval"], "crm_remote_params: a mapping"),
    (["bad"], {}, "crm_remote_params of bad: a mapping"),
])
def test_remote_primitives_refuse_bad_input_naming_it(hosts, params, message):
    hostvars = {"rr1": {}, "alice": {}, "bad": {"crm_remote_params": "port=1"}}
    with pytest.raises(AnsibleFilterError, match=message):
        crm.remote_primitives(hosts, hostvars, params, "20s", ["alice", "bob"])


def test_qdevice_enrollment_takes_the_nodes_results_and_names_the_source():
    hosts = ["alice", "bob", "carol"]
    assert crm.qdevice_enrollment(hosts, [{"enrolled": False}, {"enrolled": True}, {}]) == \
        {"done": ["bob"], "todo": ["alice", "carol"], "source": "bob"}
    # none holds it: the first to enroll makes the request
    assert crm.qdevice_enrollment(hosts, [{"enrolled": False}, {"skipped": True}, {"enrolled": False}]) == \
        {"done": [], "todo": ["alice", "bob", "carol"], "source": "alice"}
    assert crm.qdevice_enrollment([], []) == {"done": [], "todo": [], "source": None}
    with pytest.raises(AnsibleFilterError, match="3 hosts but 2 results"):
        crm.qdevice_enrollment(hosts, [{}, {}])


def test_health_report_says_which_resource_failed_where_and_to_clean_it_up():
    view = {"running": True, "stonith_enabled": True, "fence_devices": [], "last_fencing": {},
            "fail_counts": [{"resource": "web", "node": "bob", "fail_count": 3}],
            "failed_actions": [{"op_key": "web_monitor_10000", "node": "bob", "exitstatus": "not running"}]}
    rows = crm.health_report(["alice", "bob"], [dict(facts(), health=dict(facts()["health"], fencing=view))] * 2)
    web = [r for r in rows if r["check"] == "resource web"]
    assert [(r["node"], r["status"]) for r in web] == [("bob", "WARN")]
    assert "fail count 3; failed web_monitor_10000" in web[0]["detail"]
    assert "crm resource cleanup web" in web[0]["detail"]
    healthy = dict(view, fail_counts=[], failed_actions=[])
    rows = crm.health_report(["alice"], [dict(facts(), health=dict(facts()["health"], fencing=healthy))])
    assert statuses(rows, "resources") == {"cluster": "OK"}


def test_upgrade_preflight_reads_the_registered_results_and_node_state():
    status = {"running": True, "nodes": [{"name": n, "online": True, "standby": False, "maintenance": False}
                                         for n in ("alice", "bob")],
              "failed_actions": [], "fail_counts": [], "stonith_enabled": True}
    quorum = {"stdout": "Quorate: Yes\nTotal votes: 2\nQuorum: 1\nFlags: 2Node Quorate\n"}
    versions = [{"versions": {"pacemaker": "2.1.5-1+deb12u1"}, "candidates": {"pacemaker": "3.0.0-3"}},
                {"versions": {"pacemaker": "1.1.24-1"}, "candidates": {"pacemaker": "3.0.0-3"}}]
    out = crm.upgrade_preflight(status, quorum, {"rc": 0, "stdout": ""}, ["alice", "bob"], versions)
    assert out["warnings"] == []
    assert len(out["problems"]) == 1 and out["problems"][0].startswith("bob: Pacemaker does not support")
    bad = crm.upgrade_preflight(status, quorum, {"rc": 2, "stdout": "", "stderr": "Errors found"})
    assert bad["problems"] == ["crm_verify finds the CIB invalid: Errors found"]


def test_upgrade_preflight_of_a_release_reads_the_release_facts():
    status = {"running": True, "nodes": [{"name": "alice", "online": True, "standby": False, "maintenance": False}],
              "failed_actions": [], "fail_counts": [], "stonith_enabled": True}
    quorum = {"stdout": "Quorate: Yes\nTotal votes: 1\nQuorum: 1\nFlags: 2Node Quorate\n"}
    versions = [{"versions": {"pacemaker": "2.1.5-1+deb12u1"}, "candidates": {"pacemaker": "2.1.5-1+deb12u1"}}]
    ok = crm.upgrade_preflight(status, quorum, {"rc": 0}, ["alice"], versions, "trixie", ["bookworm"])
    assert ok["problems"] == []
    skip = crm.upgrade_preflight(status, quorum, {"rc": 0}, ["alice"], versions, "trixie", ["bullseye"])
    assert skip["problems"] == ["alice runs bullseye: Debian upgrades one release at a time, to bookworm first"]


@pytest.mark.parametrize("agents, split, packages", [
    (["stonith:fence_redfish"], True, ["fence-agents-redfish"]),
    (["stonith:fence_redfish"], False, ["fence-agents"]),
    # underscores become dashes; links to another agent's program are in that agent's package (Debian 13's files)
    (["fence_azure_arm", "stonith:fence_apc_snmp"], True, ["fence-agents-apc-snmp", "fence-agents-azure-arm"]),
    (["stonith:fence_ilo4", "stonith:fence_idrac", "stonith:fence_ipmilan"], True, ["fence-agents-ipmilan"]),
    (["stonith:fence_ilo", "stonith:fence_ilo5_ssh"], True, ["fence-agents-ilo-ssh", "fence-agents-ilo2"]),
    # no fence agent, no package
    (["ocf:heartbeat:Dummy", "stonith:external/ssh"], True, []),
    (["ocf:heartbeat:Dummy"], False, []),
    ([], True, []),
])
def test_fence_packages_name_each_agents_package(agents, split, packages):
    assert crm.fence_packages(agents, split) == packages


TWO_LINKS = {"alice": {"ansible_host": "10.0.0.2", "crm_links": ["10.0.0.2", "10.1.0.2"]},
             "bob": {"ansible_host": "10.0.0.3", "crm_links": {0: "10.0.0.3", "1": "10.1.0.3"}}}


def test_nodelist_links_as_a_list_or_by_number():
    assert crm.nodelist(["alice", "bob"], TWO_LINKS) == [
        {"name": "alice", "nodeid": 1, "ring0_addr": "10.0.0.2", "ring1_addr": "10.1.0.2"},
        {"name": "bob", "nodeid": 2, "ring0_addr": "10.0.0.3", "ring1_addr": "10.1.0.3"}]
    gaps = {"a": {"crm_links": {0: "10.0.0.1", 3: "10.3.0.1"}}, "b": {"crm_links": {3: "10.3.0.2", 0: "10.0.0.2"}}}
    assert crm.nodelist(["a", "b"], gaps)[1] == {"name": "b", "nodeid": 2, "ring0_addr": "10.0.0.2", "ring3_addr": "10.3.0.2"}


@pytest.mark.parametrize("hostvars, message", [
    ({"alice": {"crm_links": ["10.0.0.2", "10.1.0.2"]}, "bob": {"crm_links": ["10.0.0.3"]}},
     "bob has links 0 but alice has links 0, 1: every node needs an address on every link"),
    ({"alice": {"crm_links": ["10.0.0.2", "10.1.0.2"]}, "bob": {"crm_links": ["10.0.0.3", "10.1.0.2"]}},
     "alice \\(link 1\\) and bob \\(link 1\\) have the same link address 10.1.0.2"),
    ({"alice": {"crm_links": {0: "10.0.0.2", 8: "10.8.0.2"}}, "bob": {}}, "crm_links of alice names link 8: knet has links 0 to 7"),
    ({"alice": {"crm_links": {"x": "10.0.0.2"}}, "bob": {}}, "crm_links of alice names link 'x'"),
    ({"alice": {"crm_links": {1: "10.1.0.2"}}, "bob": {}}, "crm_links of alice has no link 0"),
    ({"alice": {"crm_links": ["10.0.0.2", ""]}, "bob": {}}, "crm_links of alice gives link 1 no address"),
    ({"alice": {"crm_links": "10.0.0.2"}, "bob": {}}, "crm_links of alice is '10.0.0.2': give a list"),
    ({"alice": {"crm_ring0_addr": "10.0.0.9", "crm_links": ["10.0.0.2", "10.1.0.2"]}, "bob": {}},
     "alice has crm_ring0_addr 10.0.0.9 but link 0 of its crm_links is 10.0.0.2"),
    ({"alice": {"crm_links": ["10.0.0.2", "ghost.invalid"]}, "bob": {}},
     "the link 1 address of alice is 'ghost.invalid', which is not an IP address"),
])
def test_nodelist_refuses_bad_links_naming_them(hostvars, message):
    with pytest.raises(AnsibleFilterError, match=message):
        crm.nodelist(["alice", "bob"], hostvars)


def test_health_report_names_the_node_and_the_link_that_is_down():
    view = {"configured": [0, 1], "peers": {"bob": {"0": False, "1": True}, "carol": {"0": True, "1": True}}}
    rows = crm.health_report(["alice", "carol"], [facts(links=view), facts(links={
        "configured": [0, 1], "peers": {"alice": {"0": True, "1": True}, "bob": {"0": False, "1": False}}})])
    links = {r["node"]: (r["status"], r["detail"]) for r in rows if r["check"] == "corosync links"}
    assert links == {"alice": ("WARN", "bob: link 0 down, running on link 1"), "carol": ("FAIL", "bob: every link down")}
    healthy = crm.health_report(["alice"], [facts(links={"configured": [0, 1], "peers": {"bob": {"0": True, "1": True}}})])
    assert [(r["status"], r["detail"]) for r in healthy if r["check"] == "corosync links"] == [("OK", "2 links to 1 node connected")]


def test_link_ports_of_the_declared_links():
    assert crm.link_ports(["10.0.0.2", "10.1.0.2"]) == ["5405/udp", "5406/udp"]
    assert crm.link_ports({0: "10.0.0.2", "3": "10.3.0.2"}, [{"linknumber": 3, "mcastport": 5410}]) == ["5405/udp", "5410/udp"]
    assert crm.link_ports(None) == [] and crm.link_ports([]) == []


def test_link_settings_from_the_links_options():
    assert crm.link_settings([{"linknumber": 1, "knet_link_priority": 10, "mcastport": None}], "passive") == {
        "totem.link_mode": "passive", "totem.interface.1.knet_link_priority": 10}
    assert crm.link_settings([], None) == {}
    with pytest.raises(AnsibleFilterError, match="link 8 is out of range"):
        crm.link_settings([{"linknumber": 8}])
    with pytest.raises(AnsibleFilterError, match="link 1 is given twice"):
        crm.link_settings([{"linknumber": 1}, {"linknumber": 1}])


def test_corosync_unchanged_plans_on_the_controller_as_the_module_does():
    from ansible_collections.hacluster.crm.plugins.module_utils._corosync_conf import plan
    nodes = [{"name": "alice", "ring0_addr": "10.0.0.2", "nodeid": 1}, {"name": "bob", "ring0_addr": "10.0.0.3", "nodeid": 2}]
    settings = {"totem.cluster_name": "hacluster", "totem.transport": "knet", "quorum.provider": "corosync_votequorum",
                "quorum.two_node": 1}
    text, _keys = plan("", settings, nodes, "corosync.conf")
    read = {"path": "/etc/corosync/corosync.conf", "exists": True, "text": text}
    assert crm.corosync_unchanged(read, settings, nodes) is True
    assert crm.corosync_unchanged(read, settings) is True  # the nodelist left alone
    assert crm.corosync_unchanged(read, dict(settings, **{"totem.token": 3000}), nodes) is False
    assert crm.corosync_unchanged(read, settings, nodes[:1]) is False
    assert crm.corosync_unchanged(read, {"totem.no such key": 1}, nodes) is False  # the module refuses it, and says why
    assert crm.corosync_unchanged({"path": "/etc/corosync/corosync.conf", "exists": False}, settings, nodes) is False
    assert crm.corosync_unchanged(None, settings, nodes) is False
    # a file laid out otherwise than the module writes it is rewritten by the module: not unchanged
    assert crm.corosync_unchanged(dict(read, text=text.replace("\t", "  ")), settings, nodes) is (
        plan(text.replace("\t", "  "), settings, nodes, "x")[0] == text.replace("\t", "  "))


def test_loading_the_plugin_imports_no_module_utils_nor_jmespath():
    # Ansible loads this plugin afresh in every worker (a task on a host) that templates one of its filters: what it
    # imports at the top is paid again each time (a fifth of the controller's CPU in a no-op site.yml when it did).
    import os
    import subprocess
    import sys

    code = ("import sys\n"
            "from ansible_collections.hacluster.crm.plugins.filter import crm\n"
            "print('\\n'.join(m for m in sys.modules if '.module_utils.' in m and 'hacluster' in m or m == 'jmespath'))\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    loaded = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
    # and the filters that need them still get them
    assert crm.fence_packages(["stonith:fence_ipmilan"], False) == ["fence-agents"]
    assert crm.query({"a": [1, 2]}, "a[1]") == 2
