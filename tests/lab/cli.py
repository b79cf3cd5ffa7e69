#!/usr/bin/env python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's command line (`lab.py`, the same verbs and arguments), as the targets call it: hundreds of times each.

Python compiles the script it is started with on every start (only imported modules keep their byte-code), and
lab.py's imports cost more than most of its verbs: a call of `lab.py exec` took 63-70 ms of CPU, against 5 ms
for the nsenter it runs. So this small script does the usual `exec` (a known node that runs) itself, with nothing
imported but os and sys, and hands every other call to lab.py imported as a module (from its byte-code).
"""

from __future__ import annotations

import os
import sys

# a command's environment in a node (lab.py's cmd_exec and the chaos run use it too)
EXEC_ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "HOME": "/root"}


def state_file(name: str) -> str:
    """lab.Node(name).state_file."""
    return os.path.join(os.environ.get("HACLUSTER_LAB_HOME", "/var/lib/hacluster-lab"), "nodes", name, "state.json")


def children(pid: int) -> list:
    """The PIDs of the children of every thread of PID (none of a thread that went meanwhile)."""
    out = []
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for task in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, task), encoding="ascii") as kids:
                out += [int(child) for child in kids.read().split()]
        except OSError:
            pass
    return out


def pid1_below(root: int) -> int:
    """The descendant of ROOT (a node's systemd-nspawn) that is PID 1 in its namespace, the node's systemd; else 0."""
    todo = [root]
    while todo:
        for child in children(todo.pop()):
            try:
                with open("/proc/%d/status" % child, encoding="utf-8") as status:
                    if [line.split()[-1] for line in status if line.startswith("NSpid:")] == ["1"]:
                        return child
            except OSError:
                pass
            todo.append(child)
    return 0


def pid1_of(name: str) -> int:
    """lab.Node(name).pid1(), with the node's systemd-nspawn read from its state file without json or pathlib (their
    imports cost as much as the rest); 0 when anything is not as that expects (lab.py then says what is wrong)."""
    try:
        with open(state_file(name), encoding="utf-8") as state:
            text = state.read()  # lab.py's Node.save writes it: {"...": ..., "nspawn_pid": 1234, ...}
        found = text[text.index('"nspawn_pid":') + len('"nspawn_pid":'):].lstrip(" ")
        root = int(found[:len(found) - len(found.lstrip("0123456789"))])
        with open("/proc/%d/cmdline" % root, "rb") as cmdline:
            if b"systemd-nspawn" not in cmdline.read():
                return 0
    except (OSError, ValueError):
        return 0
    return pid1_below(root)


def main(argv: list) -> int:
    # `exec NAME COMMAND...` as lab.py's cmd_exec runs it (this process replaced by nsenter); anything else, or a
    # node this cannot find running, through lab.py
    if len(argv) > 2 and argv[0] == "exec" and not argv[1].startswith("-") and "/" not in argv[1] \
            and not argv[2].startswith("-"):
        pid1 = pid1_of(argv[1])
        if pid1:
            sys.stdout.flush()
            os.execvpe("nsenter", ["nsenter", "-t", str(pid1), "-a"] + argv[2:], EXEC_ENV)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import lab  # pylint: disable=import-outside-toplevel

    return lab.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
