# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import os
import struct
import subprocess

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _ssh
from ansible_collections.hacluster.crm.tests.unit.plugins.module_utils.fake_module import FilesModule


def key(kind="ssh-ed25519", seed=b"a"):
    body = struct.pack(">I", len(kind)) + kind.encode() + struct.pack(">I", 32) + seed * 32
    return "%s %s" % (kind, base64.b64encode(body).decode())


def test_parse_public_key_and_errors():
    assert _ssh.parse_public_key(key() + " root@alice", "k") == tuple(key().split())
    with pytest.raises(_ssh.SshError, match="is not an OpenSSH public key"):
        _ssh.parse_public_key("hello", "k")
    with pytest.raises(_ssh.SshError, match="malformed key body"):
        _ssh.parse_public_key("ssh-ed25519 !!!", "k")
    with pytest.raises(_ssh.SshError, match="says ssh-rsa but its body is a ssh-ed25519 key"):
        _ssh.parse_public_key("ssh-rsa " + key().split()[1], "k")


def test_authorized_keys_keeps_operator_lines_and_is_idempotent():
    operator = 'from="10.0.0.9" ' + key(seed=b"z") + " admin@laptop"
    lines = ["# managed by hand", operator]
    merged = _ssh.merge_authorized(lines, [key(seed=b"b"), key(seed=b"c")], exclusive=False)
    assert merged[:2] == lines and len(merged) == 4
    assert _ssh.merge_authorized(merged, [key(seed=b"b"), key(seed=b"c")], exclusive=False) == merged


def test_authorized_keys_exclusive_drops_others():
    lines = ["# note", key(seed=b"z") + " old", key(seed=b"b") + " peer"]
    assert _ssh.merge_authorized(lines, [key(seed=b"b")], exclusive=True) == ["# note", key(seed=b"b") + " peer"]


def test_known_hosts_by_name_and_address_replaces_a_changed_key():
    hosts = [{"names": ["bob", "10.0.0.3"], "keys": [key(seed=b"h")]}]
    lines = ["carol " + key(seed=b"q"), "bob " + key(seed=b"o")]
    merged = _ssh.merge_known_hosts(lines, hosts)
    assert merged == ["carol " + key(seed=b"q"), "bob,10.0.0.3 " + key(seed=b"h") + " hacluster.crm:bob"]
    assert _ssh.merge_known_hosts(merged, hosts) == merged


def test_known_hosts_needs_names():
    with pytest.raises(_ssh.SshError, match=r"known_hosts\[0\] needs names"):
        _ssh.merge_known_hosts([], [{"keys": [key()]}])


# ---- hardening: options as OpenSSH reads them, revocation of nodes that left, files as they are

def test_key_type_inside_a_quoted_option_is_part_of_the_option():
    restricted = 'command="/usr/bin/rsync --server ssh-rsa AAAAB3Nza bogus",no-pty ' + key(seed=b"r") + " backup"
    escaped = 'command="echo \\"x ssh-ed25519 y\\"" ' + key(seed=b"e")
    assert _ssh._key_of_authorized(restricted) == tuple(key(seed=b"r").split())
    assert _ssh._key_of_authorized(escaped) == tuple(key(seed=b"e").split())
    lines = [restricted, escaped]
    assert _ssh.merge_authorized(lines, [key(seed=b"r")], exclusive=True) == [restricted]
    assert _ssh.merge_authorized(lines, [key(seed=b"r"), key(seed=b"e")], exclusive=False) == lines


def test_lines_we_wrote_for_a_node_that_left_are_revoked_others_stay():
    operator = key(seed=b"o") + " admin@laptop"
    ours = [key(seed=b"a") + " hacluster.crm:alice", key(seed=b"d") + " hacluster.crm:dave"]
    given = [key(seed=b"a") + " hacluster.crm:alice"]
    merged = _ssh.merge_authorized([operator] + ours, given, False, members=["alice", "bob"])
    assert merged == [operator, ours[0]]
    # a node outside this run (bob, no key given) keeps its line; without members nothing is revoked
    bob = key(seed=b"b") + " hacluster.crm:bob"
    assert _ssh.merge_authorized([bob], given, False, members=["alice", "bob"]) == [bob, given[0]]
    assert _ssh.merge_authorized(ours, given, False) == ours
    # a member's new key replaces the line written for its old key
    new_alice = key(seed=b"n") + " hacluster.crm:alice"
    assert _ssh.merge_authorized(ours[:1], [new_alice], False, members=["alice"]) == [new_alice]


