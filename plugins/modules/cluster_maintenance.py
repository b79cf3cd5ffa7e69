#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cluster_maintenance
short_description: The cluster's maintenance mode on or off, as C(crm maintenance on|off) does
version_added: 0.6.0
description:
  - Sets the C(maintenance-mode) cluster property in C(cib-bootstrap-options), as crmsh does, through the same CIB
    engine as M(hacluster.crm.cib_property). In maintenance mode Pacemaker neither starts, stops nor monitors any
    resource; they keep running as they are.
  - V(off) writes C(maintenance-mode=false), and only where the mode is on; an absent property is no change.
  - With O(wait), the module waits until the cluster has settled after a change (C(crm_resource --wait)).
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
  - hacluster.crm.cib.WAIT
options:
  state:
    description: V(on) or V(off).
    type: str
    choices: ["on", "off"]
    required: true
"""

EXAMPLES = r"""
- name: Maintenance mode while the stack is worked on
  hacluster.crm.cluster_maintenance:
    state: "on"
  run_once: true
"""

RETURN = r"""
changes:
  description: The CIB changes (kind, id, action).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "properties", "id": "crm_config", "action": "update"}]
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._operations import ClusterMaintenance
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE, WAIT


def main() -> None:
    module = SecretAwareModule(
        argument_spec={"state": {"type": "str", "required": True, "choices": ["on", "off"]}, **CIB_FILE, **WAIT},
        supports_check_mode=True,
    )
    run_cib(module, lambda: ClusterMaintenance(module.params["state"] == "on"))


if __name__ == "__main__":
    main()
