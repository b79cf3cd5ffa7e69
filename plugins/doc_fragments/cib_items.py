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
      template:
        description:
          - The resource template (crmsh's C(rsc_template), declared by M(hacluster.crm.cib_resources)) the
            primitive is made from, instead of an O(primitives[].agent); it must exist in the CIB or be declared
            in the same task.
        type: str
      params:
        description: Instance attributes; the complete set.
        type: dict
      meta:
        description: Meta attributes to set; a null value removes one. Others are left alone.
        type: dict
      params_sets:
        description:
          - More sets of instance attributes (params), each with a rule that says where or when it applies (crmsh's C(params rule ...)); where
            the rule holds the set's values win, the set with the highest score first. Each is owned whole; the
            sets with a rule not listed go. Not given, those sets are left alone.
        type: list
        elements: dict
        suboptions:
          id:
            description: The set's id.
            type: str
            required: true
          score:
            description: The set's score (the set with the highest score whose rule holds wins).
            type: raw
          rule:
            description: The rule, as a location constraint's (expressions of every kind, nested rules).
            type: dict
            required: true
          values:
            description: The set's names and values.
            type: dict
            required: true
      meta_sets:
        description:
          - More sets of meta attributes, each with a rule that says where or when it applies (crmsh's C(meta rule ...)); where
            the rule holds the set's values win, the set with the highest score first. Each is owned whole; the
            sets with a rule not listed go. Not given, those sets are left alone.
        type: list
        elements: dict
        suboptions:
          id:
            description: The set's id.
            type: str
            required: true
          score:
            description: The set's score (the set with the highest score whose rule holds wins).
            type: raw
          rule:
            description: The rule, as a location constraint's (expressions of every kind, nested rules).
            type: dict
            required: true
          values:
            description: The set's names and values.
            type: dict
            required: true
      utilization:
        description:
          - What the resource uses (crmsh's C(utilization cpu=2 memory=512)), placed by the cluster property
            C(placement-strategy); the complete set when given, left alone when not.
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
        choices: [location, colocation, order, ticket]
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
        description:
          - Rules instead of a node (location). Pacemaker 3's schema (C(pacemaker-4.0)) allows one rule per location
            constraint; several are refused there with a message that says so, and accepted where the CIB's schema
            allows them (Pacemaker 2).
        type: list
        elements: dict
        suboptions:
          id:
            description: The rule's id (kept from the rule it replaces, or made, when not given).
            type: str
          score:
            description: The rule's score (default C(INFINITY)).
            type: raw
          score_attribute:
            description: A node attribute whose value is the score, instead of O(constraints[].rules[].score).
            type: str
          expressions:
            description:
              - The rule's expressions, each one of - a node attribute expression (C(attribute), C(operation),
                C(value), C(type), C(value_source)); C(date), a dict with C(operation) (C(in_range), C(gt), C(lt),
                C(date_spec)), C(start), C(end), C(duration) (a dict of C(years) ... C(seconds)) and C(date_spec) (a
                dict of C(hours), C(weekdays), C(monthdays), ... each a number or a range like C(9-16));
                C(resource), a dict of C(class), C(provider), C(type); C(op), a dict of C(name) and C(interval); C(rule),
                a nested rule with its own C(boolean_op) and C(expressions).
              - Which kinds a rule may hold where is the CIB schema's word; the result is validated before anything is
                written.
            type: list
            elements: dict
            required: true
            suboptions:
              attribute:
                description: A node attribute, or C(#uname) for the node's name.
                type: str
              date:
                description: A date expression.
                type: dict
              resource:
                description: A resource expression (for rsc_defaults and op_defaults rules).
                type: dict
              op:
                description: An operation expression (for op_defaults rules).
                type: dict
              rule:
                description: A nested rule.
                type: dict
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
      ticket:
        description:
          - The ticket (ticket, crmsh's C(rsc_ticket)) - the resource runs only while the ticket is granted to this
            cluster (by booth, or C(crm_ticket --grant)); O(constraints[].role) is the role it constrains.
        type: str
      loss_policy:
        description: What happens to the resource when the ticket is revoked (ticket; Pacemaker's default C(stop)).
        type: str
        choices: [stop, demote, fence, freeze]
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

    # cib_resources' options for the rest of the CIB (plugins/module_utils/_specs.py OBJECT_OPTIONS)
    OBJECTS = r"""
options:
  templates:
    description:
      - Resource templates (crmsh's C(rsc_template)) - an agent with its params, meta, utilization and ops, which
        primitives are made from (O(primitives[].template)). Matched by id, owned as declared.
    type: list
    elements: dict
    suboptions:
      id:
        description: The template's id.
        type: str
        required: true
      agent:
        description: The resource agent, in crmsh's forms; required unless O(templates[].state=absent).
        type: str
      params:
        description: Instance attributes; the complete set.
        type: dict
      meta:
        description: Meta attributes to set; a null value removes one.
        type: dict
      params_sets:
        description:
          - More sets of instance attributes (params), each with a rule that says where or when it applies (crmsh's C(params rule ...)); where
            the rule holds the set's values win, the set with the highest score first. Each is owned whole; the
            sets with a rule not listed go. Not given, those sets are left alone.
        type: list
        elements: dict
        suboptions:
          id:
            description: The set's id.
            type: str
            required: true
          score:
            description: The set's score (the set with the highest score whose rule holds wins).
            type: raw
          rule:
            description: The rule, as a location constraint's (expressions of every kind, nested rules).
            type: dict
            required: true
          values:
            description: The set's names and values.
            type: dict
            required: true
      meta_sets:
        description:
          - More sets of meta attributes, each with a rule that says where or when it applies (crmsh's C(meta rule ...)); where
            the rule holds the set's values win, the set with the highest score first. Each is owned whole; the
            sets with a rule not listed go. Not given, those sets are left alone.
        type: list
        elements: dict
        suboptions:
          id:
            description: The set's id.
            type: str
            required: true
          score:
            description: The set's score (the set with the highest score whose rule holds wins).
            type: raw
          rule:
            description: The rule, as a location constraint's (expressions of every kind, nested rules).
            type: dict
            required: true
          values:
            description: The set's names and values.
            type: dict
            required: true
      utilization:
        description: Utilization; the complete set when given.
        type: dict
      ops:
        description: Operations, as O(primitives[].ops).
        type: list
        elements: dict
      description:
        description: The template's description.
        type: str
      state:
        description: C(absent) removes the template (refused while a primitive is made from it).
        type: str
        choices: [present, absent]
        default: present
  nodes:
    description:
      - Permanent node attributes and utilization (crmsh's C(node attribute NODE set NAME VALUE) and C(node
        utilization NODE set NAME VALUE)), by node name. Only the names given are touched; a null value removes
        one. The node must have joined the cluster (it is then in the CIB's nodes section).
    type: list
    elements: dict
    suboptions:
      name:
        description: The node's name.
        type: str
        required: true
      attributes:
        description: Node attributes, for rules (C(rack), C(site)); C(standby) and C(maintenance) are the day-2
          playbooks' business.
        type: dict
      utilization:
        description: What the node offers (C(cpu), C(memory)), for C(placement-strategy).
        type: dict
  acl_roles:
    description:
      - ACL roles (crmsh's C(role)), matched by id, owned as declared. ACLs apply when the cluster property
        C(enable-acl) is true, to users in the C(haclient) group (root and hacluster are never restricted).
    type: list
    elements: dict
    suboptions:
      id:
        description: The role's id.
        type: str
        required: true
      description:
        description: The role's description.
        type: str
      permissions:
        description: Its permissions, in order; each names one of C(xpath), C(reference) and C(object_type).
        type: list
        elements: dict
        suboptions:
          id:
            description: The permission's id (made from the role's when not given).
            type: str
          kind:
            description: What the permission grants.
            type: str
            required: true
            choices: [read, write, deny]
          xpath:
            description: An XPath of the CIB.
            type: str
          reference:
            description: The id of an element of the CIB.
            type: str
          object_type:
            description: A kind of element (C(primitive), C(node), ...), with O(acl_roles[].permissions[].attribute).
            type: str
          attribute:
            description: An attribute of O(acl_roles[].permissions[].object_type).
            type: str
          description:
            description: The permission's description.
            type: str
      state:
        description: C(absent) removes the role.
        type: str
        choices: [present, absent]
        default: present
  acl_targets:
    description: ACL targets (crmsh's C(acl_target)), a user and its roles; matched by the user name.
    type: list
    elements: dict
    suboptions: &acl_members
      id:
        description: The user name (O(acl_targets)) or the system group's name (O(acl_groups)).
        type: str
        required: true
      name:
        description: The user or group name when the id is another word (Pacemaker 2.1's schema and later).
        type: str
      roles:
        description: The ids of its O(acl_roles).
        type: list
        elements: str
      state:
        description: C(absent) removes the target or group.
        type: str
        choices: [present, absent]
        default: present
  acl_groups:
    description: ACL groups (crmsh's C(acl_group)), a system group and its roles; as O(acl_targets).
    type: list
    elements: dict
    suboptions: *acl_members
  alerts:
    description:
      - Alerts (crmsh's C(alert)), an agent run on every node for each event selected, with its recipients.
        Matched by id, owned as declared. Values of secret-named params (C(password), ...) are masked.
    type: list
    elements: dict
    suboptions:
      id:
        description: The alert's id.
        type: str
        required: true
      path:
        description: The absolute path of the alert agent on the nodes; required unless O(alerts[].state=absent).
        type: str
      description:
        description: The alert's description.
        type: str
      params:
        description: Instance attributes passed to the agent.
        type: dict
      meta:
        description: Meta attributes (C(timeout), C(timestamp-format)).
        type: dict
      select:
        description: The kinds of event sent (all when not given).
        type: list
        elements: str
        choices: [nodes, fencing, resources, attributes]
      select_attributes:
        description: The node attributes whose changes are sent (implies C(attributes) in O(alerts[].select)).
        type: list
        elements: str
      recipients:
        description: The recipients, each a value the agent takes (a file, an address).
        type: list
        elements: dict
        suboptions:
          id:
            description: The recipient's id (made from the alert's when not given).
            type: str
          value:
            description: What the agent sends to.
            type: str
            required: true
          description:
            description: The recipient's description.
            type: str
          params:
            description: Instance attributes for this recipient.
            type: dict
          meta:
            description: Meta attributes for this recipient.
            type: dict
      state:
        description: C(absent) removes the alert.
        type: str
        choices: [present, absent]
        default: present
  tags:
    description: Tags (crmsh's C(tag)), a name for a list of resources (C(crm resource stop TAG)); matched by id.
    type: list
    elements: dict
    suboptions:
      id:
        description: The tag's id.
        type: str
        required: true
      resources:
        description: The resources tagged; each must exist or be declared in the same task.
        type: list
        elements: str
      state:
        description: C(absent) removes the tag.
        type: str
        choices: [present, absent]
        default: present
  bundles:
    description:
      - Bundles (crmsh's C(bundle)), a resource in containers. Declared, checked against the CIB's schema and
        exported; running one needs a container runtime (docker, podman) on the nodes.
    type: list
    elements: dict
    suboptions:
      id:
        description: The bundle's id.
        type: str
        required: true
      description:
        description: The bundle's description.
        type: str
      container:
        description:
          - The container, a dict with C(type) (C(docker), C(podman) or C(rkt)), C(image), and any attribute of the
            schema's container element with C(_) for C(-) (C(replicas), C(replicas_per_host), C(promoted_max),
            C(run_command), C(network), C(options)).
        type: dict
      network:
        description:
          - The network, a dict with the schema's attributes (C(ip_range_start), C(control_port),
            C(host_interface), C(host_netmask), C(add_host)) and C(port_mappings), a list of dicts with C(id),
            C(port), C(internal_port) or C(range).
        type: dict
      storage:
        description: Storage mappings, each a dict with C(id), C(source_dir) or C(source_dir_root), C(target_dir) and
          C(options).
        type: list
        elements: dict
      resource:
        description: The primitive run in the containers, declared in O(primitives) or existing; moved into the bundle.
        type: str
      meta:
        description: The bundle's meta attributes.
        type: dict
      state:
        description: C(absent) removes the bundle (refused while it holds a primitive not declared absent).
        type: str
        choices: [present, absent]
        default: present
"""

    # The cluster properties, rsc_defaults and op_defaults: cib_property's options, and cib_resources' for the same
    # sets in its one transaction (plugins/module_utils/_specs.py set_options)
    PROPERTIES = r"""
options:
  properties:
    description: Cluster properties, for example C(stonith-enabled) or C(no-quorum-policy).
    type: dict
    default: {}
  rsc_defaults:
    description: Resource defaults, for example C(resource-stickiness).
    type: dict
    default: {}
  op_defaults:
    description: Operation defaults, for example C(timeout).
    type: dict
    default: {}
  property_sets:
    description:
      - More cluster property sets, each with its id, an optional score (the higher wins where several rules
        match) and an optional rule (O(property_sets[].rule), as a location constraint's rule - expressions of
        every kind, nested rules). Each is owned as declared.
    type: list
    elements: dict
    suboptions: &sets
      id:
        description: The set's id; not the plain set's (C(cib-bootstrap-options), C(rsc-options), C(op-options)).
        type: str
        required: true
      score:
        description: The set's score.
        type: raw
      rule:
        description: The rule under which the set applies, as a location constraint's rule in M(hacluster.crm.cib_resources).
        type: dict
      values:
        description: The names and values of the set.
        type: dict
      state:
        description: C(absent) removes the set.
        type: str
        choices: [present, absent]
        default: present
  rsc_defaults_sets:
    description: More resource default sets (with C(resource) expressions in their rules), as O(property_sets).
    type: list
    elements: dict
    suboptions: *sets
  op_defaults_sets:
    description: More operation default sets (with C(resource) and C(op) expressions), as O(property_sets).
    type: list
    elements: dict
    suboptions: *sets
"""
