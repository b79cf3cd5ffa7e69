# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSH trust between cluster nodes: a user key pair, peers in authorized_keys, peers' host keys
in known_hosts. Every other line of those files is kept as it was; private keys are never read
into a result."""

from __future__ import annotations

import base64
import binascii
import glob
import os
import pwd
import stat
import struct
import tempfile
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._files import write_atomic
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
             "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
MARK = "hacluster.crm"


class SshError(Exception):
    """Bad input or an unusable file; nothing was written."""


def parse_public_key(line: str, what: str) -> tuple[str, str]:
    """(type, base64 blob) of an OpenSSH public key line; the comment is dropped."""
    parts = str(line).strip().split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        raise SshError("%s is not an OpenSSH public key (expected 'TYPE BASE64 [comment]' with TYPE one of %s): %r"
                       % (what, ", ".join(KEY_TYPES[:3]), str(line)[:60]))
    try:
        blob = base64.b64decode(parts[1], validate=True)
        (length,) = struct.unpack(">I", blob[:4])
        embedded = blob[4:4 + length].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError, ValueError) as exc:
        raise SshError("%s has a malformed key body: %s" % (what, exc)) from exc
    if embedded != parts[0]:
        raise SshError("%s says %s but its body is a %s key" % (what, parts[0], embedded))
    return parts[0], parts[1]


def user_home(user: str) -> tuple[str, int, int]:
    try:
        entry = pwd.getpwnam(user)
    except KeyError as exc:
        raise SshError("no such user: %s" % user) from exc
    if not os.path.isdir(entry.pw_dir):
        raise SshError("the home directory of %s, %s, does not exist" % (user, entry.pw_dir))
    return entry.pw_dir, entry.pw_uid, entry.pw_gid


def read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise SshError("cannot read %s: %s" % (path, exc)) from exc


def host_public_keys(pattern: str = "/etc/ssh/ssh_host_*_key.pub") -> list[str]:
    keys = []
    for path in sorted(glob.glob(pattern)):
        for line in read_lines(path):
            if line.strip():
                kind, body = parse_public_key(line, path)
                keys.append("%s %s" % (kind, body))
    return keys


def owner_of(line: str) -> str | None:
    """Whom a line this collection wrote is for: its comment is MARK or MARK:NODE. None: not ours."""
    words = line.split()
    last = words[-1] if words else ""
    if last == MARK:
        return ""
    if last.startswith(MARK + ":"):
        return last[len(MARK) + 1:]
    return None


def tag_of(key: str) -> str:
    """The comment to write after a key: the MARK:NODE it was given with, else MARK."""
    words = str(key).split()
    return words[-1] if len(words) > 2 and owner_of(words[-1]) is not None else MARK


def merge_authorized(lines: list[str], keys: list[str], exclusive: bool,
                     members: list[str] | None = None) -> list[str]:
    """Add each key not present (by type and body).

    Lines this collection wrote for a node that is not one of ``members`` (it left the cluster), or
    with an old key of a node whose key is given now, go; lines it did not write stay, unless
    ``exclusive``, which drops every key line not given.
    """
    wanted = [parse_public_key(k, "authorized_keys[%d]" % i) for i, k in enumerate(keys)]
    tags = [tag_of(k) for k in keys]
    named = {owner_of(tag) for tag in tags} - {""}
    present = set()
    out = []
    for line in lines:
        body = _key_of_authorized(line)
        if body is None:
            out.append(line)
            continue
        owner = owner_of(line)
        if body not in wanted and (exclusive or owner in named or
                                   (owner and members is not None and owner not in members)):
            continue
        present.add(body)
        out.append(line)
    for (kind, blob), tag in zip(wanted, tags):
        if (kind, blob) not in present:
            out.append("%s %s %s" % (kind, blob, tag))
            present.add((kind, blob))
    return out


def _key_of_authorized(line: str) -> tuple[str, str] | None:
    """(type, body) of an authorized_keys line; None for comments, blanks and unparsable lines.

    As OpenSSH (auth2-pubkeyfile.c) reads it: the line is a key, or options then a key; options end at
    the first blank outside double quotes (a backslash escapes a quote), so a key type written inside
    an option such as command="... ssh-rsa ..." is part of the option.
    """
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    parts = stripped.split()
    if parts[0] in KEY_TYPES:
        return (parts[0], parts[1]) if len(parts) > 1 else None
    quoted, i = False, 0
    while i < len(stripped):
        char = stripped[i]
        if quoted and char == "\\" and stripped[i + 1:i + 2] == '"':
            i += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char in " \t" and not quoted:
            break
        i += 1
    rest = stripped[i:].split()
    if len(rest) >= 2 and rest[0] in KEY_TYPES:
        return rest[0], rest[1]
    return None


def merge_known_hosts(lines: list[str], hosts: list[dict[str, t.Any]], members: list[str] | None = None) -> list[str]:
    """Make each (name, key) pair known; other lines are kept. A changed key for a name replaces the old
    one; lines this collection wrote for a node that is not one of ``members`` go."""
    wanted: list[tuple[list[str], tuple[str, str]]] = []
    for i, host in enumerate(hosts):
        names = [str(n) for n in host.get("names") or [] if n]
        if not names:
            raise SshError("known_hosts[%d] needs names" % i)
        for key in host.get("keys") or []:
            wanted.append((names, parse_public_key(key, "known_hosts[%d] key" % i)))
    out = list(lines)
    for names, (kind, blob) in wanted:
        have = [line for line in out if _known_matches(line, names, kind)]
        if len(have) == 1 and have[0].split()[2] == blob and set(names) <= set(have[0].split()[0].split(",")):
            continue
        out = [line for line in out if line not in have]
        out.append("%s %s %s %s:%s" % (",".join(names), kind, blob, MARK, names[0]))
    if members is None:
        return out
    return [line for line in out if not owner_of(line) or owner_of(line) in members]


def _known_matches(line: str, names: list[str], kind: str) -> bool:
    parts = line.split()
    if len(parts) < 3 or line.lstrip().startswith(("#", "@", "|")):
        return False
    return parts[1] == kind and bool(set(parts[0].split(",")) & set(names))


def render(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def check_owned(path: str, uid: int, folder: bool = False) -> bool:
    """True if ``path`` exists as a real file (or folder) of the user; refuses links and strangers' files.

    The module runs as root: following a link under ~user/.ssh would read or write wherever it points.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    kind = "folder" if folder else "file"
    if stat.S_ISLNK(info.st_mode):
        raise SshError("%s is a symbolic link: refusing to follow it (replace it with a real %s owned by the user)"
                       % (path, kind))
    if (folder and not stat.S_ISDIR(info.st_mode)) or (not folder and not stat.S_ISREG(info.st_mode)):
        raise SshError("%s is not a regular %s" % (path, kind))
    if info.st_uid != uid:
        raise SshError("%s belongs to uid %d, not to the user (uid %d): refusing to use it" % (path, info.st_uid, uid))
    return True


