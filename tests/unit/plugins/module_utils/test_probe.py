# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _probe
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

CONF = """totem {
    version: 2
    cluster_name: hacluster
}
nodelist {
    node {
        name: alice
        nodeid: 1
        ring0_addr: 10.0.0.2
    }
}
"""


def test_corosync_conf_reads_as_the_corosync_conf_module_does(tmp_path):
    path = tmp_path / "corosync.conf"
    path.write_text(CONF)
    read = _probe.corosync_conf(str(path))
    assert read["exists"] is True
    assert read["config"]["totem"]["cluster_name"] == "hacluster"
    assert read["config"]["nodelist"]["node"] == [{"name": "alice", "nodeid": "1", "ring0_addr": "10.0.0.2"}]


def test_a_missing_or_broken_corosync_conf_gives_no_config(tmp_path):
    missing = _probe.corosync_conf(str(tmp_path / "none"))
    assert missing["exists"] is False and "config" not in missing and "error" not in missing
    broken = tmp_path / "broken.conf"
    broken.write_text("totem {\n version: 2\n")
    read = _probe.corosync_conf(str(broken))
    assert "config" not in read
    assert "broken.conf" in read["error"]


def test_the_authkey_gives_its_checksum_never_its_bytes(tmp_path):
    key = tmp_path / "authkey"
    secret = bytes(range(256))
    key.write_bytes(secret)
    key.chmod(0o400)
    read = _probe.file_stat(str(key))
    assert read["stat"]["checksum"] == hashlib.sha256(secret).hexdigest()
    assert read["stat"]["mode"] == "0400" and read["stat"]["size"] == 256
    assert secret.hex() not in repr(read) and repr(secret) not in repr(read)
    assert _probe.file_stat(str(tmp_path / "none")) == {"stat": {"exists": False, "path": str(tmp_path / "none")}}


def test_systemctl_show_blocks_map_to_their_units_in_order():
    out = ("LoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n\n"
           "LoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\n")
    units = _probe.parse_show(out, ["corosync", "corosync-qdevice"])
    assert units["corosync"]["status"]["ActiveState"] == "active"
    assert units["corosync"]["status"]["UnitFileState"] == "enabled"
    assert units["corosync-qdevice"]["status"]["LoadState"] == "not-found"
    assert units["corosync-qdevice"]["status"]["UnitFileState"] == ""
    assert _probe.parse_show("", ["pacemaker"]) == {"pacemaker": {"name": "pacemaker", "status": {}}}


@pytest.mark.skipif(not shutil.which("dpkg-query"), reason="dpkg-query is what this test reads")
def test_package_versions_by_dpkg_on_this_host():
    runner = Runner()
    versions = _probe.package_versions(runner, ["dpkg", "no-such-package-hacluster", "coreutils"])
    assert sorted(versions) == ["coreutils", "dpkg"]
    dpkg = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "dpkg"], capture_output=True, text=True, check=True)
    assert versions["dpkg"] == dpkg.stdout


def test_a_name_that_is_not_plain_is_left_to_the_package_task():
    assert _probe.package_versions(Runner(), ["pacemaker=2.1*"]) == {}
    assert _probe.package_versions(Runner(), []) == {}


POLICY = """pacemaker:
  Installed: 2.1.5-1+deb12u1
  Candidate: 3.0.0-3.1
  Version table:
     3.0.0-3.1 500
        500 file:/srv/mirror trixie/main amd64 Packages
 *** 2.1.5-1+deb12u1 100
        100 /var/lib/dpkg/status
corosync-qnetd:
  Installed: (none)
  Candidate: (none)
  Version table:
"""


def test_parse_policy_reads_each_candidate():
    assert _probe.parse_policy(POLICY) == {"pacemaker": "3.0.0-3.1", "corosync-qnetd": None}
    assert _probe.parse_policy("") == {}


@pytest.mark.skipif(not shutil.which("apt-cache"), reason="apt-cache is what this test reads")
def test_candidate_versions_by_apt_on_this_host():
    found = _probe.candidate_versions(Runner(), ["dpkg", "no-such-package-hacluster", "pacemaker=2.1*"])
    assert list(found) == ["dpkg", "no-such-package-hacluster", "pacemaker=2.1*"]
    assert found["no-such-package-hacluster"] is None and found["pacemaker=2.1*"] is None
    policy = subprocess.run(["apt-cache", "policy", "dpkg"], capture_output=True, text=True, check=True).stdout
    assert found["dpkg"] == policy.split("Candidate:")[1].split()[0]


def test_ssh_key_reads_the_public_key_or_says_there_is_none(tmp_path, monkeypatch):
    monkeypatch.setattr(_probe, "user_home", lambda user: (str(tmp_path), 0, 0))
    monkeypatch.setattr(_probe, "host_public_keys", lambda: ["ssh-ed25519 HOSTKEY"])
    assert _probe.ssh_key("root", "ed25519")["public_key"] is None
    ssh = tmp_path / ".ssh"
    ssh.mkdir()
    (ssh / "id_ed25519").write_text("PRIVATE\n")
    (ssh / "id_ed25519.pub").write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIETWRaT3+kIS4FGk+7ayhPW4iZhgKES+sHDU+8ZfXH5N root@alice\n")
    read = _probe.ssh_key("root", "ed25519")
    assert read["public_key"] == "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIETWRaT3+kIS4FGk+7ayhPW4iZhgKES+sHDU+8ZfXH5N"
    assert read["host_keys"] == ["ssh-ed25519 HOSTKEY"] and "PRIVATE" not in repr(read)
    (ssh / "id_ed25519.pub").write_text("not a key\n")
    broken = _probe.ssh_key("root", "ed25519")
    assert broken["public_key"] is None and "id_ed25519.pub" in broken["error"]


def test_fencing_is_not_read_where_pacemaker_does_not_run():
    calls = []

    class Spy(Runner):
        def run(self, argv, data=None, check=True, ok_rcs=(0,)):
            calls.append(list(argv))
            return super().run(argv, data, check, ok_rcs)

    units = {"pacemaker": {"name": "pacemaker", "status": {"ActiveState": "inactive"}}}
    assert _probe.fencing(Spy(), units) == {"pacemaker_running": False, "history": []}
    assert calls == []


@pytest.mark.skipif(shutil.which("stonith_admin") is None, reason="needs Pacemaker's stonith_admin")
def test_a_fencer_that_does_not_answer_gives_no_history():
    # this host runs no fencer: the real stonith_admin cannot connect, and the history is unknown, not empty
    units = {"pacemaker": {"name": "pacemaker", "status": {"ActiveState": "active"}}}
    assert _probe.fencing(Runner(), units) == {"pacemaker_running": True, "history": None}
