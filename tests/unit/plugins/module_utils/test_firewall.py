# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _firewall as fw


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