def test_known_hosts_of_a_node_that_left_are_revoked():
    hosts = [{"names": ["bob", "10.0.0.3"], "keys": [key(seed=b"h")]}]
    lines = ["dave,10.0.0.5 " + key(seed=b"d") + " hacluster.crm:dave", "gw " + key(seed=b"g")]
    merged = _ssh.merge_known_hosts(lines, hosts, members=["alice", "bob"])
    assert merged == ["gw " + key(seed=b"g"), "bob,10.0.0.3 " + key(seed=b"h") + " hacluster.crm:bob"]


def test_links_and_strangers_files_refused(tmp_path):
    real = tmp_path / "real"
    real.write_text("x")
    link = tmp_path / "authorized_keys"
    link.symlink_to(real)
    with pytest.raises(_ssh.SshError, match="is a symbolic link: refusing to follow it"):
        _ssh.check_owned(str(link), real.stat().st_uid)
    with pytest.raises(_ssh.SshError, match="belongs to uid"):
        _ssh.check_owned(str(real), real.stat().st_uid + 1)
    assert not _ssh.check_owned(str(tmp_path / "absent"), 0)
    assert _ssh.check_owned(str(tmp_path), real.stat().st_uid, folder=True)


def test_bad_private_key_refused_before_anything_is_written(tmp_path):
    from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
    own = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(own)], check=True)
    before = own.read_bytes()
    protected = tmp_path / "protected"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", str(protected)], check=True)
    for bad in ("garbage\n", protected.read_text()):
        with pytest.raises(_ssh.SshError, match="not a usable OpenSSH private key"):
            _ssh.plan_key(Runner(), bad, str(own))
        assert own.read_bytes() == before


class Module(FilesModule):
    check_mode = False
    _diff = True

    def __init__(self, **params):
        self.params = dict({"user": "root", "key_type": "ed25519", "key_bits": 4096, "private_key": None,
                            "authorized_keys": None, "known_hosts": None, "members": None, "exclusive": False},
                           **params)


def trust_in(folder, module):
    """An SshTrust working in ``folder`` as the current user (no home directory is touched)."""
    from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner
    engine = object.__new__(_ssh.SshTrust)
    engine.module, engine.params, engine.runner = module, module.params, Runner()
    engine.uid, engine.gid, engine.ssh_dir = os.getuid(), os.getgid(), str(folder)
    engine.key_path = os.path.join(str(folder), "id_ed25519")
    return engine


def test_shared_key_replaces_own_key_and_its_pub(tmp_path):
    ssh = tmp_path / ".ssh"
    ssh.mkdir(mode=0o700)
    own = ssh / "id_ed25519"
    shared = tmp_path / "shared"
    for path in (own, shared):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    engine = trust_in(ssh, Module(private_key=shared.read_text()))
    plan = engine.plan()
    assert plan.steps == ["install %s" % own, "install %s.pub" % own]
    public = " ".join(shared.with_suffix(".pub").read_text().split()[:2])
    assert plan.result["public_key"] == public
    engine.apply(plan)
    assert own.read_bytes() == shared.read_bytes()
    assert own.with_suffix(".pub").read_text().split()[:2] == public.split()
    assert oct(own.stat().st_mode & 0o777) == "0o600"
    assert not trust_in(ssh, Module(private_key=shared.read_text())).plan().steps


def test_plan_then_apply_authorized_keys_with_diff(tmp_path):
    ssh = tmp_path / ".ssh"
    ssh.mkdir(mode=0o700)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(ssh / "id_ed25519")], check=True)
    module = Module(authorized_keys=[key(seed=b"b") + " hacluster.crm:bob"], members=["alice", "bob"])
    plan = trust_in(ssh, module).plan()
    assert plan.steps == ["update %s/authorized_keys" % ssh]
    assert plan.before == "# %s/authorized_keys\n" % ssh and "hacluster.crm:bob" in plan.after
    assert not (ssh / "authorized_keys").exists()
    trust_in(ssh, module).apply(plan)
    assert oct((ssh / "authorized_keys").stat().st_mode & 0o777) == "0o600"
    assert not trust_in(ssh, module).plan().steps
