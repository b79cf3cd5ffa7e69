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
    description:
      - The firewalld zone. By default, the zone of each interface that carries one of O(addresses) (or a ring
        address of O(corosync_conf)); every link's interface gets the ports in its own zone. Else the default zone.
    type: str
  addresses:
    description: The node's cluster addresses (names are resolved on the node), to find the firewalld zone.
    type: list
    elements: str
    default: []
  nft_chain:
    description:
      - The one nftables input chain to use, as C(FAMILY TABLE CHAIN).
      - By default every input filter chain that may drop the cluster's traffic (a drop policy, or a drop or reject
        rule) gets the rules, in the C(inet), C(ip) and C(ip6) families alike.
    type: str
  nft_config:
    description:
      - The operator's persistent nftables config, which gets one include line at its end; it is checked with the
        new rules (C(nft -c)) before the running ruleset is touched.
      - By default C(/etc/nftables.conf) (Debian, SUSE), else C(/etc/sysconfig/nftables.conf) (RHEL). When neither
        exists the rules go into the running ruleset only, with a warning, and RV(persistent) is false.
    type: path
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
  description: The first nftables chain the rules went into.
  returned: with nftables
  type: str
chains:
  description: Every nftables chain the rules went into.
  returned: with nftables
  type: list
  elements: str
persistent:
  description: Whether the nftables rules are in a config that the nftables service loads at boot.
  returned: with nftables
  type: bool
zone:
  description: The firewalld zone the ports were opened in (the first, when there are several).
  returned: with firewalld
  type: str
zones:
  description: Every firewalld zone the ports were opened in, one per zone of the cluster's interfaces (version 0.6.0).
  returned: with firewalld
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._firewall import FirewallError, FirewallPorts


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "ports": {"type": "list", "elements": "str", "required": True},
            "corosync_conf": {"type": "path"},
            "backend": {"type": "str", "default": "auto", "choices": ["auto", "firewalld", "ufw", "nftables"]},
            "zone": {"type": "str"},
            "nft_chain": {"type": "str"},
            "addresses": {"type": "list", "elements": "str", "default": []},
            "nft_config": {"type": "path"},
            "nft_rules_file": {"type": "path", "default": "/etc/nftables.hacluster-crm.nft"},
        },
        supports_check_mode=True,
    )
    run(module, lambda: FirewallPorts(module), FirewallError)


if __name__ == "__main__":
    main()
