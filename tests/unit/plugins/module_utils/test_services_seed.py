# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CIB of a cold start, made with Pacemaker's own tools on a folder: a new node's is an empty CIB whose only
setting is the short dc-deadtime, in the property set the module removes again, owned by pacemaker's user; a node
with a CIB keeps it and gets that set; the removal takes that set only."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _services
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/sbin/cibadmin") or os.geteuid() != 0
                                or shutil.which("crm_attribute", path="/usr/sbin") is None,
                                reason="needs Pacemaker's tools and root (the files go to pacemaker's user)")


def query(path, *args):
    return subprocess.run(["/usr/sbin/cibadmin", "--query"] + list(args), capture_output=True, text=True,
                          env={"CIB_file": str(path), "PATH": "/usr/sbin:/usr/bin"}, check=False)


def test_the_seed_is_an_empty_cib_with_the_short_dc_deadtime_in_its_own_set(tmp_path):
    _services.seed_cib(Runner(), str(tmp_path))
    cib = tmp_path / "cib.xml"
    found = query(cib, "--scope", "crm_config", "--xpath", "//cluster_property_set[@id='%s']" % _services.SEED_SET)
    assert found.returncode == 0
    assert 'name="dc-deadtime" value="%s"' % _services.SEED_DC_DEADTIME in found.stdout
    whole = query(cib).stdout
    assert "<resources/>" in whole and "<nodes/>" in whole and "cib-bootstrap-options" not in whole
    owner = pwd.getpwnam("hacluster").pw_uid
    assert all(os.stat(tmp_path / name).st_uid == owner for name in os.listdir(tmp_path))
    assert os.stat(cib).st_mode & 0o077 == 0


def epoch(path):
    head = query(path, "--xpath", "/cib", "--no-children").stdout
    return int(head.split(' epoch="')[1].split('"')[0])


def test_a_cib_that_exists_keeps_everything_and_gets_the_set_with_its_epoch_one_up(tmp_path):
    """A cluster stopped whole: the node's CIB is kept, the set is added to it, and its epoch moves by one (so every
    node's does, and the newest CIB stays the newest)."""
    cib = tmp_path / "cib.xml"
    empty = subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout
    cib.write_text(empty)
    env = {"CIB_file": str(cib), "PATH": "/usr/sbin:/usr/bin"}
    subprocess.run(["/usr/sbin/cibadmin", "--create", "--scope", "resources", "--xml-text",
                    '<primitive id="p0" class="ocf" provider="pacemaker" type="Dummy"/>'],
                   env=env, check=True, capture_output=True)
    subprocess.run(["/usr/sbin/crm_attribute", "--type", "crm_config", "--name", "stonith-enabled", "--update",
                    "false"], env=env, check=True, capture_output=True)
    before = epoch(cib)
    _services.seed_cib(Runner(), str(tmp_path))
    whole = query(cib).stdout
    assert '<primitive id="p0"' in whole and 'name="stonith-enabled" value="false"' in whole
    assert 'id="%s"' % _services.SEED_SET in whole
    assert 'name="dc-deadtime" value="%s"' % _services.SEED_DC_DEADTIME in whole
    assert epoch(cib) == before + 1
    owner = pwd.getpwnam("hacluster").pw_uid
    assert all(os.stat(tmp_path / name).st_uid == owner for name in os.listdir(tmp_path))


def test_the_removal_takes_the_seed_set_only_and_a_second_one_is_no_error(tmp_path, monkeypatch):
    _services.seed_cib(Runner(), str(tmp_path))
    cib = tmp_path / "cib.xml"
    subprocess.run(["/usr/sbin/crm_attribute", "--type", "crm_config", "--set-name", "cib-bootstrap-options",
                    "--name", "dc-deadtime", "--update", "30s"],
                   env={"CIB_file": str(cib), "PATH": "/usr/sbin:/usr/bin"}, check=True, capture_output=True)
    runner = Runner(env={"CIB_file": str(cib)})
    assert _services.seeded(runner)
    _services.unseed(runner)
    assert not _services.seeded(runner)
    _services.unseed(runner)
    left = query(cib, "--scope", "crm_config").stdout
    assert 'value="30s"' in left and _services.SEED_SET not in left
