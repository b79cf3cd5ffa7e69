#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_constraint
short_description: Declare location, colocation and order constraints, as C(crm configure location/colocation/order) do
version_added: 0.3.0
description:
  - Makes the declared constraints exist exactly as declared.
  - A constraint without an C(id) is matched by what it says - a location by its resource and node
    (or its rules' expressions), a colocation by its two resources and roles, an order by its first and then
    resource, a set constraint by its sets - so a rerun never adds a duplicate, and a changed score updates the
    constraint in place. New ones are named like pcs names them (C(location-web-alice), C(colocation-ip-db),
    C(order-ip-web)).
  - Every resource a constraint names must exist (in the CIB, or declared with M(hacluster.crm.cib_resources) in the
    same task); roles are C(Started), C(Stopped), C(Promoted), C(Unpromoted) (Pacemaker 2's C(Master) and
    C(Slave) mean the last two); scores are integers or C(INFINITY)/C(-INFINITY). Anything else is refused before anything is written.
  - The engine of M(hacluster.crm.cib_resources) - one read, one delta patch, check and diff mode. Constraints not
    declared are left alone.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
  - hacluster.crm.cib_items.CONSTRAINTS
options:
  constraints:
    required: true
seealso:
  - module: hacluster.crm.cib_resources
"""

EXAMPLES = r"""
- name: web prefers alice, the IP goes with the promoted database, and starts after it
  hacluster.crm.cib_constraint:
    constraints:
      - {type: location, resource: web, node: alice, score: 100}
      - {type: colocation, resource: db-ip, with: db-clone, with_role: Promoted}
      - {type: order, first: db-clone, first_action: promote, then: db-ip, then_action: start}
  run_once: true

- name: Never on nodes without the storage attribute (crm configure location ... rule -inf; not_defined storage)
  hacluster.crm.cib_constraint:
    constraints:
      - type: location
        resource: db-clone
        rules:
          - {score: -INFINITY, expressions: [{attribute: storage, operation: not_defined}]}
  run_once: true
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), one item per constraint.
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "location", "id": "location-web-alice", "action": "create"}]
patches_applied:
  description: How many writes were made.
  returned: always
  type: int
changes_dropped:
  description: How many changes of the computed delta were dropped because they touched undeclared elements.
  returned: always
  type: int
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._model import parse_model
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE, CONSTRAINT_OPTIONS, items_option


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "constraints": items_option(CONSTRAINT_OPTIONS, required=True),
            **CIB_FILE,
        },
        supports_check_mode=True,
    )
    run_cib(module, lambda: parse_model(None, None, None, module.params["constraints"], None))


if __name__ == "__main__":
    main()
