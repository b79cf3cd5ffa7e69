# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The item shapes of the CIB modules' list options (plugins/module_utils/_specs.py holds the same shapes for
    # Ansible's argument validation; validate-modules checks that the two agree).
    DOCUMENTATION = r"""
options:
  primitives:
    description:
      - Primitives (and fence devices, class C(stonith)), all in one transaction - one CIB read and one write for
        the whole list, all or nothing.
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

    GROUPS = r"""
options:
  groups:
    description:
      - Groups (C(crm configure group)), matched by id. Members are primitives, started in their order on one node.
    type: list
    elements: dict
    suboptions:
      id:
        description: The group's id.
        type: str
        required: true
      members:
        description: The primitives of the group, in start order; required unless O(groups[].state=absent).
        type: list
        elements: str
      meta:
        description: Meta attributes to set; a null value removes one.
        type: dict
      description:
        description: The group's description (one line).
        type: str
      state:
        description: C(absent) removes the group and keeps its members, as crmsh's delete does.
        type: str
        choices: [present, absent]
        default: present
"""

    CLONES = r"""
options:
  clones:
    description: Clones (C(crm configure clone)), promotable ones too, matched by id.
    type: list
    elements: dict
    suboptions:
      id:
        description: The clone's id.
        type: str
        required: true
      resource:
        description: The primitive or group cloned; required unless O(clones[].state=absent).
        type: str
      meta:
        description: Meta attributes to set (C(clone-max), C(interleave), ...); a null value removes one.
        type: dict
      promotable:
        description: A promotable clone (Pacemaker 2's master/slave resource).
        type: bool
      description:
        description: The clone's description (one line).
        type: str
      state:
        description: C(absent) removes the clone and keeps its resource.
        type: str
        choices: [present, absent]
        default: present
"""

    CONSTRAINTS = r"""
options:
  constraints:
    description:
      - Location, colocation and order constraints. A constraint without an id is matched by what it says (its
        resources, node or rules, roles and actions), so a rerun never adds a duplicate. The temporary
        constraints of C(crm resource move/ban) (C(cli-prefer-*), C(cli-ban-*)) are never matched nor touched.
      - Which keys a type takes is checked per type; roles are compared by meaning (Pacemaker 2's C(Master) is
        C(Promoted)) and written as the CIB's schema accepts them.
    type: list
    elements: dict
    suboptions:
      type:
        description: The constraint's type.
        type: str
        required: true
        choices: [location, colocation, order]
      id:
        description: The constraint's id; without one it is matched by what it says and named as pcs names them.
        type: str
      state:
        description: C(absent) removes the constraint.
        type: str
        choices: [present, absent]
        default: present
      resource:
        description: The resource (location, colocation).
        type: str
      resource_pattern:
        description: A regular expression of resource ids (location).
        type: str
      node:
        description: The node (location, with O(constraints[].score)).
        type: str
      score:
        description: An integer, C(INFINITY) or C(-INFINITY) (location, colocation; order, Pacemaker 1's kind).
        type: raw
      rules:
        description: Rules instead of a node (location).
        type: list
        elements: dict
        suboptions:
          score:
            description: The rule's score.
            type: raw
          expressions:
            description: The rule's expressions.
            type: list
            elements: dict
            required: true
            suboptions:
              attribute:
                description: A node attribute, or C(#uname) for the node's name.
                type: str
                required: true
              operation:
                description: The comparison (default C(eq)).
                type: str
                choices: [lt, gt, lte, gte, eq, ne, defined, not_defined]
              value:
                description: The value compared with; not for C(defined) and C(not_defined).
                type: raw
              type:
                description: How the values compare.
                type: str
                choices: [string, integer, number, version]
              value_source:
                description: Where the value comes from.
                type: str
                choices: [literal, param, meta]
          boolean_op:
            description: How the expressions combine (default C(and)).
            type: str
            choices: [and, or]
          role:
            description: The role the rule applies to.
            type: str
            choices: [Started, Stopped, Promoted, Unpromoted, Master, Slave]
      role:
        description: The role the location applies to.
        type: str
        choices: [Started, Stopped, Promoted, Unpromoted, Master, Slave]
      resource_discovery:
        description: Whether Pacemaker probes for the resource on the node (location).
        type: str
        choices: [always, never, exclusive]
      with:
        description: The resource it goes with (colocation).
        type: str
      with_role:
        description: The role of O(constraints[].with) (colocation); O(constraints[].role) is the resource's.
        type: str
        choices: [Started, Stopped, Promoted, Unpromoted, Master, Slave]
      node_attribute:
        description: Colocate on nodes with the same value of this node attribute, not the same node (colocation).
        type: str
      influence:
        description: Whether the dependent resource's preferences influence the other (colocation).
        type: bool
      first:
        description: The resource that comes first (order).
        type: str
      then:
        description: The resource that comes after (order).
        type: str
      first_action:
        description: What O(constraints[].first) does first (order; default C(start)).
        type: str
        choices: [start, stop, promote, demote]
      then_action:
        description: What O(constraints[].then) does after (order; default O(constraints[].first_action)).
        type: str
        choices: [start, stop, promote, demote]
      kind:
        description: Mandatory (default), Optional or Serialize (order).
        type: str
        choices: [Mandatory, Optional, Serialize]
      symmetrical:
        description: Whether the reverse order applies when stopping (order).
        type: bool
      require_all:
        description: Whether every first resource must be active (order).
        type: bool
      resource_sets:
        description: Resource sets instead of two resources (colocation, order).
        type: list
        elements: dict
        suboptions:
          resources:
            description: The set's resources.
            type: list
            elements: str
            required: true
          role:
            description: The set's role.
            type: str
            choices: [Started, Stopped, Promoted, Unpromoted, Master, Slave]
          action:
            description: The set's action (order).
            type: str
            choices: [start, stop, promote, demote]
          sequential:
            description: Whether the set's members depend on each other.
            type: bool
          require_all:
            description: Whether every member must be active.
            type: bool
          ordering:
            description: How the set's members are ordered.
            type: str
            choices: [group, listed]
          score:
            description: The set's score.
            type: raw
          kind:
            description: The set's kind (order).
            type: str
            choices: [Mandatory, Optional, Serialize]
"""

    FENCING_LEVELS = r"""
options:
  fencing_levels:
    description:
      - Fencing levels (C(crm configure fencing_topology)), each a target, an index from 1 to 9 and the devices
        tried together at that level, matched by target and index.
    type: list
    elements: dict
    suboptions:
      target:
        description: A node name.
        type: str
      target_pattern:
        description: A regular expression of node names.
        type: str
      target_attribute:
        description: A node attribute (with O(fencing_levels[].target_value)).
        type: str
      target_value:
        description: The value of O(fencing_levels[].target_attribute).
        type: str
      index:
        description: The level, from 1 (tried first) to 9.
        type: int
        required: true
      devices:
        description: The fence devices of the level; required unless O(fencing_levels[].state=absent).
        type: list
        elements: str
      state:
        description: C(absent) removes the level (default C(present)).
        type: str
        choices: [present, absent]
"""