class SshTrust:
    """The user's key pair, authorized_keys and known_hosts as declared; the private key stays put."""

    def __init__(self, module: t.Any) -> None:
        self.module = module
        self.params = module.params
        self.runner = Runner(module)
        home, self.uid, self.gid = user_home(self.params["user"])
        self.ssh_dir = os.path.join(home, ".ssh")
        self.key_path = os.path.join(self.ssh_dir, "id_%s" % self.params["key_type"])

    def plan(self) -> Plan:
        params = self.params
        auth_path = os.path.join(self.ssh_dir, "authorized_keys")
        known_path = os.path.join(self.ssh_dir, "known_hosts")
        check_owned(self.ssh_dir, self.uid, folder=True)
        for path in (self.key_path, self.key_path + ".pub", auth_path, known_path):
            check_owned(path, self.uid)
        key = plan_key(self.runner, params["private_key"], self.key_path)
        steps = ["%s %s" % (key["action"], path) for path in key["paths"]]
        writes, before, after = [], [], []
        members = params["members"]
        merges = []
        if params["authorized_keys"] is not None:
            merges.append((auth_path, lambda lines: merge_authorized(lines, params["authorized_keys"],
                                                                     params["exclusive"], members)))
        if params["known_hosts"] is not None:
            merges.append((known_path, lambda lines: merge_known_hosts(lines, params["known_hosts"], members)))
        for path, merge in merges:
            old = read_lines(path)
            new = merge(old)
            if old != new:
                steps.append("update %s" % path)
                writes.append((path, render(new)))
                before.append("# %s\n%s" % (path, render(old)))
                after.append("# %s\n%s" % (path, render(new)))
        result = {"changed_files": [step.split(" ", 1)[1] for step in steps], "public_key": key["public"],
                  "host_keys": host_public_keys(), "key_file": self.key_path}
        return Plan(steps=steps, before="".join(before), after="".join(after), header=self.ssh_dir, result=result,
                    data=(key, writes))

    def apply(self, plan: Plan) -> dict[str, t.Any]:
        key, writes = plan.data
        ensure_ssh_dir(self.ssh_dir, self.uid, self.gid)
        owner = (self.uid, self.gid)
        public = key["public"]
        if key["action"] == "generate":
            params = self.params
            argv = ["ssh-keygen", "-q", "-t", params["key_type"], "-N", "", "-C",
                    "%s@%s" % (params["user"], os.uname()[1]), "-f", self.key_path]
            if params["key_type"] == "rsa":
                argv[4:4] = ["-b", str(params["key_bits"])]
            self.runner.run(argv)
            for path in (self.key_path, self.key_path + ".pub"):
                os.chown(path, *owner)
            public = own_public_key(self.key_path)
        elif key["action"] == "install":
            if self.key_path in key["paths"]:
                write_atomic(self.module, self.key_path, key["private"], 0o600, owner=owner)
            if self.key_path + ".pub" in key["paths"]:
                write_atomic(self.module, self.key_path + ".pub", public + "\n", 0o644, owner=owner)
        for path, text in writes:
            write_atomic(self.module, path, text, 0o600, owner=owner)
        return {"public_key": public}


