#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: resource_action
short_description: Clean up, refresh or restart a resource, as C(crm resource cleanup|refresh|restart) do
version_added: 0.6.0
description:
  - V(cleanup) clears the fail counts and failed actions of a resource (or of every resource), on a node or on
    all (C(crm_resource --cleanup)). It is a change only where crm_mon shows a fail count or a failed action to
    clear, so a second run, and a run on a healthy cluster, change nothing. Check mode lists what it would clear.
  - V(refresh) makes Pacemaker forget the resource's history and probe it again (C(crm_resource --refresh)). No
    state tells whether that is needed, so it is always a change, as a handler's restart is.
  - V(restart) stops and starts the resource and what depends on it (C(crm_resource --restart)). It is a change
    where the resource is active, and no change where it is not.
  - With O(wait) (the default), the module waits until the cluster has settled afterwards.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  action:
    description: V(cleanup), V(refresh) or V(restart).
    type: str
    choices: [cleanup, refresh, restart]
    required: true
  resource:
    description: The resource's id (a primitive, a group or a clone); unset, every resource (not for V(restart)).
    type: str
  node:
    description: Only on this node (V(cleanup) and V(refresh)); unset, on every node.
    type: str
  wait:
    description: Wait until the cluster has settled afterwards.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait, and for V(restart) the time its stop and start may take.
    type: int
    default: 120
requirements:
  - lxml on the managed node
  - pacemaker's command line tools on the managed node
"""

EXAMPLES = r"""
- name: crm resource cleanup web
  hacluster.crm.resource_action:
    action: cleanup
    resource: web
  run_once: true
"""

RETURN = r"""
failures:
  description: Before the run, per resource and node, the fail count and failed actions (those a cleanup clears).
  returned: always
  type: list
  elements: dict
  sample: [{"resource": "web", "node": "alice", "fail_count": 1, "failed_actions": ["web_monitor_10000"]}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError
from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._operations import ResourceAction


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "action": {"type": "str", "required": True, "choices": ["cleanup", "refresh", "restart"]},
            "resource": {"type": "str"},
            "node": {"type": "str"},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 120},
        },
        required_if=[("action", "restart", ("resource",))],
        supports_check_mode=True,
    )
    run(module, lambda: ResourceAction(module), CibError)


if __name__ == "__main__":
    main()
