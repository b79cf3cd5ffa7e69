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


# ---- the links, from corosync's map as corosync-cmapctl prints it (lab, Debian 13, link 0 of bob cut)

class Cmap:
    OUT = {
        ("corosync-cmapctl", "nodelist.node."): (
            "nodelist.local_node_pos (u32) = 0\n"
            "nodelist.node.0.name (str) = alice\nnodelist.node.0.nodeid (u32) = 1\n"
            "nodelist.node.0.ring0_addr (str) = 10.213.7.11\nnodelist.node.0.ring1_addr (str) = 10.213.8.11\n"
            "nodelist.node.1.name (str) = bob\nnodelist.node.1.nodeid (u32) = 2\n"
            "nodelist.node.1.ring0_addr (str) = 10.213.7.12\nnodelist.node.1.ring1_addr (str) = 10.213.8.12\n"
            "nodelist.node.2.name (str) = carol\nnodelist.node.2.nodeid (u32) = 3\n"
            "nodelist.node.2.ring0_addr (str) = 10.213.7.13\nnodelist.node.2.ring1_addr (str) = 10.213.8.13\n"),
        ("corosync-cmapctl", "-m", "stats", "stats.knet."): (
            "stats.knet.node1.link0.connected (u8) = 1\nstats.knet.node2.link0.connected (u8) = 0\n"
            "stats.knet.node2.link0.down_count (u32) = 2\nstats.knet.node2.link1.connected (u8) = 1\n"
            "stats.knet.node3.link0.connected (u8) = 1\nstats.knet.node3.link1.connected (u8) = 1\n"),
        ("corosync-cmapctl", "-g", "runtime.votequorum.this_node_id"): "runtime.votequorum.this_node_id (u32) = 1\n",
    }

    def run(self, argv, data=None, check=True):
        return 0, self.OUT[tuple(argv)], ""


def test_links_per_peer_and_link_from_corosyncs_map():
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    view = _status.links(Cmap())
    assert view == {"configured": [0, 1], "peers": {"bob": {"0": False, "1": True}, "carol": {"0": True, "1": True}}}
    assert _status.link_words(view) == ("WARN", "bob: link 0 down, running on link 1")


def test_links_when_corosync_does_not_run():
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    assert _status.links(CrmMon(1, "")) is None
