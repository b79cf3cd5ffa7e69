# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import struct

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _ssh


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
    assert merged == ["carol " + key(seed=b"q"), "bob,10.0.0.3 " + key(seed=b"h")]
    assert _ssh.merge_known_hosts(merged, hosts) == merged


def test_known_hosts_needs_names():
    with pytest.raises(_ssh.SshError, match=r"known_hosts\[0\] needs names"):
        _ssh.merge_known_hosts([], [{"keys": [key()]}])
