#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_group
short_description: Declare a resource group, as C(crm configure group) does
version_added: 0.3.0
description:
  - Makes a group hold exactly the declared primitives, in the declared order (Pacemaker starts them in that
    order and stops them in reverse, all on one node), with the declared meta attributes (others left alone).
  - The members must exist (in the CIB, or declared with M(hacluster.crm.cib_resources) in the same task), be
    primitives, and be in no other group or clone; a primitive removed from the group stays, ungrouped.
  - O(state=absent) ungroups, keeping the members, as crmsh's C(delete) of a group does.
  - The engine of M(hacluster.crm.cib_resources) - one read, one delta patch, check and diff mode.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
options:
  id:
    description: The group's id.
    type: str
    required: true
  members:
    description: The member primitives' ids, in start order. Required unless O(state=absent).
    type: list
    elements: str
    default: []
  meta:
    description: Meta attributes to set; a null value removes one. Others are left alone.
    type: dict
    default: {}
  description:
    description: The group's description. Left alone when not given.
    type: str
  state:
    description: Whether the group exists as declared, or is ungrouped.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: hacluster.crm.cib_resources
"""

EXAMPLES = r"""
- name: crm configure group web web-ip web-server
  hacluster.crm.cib_group:
    id: web
    members: [web-ip, web-server]
  run_once: true
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode).
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

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._model import parse_model
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "id": {"type": "str", "required": True},
            "members": {"type": "list", "elements": "str", "default": []},
            "meta": {"type": "dict", "default": {}},
            "description": {"type": "str"},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            **CIB_FILE,
        },
        supports_check_mode=True,
    )
    params = module.params
    group = {k: params[k] for k in ("id", "members", "meta", "description", "state")}
    run_cib(module, lambda: parse_model(None, [group], None, None, None))


if __name__ == "__main__":
    main()
