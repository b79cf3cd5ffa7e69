# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Pacemaker daemon too busy to answer (ECOMM, exit 71: "Communication error on send", seen on the lab's 2-core
nodes with a CIB of 1030 resources): reads and waits are asked again, a write the CIB did not take is tried again,
nothing else is. Pacemaker's real tools on a CIB_file, each behind a wrapper that fails its first calls as a busy
daemon makes them fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils._cib import Cib, converge
from ansible_collections.hacluster.crm.plugins.module_utils._primitive import parse_primitives
from ansible_collections.hacluster.crm.plugins.module_utils._runner import CommandError, Runner

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/sbin/cibadmin"),
                                reason="pacemaker's command line tools (pacemaker-cli-utils) are not installed")

WRAPPER = """#!/bin/sh
# every call logged; the first {fails} calls whose arguments hold {match} fail as a busy daemon makes them fail
echo "$*" >> {folder}/calls
case " $* " in *" {match} "*)
  n=$(cat {folder}/failed 2>/dev/null || echo 0)
  if [ "$n" -lt {fails} ]; then
    echo $((n + 1)) > {folder}/failed
    echo "Could not obtain the current CIB: Communication error on send" >&2
    exit 71
  fi;;
esac
exec /usr/sbin/{tool} "$@"
"""


@pytest.fixture
def busy(tmp_path, monkeypatch):
    """``busy(tool, match, fails)``: ``tool`` fails its first ``fails`` calls holding ``match``; returns a reader
    of the calls made (the wrapper's log). The pauses between tries (``busy.pauses``) are recorded, not slept."""
    folder = tmp_path / "busy"
    folder.mkdir()
    monkeypatch.setenv("PATH", "%s:%s" % (folder, os.environ.get("PATH", "")))
    pauses = []
    monkeypatch.setattr(time, "sleep", pauses.append)

    def make(tool, match, fails):
        path = folder / tool
        path.write_text(WRAPPER.format(folder=folder, match=match, fails=fails, tool=tool))
        path.chmod(0o755)
        return lambda: (folder / "calls").read_text().splitlines() if (folder / "calls").exists() else []

    make.pauses = pauses
    return make


@pytest.fixture
def cib_path(tmp_path):
    path = tmp_path / "cib.xml"
    path.write_text(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True,
                                   check=True).stdout)
    return str(path)


def test_a_read_is_asked_again_while_the_cib_is_busy(busy, cib_path):
    calls = busy("cibadmin", "--query", 2)
    cib = Cib(Runner(), cib_path)
    assert cib.read().find("configuration/resources") is not None
    assert [c.split()[0] for c in calls()] == ["--query"] * 3
    assert busy.pauses == [0.5, 1.0]


def test_a_cib_busy_three_times_is_an_error_naming_it(busy, cib_path):
    busy("cibadmin", "--query", 3)
    with pytest.raises(CommandError) as err:
        Cib(Runner(), cib_path).read()
    assert err.value.rc == 71 and "Communication error on send" in err.value.msg
    assert busy.pauses == [0.5, 1.0]


def test_only_reads_are_asked_again(busy, cib_path):
    calls = busy("cibadmin", "--query", 1)
    rc, _out, err = Runner(env={"CIB_file": cib_path}).run(["cibadmin", "--query"], check=False)
    assert rc == 71 and "Communication error on send" in err and len(calls()) == 1 and busy.pauses == []


def test_other_failures_are_not_asked_again(busy, tmp_path):
    calls = busy("cibadmin", "--query", 0)
    runner = Runner(env={"CIB_file": str(tmp_path / "missing.xml")})
    rc, _out, err = runner.run(["cibadmin", "--query"], check=False, read=True)
    assert rc != 0 and "Communication error" not in err and len(calls()) == 1 and busy.pauses == []


def test_a_create_the_busy_cib_did_not_take_is_tried_again(busy, cib_path):
    calls = busy("cibadmin", "--create", 1)
    cib = Cib(Runner(), cib_path)
    items = [{"id": "p%d" % i, "agent": "Dummy", "params": {"state": "/run/p%d" % i}} for i in range(3)]
    edit = converge(cib, parse_primitives(items).declaration(cib), False)
    assert [c[1] for c in edit.changes] == ["p0", "p1", "p2"]
    assert [c.split()[0] for c in calls() if c.split()[0] in ("--create", "--patch")] == ["--create", "--create"]
    again = converge(Cib(Runner(), cib_path), parse_primitives(items).declaration(cib), False)
    assert not again.changes
    assert busy.pauses == [0.5]


def test_a_wait_is_asked_again_with_what_is_left_of_its_time(busy, cib_path):
    calls = busy("crm_resource", "--wait", 1)
    # the live CIB's path (no cib_file): crm_resource --wait reads the file through CIB_file
    Cib(Runner(env={"CIB_file": cib_path})).wait(60)
    waits = [c for c in calls() if c.startswith("--wait")]
    assert len(waits) == 2 and waits[0] == "--wait --timeout 60s"
    assert 55 <= int(waits[1].split()[-1].rstrip("s")) <= 60 and busy.pauses == [0.5]


def test_a_wait_busy_every_time_fails_with_the_tools_words(busy, cib_path):
    calls = busy("crm_resource", "--wait", 5)
    with pytest.raises(CommandError) as err:
        Cib(Runner(env={"CIB_file": cib_path})).wait(60)
    assert err.value.rc == 71 and "crm_resource failed (rc=71)" in err.value.msg
    assert "Communication error on send" in err.value.msg and len(calls()) == 3 and busy.pauses == [0.5, 1.0]
    assert shutil.which("crm_resource").startswith(os.environ["PATH"].split(":")[0])
