# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input shapes shared by the CIB modules' argument specs (documented once, in the doc fragment
hacluster.crm.cib_items): Ansible refuses a misspelt key or a bad choice before any module code runs."""

from __future__ import annotations

import typing as t

PRIMITIVE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "id": {"type": "str", "required": True},
    "agent": {"type": "str"},
    "params": {"type": "dict"},
    "meta": {"type": "dict"},
    "ops": {"type": "list", "elements": "dict"},
    "description": {"type": "str"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent", "started", "stopped"]},
}


def primitives_option(**extra: t.Any) -> dict[str, t.Any]:
    """The ``primitives`` option: a list of primitive items, each checked against PRIMITIVE_OPTIONS."""
    option: dict[str, t.Any] = {"type": "list", "elements": "dict", "options": PRIMITIVE_OPTIONS,
                                "required_if": [("state", "present", ("agent",)), ("state", "started", ("agent",)),
                                                ("state", "stopped", ("agent",))]}
    option.update(extra)
    return option
