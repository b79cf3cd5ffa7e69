# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the CIB_file tests share: an empty CIB, as a new cluster has (cibadmin --empty), behind the engine, and a
spy on the commands a CIB's runner makes."""

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


WRITES = ("--create", "--modify", "--patch")


class Calls(list):
    """The [command, first argument] of every call a spied CIB's runner makes, in order."""

    def writes(self) -> list[str]:
        """The cibadmin writes among them (``--create``, ``--modify``, ``--patch``), in order."""
        return [argv[1] for argv in self if argv[0] == "cibadmin" and argv[1] in WRITES]


@pytest.fixture
def spy():
    """``spy(cib)``: the Calls its runner makes from now on (the commands still run)."""

    def attach(cib):
        calls = Calls()
        run = cib.runner.run

        def spying(argv, data=None, check=True, ok_rcs=(0,), read=False):
            calls.append(list(argv[:2]))
            return run(argv, data=data, check=check, ok_rcs=ok_rcs, read=read)

        cib.runner.run = spying
        return calls

    return attach
