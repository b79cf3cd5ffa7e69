#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: resource_move
short_description: Move a resource, ban it from a node, or clear its moves and bans, as C(crm resource move|ban|clear) do
version_added: 0.6.0
description:
  - V(moved) makes the constraint C(cli-prefer-<resource>) that C(crm resource move) makes, to O(node), with
    O(lifetime) as a rule that ends; V(banned) makes C(cli-ban-<resource>-on-<node>), as C(crm resource ban) does;
    V(cleared) removes them (all, or only those naming O(node)), as C(crm resource clear) does. The same ids and
    form as C(crm_resource), so crmsh and this module clear each other's moves; through the same CIB engine as
    M(hacluster.crm.cib_constraint).
  - A move is no change when the resource already has a move to that node (its lifetime is kept as it is); a ban
    when that ban exists; a clear when there is nothing to clear.
  - With O(wait) (the default), the module then waits until the cluster has settled, and fails unless the
    resource runs on O(node) after a move, or no longer runs there after a ban, naming where it runs.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
options:
  resource:
    description: The resource's id (a primitive, a group, a promotable clone; a clone of several instances is refused
      for a move, ban it instead).
    type: str
    required: true
  state:
    description: V(moved), V(banned) or V(cleared).
    type: str
    choices: [moved, banned, cleared]
    default: moved
  node:
    description: The node to move to or ban from; with V(cleared), clear only what names this node.
    type: str
  lifetime:
    description: How long a move or a ban lasts, an ISO 8601 duration (V(PT30M), V(PT1H), V(P1D)); unset, until cleared.
    type: str
  wait:
    description: After a change, wait until the cluster has settled and check where the resource runs.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait with O(wait).
    type: int
    default: 120
notes:
  - Clear a move once it is no longer needed; a move left in place pins the resource to the node.
"""

EXAMPLES = r"""
- name: crm resource move web bob
  hacluster.crm.resource_move:
    resource: web
    node: bob
  run_once: true

- name: crm resource clear web
  hacluster.crm.resource_move:
    resource: web
    state: cleared
  run_once: true
"""

RETURN = r"""
changes:
  description: The CIB changes (kind, id, action).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "rsc_location", "id": "cli-prefer-web", "action": "create"}]
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._operations import parse_resource_move
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "resource": {"type": "str", "required": True},
            "state": {"type": "str", "default": "moved", "choices": ["moved", "banned", "cleared"]},
            "node": {"type": "str"},
            "lifetime": {"type": "str"},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 120},
            **CIB_FILE,
        },
        required_if=[("state", "moved", ("node",)), ("state", "banned", ("node",))],
        supports_check_mode=True,
    )
    params = module.params
    run_cib(module, lambda: parse_resource_move(params["resource"], params["state"], params["node"],
                                                params["lifetime"]))


if __name__ == "__main__":
    main()
