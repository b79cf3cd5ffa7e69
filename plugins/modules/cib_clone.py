#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_clone
short_description: Declare a clone or a promotable clone, as C(crm configure clone) does
version_added: 0.3.0
description:
  - Makes a clone of one primitive or one group exist with the declared meta attributes (C(clone-max),
    C(clone-node-max), C(interleave), ...; others left alone).
  - O(promotable=true) makes a promotable clone (the C(promotable) meta attribute). Pacemaker 3 removed
    C(ms)/master resources; promotable clones replace them, and Pacemaker 2.1 has them too.
  - The cloned resource must exist (in the CIB, or declared with M(hacluster.crm.cib_resources) in the same
    task), be a primitive or a group (a clone of a clone is refused), and be in no group or other clone.
  - O(state=absent) unclones, keeping the resource.
  - The engine of M(hacluster.crm.cib_resources) - one read, one delta patch, check and diff mode.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
options:
  id:
    description: The clone's id.
    type: str
    required: true
  resource:
    description: The id of the primitive or group to clone. Required unless O(state=absent).
    type: str
  meta:
    description: Meta attributes to set; a null value removes one. Others are left alone.
    type: dict
    default: {}
  promotable:
    description: A promotable clone (true) or a plain one (false). Left alone when not given.
    type: bool
  description:
    description: The clone's description. Left alone when not given.
    type: str
  state:
    description: Whether the clone exists as declared, or the resource is uncloned.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: hacluster.crm.cib_resources
"""

EXAMPLES = r"""
- name: crm configure clone ping-clone ping meta interleave=true
  hacluster.crm.cib_clone:
    id: ping-clone
    resource: ping
    meta: {interleave: true}
  run_once: true

- name: A promotable clone of a Stateful resource, one promoted instance
  hacluster.crm.cib_clone:
    id: db-clone
    resource: db
    promotable: true
    meta: {promoted-max: 1}
  run_once: true
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "clone", "id": "ping-clone", "action": "create"}]
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
            "resource": {"type": "str"},
            "meta": {"type": "dict", "default": {}},
            "promotable": {"type": "bool"},
            "description": {"type": "str"},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            **CIB_FILE,
        },
        required_if=[("state", "present", ("resource",))],
        supports_check_mode=True,
    )
    params = module.params
    keys = ("id", "resource", "meta", "promotable", "description", "state")
    run_cib(module, lambda: parse_model(None, None, [{k: params[k] for k in keys}], None, None))


if __name__ == "__main__":
    main()
