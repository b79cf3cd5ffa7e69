#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_primitive
short_description: Declare Pacemaker primitives, as C(crm configure primitive) and C(crm resource start/stop) do
version_added: 0.1.0
description:
  - Makes one primitive, or many in one transaction, exist in the CIB exactly as declared.
  - Reads the CIB configuration once, builds the declared primitives on a copy (reusing existing ids),
    and writes one delta patch (C(crm_diff --no-version), applied with C(cibadmin --patch)), so writers
    touching other elements never lose their changes. A refused patch is recomputed from a fresh read;
    the module ends only when a fresh read shows the declared state.
  - Declared O(params) and O(ops) are the complete set for the primitive (undeclared ones are removed);
    O(meta) keys not declared are left alone, so an operator's C(crm resource stop) is not undone unless
    O(state) says so.
  - Everything is validated before anything is written, against the agent's metadata
    (C(crm_resource --show-metadata)), and the result against the CIB's own schema (check mode too).
    Nothing else in the CIB is touched; a change the delta would make outside the declared primitives
    (a move of another primitive's id-ref set) is dropped.
  - Fence devices are primitives of class C(stonith) and take the agent's parameters and the fencer's
    (C(pcmk_host_list), C(pcmk_host_map), C(pcmk_delay_max), ...; from C(pacemaker-fenced metadata)).
  - In check mode on a server where Pacemaker is not installed yet, the prediction is made against the empty
    configuration a new cluster starts with, without the agent checks (there are no agents to ask yet).
  - Values of secret parameters are masked (C(********)) in the result, the diff, errors and the invocation,
    each value on its own (the other parameters stay readable), and the invocation is never written to the
    node's journal. A parameter is secret when it is a credential parameter of the fence or resource agents
    Debian ships (C(password), C(passwd), C(community), C(hexadecimal_kg), C(snmp_priv_passwd), C(secret_key),
    C(test_pass), ..., and their C(*_script) forms), when its name says so (C(password), C(passphrase), C(secret),
    C(token), C(api_key)), or when its agent's metadata marks it as a password. The same rule masks values read
    back from the CIB.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
  - hacluster.crm.cib.WAIT
  - hacluster.crm.cib_items
options:
  id:
    description: The primitive's id. Use O(id) for one primitive, or O(primitives) for many.
    type: str
  agent:
    description:
      - The resource agent in crmsh's forms. C(Dummy) means C(ocf:heartbeat:Dummy);
        C(ocf:pacemaker:Stateful), C(systemd:nginx), C(stonith:fence_xvm).
      - Required unless O(state=absent).
    type: str
  params:
    description: Instance attributes; the complete set.
    type: dict
    default: {}
  meta:
    description: Meta attributes to set; a null value removes one. Others are left alone.
    type: dict
    default: {}
  ops:
    description:
      - Operations, the complete set. Each is a dict with C(name) and any op attribute (C(interval),
        default C(0s), C(timeout), C(role), ...). Ops are matched by name, interval and role.
    type: list
    elements: dict
    default: []
  description:
    description: The primitive's description. Left alone when not given.
    type: str
  state:
    description:
      - C(present), the primitive exists as declared; its target-role is left as it is.
      - C(started) and C(stopped) also set the target-role meta attribute, as C(crm resource start/stop) does.
      - C(absent) removes it.
    type: str
    choices: [present, absent, started, stopped]
    default: present
seealso:
  - module: hacluster.crm.cib_property
"""

EXAMPLES = r"""
- name: The guide's crm configure primitive p0 Dummy
  hacluster.crm.cib_primitive:
    id: p0
    agent: Dummy

- name: The guide's crm resource stop p0
  hacluster.crm.cib_primitive:
    id: p0
    agent: Dummy
    state: stopped

- name: Many primitives in one transaction
  hacluster.crm.cib_primitive:
    primitives:
      - id: vip
        agent: ocf:heartbeat:IPaddr2
        params: {ip: 10.0.0.10, cidr_netmask: 24}
        ops:
          - {name: monitor, interval: 10s, timeout: 20s}
      - id: web
        agent: systemd:nginx
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), one item per primitive.
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "primitive", "id": "p0", "action": "create"}]
patches_applied:
  description: How many patches were applied (0 when nothing changed, more than 1 after a refused patch was recomputed).
  returned: always
  type: int
changes_dropped:
  description: How many changes of the computed delta were dropped because they touched undeclared elements.
  returned: always
  type: int
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib_change import run_cib
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import parse_primitives
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE, WAIT, primitives_option
FIELDS = ("id", "agent", "params", "meta", "ops", "description", "state")


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "id": {"type": "str"},
            "agent": {"type": "str"},
            "params": {"type": "dict", "default": {}},
            "meta": {"type": "dict", "default": {}},
            "ops": {"type": "list", "elements": "dict", "default": []},
            "description": {"type": "str"},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent", "started", "stopped"]},
            "primitives": primitives_option(),
            **CIB_FILE,
            **WAIT,
        },
        mutually_exclusive=[("id", "primitives")],
        required_one_of=[("id", "primitives")],
        supports_check_mode=True,
    )
    items = module.params["primitives"]
    if items is None:
        items = [{key: module.params[key] for key in FIELDS}]
    run_cib(module, lambda: parse_primitives(items))


if __name__ == "__main__":
    main()
