# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

import pytest


from ansible_collections.hacluster.crm.plugins.module_utils import _files
from ansible_collections.hacluster.crm.tests.unit.plugins.module_utils.fake_module import FilesModule


class Module(FilesModule):
    """AnsibleModule's own atomic_move, without the argument parsing."""


def watch_modes(monkeypatch, path):
    """Every mode the file at ``path`` has, and every mode a file renamed onto it has, as it happens."""
    seen = []
    rename, chmod = os.rename, os.chmod

    def on_rename(src, dst):
        if os.fsdecode(dst) == str(path):
            seen.append(os.stat(src).st_mode & 0o777)
        rename(src, dst)

    def on_chmod(target, mode, *args, **kwargs):
        chmod(target, mode, *args, **kwargs)
        if os.fsdecode(target) == str(path):
            seen.append(os.stat(target).st_mode & 0o777)

    monkeypatch.setattr(os, "rename", on_rename)
    monkeypatch.setattr(os, "chmod", on_chmod)
    return seen


@pytest.mark.parametrize("old_mode", [None, 0o644, 0o600])
def test_a_secret_is_never_readable_beyond_its_final_mode(tmp_path, monkeypatch, old_mode):
    path = tmp_path / "id_ed25519"
    if old_mode is not None:
        path.write_bytes(b"old\n")
        path.chmod(old_mode)
    seen = watch_modes(monkeypatch, path)
    _files.write_atomic(Module(), str(path), b"secret\n", 0o600, owner=(os.getuid(), os.getgid()))
    assert seen and all(mode & ~0o600 == 0 for mode in seen), [oct(m) for m in seen]
    assert path.stat().st_mode & 0o777 == 0o600 and path.read_bytes() == b"secret\n"
    assert [p.name for p in tmp_path.iterdir()] == ["id_ed25519"]


def test_a_public_file_gets_its_final_mode_and_the_umask_is_restored(tmp_path):
    path = tmp_path / "corosync.conf"
    umask = os.umask(0o022)
    try:
        _files.write_atomic(Module(), str(path), "totem {\n}\n", 0o644)
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644 and path.read_text() == "totem {\n}\n"


def test_read_text_names_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "corosync.conf"
    path.write_bytes(b"totem {\n\tcluster_name: caf\xe9\n}\n")
    with pytest.raises(_files.NotTextError, match=r"corosync.conf is not UTF-8 text: byte 0xe9 at offset 26"):
        _files.read_text(str(path))
    assert _files.read_text(str(tmp_path / "absent")) is None
