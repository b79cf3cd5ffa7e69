# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input shapes shared by the CIB modules' argument specs, documented once in the doc fragment
hacluster.crm.cib_items, and checked against the resources role's argument_specs by a unit test:
Ansible refuses a misspelt key or a bad choice before any module code runs. What spans items, or
depends on a constraint's type, is checked in Python by the declarations."""

from __future__ import annotations

import typing as t

ROLES = ["Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave"]
ACTIONS = ["start", "stop", "promote", "demote"]
KINDS = ["Mandatory", "Optional", "Serialize"]
PRESENCE = {"type": "str", "default": "present", "choices": ["present", "absent"]}

# a primitive's params and meta sets with a rule (crmsh: params rule 10: #uname eq alice ip=...)
RULE_SET_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "score": {"type": "raw"},
    "rule": {"type": "dict", "required": True},
    "values": {"type": "dict", "required": True},
}
PRIMITIVE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "agent": {"type": "str"},
    "template": {"type": "str"},
    "params": {"type": "dict"},
    "meta": {"type": "dict"},
    "params_sets": {"type": "list", "elements": "dict", "options": RULE_SET_OPTIONS},
    "meta_sets": {"type": "list", "elements": "dict", "options": RULE_SET_OPTIONS},
    "utilization": {"type": "dict"},
    "ops": {"type": "list", "elements": "dict"},
    "description": {"type": "str"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent", "started", "stopped"]},
}
GROUP_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "members": {"type": "list", "elements": "str"},
    "meta": {"type": "dict"},
    "description": {"type": "str"},
    "state": PRESENCE,
}
CLONE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "resource": {"type": "str"},
    "meta": {"type": "dict"},
    "promotable": {"type": "bool"},
    "description": {"type": "str"},
    "state": PRESENCE,
}
EXPRESSION_OPTIONS: dict[str, dict[str, t.Any]] = {
    "attribute": {"type": "str"},
    "operation": {"type": "str", "choices": ["lt", "gt", "lte", "gte", "eq", "ne", "defined", "not_defined"]},
    "value": {"type": "raw"},
    "type": {"type": "str", "choices": ["string", "integer", "number", "version"]},
    "value_source": {"type": "str", "choices": ["literal", "param", "meta"]},
    # the other kinds of expression, checked by the declaration (a rule nests rules)
    "date": {"type": "dict"},
    "resource": {"type": "dict"},
    "op": {"type": "dict"},
    "rule": {"type": "dict"},
}
RULE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str"},
    "score": {"type": "raw"},
    "score_attribute": {"type": "str"},
    "expressions": {"type": "list", "elements": "dict", "required": True, "options": EXPRESSION_OPTIONS},
    "boolean_op": {"type": "str", "choices": ["and", "or"]},
    "role": {"type": "str", "choices": ROLES},
}
SET_OPTIONS: dict[str, dict[str, t.Any]] = {
    "resources": {"type": "list", "elements": "str", "required": True},
    "role": {"type": "str", "choices": ROLES},
    "action": {"type": "str", "choices": ACTIONS},
    "sequential": {"type": "bool"},
    "require_all": {"type": "bool"},
    "ordering": {"type": "str", "choices": ["group", "listed"]},
    "score": {"type": "raw"},
    "kind": {"type": "str", "choices": KINDS},
}
CONSTRAINT_OPTIONS: dict[str, dict[str, t.Any]] = {
    "type": {"type": "str", "required": True, "choices": ["location", "colocation", "order", "ticket"]},
    "id": {"type": "str"},
    "state": PRESENCE,
    # location
    "resource": {"type": "str"},
    "resource_pattern": {"type": "str"},
    "node": {"type": "str"},
    "score": {"type": "raw"},
    "rules": {"type": "list", "elements": "dict", "options": RULE_OPTIONS},
    "role": {"type": "str", "choices": ROLES},
    "resource_discovery": {"type": "str", "choices": ["always", "never", "exclusive"]},
    # colocation
    "with": {"type": "str"},
    "with_role": {"type": "str", "choices": ROLES},
    "node_attribute": {"type": "str"},
    "influence": {"type": "bool"},
    # order
    "first": {"type": "str"},
    "then": {"type": "str"},
    "first_action": {"type": "str", "choices": ACTIONS},
    "then_action": {"type": "str", "choices": ACTIONS},
    "kind": {"type": "str", "choices": KINDS},
    "symmetrical": {"type": "bool"},
    "require_all": {"type": "bool"},
    # ticket
    "ticket": {"type": "str"},
    "loss_policy": {"type": "str", "choices": ["stop", "demote", "fence", "freeze"]},
    # colocation and order
    "resource_sets": {"type": "list", "elements": "dict", "options": SET_OPTIONS},
}
LEVEL_OPTIONS: dict[str, dict[str, t.Any]] = {
    "target": {"type": "str"},
    "target_pattern": {"type": "str"},
    "target_attribute": {"type": "str"},
    "target_value": {"type": "str"},
    "index": {"type": "int", "required": True},
    "devices": {"type": "list", "elements": "str"},
    "state": {"type": "str", "choices": ["present", "absent"]},
}


