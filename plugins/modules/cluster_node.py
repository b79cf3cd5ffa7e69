#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cluster_node
short_description: Remove a node that left the cluster from pacemaker, as C(crm cluster remove) does
version_added: 0.1.0
description:
  - Removes a node whose stack is stopped and which is no longer in the corosync nodelist from pacemaker's
    membership cache and from the CIB's nodes and status sections (C(crm_node --remove)), repeating the
    removal until neither knows it, since a removal that races with the node's departure leaves it listed
    as lost.
  - Does nothing when pacemaker no longer knows the node.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  name:
    description: The node's name.
    type: str
    required: true
  state:
    description: Only C(absent).
    type: str
    choices: [absent]
    default: absent
  timeout:
    description: Seconds to keep removing it.
    type: int
    default: 60
  corosync_conf:
    description: The corosync.conf whose nodelist must no longer hold the node.
    type: path
    default: /etc/corosync/corosync.conf
notes:
  - The node must have left first. A node still in the nodelist of O(corosync_conf), or still a running member
    (given 15 seconds to leave after its stack stopped), is refused at once with a message saying which, and
    nothing is removed.
"""

EXAMPLES = r"""
- name: Purge carol, who left the cluster
  hacluster.crm.cluster_node:
    name: carol
    state: absent
  run_once: true
"""

RETURN = r"""
known_in:
  description: Where pacemaker knew the node before the run.
  returned: always
  type: list
  elements: str
  sample: ["membership cache", "CIB nodes"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._corosync import CorosyncConfError
from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._services import ClusterNode, ServiceError


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "absent", "choices": ["absent"]},
            "timeout": {"type": "int", "default": 60},
            "corosync_conf": {"type": "path", "default": "/etc/corosync/corosync.conf"},
        },
        supports_check_mode=True,
    )
    run(module, lambda: ClusterNode(module), ServiceError, CorosyncConfError)


if __name__ == "__main__":
    main()
