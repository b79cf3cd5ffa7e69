# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The items of the primitives option (plugins/module_utils/_specs.py holds the same shape for Ansible).
    DOCUMENTATION = r"""
options:
  primitives:
    description:
      - Many primitives in one transaction - one CIB read and one write for the whole list, all or nothing.
      - Each item is checked before anything is read or written; an unknown key or a bad value is refused, naming
        the item and the key.
    type: list
    elements: dict
    suboptions:
      id:
        description: The primitive's id.
        type: str
        required: true
      agent:
        description:
          - The resource agent in crmsh's forms. C(Dummy) means C(ocf:heartbeat:Dummy);
            C(ocf:pacemaker:Stateful), C(systemd:nginx), C(stonith:fence_redfish).
          - Required unless O(primitives[].state=absent).
        type: str
      params:
        description: Instance attributes; the complete set.
        type: dict
      meta:
        description: Meta attributes to set; a null value removes one. Others are left alone.
        type: dict
      ops:
        description:
          - Operations, the complete set. Each is a dict with C(name) and any op attribute of the CIB's schema
            (C(interval), default C(0s), C(timeout), C(role), C(on-fail), ...), and C(params) and C(meta) for the
            op's own attributes (C(OCF_CHECK_LEVEL)). Ops are matched by name, interval and role.
        type: list
        elements: dict
      description:
        description: The primitive's description (one line). Left alone when not given.
        type: str
      state:
        description:
          - C(present), the primitive exists as declared; C(started) and C(stopped) also set its target-role;
            C(absent) removes it.
        type: str
        choices: [present, absent, started, stopped]
        default: present
"""
