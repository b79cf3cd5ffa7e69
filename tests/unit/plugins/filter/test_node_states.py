# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Node states as the real crm_mon reports them, read from a CIB_file whose status section says what each node's
controller and corosync did: joined, still joining (pending), gone unclean, gone cleanly. Then what the status
playbook, cluster_service's wait and the upgrade's preflight make of them."""

from __future__ import annotations

import subprocess

import pytest

NODES = ('<node id="1" uname="alice"/><node id="2" uname="bob"/><node id="3" uname="carol"/>'
         '<node id="4" uname="dave"/>')
# alice is the DC; bob's controller is online and corosync has him, but his join is not finished (join="pending");
# carol was a member and is lost without a fencing (unclean, with fencing enabled); dave left cleanly.
STATES = ('<node_state id="1" uname="alice" in_ccm="true" crmd="online" join="member" expected="member"/>'
          '<node_state id="2" uname="bob" in_ccm="true" crmd="online" join="pending" expected="down"/>'
          '<node_state id="3" uname="carol" in_ccm="false" crmd="offline" join="down" expected="member"/>'
          '<node_state id="4" uname="dave" in_ccm="false" crmd="offline" join="down" expected="down"/>')


def crm_mon(folder, resources=""):
    """crm_mon's status of that CIB (with these resources), as cluster_info returns it."""
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
    cib = subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout
    cib = (cib.replace("<cib ", '<cib dc-uuid="1" have-quorum="1" ', 1).replace("<nodes/>", "<nodes>%s</nodes>" % NODES)
           .replace("<resources/>", "<resources>%s</resources>" % resources)
           .replace("<status/>", "<status>%s</status>" % STATES))
    path = folder / "cib.xml"
    path.write_text(cib)
    return _status.read(Runner(env={"CIB_file": str(path)}))


@pytest.fixture
def status(tmp_path):
    return crm_mon(tmp_path)


def test_crm_mon_reports_each_state(status):
    states = {n["name"]: (n["online"], n["pending"], n["unclean"]) for n in status["nodes"]}
    assert states == {"alice": (True, False, False), "bob": (True, True, False), "carol": (False, False, True),
                      "dave": (False, False, False)}
    assert status["dc"] == "alice"


def test_a_pending_node_is_not_shown_online(status):
    from ansible_collections.hacluster.crm.plugins.filter import crm
    assert crm.node_report(status) == ["Online: alice", "Pending: bob", "Offline: carol dave", "Remote nodes: none"]


def test_unclean_and_pending_nodes_are_said_with_what_to_do(status):
    from ansible_collections.hacluster.crm.plugins.filter import crm
    problems = crm.node_problems(status)
    assert problems == [
        "UNCLEAN nodes carol: a firewall is blocking the cluster's traffic (UDP 5404-5405) or the network between the "
        "nodes is broken.",
        "Pending nodes bob: corosync has them, but their join with the DC (alice) is not finished, and they run "
        "nothing until it is. A node that has just started is pending for a few seconds; one that stays pending: see "
        "the DC's log of the join (journalctl -u pacemaker on alice)."]


def test_an_unclean_remote_node_is_said_with_its_own_port(tmp_path):
    # a Pacemaker Remote node the cluster has never reached: with fencing enabled crm_mon reports it UNCLEAN
    from ansible_collections.hacluster.crm.plugins.filter import crm
    status = crm_mon(tmp_path, '<primitive id="rr1" class="ocf" provider="pacemaker" type="remote"/>')
    assert [(n["name"], n["type"], n["online"], n["unclean"]) for n in status["nodes"] if n["name"] == "rr1"] == [
        ("rr1", "remote", False, True)]
    assert crm.node_report(status)[-1] == "Remote nodes: rr1 online=False"
    problems = crm.node_problems(status)
    assert problems[0].startswith("UNCLEAN nodes carol: a firewall")
    assert problems[1] == ("UNCLEAN remote nodes rr1: the cluster has no connection to their pacemaker-remoted (TCP "
                           "3121: a firewall, the network, or the service not running there) and has not fenced them "
                           "yet.")
    assert problems[2].startswith("Pending nodes bob:") and len(problems) == 3


def test_a_cluster_whose_nodes_are_all_joined_has_no_pending_line_and_no_problem(status):
    from ansible_collections.hacluster.crm.plugins.filter import crm
    joined = dict(status, nodes=[dict(n, pending=False, unclean=False, online=True) for n in status["nodes"]])
    joined["nodes"] += [{"name": "rr1", "type": "remote", "online": True}, {"name": "rr2", "type": "remote"}]
    assert crm.node_report(joined) == ["Online: alice bob carol dave", "Offline: ",
                                       "Remote nodes: rr1 online=True, rr2 online=False"]
    assert crm.node_problems(joined) == []
    assert crm.node_report({"running": False, "nodes": []}) == ["Online: ", "Offline: ", "Remote nodes: none"]


def test_the_wait_for_membership_waits_while_the_node_is_pending(status):
    from ansible_collections.hacluster.crm.plugins.module_utils import _services

    class Replies:
        def run(self, argv, **_kwargs):
            if argv[0] == "corosync-quorumtool":
                return 0, "Membership information\n", ""
            if argv[0] == "crm_node":
                return 0, "bob\n", ""
            raise AssertionError(argv)

    joined = dict(status, nodes=[dict(n, pending=False) for n in status["nodes"]])
    reads = [status, status, joined]
    stack = object.__new__(_services.Stack)  # its systemd check is not what is tested here
    stack.runner = Replies()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_services._status, "read", lambda _runner: reads.pop(0))
        patch.setattr(_services.time, "sleep", lambda _s: None)
        assert stack._membership_problem() == ("node bob is still joining the cluster (pending)", status)
        assert stack.wait_member(60) is joined  # asked again while bob was pending, until he had joined
        assert reads == []
        reads.append(status)
        patch.setattr(_services.time, "monotonic", iter([0.0, 61.0]).__next__)
        with pytest.raises(_services.ServiceError, match=r"not in the cluster after 60 s: node bob is still joining"):
            stack.wait_member(60)


def test_an_upgrade_is_refused_while_a_node_is_pending(status):
    from ansible_collections.hacluster.crm.plugins.module_utils import _upgrade
    quorate = "Quorate:          Yes\nExpected votes:   4\nTotal votes:      4\nQuorum:           3\n"
    problems = _upgrade.preflight(status, quorate, 0, "")["problems"]
    assert "node bob is still joining the cluster (pending): wait until its join with the DC is finished" in problems
    assert "node carol is not online: bring it back (or remove it) before the upgrade" in problems
