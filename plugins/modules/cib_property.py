#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_property
short_description: Set cluster properties, rsc_defaults and op_defaults, as C(crm configure property) does
version_added: 0.1.0
description:
  - Sets the declared cluster properties (in the C(cib-bootstrap-options) set), resource defaults
    (C(rsc-options)) and operation defaults (C(op-options)), the sets and ids crmsh uses.
  - Only the declared names are touched; a null value removes one. One delta patch for everything,
    with the same engine as M(hacluster.crm.cib_primitive).
  - Property names are checked against the pacemaker daemons' own metadata, before anything is written.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
options:
  properties:
    description: Cluster properties, for example C(stonith-enabled) or C(no-quorum-policy).
    type: dict
    default: {}
  rsc_defaults:
    description: Resource defaults, for example C(resource-stickiness).
    type: dict
    default: {}
  op_defaults:
    description: Operation defaults, for example C(timeout).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: A lab cluster without fencing, and crmsh 5's bootstrap defaults
  hacluster.crm.cib_property:
    properties:
      stonith-enabled: false
    rsc_defaults:
      resource-stickiness: 1
      migration-threshold: 3
    op_defaults:
      timeout: 600
"""

RETURN = r"""
changes:
  description: The sections that changed (or would change in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "properties", "id": "crm_config", "action": "update"}]
patches_applied:
  description: How many patches were applied.
  returned: always
  type: int
changes_dropped:
  description: How many changes of the computed delta were dropped because they touched undeclared elements.
  returned: always
  type: int
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._property import parse_properties
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "properties": {"type": "dict", "default": {}},
            "rsc_defaults": {"type": "dict", "default": {}},
            "op_defaults": {"type": "dict", "default": {}},
            **CIB_FILE,
        },
        supports_check_mode=True,
    )
    params = module.params
    run_cib(module, lambda: parse_properties(params["properties"], params["rsc_defaults"], params["op_defaults"]))


if __name__ == "__main__":
    main()
