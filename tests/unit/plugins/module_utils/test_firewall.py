# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _firewall as fw
from ansible_collections.hacluster.crm.tests.unit.plugins.module_utils.fake_module import FilesModule


def test_parse_ports_merges_overlapping_and_adjacent_ranges_as_nftables_does():
    assert fw.parse_ports(["5405/udp", "5404-5405/udp", "21064/tcp", "5405/udp", "5406/udp", "5410/udp"]) == [
        ("tcp", 21064, 21064), ("udp", 5404, 5406), ("udp", 5410, 5410)]


@pytest.mark.parametrize("spec", ["5405", "5405/sctp", "0/tcp", "70000/tcp", "10-5/tcp", "a/tcp"])
def test_parse_ports_refuses_bad_specs_by_name(spec):
    with pytest.raises(fw.FirewallError, match="invalid port"):
        fw.parse_ports([spec])


def test_port_text_for_ufw_ranges():
    assert fw.port_text(("udp", 5404, 5405), ":") == "5404:5405/udp"
    assert fw.port_text(("tcp", 22, 22)) == "22/tcp"


def test_ports_of_reads_nft_json_sets_ranges_and_single_ports():
    rule = {"expr": [
        {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}},
                   "right": {"set": [2224, {"range": [5404, 5405]}]}}},
        {"accept": None}]}
    single = {"expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}},
                                  "right": 5405}}]}
    assert fw.Nftables._ports_of(rule) == {("tcp", 2224, 2224), ("tcp", 5404, 5405)}
    assert fw.Nftables._ports_of(single) == {("udp", 5405, 5405)}


def test_knet_ports_from_corosync_conf(tmp_path):
    conf = tmp_path / "corosync.conf"
    conf.write_text("totem {\n\tinterface {\n\t\tlinknumber: 1\n\t\tmcastport: 6001\n\t}\n}\n"
                    "nodelist {\n\tnode {\n\t\tring0_addr: 10.0.0.1\n\t\tring1_addr: 10.1.0.1\n\t\tring2_addr: 10.2.0.1\n\t}\n}\n")
    assert fw.knet_ports(str(conf)) == ["6001/udp", "5405/udp", "5407/udp"]
    assert fw.knet_ports(str(tmp_path / "missing.conf")) == []
    conf.write_text("totem {\n")
    with pytest.raises(fw.FirewallError, match="Missing closing brace"):
        fw.knet_ports(str(conf))


class FakeRunner:
    """Answers nft's JSON listing; records every command (and the scripts it was given)."""

    def __init__(self, ruleset):
        self.ruleset = ruleset
        self.calls = []
        self.scripts = []

    def run(self, argv, data=None, check=True):
        self.calls.append(list(argv))
        if argv[:3] == ["nft", "-j", "list"]:
            return 0, json.dumps({"nftables": self.ruleset}), ""
        if argv[0] == "nft" and "-f" in argv:
            with open(argv[-1], encoding="utf-8") as handle:
                self.scripts.append((argv[1], handle.read()))
        return 0, "", ""


def chain(family, table, name, policy):
    return {"chain": {"family": family, "table": table, "name": name, "type": "filter", "hook": "input",
                      "prio": 0, "policy": policy}}


IPV4_AND_IPV6 = [chain("ip", "filter", "INPUT", "drop"), chain("ip6", "filter", "INPUT", "drop"),
                 chain("inet", "other", "input", "accept"),
                 {"chain": {"family": "inet", "table": "x", "name": "fwd", "type": "filter", "hook": "forward",
                            "policy": "drop"}}]


Module = FilesModule


def test_every_input_chain_that_drops_gets_the_rules_in_one_transaction(tmp_path):
    old = {"rule": {"family": "ip", "table": "filter", "chain": "INPUT", "handle": 7, "comment": "hacluster.crm",
                    "expr": []}}
    dropping = chain("inet", "filter", "input", "accept")
    drop_rule = {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 3,
                          "expr": [{"drop": None}]}}
    runner = FakeRunner(IPV4_AND_IPV6 + [dropping, drop_rule, old])
    config = tmp_path / "nftables.conf"
    config.write_text("flush ruleset\n")
    nft = fw.Nftables(runner, Module(), None, str(config), str(tmp_path / "rules.nft"))
    assert nft.chains == [("ip", "filter", "INPUT"), ("ip6", "filter", "INPUT"), ("inet", "filter", "input")]
    steps, data = nft.plan(fw.parse_ports(["5404-5405/udp", "2224/tcp"]))
    assert [s.split(" into ")[-1] for s in steps[:3]] == ["ip filter INPUT", "ip6 filter INPUT", "inet filter input"]
    nft.apply(data)
    applied = [argv for argv in runner.calls if argv[:2] == ["nft", "-f"]]
    assert len(applied) == 1, "old and new rules change in one nft -f transaction"
    checked, script = runner.scripts[-1]
    assert checked == "-f" and script.startswith("delete rule ip filter INPUT handle 7\n")
    assert script.count("insert rule") == 6 and 'insert rule ip6 filter INPUT udp dport { 5404-5405 }' in script
    # the persistent config was checked with the new rules before the live change
    assert runner.scripts[0][0] == "-c" and 'include "' in runner.scripts[0][1]
    assert config.read_text().endswith('include "%s"\n' % (tmp_path / "rules.nft"))


def test_a_persistent_config_nft_refuses_changes_nothing(tmp_path):
    class Refusing(FakeRunner):
        def run(self, argv, data=None, check=True):
            if argv[:2] == ["nft", "-c"]:
                return 1, "", "Error: syntax error"
            return super().run(argv, data, check)

    runner = Refusing(IPV4_AND_IPV6)
    config = tmp_path / "nftables.conf"
    config.write_text("flush ruleset\nbroken {\n")
    nft = fw.Nftables(runner, Module(), None, str(config), str(tmp_path / "rules.nft"))
    _steps, data = nft.plan(fw.parse_ports(["5405/udp"]))
    with pytest.raises(fw.FirewallError, match="nft -c refused the persistent config .* nothing was changed"):
        nft.apply(data)
    assert not [argv for argv in runner.calls if argv[:2] == ["nft", "-f"]]
    assert not (tmp_path / "rules.nft").exists() and config.read_text() == "flush ruleset\nbroken {\n"


def test_no_persistent_config_is_said(tmp_path, monkeypatch):
    monkeypatch.setattr(fw, "NFT_CONFIGS", (str(tmp_path / "nftables.conf"), str(tmp_path / "sysconfig.conf")))
    assert fw.persistent_config(None) is None
    (tmp_path / "sysconfig.conf").write_text("")
    assert fw.persistent_config(None) == str(tmp_path / "sysconfig.conf")
    assert fw.persistent_config("/etc/given.nft") == "/etc/given.nft"
