# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading text files, and writing them atomically (``AnsibleModule.atomic_move``), never readable beyond
their final mode."""

from __future__ import annotations

import os
import tempfile
import typing as t


class NotTextError(ValueError):
    """A file that is not UTF-8 text; the message names the file and the first bad byte."""


def read_text(path: str) -> str | None:
    """The file's text (only ``\\n`` is taken as a line end, nothing is translated), or None if absent."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotTextError("%s is not UTF-8 text: byte 0x%02x at offset %d cannot be read; nothing was changed"
                           % (path, raw[exc.start], exc.start)) from exc


def write_atomic(module: t.Any, path: str, data: str | bytes, mode: int, backup: bool = False,
                 owner: tuple[int, int] | None = None) -> str | None:
    """Write ``data`` to ``path`` through ``AnsibleModule.atomic_move``; returns the backup file's path, if made.

    ``atomic_move`` keeps an existing file's owner, mode and SELinux context, gives a new one its folder's
    default context, and honours ``unsafe_writes``. What it would get wrong for a secret is handled around
    it: an existing file gets its final mode and owner before the move (so the new text is never readable
    under an old, wider mode), and a new file is created under the umask 077 (atomic_move sets the umask's
    mode and root's ownership on a new file) and given its final mode and owner right after. The file is
    never readable by anyone the final mode does not allow, not even for a moment.
    """
    backup_file = module.backup_local(path) if backup and os.path.exists(path) else None
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".%s." % os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(path):
            _set_attributes(path, mode, owner)
        umask = os.umask(0o077)
        try:
            module.atomic_move(tmp, path, unsafe_writes=module.params.get("unsafe_writes", False))
        finally:
            os.umask(umask)
        _set_attributes(path, mode, owner)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return backup_file


def _set_attributes(path: str, mode: int, owner: tuple[int, int] | None) -> None:
    os.chmod(path, mode)
    if owner is not None:
        os.chown(path, *owner)