# a template is a primitive's agent, params, meta, utilization and ops, without a template of its own or a role
TEMPLATE_OPTIONS: dict[str, dict[str, t.Any]] = dict({k: v for k, v in PRIMITIVE_OPTIONS.items() if k != "template"},
                                                     state=PRESENCE)
NODE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
    "attributes": {"type": "dict"},
    "utilization": {"type": "dict"},
}
PERMISSION_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str"},
    "kind": {"type": "str", "required": True, "choices": ["read", "write", "deny"]},
    "xpath": {"type": "str"},
    "reference": {"type": "str"},
    "object_type": {"type": "str"},
    "attribute": {"type": "str"},
    "description": {"type": "str"},
}
ACL_ROLE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "description": {"type": "str"},
    "permissions": {"type": "list", "elements": "dict", "options": PERMISSION_OPTIONS},
    "state": PRESENCE,
}
ACL_TARGET_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "name": {"type": "str"},
    "roles": {"type": "list", "elements": "str"},
    "state": PRESENCE,
}
RECIPIENT_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str"},
    "value": {"type": "str", "required": True},
    "description": {"type": "str"},
    "params": {"type": "dict"},
    "meta": {"type": "dict"},
}
ALERT_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "path": {"type": "str"},
    "description": {"type": "str"},
    "params": {"type": "dict"},
    "meta": {"type": "dict"},
    "select": {"type": "list", "elements": "str", "choices": ["nodes", "fencing", "resources", "attributes"]},
    "select_attributes": {"type": "list", "elements": "str"},
    "recipients": {"type": "list", "elements": "dict", "options": RECIPIENT_OPTIONS},
    "state": PRESENCE,
}
TAG_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "resources": {"type": "list", "elements": "str"},
    "state": PRESENCE,
}
BUNDLE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "description": {"type": "str"},
    "container": {"type": "dict"},
    "network": {"type": "dict"},
    "storage": {"type": "list", "elements": "dict"},
    "resource": {"type": "str"},
    "meta": {"type": "dict"},
    "state": PRESENCE,
}
NVSET_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "score": {"type": "raw"},
    "rule": {"type": "dict"},
    "values": {"type": "dict"},
    "state": PRESENCE,
}
# cib_resources' options for the rest of the CIB (the doc fragment's OBJECTS section)
OBJECT_OPTIONS = {"templates": TEMPLATE_OPTIONS, "nodes": NODE_OPTIONS, "acl_roles": ACL_ROLE_OPTIONS,
                  "acl_targets": ACL_TARGET_OPTIONS, "acl_groups": ACL_TARGET_OPTIONS, "alerts": ALERT_OPTIONS,
                  "tags": TAG_OPTIONS, "bundles": BUNDLE_OPTIONS}
SET_OPTIONS_NAMES = ("property_sets", "rsc_defaults_sets", "op_defaults_sets")


def items_option(options: dict[str, dict[str, t.Any]], **extra: t.Any) -> dict[str, t.Any]:
    """A list option whose items are checked against ``options``."""
    return dict({"type": "list", "elements": "dict", "options": options}, **extra)


def primitives_option() -> dict[str, t.Any]:
    """The ``primitives`` option: an agent or a template unless the item is absent (one of them: checked by the
    declaration, which names the primitive)."""
    return items_option(PRIMITIVE_OPTIONS)


def model_options() -> dict[str, dict[str, t.Any]]:
    """The whole resource model's options, as cib_resources takes them."""
    return {"primitives": primitives_option(), "groups": items_option(GROUP_OPTIONS),
            "clones": items_option(CLONE_OPTIONS), "constraints": items_option(CONSTRAINT_OPTIONS),
            "fencing_levels": items_option(LEVEL_OPTIONS)}


def object_options() -> dict[str, dict[str, t.Any]]:
    """The rest of the CIB, as cib_resources takes it besides the resource model."""
    return {name: items_option(options) for name, options in OBJECT_OPTIONS.items()}


def set_options() -> dict[str, dict[str, t.Any]]:
    """The attribute sets declared whole, with an id, a score and a rule, as cib_property takes them."""
    return {name: items_option(NVSET_OPTIONS) for name in SET_OPTIONS_NAMES}


# The plain property and defaults sets, name by name, as cib_property and cib_resources take them.
PROPERTY_OPTIONS = {name: {"type": "dict", "default": {}} for name in ("properties", "rsc_defaults", "op_defaults")}
# Every CIB module's own options, as the doc fragment hacluster.crm.cib documents them.
CIB_FILE = {"cib_file": {"type": "path"}}
# The CIB modules that can wait for the cluster to settle (hacluster.crm.cib.WAIT).
WAIT = {"wait": {"type": "bool", "default": False}, "wait_timeout": {"type": "int", "default": 120}}
