# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One shape for every CIB item: the argument specs Ansible validates with (_specs.py), the doc fragment
ansible-doc shows, and the resources role's argument_specs must say the same."""

from __future__ import annotations

import os

import yaml

from ansible_collections.hacluster.crm.plugins.doc_fragments.cib_items import ModuleDocFragment
from ansible_collections.hacluster.crm.plugins.module_utils import _specs

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
KEYS = ("type", "elements", "required", "choices", "default")


def shape(options, sub_key):
    """Names, types, choices, requirements and defaults of an option tree, without the prose."""
    return {name: (tuple((k, repr(o.get(k))) for k in KEYS if o.get(k) not in (None, False)),
                   shape(o[sub_key], sub_key) if o.get(sub_key) else None)
            for name, o in options.items()}


def fragment(section):
    return yaml.safe_load(getattr(ModuleDocFragment, section))["options"]


SECTIONS = {"DOCUMENTATION": "primitives", "GROUPS": "groups", "CLONES": "clones", "CONSTRAINTS": "constraints",
            "FENCING_LEVELS": "fencing_levels"}
ROLE_VARS = {"primitives": "crm_resources", "groups": "crm_groups", "clones": "crm_clones",
             "constraints": "crm_constraints", "fencing_levels": "crm_fencing_levels"}


def test_the_doc_fragment_documents_exactly_the_argument_specs():
    model = _specs.model_options()
    for section, option in SECTIONS.items():
        documented = fragment(section)[option]["suboptions"]
        assert shape(documented, "suboptions") == shape(model[option]["options"], "options"), option


def test_the_objects_section_documents_exactly_the_argument_specs():
    objects = _specs.object_options()
    documented = fragment("OBJECTS")
    assert sorted(documented) == sorted(objects)
    for option in objects:
        assert shape(documented[option]["suboptions"], "suboptions") == shape(objects[option]["options"], "options"), \
            option


def test_the_resources_role_validates_the_same_shapes():
    with open(os.path.join(TOP, "roles", "resources", "meta", "argument_specs.yml")) as handle:
        role = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    model = _specs.model_options()
    for option, var in ROLE_VARS.items():
        assert shape(role[var]["options"], "options") == shape(model[option]["options"], "options"), var
    for option, spec in _specs.object_options().items():
        var = "crm_node_settings" if option == "nodes" else "crm_" + option  # crm_nodes is the init role's nodelist
        assert shape(role[var]["options"], "options") == shape(spec["options"], "options"), option
    fencing = shape(role["crm_fencing"]["options"], "options")
    primitive = shape(model["primitives"]["options"], "options")
    assert fencing.pop("host") == ((("type", "'raw'"),), None)
    assert fencing.pop("agent") == ((("type", "'str'"), ("required", "True")), None)
    primitive.pop("agent")
    assert fencing == primitive
