# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _files


class Module:
    def backup_local(self, path):
        raise AssertionError("no backup asked for: %s" % path)


def test_a_new_file_has_its_final_mode_before_it_appears(tmp_path, monkeypatch):
    seen = []
    replace = os.replace

    def spy(src, dst):
        seen.append(oct(os.stat(src).st_mode & 0o777))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    path = tmp_path / "id_ed25519"
    _files.write_atomic(Module(), str(path), b"secret\n", 0o600, owner=(os.getuid(), os.getgid()))
    assert seen == ["0o600"]
    assert oct(path.stat().st_mode & 0o777) == "0o600" and path.read_bytes() == b"secret\n"
    assert [p.name for p in tmp_path.iterdir()] == ["id_ed25519"]


def test_read_text_names_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "corosync.conf"
    path.write_bytes(b"totem {\n\tcluster_name: caf\xe9\n}\n")
    with pytest.raises(_files.NotTextError, match=r"corosync.conf is not UTF-8 text: byte 0xe9 at offset 26"):
        _files.read_text(str(path))
    assert _files.read_text(str(tmp_path / "absent")) is None
