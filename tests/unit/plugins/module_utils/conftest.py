# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the CIB_file tests share: an empty CIB, as a new cluster has (cibadmin --empty), behind the engine."""

from __future__ import annotations

import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner


@pytest.fixture
def empty_cib(tmp_path):
    path = tmp_path / "cib.xml"
    path.write_text(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True,
                                   check=True).stdout)
    return Cib(Runner(), str(path))
