#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: firewall_ports
short_description: Open the cluster's ports with the firewall the node runs (firewalld, ufw or nftables)
version_added: 0.1.0
description:
  - Opens the given ports, runtime and persistent, with firewalld (default zone), ufw, or nftables.
  - With nftables the rules go into the operator's filtering input chain (found, or named with
    O(nft_chain)), inserted before the operator's rules, none of which is removed or reordered, because
    a drop in any base chain is final and a table of our own could not open a port there. They persist in
    O(nft_rules_file), included at the end of O(nft_config), so a reload of the operator's nftables
    service (whose config begins with C(flush ruleset)) or a reboot keeps them. Both files are checked
    with C(nft -c) before anything is loaded or written.
  - O(backend=auto) uses whichever is active and does nothing when none is.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  ports:
    description: Ports to open, as C(PORT/PROTO) or C(FIRST-LAST/PROTO), for example C(5404-5405/udp).
    type: list
    elements: str
    required: true
  corosync_conf:
    description:
      - Also open the UDP port of every knet link in this corosync.conf (a link's C(mcastport), else 5405 plus
        its link number), when the file exists.
    type: path
  backend:
    description: The firewall to use.
    type: str
    choices: [auto, firewalld, ufw, nftables]
    default: auto
  zone:
    description: The firewalld zone (default, the default zone).
    type: str
  nft_chain:
    description: The nftables input chain as C(FAMILY TABLE CHAIN) (default, found; C(inet filter input) first).
    type: str
  nft_config:
    description: The operator's nftables config, which gets one include line at its end.
    type: path
    default: /etc/nftables.conf
  nft_rules_file:
    description: The file holding the cluster's nftables rules.
    type: path
    default: /etc/nftables.hacluster-crm.nft
"""

EXAMPLES = r"""
- name: The guide's ports
  hacluster.crm.firewall_ports:
    ports: [5404-5405/udp, 5560/tcp, 21064/tcp, 30865/tcp, 7630/tcp]
    corosync_conf: /etc/corosync/corosync.conf
"""

RETURN = r"""
backend:
  description: The firewall used; null when none is active.
  returned: always
  type: str
steps:
  description: What changed (or would change in check mode).
  returned: always
  type: list
  elements: str
ports:
  description: The ports, normalised.
  returned: success
  type: list
  elements: str
chain:
  description: The nftables chain the rules went into.
  returned: with nftables
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._firewall import run_module


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "ports": {"type": "list", "elements": "str", "required": True},
            "corosync_conf": {"type": "path"},
            "backend": {"type": "str", "default": "auto", "choices": ["auto", "firewalld", "ufw", "nftables"]},
            "zone": {"type": "str"},
            "nft_chain": {"type": "str"},
            "nft_config": {"type": "path", "default": "/etc/nftables.conf"},
            "nft_rules_file": {"type": "path", "default": "/etc/nftables.hacluster-crm.nft"},
        },
        supports_check_mode=True,
    )
    run_module(module)


if __name__ == "__main__":
    main()
