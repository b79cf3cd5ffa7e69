# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cib_export against pacemaker's real tools on a CIB_file: what it exports, declared again, changes nothing."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, converge, etree
from ansible_collections.hacluster.crm.plugins.module_utils._export import Exporter
from ansible_collections.hacluster.crm.plugins.module_utils._model import parse_model
from ansible_collections.hacluster.crm.plugins.module_utils._property import parse_properties
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

pytestmark = pytest.mark.skipif(not shutil.os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")

# What crmsh writes for: primitive vip IPaddr2 params ip=... op monitor interval=10s timeout=20s;
# primitive web apache; group g-web vip web; primitive d Dummy; clone d-clone d meta interleave=true;
# location loc-web g-web rule -inf: #uname eq carol; colocation col-1 inf: d-clone g-web;
# order ord-1 Mandatory: d-clone g-web; and a cli-prefer of crm resource move.
BY_HAND = """
<configuration>
 <crm_config><cluster_property_set id="cib-bootstrap-options">
  <nvpair id="cib-bootstrap-options-dc-version" name="dc-version" value="3.0.0"/>
  <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
  <nvpair id="cib-bootstrap-options-cluster-name" name="cluster-name" value="hacluster"/>
 </cluster_property_set></crm_config>
 <nodes/>
 <resources>
  <group id="g-web">
   <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
    <instance_attributes id="vip-instance_attributes">
     <nvpair name="ip" value="10.213.7.100" id="vip-instance_attributes-ip"/>
     <nvpair name="cidr_netmask" value="24" id="vip-instance_attributes-cidr_netmask"/>
    </instance_attributes>
    <operations>
     <op name="monitor" interval="10s" timeout="20s" id="vip-monitor-10s"/>
     <op name="start" interval="0s" timeout="20s" id="vip-start-0s"/>
    </operations>
   </primitive>
   <primitive id="web" class="ocf" provider="heartbeat" type="apache"/>
  </group>
  <clone id="d-clone">
   <meta_attributes id="d-clone-meta_attributes"><nvpair name="interleave" value="true" id="d-clone-meta_attributes-interleave"/></meta_attributes>
   <primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/>
  </clone>
 </resources>
 <constraints>
  <rsc_location id="loc-web" rsc="g-web">
   <rule score="-INFINITY" id="loc-web-rule"><expression operation="eq" attribute="#uname" value="carol" id="loc-web-rule-expression"/></rule>
  </rsc_location>
  <rsc_colocation id="col-1" score="INFINITY" rsc="d-clone" with-rsc="g-web"/>
  <rsc_order id="ord-1" kind="Mandatory" first="d-clone" then="g-web"/>
  <rsc_location id="cli-prefer-d-clone" rsc="d-clone" role="Started" node="alice" score="INFINITY"/>
 </constraints>
</configuration>
"""


def converge_properties(cib, properties, rsc_defaults, op_defaults, check_mode):
    return converge(cib, parse_properties(properties, rsc_defaults, op_defaults).declaration(cib), check_mode)


@pytest.fixture
def cib(tmp_path):
    path = tmp_path / "cib.xml"
    empty = subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout
    root = etree.fromstring(empty.encode())
    root.replace(root.find("configuration"), etree.fromstring(BY_HAND, etree.XMLParser(remove_blank_text=True)))
    path.write_bytes(etree.tostring(root))
    return Cib(Runner(), str(path))


def epoch(cib):
    return etree.parse(cib.cib_file).getroot().get("epoch")


def declare(cib, exported, secrets=None):
    """What the resources role does with the variables (fence devices: host as pcmk_host_list)."""
    def resolve(params):
        return {k: secrets[v[3:-3]] if isinstance(v, str) and v.startswith("{{ ") else v for k, v in params.items()}
    fencing = [dict({k: v for k, v in d.items() if k != "host"},
                    params=dict(resolve(d.get("params", {})), pcmk_host_list=d["host"])) for d in exported["crm_fencing"]]
    primitives = [dict(p, params=resolve(p.get("params", {}))) for p in exported["crm_resources"]] + fencing
    converge_properties(cib, exported["crm_properties"], exported["crm_rsc_defaults"], exported["crm_op_defaults"], False)
    return converge(cib, parse_model(primitives, exported["crm_groups"], exported["crm_clones"],
                                     exported["crm_constraints"],
                                     exported["crm_fencing_levels"]).declaration(cib), False)


def test_a_configuration_made_by_hand_exports_to_variables_that_change_nothing(cib):
    exporter = Exporter(cib, False)
    exported = exporter.export()
    assert exported["crm_properties"] == {"stonith-enabled": "false"}
    assert exported["crm_resources"][0] == {
        "id": "vip", "agent": "ocf:heartbeat:IPaddr2", "params": {"ip": "10.213.7.100", "cidr_netmask": 24},
        "ops": [{"name": "monitor", "interval": "10s", "timeout": "20s"},
                {"name": "start", "interval": "0s", "timeout": "20s"}]}
    assert exported["crm_groups"] == [{"id": "g-web", "members": ["vip", "web"]}]
    assert exported["crm_clones"] == [{"id": "d-clone", "resource": "d", "meta": {"interleave": "true"}}]
    assert [c["id"] for c in exported["crm_constraints"]] == ["loc-web", "col-1", "ord-1"]
    assert exported["crm_constraints"][0]["rules"] == [
        {"score": "-INFINITY", "expressions": [{"attribute": "#uname", "operation": "eq", "value": "carol"}]}]
    assert any("cli-prefer-d-clone" in note for note in exporter.notes)
    before = epoch(cib)
    assert not declare(cib, exported).changes
    assert epoch(cib) == before


@pytest.mark.skipif(subprocess.run(["/usr/sbin/crm_resource", "--show-metadata", "stonith:fence_redfish"],
                                   capture_output=True, check=False).returncode != 0,
                    reason="fence_redfish is not installed here")
def test_fence_devices_export_without_their_password(cib):
    device = {"id": "fence-bob", "agent": "stonith:fence_redfish",
              "params": {"ip": "10.213.7.2", "username": "lab-admin", "password": "Sekr1t", "ssl_insecure": 1,
                         "pcmk_host_list": "bob", "pcmk_delay_base": "5s"}}
    converge(cib, parse_model([device], [], [], [], [
        {"target": "bob", "index": 1, "devices": ["fence-bob"]}]).declaration(cib), False)
    exporter = Exporter(cib, True)
    exported = exporter.export()
    assert exported["crm_fencing"] == [{
        "id": "fence-bob", "agent": "stonith:fence_redfish", "host": "bob",
        "params": {"ip": "10.213.7.2", "username": "lab-admin", "password": "{{ crm_secret_fence_bob_password }}",
                   "ssl_insecure": 1, "pcmk_delay_base": "5s"}}]
    assert "Sekr1t" not in repr(exported) and exporter.secrets == {"crm_secret_fence_bob_password": "Sekr1t"}
    assert exported["crm_fencing_levels"] == [{"target": "bob", "index": 1, "devices": ["fence-bob"]}]
    assert exported["crm_fencing_two_node_delay"] is None
    before = epoch(cib)
    assert not declare(cib, exported, exporter.secrets).changes
    assert epoch(cib) == before
