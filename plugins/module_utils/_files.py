# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading text files, and writing them atomically: a temporary file in the same folder with its final mode
and owner, then a rename."""

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
    """Write ``data`` to ``path`` atomically; returns the backup file's path, if one was made.

    The temporary file gets its final mode (and owner) before a byte is written and is renamed over
    ``path``: the file never exists with other permissions, not even for a moment. Not
    ``AnsibleModule.atomic_move``: on a new file it sets the umask's mode (0644) and root's ownership after
    the rename, which would leave a private key readable, and owned by the wrong user, until fixed.
    """
    backup_file = module.backup_local(path) if backup and os.path.exists(path) else None
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".%s." % os.path.basename(path))
    try:
        os.fchmod(fd, mode)
        if owner is not None:
            os.fchown(fd, *owner)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return backup_file
