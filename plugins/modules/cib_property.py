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
  - Sets with a rule (crmsh's C(property $id=night rule date spec hours=0-6 ...), C(rsc_defaults) and
    C(op_defaults) with rules) go in O(property_sets), O(rsc_defaults_sets) and O(op_defaults_sets), each
    declared whole by its id.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
  - hacluster.crm.cib_items.PROPERTIES
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

- name: A longer stonith-timeout at night, and stickiness for the addresses only
  hacluster.crm.cib_property:
    property_sets:
      - id: night
        score: 10
        rule: {expressions: [{date: {operation: date_spec, date_spec: {hours: 0-6}}}]}
        values: {stonith-timeout: 120s}
    rsc_defaults_sets:
      - id: ip-defaults
        rule: {expressions: [{resource: {class: ocf, provider: heartbeat, type: IPaddr2}}]}
        values: {resource-stickiness: 100}
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
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE, PROPERTY_OPTIONS, set_options


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            **PROPERTY_OPTIONS,
            **set_options(),
            **CIB_FILE,
        },
        supports_check_mode=True,
    )
    params = module.params
    run_cib(module, lambda: parse_properties(params["properties"], params["rsc_defaults"], params["op_defaults"],
                                             **{name: params[name] for name in set_options()}))


if __name__ == "__main__":
    main()
