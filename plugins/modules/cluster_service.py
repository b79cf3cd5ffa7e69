#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cluster_service
short_description: Start, stop, restart, reload and enable the cluster stack, as C(crm cluster start/stop) does
version_added: 0.1.0
description:
  - Brings corosync, pacemaker and optional extra services to the asked state on this node, in the right
    order; corosync before pacemaker on start, pacemaker before corosync on stop, so corosync is never
    restarted under a running pacemaker.
  - O(state=reloaded) applies a changed corosync.conf to the running cluster with C(corosync-cfgtool -R)
    (every node re-reads it); it does nothing when corosync is not running.
  - With O(wait), returns only when the node is a member of the corosync ring, online in pacemaker with its
    join with the DC finished (not pending), and the cluster has a DC, or fails after O(timeout) saying which of
    those did not happen.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  state:
    description: The state of the stack on this node.
    type: str
    choices: [started, stopped, restarted, reloaded]
  enabled:
    description: Whether the stack's units start at boot.
    type: bool
  extra_services:
    description: Further units of the stack, started after corosync and before pacemaker (C(corosync-qdevice), C(sbd)).
    type: list
    elements: str
    default: []
  wait:
    description: After starting or restarting, wait until the node is in the cluster.
    type: bool
    default: true
  timeout:
    description: Seconds to wait with O(wait).
    type: int
    default: 120
  cold_start:
    description:
      - This node starts with the rest of its cluster, none of whose members runs (a new cluster, or one stopped
        whole; the C(init) role says so only when the play holds every node of the group and corosync runs on none;
        the coordinated restart of the C(quorum) role and C(playbooks/rotate-authkey.yml) always). Pacemaker's
        controllers then elect their first DC only after C(dc-deadtime) (20 s by default), which every node waits
        out. So before pacemaker starts, this node's CIB gets a short C(dc-deadtime) (2 s, in a property set of its
        own, C(hacluster-crm-bootstrap)). A node without a CIB starts with one whose only setting it is. A node with
        a CIB (a cluster stopped whole) lists every node there, and Pacemaker fences at start a node it has not seen
        (C(startup-fencing)), which C(dc-deadtime) gives time to join; so there corosync starts first, and the set is
        added (by the file backend, C(CIB_file), which writes the stopped node's CIB with its digest; every node's
        epoch moves by one, so the newest CIB stays the newest) only once corosync has every node of its nodelist
        as a member, waited for up to 20 s; else pacemaker starts with the CIB as it is. With O(wait), the set is
        removed as soon as the node is in the cluster.
      - Never give it for a node that joins a running cluster.
      - With O(state=started) and nothing to start, a set left behind by a run that stopped before removing it is removed.
    type: bool
    default: false
    version_added: 0.6.0
  corosync_only:
    description:
      - With O(state=started), start corosync and the O(extra_services) only, not pacemaker (O(wait) then waits for
        nothing). A cold start of more nodes than Ansible runs at once (its forks) starts corosync so on every node
        first; else the first nodes' pacemaker waits for the others' corosync, elects a DC without them and fences
        them at start as unseen (C(startup-fencing)), before Ansible reaches them. The quorum role starts
        corosync-qdevice so (O(extra_services=[corosync-qdevice])).
    type: bool
    default: false
    version_added: 0.6.0
  keep_quorum:
    description:
      - With O(state=restarted), refuse to restart a node of a quorate cluster when its going would leave fewer
        votes than quorum needs (a node before it did not come back, or is down). Check mode refuses the same.
    type: bool
    default: false
notes:
  - O(state=restarted) restarts the stack only where corosync runs (and then always changes); use it for a
    rolling restart one node at a time, as the C(quorum) role's C(push) entry point does.
  - With O(state=started) and nothing to start, the module still waits (O(wait)) until the node is in the cluster.
"""

EXAMPLES = r"""
- name: crm cluster start, and at boot too
  hacluster.crm.cluster_service:
    state: started
    enabled: true

- name: crm cluster stop
  hacluster.crm.cluster_service:
    state: stopped

- name: A rolling restart, one node at a time, each back in the cluster before the next goes
  hacluster.crm.cluster_service:
    state: restarted
  throttle: 1
"""

RETURN = r"""
steps:
  description:
    - The systemctl (or C(corosync-cfgtool -R)) steps taken, or that would be taken in check mode, with the seeding of a
      CIB and the removal of its C(dc-deadtime) (O(cold_start)).
  returned: always
  type: list
  elements: str
  sample: ["start corosync", "start pacemaker", "enable corosync", "enable pacemaker"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._services import ClusterService, ServiceError


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "state": {"type": "str", "choices": ["started", "stopped", "restarted", "reloaded"]},
            "enabled": {"type": "bool"},
            "extra_services": {"type": "list", "elements": "str", "default": []},
            "wait": {"type": "bool", "default": True},
            "timeout": {"type": "int", "default": 120},
            "keep_quorum": {"type": "bool", "default": False},
            "cold_start": {"type": "bool", "default": False},
            "corosync_only": {"type": "bool", "default": False},
        },
        required_one_of=[("state", "enabled")],
        supports_check_mode=True,
    )
    run(module, lambda: ClusterService(module), ServiceError)


if __name__ == "__main__":
    main()
