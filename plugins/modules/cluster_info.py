#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cluster_info
short_description: The cluster's status as data, as C(crm status) shows it
version_added: 0.1.0
description:
  - Reads C(crm_mon --output-as=xml --fence-history) into structured data; nodes, quorum, DC, resources, failed
    actions, fencing (enabled or not, the fence devices, the history) and the quorum device.
  - Read-only.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.INFO
options: {}
requirements:
  - lxml on the managed node
"""

EXAMPLES = r"""
- name: crm status
  hacluster.crm.cluster_info:
  register: cluster

- name: The ids of the Started resources
  ansible.builtin.debug:
    msg: "{{ cluster.status | hacluster.crm.query('resources[?role==`Started`].id') }}"
"""

RETURN = r"""
status:
  description: The status.
  returned: always
  type: dict
  contains:
    running:
      description: Whether Pacemaker runs and answers on this node; when false, C(reason) says why (crm_mon's words).
      type: bool
    reason:
      description: Why the cluster is reported down (only when C(running) is false).
      type: str
    dc:
      description: The DC's name; null when there is none.
      type: str
    quorate:
      description: Whether this node's partition has quorum.
      type: bool
    stack:
      description: The cluster stack.
      type: str
    nodes:
      description:
        - One dict per node; C(name), C(id), C(online), C(standby), C(maintenance), C(unclean), C(pending), C(is_dc).
        - C(type), V(member), V(remote) for a Pacemaker Remote node, or V(ping) (version 0.6.0).
      type: list
      elements: dict
    resources:
      description: One dict per resource; C(id), C(agent), C(role), C(target_role), C(active), C(failed), C(nodes).
      type: list
      elements: dict
    failed_actions:
      description: The failed actions, as crm_mon reports them.
      type: list
      elements: dict
    fail_counts:
      description:
        - Per resource and node with a fail count (crm_mon's node history), C(resource), C(node), C(fail_count)
          (INFINITY as 1000000), C(migration_threshold), C(last_failure); what a cleanup clears (version 0.6.0).
      type: list
      elements: dict
    members:
      description: Per group, clone and bundle id, the ids of the resources it holds (version 0.6.0).
      type: dict
    stonith_enabled:
      description: Whether fencing is enabled (the C(stonith-enabled) property); null when the cluster is down.
      type: bool
    fence_devices:
      description: The fence devices (resources of class stonith), as in C(resources).
      type: list
      elements: dict
    fencing_history:
      description:
        - Every fencing action the cluster remembers, newest first (C(crm_mon --fence-history)); C(target), C(action),
          C(status) (V(success), V(failed), V(pending)), C(delegate) (the node that fenced), C(origin) and C(client)
          (who asked), C(completed), C(exit_reason).
      type: list
      elements: dict
    last_fencing:
      description: The newest fencing event of each node that was fenced, by node name.
      type: dict
    qdevice:
      description:
        - This node's quorum device as C(corosync-qdevice-tool -s) reports it; C(running), C(state) (C(Connected), ...),
          C(qnetd_host), C(algorithm), C(tie_breaker), C(model), C(cluster_name). Null without corosync-qdevice.
      type: dict
    links:
      description:
        - This node's view of corosync's links (C(corosync-cfgtool -n), read from corosync's map); C(configured), the
          link numbers of the nodelist in effect, and C(peers), per other node by name, whether each link to it is
          connected (for bob with link 0 cut, V(false) for its link V(0) and V(true) for V(1)). Null when corosync is
          not running (version 0.6.0).
      type: dict
    schema:
      description:
        - C(validate_with), the schema the CIB validates with (V(pacemaker-3.10)), and C(newest), the newest schema this
          node's Pacemaker knows, which C(cibadmin --upgrade) moves the CIB to; they differ after an upgrade of
          Pacemaker until the CIB is upgraded. Null when the CIB cannot be read on this node (version 0.6.0).
      type: dict
  sample: {"dc": "alice", "quorate": true, "nodes": [{"name": "alice", "online": true}], "resources": []}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils import _status
from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib
from ansible_collections.hacluster.crm.plugins.module_utils._engine import failing_on
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner


def main() -> None:
    module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    with failing_on(module):
        runner = Runner(module)
        status = _status.read(runner)
        status["qdevice"] = _status.qdevice(runner)
        status["links"] = _status.links(runner)
        try:
            status["schema"] = Cib(runner).schema_versions()
        except CommandError:  # the CIB cannot be read here
            status["schema"] = None
    module.exit_json(changed=False, status=status)


if __name__ == "__main__":
    main()
