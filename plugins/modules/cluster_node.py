#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cluster_node
short_description: A node online, in standby or in maintenance, or purged after it left, as C(crm node) does
version_added: 0.1.0
description:
  - O(state=standby) puts the node in standby (C(crm node standby)), O(state=online) takes it out of standby and
    maintenance (C(crm node online), C(crm node ready)), O(state=maintenance) puts it in maintenance
    (C(crm node maintenance)). These are its permanent C(standby) and C(maintenance) attributes, in the set and ids crmsh
    writes (C(nodes-<id>)), through the same CIB engine as M(hacluster.crm.cib_primitive). The states exclude each
    other, so a node in standby put in maintenance leaves standby. Turning an attribute off writes C(off) or
    C(false), as crmsh does, and only where it is on.
  - With O(wait) (the default for these states), the module then waits until the cluster has settled
    (C(crm_resource --wait)); a node put in standby must then run no resource, or the module fails naming those
    it still runs.
  - O(state=absent) removes a node whose stack is stopped and which is no longer in the corosync nodelist from pacemaker's
    membership cache and from the CIB's nodes and status sections (C(crm_node --remove)), repeating the
    removal until neither knows it, since a removal that races with the node's departure leaves it listed
    as lost.
  - Does nothing when pacemaker no longer knows the node.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
options:
  name:
    description: The node's name, as the CIB's nodes section holds it.
    type: str
    required: true
  state:
    description:
      - V(online), V(standby) or V(maintenance) (version 0.6.0); V(absent) purges a node that left.
    type: str
    choices: [absent, online, standby, maintenance]
    default: absent
  timeout:
    description: With O(state=absent), seconds to keep removing it.
    type: int
    default: 60
  wait:
    description:
      - With V(online), V(standby) and V(maintenance), after a change wait until the cluster has settled
        (C(crm_resource --wait)); for V(standby), then check that the node runs no resource.
    type: bool
    default: true
    version_added: 0.6.0
  wait_timeout:
    description: Seconds to wait with O(wait).
    type: int
    default: 300
    version_added: 0.6.0
  corosync_conf:
    description: The corosync.conf whose nodelist must no longer hold the node.
    type: path
    default: /etc/corosync/corosync.conf
notes:
  - With V(absent), the node must have left first. A node still in the nodelist of O(corosync_conf), or still a running member
    (given 15 seconds to leave after its stack stopped), is refused at once with a message saying which, and
    nothing is removed.
"""

EXAMPLES = r"""
- name: Put alice in standby for her patching, once her resources run elsewhere
  hacluster.crm.cluster_node:
    name: alice
    state: standby
  run_once: true

- name: Alice back online
  hacluster.crm.cluster_node:
    name: alice
    state: online
  run_once: true

- name: Purge carol, who left the cluster
  hacluster.crm.cluster_node:
    name: carol
    state: absent
  run_once: true
"""

RETURN = r"""
changes:
  description: With V(online), V(standby) and V(maintenance), the CIB changes (kind, id, action).
  returned: unless O(state=absent)
  type: list
  elements: dict
  sample: [{"kind": "node", "id": "alice", "action": "update"}]
known_in:
  description: Where pacemaker knew the node before the run.
  returned: with O(state=absent)
  type: list
  elements: str
  sample: ["membership cache", "CIB nodes"]
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._corosync import CorosyncConfError
from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._operations import parse_node_state
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._services import ClusterNode, ServiceError
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "absent", "choices": ["absent", "online", "standby", "maintenance"]},
            "timeout": {"type": "int", "default": 60},
            "corosync_conf": {"type": "path", "default": "/etc/corosync/corosync.conf"},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 300},
            **CIB_FILE,
        },
        supports_check_mode=True,
    )
    params = module.params
    if params["state"] == "absent":
        run(module, lambda: ClusterNode(module), ServiceError, CorosyncConfError)
    else:
        run_cib(module, lambda: parse_node_state(params["name"], params["state"]))


if __name__ == "__main__":
    main()
