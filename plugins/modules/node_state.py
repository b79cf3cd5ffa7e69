#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: node_state
short_description: Read in one call what the roles need to know about a cluster node
version_added: 0.6.0
description:
  - One read of this node, done once per run by the C(init) role and shared by the roles after it, instead of one
    task per fact. It returns corosync.conf as the M(hacluster.crm.corosync_conf) module reads it, the checksum
    of the corosync authkey as C(ansible.builtin.stat) gives it (never the key), the state of the stack's
    systemd units as C(ansible.builtin.systemd_service) gives it, root's public SSH key as
    M(hacluster.crm.ssh_trust) reads it, which of the named packages are not installed (and the versions installed
    and, on request, the versions apt would install), the distribution and, on request, the fencing history.
  - It changes nothing, in any mode.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  corosync_conf:
    description: The corosync.conf to read.
    type: path
    default: /etc/corosync/corosync.conf
  authkey:
    description: The corosync authkey whose checksum (SHA-256) is returned.
    type: path
    default: /etc/corosync/authkey
  units:
    description: The systemd units (without C(.service)) whose state is returned.
    type: list
    elements: str
    default: [corosync, pacemaker, corosync-qdevice]
  packages:
    description:
      - Package names; those that C(dpkg) (or C(rpm)) does not list as installed are returned in C(missing) of RV(packages).
        A name that is not a plain package name (a version, a glob) is always returned as missing, so that the
        package task decides.
    type: list
    elements: str
    default: []
  package_candidates:
    description:
      - Also read the version that apt would install or upgrade each of O(packages) to (C(apt-cache policy)), returned
        in C(candidates) of RV(packages); null for a package apt knows no version of, and on systems without apt.
    type: bool
    default: false
  fencing_history:
    description:
      - Also read the fencing history that this node's fencer knows (C(stonith_admin --history '*' --verbose)),
        when Pacemaker runs here, returned in RV(fencing). The C(init) role reads it at the start of a run; the
        status play at its end fails a cluster whose nodes were fenced in between.
    type: bool
    default: false
    version_added: 0.6.0
  ssh_user:
    description: The user whose SSH key pair is read; empty to skip.
    type: str
    default: root
  ssh_key_type:
    description: The type of that key pair, as in M(hacluster.crm.ssh_trust).
    type: str
    default: ed25519
    choices: [ed25519, rsa]
"""

EXAMPLES = r"""
- name: Read what the roles need to know about each node, once
  hacluster.crm.node_state:
    packages: [corosync, pacemaker, crmsh]
  register: node

- name: Install only where something is missing
  ansible.builtin.apt:
    name: [corosync, pacemaker, crmsh]
  when: node.packages.missing | length > 0
"""

RETURN = r"""
corosync_conf:
  description:
    - C(path), C(exists), and C(config) (the whole file as M(hacluster.crm.corosync_conf) returns it) when the
      file exists and parses; C(error) when it does not parse; C(text), the file as it is, when it exists and is
      text (the P(hacluster.crm.corosync_unchanged#filter) filter plans a change from it on the controller).
  returned: always
  type: dict
  sample: {"path": "/etc/corosync/corosync.conf", "exists": true, "config": {"totem": {"cluster_name": "hacluster"}}}
authkey:
  description: C(stat) with C(exists), C(path) and, for a file, C(checksum) (SHA-256), C(mode), C(uid), C(gid), C(size).
  returned: always
  type: dict
  sample: {"stat": {"exists": true, "path": "/etc/corosync/authkey", "checksum": "9f86d0...", "mode": "0400"}}
units:
  description: For each of O(units), C(name) and C(status) with C(LoadState), C(ActiveState), C(SubState), C(UnitFileState).
  returned: always
  type: dict
  sample: {"corosync": {"name": "corosync", "status": {"LoadState": "loaded", "ActiveState": "active"}}}
packages:
  description:
    - C(missing), the names of O(packages) that are not installed, and C(installed), the others.
    - C(versions), the installed version of each installed package by name.
    - C(candidates), with O(package_candidates), the version apt would install of each package by name.
  returned: always
  type: dict
  sample: {"missing": ["corosync-qdevice"], "installed": ["corosync", "pacemaker"],
           "versions": {"corosync": "3.1.9-2", "pacemaker": "3.0.0-3.1"}}
os:
  description:
    - The distribution from C(/etc/os-release), as Ansible's distribution facts name it - C(family) (C(os_family),
      null when unknown), C(distribution), C(version), C(major_version), C(release) - so that a play reading it
      needs no fact gathering; the C(init) role picks its per-distribution vars with it.
  returned: always
  type: dict
  sample: {"family": "Debian", "distribution": "Debian", "version": "13", "major_version": "13", "release": "trixie"}
fencing:
  description:
    - C(pacemaker_running), whether the C(pacemaker) unit is active; C(history), every fencing action this node's
      fencer knows, newest first, each as M(hacluster.crm.cluster_info) gives one (C(target), C(action), C(status),
      C(delegate), C(origin), C(client), C(completed), C(exit_reason), C(extended_status)); an empty list when
      Pacemaker does not run here, null when its fencer did not answer.
  returned: when O(fencing_history) is true
  type: dict
  sample: {"pacemaker_running": true, "history": [{"target": "bob", "action": "reboot", "status": "success",
           "delegate": "alice", "origin": "alice", "completed": "2026-12-06 08:30:12.123456Z"}]}
ssh:
  description:
    - C(public_key) of O(ssh_user) (null when the key pair does not exist yet), C(host_keys), C(key_file); C(error)
      when the key pair cannot be read (M(hacluster.crm.ssh_trust) then says why).
  returned: when O(ssh_user) is set
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._probe import NodeState, ProbeError


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "corosync_conf": {"type": "path", "default": "/etc/corosync/corosync.conf"},
            "authkey": {"type": "path", "default": "/etc/corosync/authkey", "no_log": False},
            "units": {"type": "list", "elements": "str", "default": ["corosync", "pacemaker", "corosync-qdevice"]},
            "packages": {"type": "list", "elements": "str", "default": []},
            "package_candidates": {"type": "bool", "default": False},
            "fencing_history": {"type": "bool", "default": False},
            "ssh_user": {"type": "str", "default": "root"},
            "ssh_key_type": {"type": "str", "default": "ed25519", "choices": ["ed25519", "rsa"]},
        },
        supports_check_mode=True,
    )
    run(module, lambda: NodeState(module), ProbeError)


if __name__ == "__main__":
    main()
