#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: corosync_conf
short_description: Set keys and the nodelist in corosync.conf, as C(crm corosync set) does, done right
version_added: 0.1.0
description:
  - Parses C(corosync.conf) with corosync's own grammar into a model that keeps comments, blank lines
    and the text of untouched lines, sets dotted keys and the nodelist, and writes the file atomically
    only when something changed.
  - A key set to the value already in effect changes nothing, even when the key is duplicated (the last
    one wins, as in corosync). Setting a new value leaves one line. Missing sections are created.
  - Tells whether the change can be applied to a running cluster with C(corosync-cfgtool -R)
    (RV(reload_required)) or needs corosync restarted (RV(restart_required)); it applies neither, so that
    a play can push the same file to every node first (C(crm corosync push)). The M(hacluster.crm.cluster_service)
    module and the C(quorum) role apply it. Measured on corosync 3.1.7 and 3.1.9 (knet), a reload applies a link
    added or removed, a link's C(knet_link_priority), C(knet_ping_interval) and C(knet_ping_timeout), the crypto keys
    and a new authkey; C(link_mode), a link's C(mcastport) and the other totem keys need a restart.
  - Tells a restart that cannot roll one node at a time (RV(cannot_roll)).
  - Running it with neither O(settings) nor O(nodes) reads the file (C(crm corosync get)).
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  path:
    description: The corosync.conf file.
    type: path
    default: /etc/corosync/corosync.conf
  settings:
    description:
      - Dotted keys to scalar values, for example C(quorum.expected_votes) or C(totem.token).
      - A null value removes the key.
      - Repeated sections that corosync keeps apart are addressed as corosync's own runtime keys name them,
        an interface by its link, C(totem.interface.1.knet_link_priority); a logger_subsys section by its
        subsys, C(logging.logger_subsys.QUORUM.debug). A missing one is created with its C(linknumber) or
        C(subsys) line. Other repeated sections are merged, as corosync merges them.
      - Values are one line of printable text that corosync can read back (a line holds at most 510
        characters); they may not contain C({) or C(}), nor start with C(#). YAML booleans are refused,
        as corosync has none; quote C('yes') or C('on').
    type: dict
    default: {}
  nodes:
    description:
      - The complete nodelist, one dict of node keys per node (C(name), C(nodeid), C(ring0_addr), ...).
      - Nodes are matched with existing C(node) sections by C(nodeid), then by C(name), then by
        C(ring0_addr) (corosync's udpu example writes nodes with neither id nor name), so reordering this
        list does not rewrite the file. Node keys not given are removed from that node; nodes not listed
        are removed.
      - A file with several C(nodelist) sections (corosync merges node N of each into one node) is left
        as it is when O(nodes) describes the same nodes, and refused otherwise; it is never cut down to
        what one section says.
      - Omit to leave the nodelist alone.
    type: list
    elements: dict
  backup:
    description: Keep the previous file beside the new one; its path is returned as RV(backup_file).
    type: bool
    default: false
  validate:
    description:
      - Check the candidate with C(corosync -t) before writing it, on every host where corosync is installed
        (it reads the authkey when crypto is on). On a host outside the nodelist corosync's check ends at
        finding the local node, after its parser and value checks have passed; that much is checked there.
        Where corosync is not installed the check cannot run and RV(validated) is false.
      - The check runs in check mode too, on a copy in a private temporary folder; before the cluster has its
        authkey (check mode on a fresh node), that copy reads a stand-in key from the same folder.
    type: bool
    default: true
notes:
  - Nothing is written when any key, value or node is refused, nor when the current file cannot be parsed.
seealso:
  - module: hacluster.crm.cluster_service
"""

EXAMPLES = r"""
- name: The guide's quorum settings (crm corosync set quorum.*)
  hacluster.crm.corosync_conf:
    settings:
      quorum.provider: corosync_votequorum
      quorum.expected_votes: 2
      quorum.two_node: 1

- name: A three-node nodelist
  hacluster.crm.corosync_conf:
    nodes:
      - {name: alice, nodeid: 1, ring0_addr: 10.0.0.2}
      - {name: bob, nodeid: 2, ring0_addr: 10.0.0.3}
      - {name: carol, nodeid: 3, ring0_addr: 10.0.0.4}

- name: Read the file as corosync does (crm corosync get)
  hacluster.crm.corosync_conf:
  register: corosync
"""

RETURN = r"""
config:
  description:
    - The whole file as corosync reads it, duplicates resolved. C(nodelist.node) is one list across every
      nodelist section; C(totem.interface) one entry per link and C(logging.logger_subsys) one per subsys.
  returned: success
  type: dict
  sample: {"quorum": {"provider": "corosync_votequorum", "expected_votes": "2"}}
changed_keys:
  description: The dotted keys whose value changed; C(nodelist.node) for any change to the nodelist.
  returned: success
  type: list
  elements: str
  sample: ["quorum.expected_votes"]
reload_required:
  description: The file changed and every change is one C(corosync-cfgtool -R) applies at runtime.
  returned: success
  type: bool
restart_required:
  description: The file changed and a change needs corosync restarted.
  returned: success
  type: bool
cannot_roll:
  description:
    - Why the restart cannot roll, one node at a time; a node restarted with the new file could not talk to the
      nodes that still run the old one (the transport changes, or no link keeps its port and transport). Empty when
      it can roll, or when no restart is needed.
    - Such a change needs every node stopped, then every node started with the new file.
  returned: success
  type: list
  elements: str
  sample: ["totem.transport changes from knet to udpu"]
write_required:
  description:
    - Whether the file differs from the declared one (a change of layout alone counts), that is whether a run writes
      it. Unlike C(changed), it says so in check mode too when the task's C(changed) is overridden, as a plan task does.
  returned: success
  type: bool
  version_added: 0.6.0
validated:
  description: Whether C(corosync -t) checked the new file.
  returned: success
  type: bool
backup_file:
  description: The backup of the previous file.
  returned: changed and O(backup)
  type: str
path:
  description: The file.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._corosync import CorosyncConfError
from ansible_collections.hacluster.crm.plugins.module_utils._corosync_conf import CorosyncConf
from ansible_collections.hacluster.crm.plugins.module_utils._engine import run


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "default": "/etc/corosync/corosync.conf"},
            "settings": {"type": "dict", "default": {}},
            "nodes": {"type": "list", "elements": "dict"},
            "backup": {"type": "bool", "default": False},
            "validate": {"type": "bool", "default": True},
        },
        supports_check_mode=True,
    )
    run(module, lambda: CorosyncConf(module), CorosyncConfError)


if __name__ == "__main__":
    main()
