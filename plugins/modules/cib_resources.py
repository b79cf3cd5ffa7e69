#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_resources
short_description: Declare resources, constraints, fencing levels and the rest of the CIB in one transaction
version_added: 0.3.0
description:
  - The whole resource model in one declaration - one CIB read, one delta patch - so the cluster never sees
    a half-made service; created one kind at a time, the members of a group would start ungrouped on any
    node before their group exists.
  - O(primitives) as M(hacluster.crm.cib_primitive) takes them, O(groups) as M(hacluster.crm.cib_group),
    O(clones) as M(hacluster.crm.cib_clone), O(constraints) as M(hacluster.crm.cib_constraint), and
    O(fencing_levels) as M(hacluster.crm.cib_fencing_topology).
  - References are checked before anything is written; a group member, a cloned resource, a constrained
    resource or a level's device must exist in the CIB or be declared in the same task. Then the result is
    checked against the CIB's schema. Only what is declared is touched.
  - New resources alone are one C(cibadmin --create) of the resources section (all of them or none); anything else one delta patch.
  - The rest of the CIB goes in the same transaction - O(templates), O(nodes) (attributes and utilization),
    O(acl_roles), O(acl_targets), O(acl_groups), O(alerts), O(tags), O(bundles); tickets are
    O(constraints[].type=ticket). Each element declared by id is owned as declared (the ids of what it
    replaces kept); node attributes are touched name by name.
  - Cluster properties, rsc_defaults and op_defaults go in the same transaction too, as
    M(hacluster.crm.cib_property) takes them (O(properties), O(rsc_defaults), O(op_defaults) and the sets with
    rules); they are applied before the resources.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
  - hacluster.crm.cib.WAIT
  - hacluster.crm.cib_items
  - hacluster.crm.cib_items.GROUPS
  - hacluster.crm.cib_items.CLONES
  - hacluster.crm.cib_items.CONSTRAINTS
  - hacluster.crm.cib_items.FENCING_LEVELS
  - hacluster.crm.cib_items.OBJECTS
  - hacluster.crm.cib_items.PROPERTIES
seealso:
  - module: hacluster.crm.cib_primitive
  - module: hacluster.crm.cib_group
  - module: hacluster.crm.cib_clone
  - module: hacluster.crm.cib_constraint
  - module: hacluster.crm.cib_property
"""

EXAMPLES = r"""
- name: A web service - a virtual IP and nginx in a group that prefers alice, in one transaction
  hacluster.crm.cib_resources:
    primitives:
      - {id: web-ip, agent: IPaddr2, params: {ip: 10.0.0.10, cidr_netmask: 24}, ops: [{name: monitor, interval: 10s}]}
      - {id: web-server, agent: "systemd:nginx", ops: [{name: monitor, interval: 10s}]}
    groups:
      - {id: web, members: [web-ip, web-server]}
    constraints:
      - {type: location, resource: web, node: alice, score: 100}
  run_once: true

- name: A read-only role for the operators, an alert to a file, and a rack attribute for rules
  hacluster.crm.cib_resources:
    acl_roles:
      - {id: read-only, permissions: [{kind: read, xpath: /cib}]}
    acl_groups:
      - {id: operators, roles: [read-only]}
    alerts:
      - id: to-file
        path: /usr/share/pacemaker/alerts/alert_file.sh.sample
        select: [nodes, fencing, resources]
        recipients: [{value: /var/log/pacemaker-alerts.log}]
    nodes:
      - {name: alice, attributes: {rack: "1"}, utilization: {cpu: 4, memory: 4096}}
  run_once: true
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), one item per element.
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "group", "id": "web", "action": "create"}]
patches_applied:
  description: How many writes were made.
  returned: always
  type: int
changes_dropped:
  description: How many changes of the computed delta were dropped because they touched undeclared elements.
  returned: always
  type: int
"""

import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import Together, run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._model import parse_model
from ansible_collections.hacluster.crm.plugins.module_utils._property import parse_properties
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import (
    CIB_FILE, PROPERTY_OPTIONS, WAIT, model_options, object_options, set_options,
)


def parse(params: dict[str, t.Any]) -> t.Any:
    """The resource model and, when any is declared, the properties and defaults before it."""
    model = parse_model(params["primitives"], params["groups"], params["clones"], params["constraints"],
                        params["fencing_levels"], params["templates"],
                        **{name: params[name] for name in object_options() if name != "templates"})
    if not any(params[name] for name in list(PROPERTY_OPTIONS) + list(set_options())):
        return model
    return Together((parse_properties(params["properties"], params["rsc_defaults"], params["op_defaults"],
                                      **{name: params[name] for name in set_options()}), model))


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            **model_options(),
            **object_options(),
            **PROPERTY_OPTIONS,
            **set_options(),
            **CIB_FILE,
            **WAIT,
        },
        supports_check_mode=True,
    )
    run_cib(module, lambda: parse(module.params))


if __name__ == "__main__":
    main()
