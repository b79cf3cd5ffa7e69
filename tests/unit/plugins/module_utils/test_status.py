# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


# ---- crm_mon's XML when the cluster is down (Pacemaker 2 and 3)

class CrmMon:
    def __init__(self, rc, out):
        self.rc, self.out = rc, out

    def run(self, argv, data=None, check=True):
        return self.rc, self.out, ""


NOT_CONNECTED = ('<pacemaker-result api-version="2.38" request="crm_mon -1 --output-as=xml"><status code="102" '
                 'message="Not connected"><errors><error>crm_mon: Connection to cluster failed: Connection refused'
                 '</error></errors></status></pacemaker-result>')
DISCONNECTED = ('<pacemaker-result api-version="2.38" request="crm_mon"><crm-mon-disconnected description="Pacemaker '
                'daemons are shutting down" pacemakerd-state="shutting_down"/><status code="102" message="Not connected"/>'
                '</pacemaker-result>')


def test_a_cluster_that_is_down_is_reported_down_not_as_an_error():
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    down = _status.read(CrmMon(102, NOT_CONNECTED))
    assert down["running"] is False and "Connection refused" in down["reason"] and down["nodes"] == []
    down = _status.read(CrmMon(102, DISCONNECTED))
    assert down == dict(down, running=False, reason="Pacemaker daemons are shutting down",
                        pacemakerd_state="shutting_down")


# ---- fencing, from crm_mon's real output on the lab (Debian 13, Pacemaker 3.0, fence_redfish through the BMC)

def recorded(name):
    import os
    with open(os.path.join(os.path.dirname(__file__), "crm_mon", name), encoding="utf-8") as handle:
        return handle.read()


def test_fence_devices_stonith_enabled_and_the_fencing_history():
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    status = _status.parse(recorded("trixie-fenced.xml"))
    assert status["stonith_enabled"] is True
    assert [(d["id"], d["role"]) for d in status["fence_devices"]] == [
        ("fence-alice", "Started"), ("fence-bob", "Started"), ("fence-carol", "Started")]
    assert [(e["target"], e["status"]) for e in status["fencing_history"]] == [
        ("bob", "failed"), ("bob", "success"), ("bob", "success")]
    assert status["last_fencing"] == {"bob": status["fencing_history"][0]}
    assert status["last_fencing"]["bob"]["delegate"] == "alice" and status["last_fencing"]["bob"]["origin"] == "alice"


def test_the_quorum_device_as_corosync_qdevice_tool_reports_it():
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    import os
    with open(os.path.join(os.path.dirname(__file__), "crm_mon", "trixie-qdevice-tool.txt"), encoding="utf-8") as handle:
        info = _status.parse_qdevice(handle.read())
    assert info == {"running": True, "model": "Net", "cluster_name": "hacluster", "qnetd_host": "10.213.7.13:5403",
                    "algorithm": "Fifty-Fifty split", "tie_breaker": "Node with lowest node ID", "state": "Connected"}
    assert _status.qdevice(CrmMon(1, "")) == {"running": False, "state": "not running"}
