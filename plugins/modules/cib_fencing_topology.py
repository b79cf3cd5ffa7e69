#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_fencing_topology
short_description: Declare fencing levels, as C(crm configure fencing_topology) does
version_added: 0.3.0
description:
  - Makes the declared fencing levels exist in the CIB's C(fencing-topology) exactly as declared.
    Pacemaker tries a target's levels in index order; a level succeeds when all its devices do.
  - A level is matched by what it fences (its target) and its index, never by id, so a rerun never adds
    a duplicate; a new level gets the id C(fl-TARGET-INDEX), as pcs names them.
  - The same engine as M(hacluster.crm.cib_primitive) - one CIB read, one delta patch, retried only when the
    CIB moved underneath - with check mode and diff mode. Levels not declared are left alone unless
    O(exclusive=true).
  - Every level is checked before anything is written - one target, an index from 1 to 9, devices that are
    fence devices (primitives of class C(stonith)) in the CIB - and the result against the CIB's schema.
  - In check mode a device the CIB does not hold yet is accepted with a warning, since an earlier task of the
    same run (M(hacluster.crm.cib_primitive)) may create it.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
options:
  levels:
    description:
      - The levels, each a dict with exactly one target key, an C(index) and C(devices).
      - C(target), a node name; C(target_pattern), a regular expression of node names; or C(target_attribute)
        with C(target_value), the nodes whose node attribute has that value.
      - C(index), the level, from 1 to 9. C(devices), the fence devices' ids (a list, or crmsh's comma-separated
        string). C(state), V(present) or V(absent) for this level (default O(state)).
    type: list
    elements: dict
    required: true
  state:
    description: Whether the levels should exist (their devices as declared) or not.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description: Remove every level that is not declared, so the topology is exactly O(levels).
    type: bool
    default: false
seealso:
  - module: hacluster.crm.cib_primitive
"""

EXAMPLES = r"""
- name: Fence alice by IPMI first, then by switching her two PDU outlets off together
  hacluster.crm.cib_fencing_topology:
    levels:
      - {target: alice, index: 1, devices: [ipmi-alice]}
      - {target: alice, index: 2, devices: [pdu-a-alice, pdu-b-alice]}

- name: Every node of rack 1 through the rack's PDU
  hacluster.crm.cib_fencing_topology:
    levels:
      - {target_attribute: rack, target_value: "1", index: 1, devices: [pdu-rack1]}

- name: Nodes named web-* through one device
  hacluster.crm.cib_fencing_topology:
    levels:
      - {target_pattern: "web-.*", index: 1, devices: [fence-web]}
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), one item per level.
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "fencing-level", "id": "fl-alice-1", "action": "create"}]
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
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._topology import parse_topology
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "levels": {"type": "list", "elements": "dict", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "exclusive": {"type": "bool", "default": False},
            **CIB_FILE,
        },
        supports_check_mode=True,
    )
    params = module.params
    warned: set[str] = set()

    def accepts(device: str) -> bool:
        """Check mode: a device an earlier task of the run may create."""
        if not module.check_mode:
            return False
        if device not in warned:
            warned.add(device)
            module.warn("fence device %s is not in the CIB: accepted in check mode, on the assumption that an "
                        "earlier task creates it" % device)
        return True

    run_cib(module, lambda: parse_topology(params["levels"], params["state"], params["exclusive"], accepts))


if __name__ == "__main__":
    main()
