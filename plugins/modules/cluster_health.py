#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cluster_health
short_description: One node's health facts, for C(crm cluster health)
version_added: 0.1.0
description:
  - Collects what C(crm cluster health) compares across nodes; package versions of pacemaker, corosync
    and crmsh, kernel and distribution, checksums of corosync.conf and the authkey (hashes only), the
    node's clock, free disk, uptime and load, whether each peer resolves and answers, corosync's link
    status and quorum.
  - Works before the cluster exists; what is not there yet is reported as null.
  - Read-only. The C(hacluster.crm.health_report) filter compares the results of all nodes.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.INFO
options:
  nodes:
    description: The cluster's nodes, each a dict with C(name) and C(ring0_addr), as the nodelist holds them.
    type: list
    elements: dict
    default: []
  paths:
    description: Folders whose free disk space counts.
    type: list
    elements: path
    default: [/var/lib/pacemaker, /var/log]
"""

EXAMPLES = r"""
- name: Health facts of every node
  hacluster.crm.cluster_health:
    nodes: "{{ groups['cluster'] | hacluster.crm.nodelist(hostvars) }}"
  register: health
"""

RETURN = r"""
health:
  description: The node's health facts.
  returned: always
  type: dict
  sample: {"packages": {"pacemaker": "2.1.5-1+deb12u1"}, "checksums": {"authkey": "3f5b..."}, "quorate": true}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._engine import failing_on
from ansible_collections.hacluster.crm.plugins.module_utils._health import collect
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "nodes": {"type": "list", "elements": "dict", "default": []},
            "paths": {"type": "list", "elements": "path", "default": ["/var/lib/pacemaker", "/var/log"]},
        },
        supports_check_mode=True,
    )
    with failing_on(module):
        health = collect(Runner(module), module.params["nodes"], module.params["paths"])
    module.exit_json(changed=False, health=health)


if __name__ == "__main__":
    main()
