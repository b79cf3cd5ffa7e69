# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files playbooks/export.yml writes, read back as Ansible reads a variables file (issue 20): exactly the
exported variables, the first key kept, nothing read from the cluster ever a template."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest

from ansible.parsing.yaml.loader import AnsibleLoader

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, etree
from ansible_collections.hacluster.crm.plugins.module_utils._export import Exporter, render, render_secrets
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

pytestmark = pytest.mark.skipif(not shutil.os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")

CONFIGURATION = """<configuration>
 <crm_config><cluster_property_set id="o"><nvpair id="o-se" name="stonith-enabled" value="false"/></cluster_property_set>
 </crm_config><nodes/>
 <resources>
  <primitive id="db" class="ocf" provider="heartbeat" type="Dummy" description="{{ lookup('pipe', 'touch /tmp/PWNED') }}"/>
  <primitive id="fence-bob" class="stonith" type="fence_redfish">
   <instance_attributes id="fb-ia"><nvpair id="fb-pw" name="password" value="pw-one-{#-{{ x }}"/></instance_attributes>
  </primitive>
 </resources><constraints/>
</configuration>"""


@pytest.fixture
def cib(tmp_path):
    path = tmp_path / "cib.xml"
    root = etree.fromstring(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, check=True).stdout)
    root.replace(root.find("configuration"), etree.fromstring(CONFIGURATION, etree.XMLParser(remove_blank_text=True)))
    path.write_bytes(etree.tostring(root))
    return Cib(Runner(), str(path))


def load(text):
    """The file as Ansible reads a variables file."""
    loader = AnsibleLoader(io.StringIO(text))
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def test_the_rendered_file_is_exactly_the_variables_and_never_a_template(cib):
    exporter = Exporter(cib, True)
    exported = exporter.export()
    text = render(exported)
    assert text.startswith("---\n#") and "\ncrm_properties:\n" in text
    loaded = load(text)
    assert list(loaded) == list(exported) and loaded == json.loads(json.dumps(exported))
    db = next(p for p in loaded["crm_resources"] if p["id"] == "db")
    assert db["description"] == "{{ lookup('pipe', 'touch /tmp/PWNED') }}"
    assert "!unsafe \"{{ lookup('pipe', 'touch /tmp/PWNED') }}\"" in text
    # the secret references are the only templates; their values are data too
    assert '"{{ crm_secret_fence_bob_password }}"' in text and "!unsafe \"{{ crm_secret" not in text
    # a string that could not be a template is not tagged (!unsafe would read "false" back as a boolean)
    assert 'stonith-enabled: "false"' in text
    secrets = load(render_secrets(exporter.secrets))
    assert secrets == exporter.secrets and "!unsafe \"pw-one-{#-{{ x }}\"" in render_secrets(exporter.secrets)


def test_a_value_with_any_character_survives_the_file():
    odd = "tab\there \"quoted\" back\\slash new\nline \x01 \u00e9\u2028 \U0001f600 {% raw %}"
    variables = {"crm_properties": {"odd": odd, "on": "yes", "n": 1, "{{ key }}": "x"}, "crm_resources": [],
                 "crm_groups": [{}]}
    assert load(render(variables)) == variables
