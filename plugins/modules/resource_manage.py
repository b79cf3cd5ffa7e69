#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: resource_manage
short_description: A resource managed or not, in maintenance or not, as C(crm resource manage|unmanage|maintenance) do
version_added: 0.6.0
description:
  - Sets a resource's C(is-managed) and C(maintenance) meta attributes in its C(<id>-meta_attributes) set, as crmsh
    does, through the same CIB engine as M(hacluster.crm.cib_primitive). An unmanaged resource is monitored but
    never started or stopped; one in maintenance is neither.
  - Turning one off writes its false value, as crmsh does, and only where it is on.
  - The resource may be a primitive, a group, a clone or a bundle. M(hacluster.crm.cib_primitive) declares meta
    attributes without owning the others, so a later run of the resources role keeps these as they are, unless it
    declares them.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
  - hacluster.crm.cib.WAIT
options:
  resource:
    description: The resource's id.
    type: str
    required: true
  managed:
    description: Whether Pacemaker manages the resource (C(is-managed)); unset, left as it is.
    type: bool
  maintenance:
    description: Whether the resource is in maintenance (C(maintenance)); unset, left as it is.
    type: bool
notes:
  - Give O(managed), O(maintenance) or both.
"""

EXAMPLES = r"""
- name: Leave the database to its administrators while they work on it
  hacluster.crm.resource_manage:
    resource: db
    maintenance: true
  run_once: true
"""

RETURN = r"""
changes:
  description: The CIB changes (kind, id, action).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "primitive", "id": "db", "action": "update"}]
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._operations import parse_resource_manage
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE, WAIT


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "resource": {"type": "str", "required": True},
            "managed": {"type": "bool"},
            "maintenance": {"type": "bool"},
            **CIB_FILE,
            **WAIT,
        },
        required_one_of=[("managed", "maintenance")],
        supports_check_mode=True,
    )
    params = module.params
    run_cib(module, lambda: parse_resource_manage(params["resource"], params["managed"], params["maintenance"]))


if __name__ == "__main__":
    main()
