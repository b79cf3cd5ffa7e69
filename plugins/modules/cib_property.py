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
  property_sets:
    description:
      - More cluster property sets, each with its id, an optional score (the higher wins where several rules
        match) and an optional rule (O(property_sets[].rule), as a location constraint's rule - expressions of
        every kind, nested rules). Each is owned as declared.
    type: list
    elements: dict
    suboptions: &sets
      id:
        description: The set's id; not the plain set's (C(cib-bootstrap-options), C(rsc-options), C(op-options)).
        type: str
        required: true
      score:
        description: The set's score.
        type: raw
      rule:
        description: The rule under which the set applies, as a location constraint's rule in M(hacluster.crm.cib_resources).
        type: dict
      values:
        description: The names and values of the set.
        type: dict
      state:
        description: C(absent) removes the set.
        type: str
        choices: [present, absent]
        default: present
  rsc_defaults_sets:
    description: More resource default sets (with C(resource) expressions in their rules), as O(property_sets).
    type: list
    elements: dict
    suboptions: *sets
  op_defaults_sets:
    description: More operation default sets (with C(resource) and C(op) expressions), as O(property_sets).
    type: list
    elements: dict
    suboptions: *sets
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
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE, set_options


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "properties": {"type": "dict", "default": {}},
            "rsc_defaults": {"type": "dict", "default": {}},
            "op_defaults": {"type": "dict", "default": {}},
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
