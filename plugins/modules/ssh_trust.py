#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ssh_trust
short_description: Password-less SSH between cluster nodes, as the guide sets it up by hand
version_added: 0.1.0
description:
  - Makes sure the user has a key pair (made here if missing, so the private key never leaves the node),
    that the given peers' public keys are in its C(authorized_keys), and that the peers' host keys are in
    its C(known_hosts) by name and address, so that the first connection asks nothing.
  - Every other line of C(authorized_keys) and C(known_hosts) is kept as it was, unless O(exclusive).
  - Returns the user's public key and the host's public host keys, for a play to hand to the peers.
    The private key is never returned, printed or shown in a diff.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  user:
    description: The user whose SSH files are managed.
    type: str
    default: root
  key_type:
    description: The type of the key pair made when none exists.
    type: str
    choices: [ed25519, rsa]
    default: ed25519
  key_bits:
    description: Bits of an RSA key.
    type: int
    default: 4096
  private_key:
    description:
      - One shared cluster key, as the guide does (made on alice, copied to bob). Installed as the user's
        key of O(key_type) and its C(.pub) written from it. Never logged.
      - Checked with C(ssh-keygen -y) before anything is written; a malformed or passphrase-protected key
        is refused and the key in place is left as it was.
      - Leave unset to keep (or make) a key of the node's own.
    type: str
  authorized_keys:
    description:
      - Public keys (OpenSSH lines) allowed to log in as the user. A key whose comment is
        C(hacluster.crm:NODE) is written with that comment, so that the line can be revoked when NODE
        leaves (O(members)).
      - Lines with options (C(from=...), C(command="...")) are read as OpenSSH reads them.
      - Omit to leave C(authorized_keys) alone.
    type: list
    elements: str
  exclusive:
    description: Remove every key from C(authorized_keys) that is not in O(authorized_keys).
    type: bool
    default: false
  known_hosts:
    description:
      - Peers whose host keys are trusted, each a dict with C(names) (the node's name first, then other names
        and addresses) and C(keys). Written with the comment C(hacluster.crm:NAME).
      - Omit to leave C(known_hosts) alone.
    type: list
    elements: dict
  members:
    description:
      - Every node of the cluster, also those this run does not reach. Lines this collection wrote for a node
        not listed (a node that left) are removed from C(authorized_keys) and C(known_hosts), so that it
        keeps no SSH access; lines it did not write are never touched (unless O(exclusive)).
      - Omit to remove nothing.
    type: list
    elements: str
notes:
  - The module runs as root on the user's files; a symbolic link, or a file that does not belong to the user,
    under the user's C(.ssh) is refused instead of followed.
  - Key files are written with their final mode and owner from the start, never readable by others even
    for a moment.
"""

EXAMPLES = r"""
- name: A key pair for root, and its public key
  hacluster.crm.ssh_trust:
  register: ssh

- name: Every node trusts every other node
  hacluster.crm.ssh_trust:
    authorized_keys: "{{ groups['cluster'] | map('extract', hostvars, ['ssh', 'public_key']) | list }}"
    known_hosts:
      - names: [bob, 10.0.0.3]
        keys: "{{ hostvars['bob'].ssh.host_keys }}"
"""

RETURN = r"""
public_key:
  description: The user's public key (type and body); null in check mode when the key would be made.
  returned: always
  type: str
host_keys:
  description: This host's public host keys.
  returned: always
  type: list
  elements: str
key_file:
  description: The user's private key file (its path, never its content).
  returned: always
  type: str
changed_files:
  description: The files that changed (or would change in check mode).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._ssh import SshError, SshTrust


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "user": {"type": "str", "default": "root"},
            "key_type": {"type": "str", "default": "ed25519", "choices": ["ed25519", "rsa"]},
            "key_bits": {"type": "int", "default": 4096},
            "private_key": {"type": "str", "no_log": True},
            "authorized_keys": {"type": "list", "elements": "str", "no_log": False},
            "exclusive": {"type": "bool", "default": False},
            "known_hosts": {"type": "list", "elements": "dict"},
            "members": {"type": "list", "elements": "str"},
        },
        supports_check_mode=True,
    )
    run(module, lambda: SshTrust(module), SshError)


if __name__ == "__main__":
    main()