def ensure_ssh_dir(ssh_dir: str, uid: int, gid: int) -> None:
    if not os.path.isdir(ssh_dir):
        os.mkdir(ssh_dir, 0o700)
        os.chown(ssh_dir, uid, gid)


def public_of(runner: t.Any, private: bytes) -> str:
    """The public key of a private key, checked by ssh-keygen before anything is written.

    The key goes to a private temporary folder (0700, file 0600) and nowhere else; a key that
    ssh-keygen cannot read without a passphrase is refused, naming no part of it.
    """
    with tempfile.TemporaryDirectory(prefix="hacluster-ssh-") as folder:
        path = os.path.join(folder, "key")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private)
        rc, out, _err = runner.run(["ssh-keygen", "-y", "-P", "", "-f", path], check=False)
    if rc != 0 or not out.strip():
        raise SshError("private_key is not a usable OpenSSH private key: ssh-keygen -y cannot read it without a "
                       "passphrase (malformed or passphrase-protected); nothing was written")
    kind, blob = parse_public_key(out.strip(), "the public key of private_key")
    return "%s %s" % (kind, blob)


def own_public_key(key_path: str) -> str:
    pub_lines = [line for line in read_lines(key_path + ".pub") if line.strip()]
    if not pub_lines:
        raise SshError("%s.pub is missing or empty" % key_path)
    kind, blob = parse_public_key(pub_lines[0], key_path + ".pub")
    return "%s %s" % (kind, blob)


def plan_key(runner: t.Any, shared: str | None, key_path: str) -> dict[str, t.Any]:
    """What the user's key pair needs: nothing (its own key), ``generate`` one, or ``install`` the
    shared key (checked first); ``paths`` are the files that change, ``public`` the public key (None
    while a key to generate does not exist yet)."""
    pub_path = key_path + ".pub"
    if shared is not None:
        wanted = shared.encode() if shared.endswith("\n") else (shared + "\n").encode()
        public = public_of(runner, wanted)
        current = None
        if os.path.exists(key_path):
            with open(key_path, "rb") as handle:
                current = handle.read()
        pub_now = [line for line in read_lines(pub_path) if line.strip()]
        pub_ok = bool(pub_now) and parse_public_key(pub_now[0], pub_path) == tuple(public.split())
        paths = [path for path, differs in ((key_path, current != wanted), (pub_path, not pub_ok)) if differs]
        return {"action": "install", "paths": paths, "public": public, "private": wanted}
    if not os.path.exists(key_path):
        return {"action": "generate", "paths": [key_path], "public": None}
    return {"action": "keep", "paths": [], "public": own_public_key(key_path)}
