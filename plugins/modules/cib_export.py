#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cib_export
short_description: The live CIB configuration as this collection's variables, to adopt a cluster built by hand
version_added: 0.3.0
description:
  - Reads the CIB configuration and returns it as the roles' variables - C(crm_properties), C(crm_rsc_defaults),
    C(crm_op_defaults), C(crm_resources), C(crm_groups), C(crm_clones), C(crm_constraints), C(crm_fencing),
    C(crm_fencing_levels) - so that C(site.yml) run with them against the cluster they came from changes
    nothing. C(playbooks/export.yml) writes them to a C(group_vars) file.
  - Properties Pacemaker maintains itself (C(dc-version), C(cluster-infrastructure), C(cluster-name),
    C(have-watchdog), C(last-lrm-refresh)) are left out, and so are the temporary constraints of
    C(crm resource move/ban) (C(cli-prefer-*), C(cli-ban-*)). What the collection cannot declare (date rules,
    bundles, master resources, tickets) is left out and named in RV(notes); the roles leave it alone.
  - A secret parameter value (a password, an SNMP community, an IPMI Kg key, ... - by its name or the agent's
    metadata) never goes into the variables; it becomes a reference C({{ crm_secret_ID_PARAM }}), unique per
    device and parameter. Its value is returned in RV(secrets) only with O(include_secrets=true); set C(no_log)
    on such a task.
  - Values read from the cluster are data, never templates. RV(content) is the variables file as YAML with
    every such value tagged C(!unsafe), so a C({{ ... }}) in a description or a password is never run by
    Ansible when it reads the file; only the secret references are templates.
  - Everything the collection declares is read whole, so that declaring it again changes nothing - a colocation's
    C(node-attribute), a location's C(resource-discovery), an order's C(score), an op's own attributes
    (C(OCF_CHECK_LEVEL)), a C(pcmk_host_list) as it is written. An element holding what the collection cannot
    declare (a resource template, a date rule, a lifetime) is left out and named in RV(notes); the roles
    leave it untouched.
  - Read-only.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.cib
  - hacluster.crm.attributes
  - hacluster.crm.attributes.INFO
options:
  include_secrets:
    description: Return the secret values in RV(secrets), keyed by the variable each reference names.
    type: bool
    default: false
seealso:
  - module: hacluster.crm.cib_resources
"""

EXAMPLES = r"""
- name: The configuration as variables
  hacluster.crm.cib_export:
  register: exported
  run_once: true

- name: Write them where the inventory finds them
  ansible.builtin.copy:
    content: "{{ exported.variables | to_nice_yaml(indent=2) }}"
    dest: "{{ inventory_dir }}/group_vars/cluster/crm.yml"
    mode: "0644"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
variables:
  description: The roles' variables, keyed by variable name.
  returned: always
  type: dict
  sample: {"crm_resources": [{"id": "p0", "agent": "ocf:heartbeat:Dummy"}], "crm_groups": []}
secrets:
  description: The secret values, keyed by the variable names the references in RV(variables) use.
  returned: when O(include_secrets=true)
  type: dict
content:
  description: The variables as a YAML file, values read from the cluster tagged C(!unsafe).
  returned: always
  type: str
secrets_content:
  description: The secret values as a YAML file (empty when there are none), values tagged C(!unsafe).
  returned: when O(include_secrets=true)
  type: str
notes:
  description: What was left out, and why.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, CibError
from ansible_collections.hacluster.crm.plugins.module_utils._engine import failing_on
from ansible_collections.hacluster.crm.plugins.module_utils._export import Exporter, render, render_secrets
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE


def main() -> None:
    module = SecretAwareModule(
        argument_spec={
            "include_secrets": {"type": "bool", "default": False},
            **CIB_FILE,
        },
        supports_check_mode=True,
    )
    with failing_on(module, CibError):
        exporter = Exporter(Cib(Runner(module), module.params["cib_file"]), module.params["include_secrets"])
        variables = exporter.export()
    result = {"changed": False, "variables": variables, "content": render(variables), "notes": exporter.notes}
    if module.params["include_secrets"]:
        result["secrets"] = exporter.secrets
        result["secrets_content"] = render_secrets(exporter.secrets)
    else:
        module.register_secrets(exporter.secrets.values())
    module.exit_json(**result)


if __name__ == "__main__":
    main()
