# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One command runner for every engine: argv lists, LC_ALL=C, one error type."""

from __future__ import annotations

import os
import subprocess
import time
import typing as t

# Pacemaker's tools exit 71 saying "Communication error on send" (ECOMM) when a daemon did not take or answer a
# request in time, as a busy pacemaker-based does (seen on the lab: crm_resource --wait and cibadmin on a 2-core
# node whose CIB held 1030 resources, right after 500 were replaced). A read asked again a moment later is answered.
BUSY_RC = 71
BUSY_WORDS = "Communication error on send"
BUSY_TRIES = 3
BUSY_PAUSE = 0.5


def busy(rc: int | None, err: str) -> bool:
    """Whether a Pacemaker tool failed because a daemon was too busy to take or answer its request."""
    return rc == BUSY_RC and BUSY_WORDS in (err or "")


def busy_tries(deadline: float | None = None) -> t.Iterator[int]:
    """The tries of a read while a daemon is busy (the caller stops at the first answer that is not ``busy``): up
    to three, half a second and then a second apart; none that would start past ``deadline`` (time.monotonic)."""
    for attempt in range(BUSY_TRIES):
        if attempt:
            if deadline is not None and time.monotonic() + BUSY_PAUSE * attempt >= deadline:
                return
            time.sleep(BUSY_PAUSE * attempt)
        yield attempt


class CommandError(Exception):
    """A command failed; carries what ``fail_json`` needs to report it."""

    def __init__(self, msg: str, cmd: t.Sequence[str] = (), rc: int | None = None, stderr: str = "") -> None:
        super().__init__(msg)
        self.msg = msg
        self.cmd = list(cmd)
        self.rc = rc
        self.stderr = stderr

    def as_fail_kwargs(self) -> dict[str, t.Any]:
        result: dict[str, t.Any] = {"msg": self.msg}
        if self.cmd:
            result.update(cmd=self.cmd, rc=self.rc, stderr=self.stderr)
        return result


class Runner:
    """Runs commands as argument lists with a C locale.

    ``module`` is an AnsibleModule (its ``run_command`` and ``get_bin_path`` are used);
    without one, the runner works from plain Python (unit tests, offline tools).
    """

    def __init__(self, module: t.Any = None, env: dict[str, str] | None = None) -> None:
        self.module = module
        self.env = {"LC_ALL": "C", "LANG": "C"}
        self.env.update(env or {})
        self._bins: dict[str, str] = {}

    def binary(self, name: str) -> str:
        if name not in self._bins:
            path = None
            if self.module is not None:
                path = self.module.get_bin_path(name, opt_dirs=["/usr/sbin", "/sbin"])
            else:
                for folder in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/sbin", "/sbin"]:
                    candidate = os.path.join(folder, name)
                    if os.access(candidate, os.X_OK):
                        path = candidate
                        break
            if not path:
                raise CommandError("required command %s not found on this host" % name)
            self._bins[name] = path
        return self._bins[name]

    def run(self, argv: t.Sequence[str], data: str | None = None, check: bool = True,
            ok_rcs: t.Collection[int] = (0,), read: bool = False) -> tuple[int, str, str]:
        """Run ``argv``; ``read``: a command that changes nothing, asked again (up to three times in all, half a
        second and then a second later) while a daemon is too busy to answer it."""
        cmd = [self.binary(argv[0])] + [str(a) for a in argv[1:]]
        for _attempt in busy_tries() if read else range(1):
            rc, out, err = self._once(cmd, data)
            if not busy(rc, err):
                break
        if check and rc not in ok_rcs:
            raise self.error(argv, rc, out, err)
        return rc, out, err

    def error(self, argv: t.Sequence[str], rc: int, out: str, err: str) -> CommandError:
        """The error of a command that failed, in the words every engine reports."""
        cmd = [self.binary(argv[0])] + [str(a) for a in argv[1:]]
        return CommandError("%s failed (rc=%s): %s" % (argv[0], rc, (err or out).strip()), cmd, rc, err)

    def _once(self, cmd: list[str], data: str | None) -> tuple[int, str, str]:
        if self.module is not None:
            return self.module.run_command(cmd, data=data, environ_update=self.env, binary_data=True, check_rc=False)
        env = dict(os.environ)
        env.update(self.env)
        proc = subprocess.run(cmd, input=data, capture_output=True, text=True, env=env, check=False)
        return proc.returncode, proc.stdout, proc.stderr
