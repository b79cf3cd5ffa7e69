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
import struct
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._files import write_atomic
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner, failing_on

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


def merge_authorized(lines: list[str], keys: list[str], exclusive: bool) -> list[str]:
    """Add each key not present (by type and body); with ``exclusive``, drop every other key line."""
    wanted = [parse_public_key(k, "authorized_keys[%d]" % i) for i, k in enumerate(keys)]
    present = set()
    out = []
    for line in lines:
        body = _key_of_authorized(line)
        if body is None:
            out.append(line)
            continue
        if exclusive and body not in wanted:
            continue
        present.add(body)
        out.append(line)
    for kind, blob in wanted:
        if (kind, blob) not in present:
            out.append("%s %s %s" % (kind, blob, MARK))
            present.add((kind, blob))
    return out


def _key_of_authorized(line: str) -> tuple[str, str] | None:
    """(type, body) of an authorized_keys line, options allowed before the type; None for others."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    parts = stripped.split()
    for i, part in enumerate(parts[:-1]):
        if part in KEY_TYPES:
            return part, parts[i + 1]
    return None


def merge_known_hosts(lines: list[str], hosts: list[dict[str, t.Any]]) -> list[str]:
    """Make each (name, key) pair known; other lines are kept. A changed key for a name replaces the old one."""
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
        out.append("%s %s %s" % (",".join(names), kind, blob))
    return out


def _known_matches(line: str, names: list[str], kind: str) -> bool:
    parts = line.split()
    if len(parts) < 3 or line.lstrip().startswith(("#", "@", "|")):
        return False
    return parts[1] == kind and bool(set(parts[0].split(",")) & set(names))


def render(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def run_module(module: t.Any) -> None:
    """ssh_trust: key pair, authorized_keys, known_hosts; check and diff mode; the private key stays put."""
    params = module.params
    runner = Runner(module)
    changed_parts: list[str] = []
    diff_before, diff_after = [], []
    with failing_on(module, SshError):
        home, uid, gid = user_home(params["user"])
        ssh_dir = os.path.join(home, ".ssh")
        key_path = os.path.join(ssh_dir, "id_%s" % params["key_type"])
        auth_path = os.path.join(ssh_dir, "authorized_keys")
        known_path = os.path.join(ssh_dir, "known_hosts")
        public_key = ensure_key(module, runner, ssh_dir, key_path, uid, gid, changed_parts)
        for path, old, new in (
                (auth_path, read_lines(auth_path),
                 merge_authorized(read_lines(auth_path), params["authorized_keys"], params["exclusive"])),
                (known_path, read_lines(known_path), merge_known_hosts(read_lines(known_path), params["known_hosts"]))):
            if old == new:
                continue
            changed_parts.append(path)
            diff_before.append("# %s\n%s" % (path, render(old)))
            diff_after.append("# %s\n%s" % (path, render(new)))
            if not module.check_mode:
                ensure_ssh_dir(ssh_dir, uid, gid)
                write_atomic(module, path, render(new), 0o600)
                os.chown(path, uid, gid)
        result = {"changed": bool(changed_parts), "changed_files": changed_parts, "public_key": public_key,
                  "host_keys": host_public_keys(), "key_file": key_path}
    if module._diff:
        result["diff"] = {"before": "".join(diff_before), "after": "".join(diff_after)}
    module.exit_json(**result)


def ensure_ssh_dir(ssh_dir: str, uid: int, gid: int) -> None:
    if not os.path.isdir(ssh_dir):
        os.makedirs(ssh_dir, mode=0o700)
        os.chown(ssh_dir, uid, gid)


def ensure_key(module: t.Any, runner: t.Any, ssh_dir: str, key_path: str, uid: int, gid: int,
               changed_parts: list[str]) -> str | None:
    """The user's key pair: kept if present, else made (or installed from the shared private key)."""
    params = module.params
    shared = params["private_key"]
    if shared is not None:
        current = None
        if os.path.exists(key_path):
            with open(key_path, "rb") as handle:
                current = handle.read()
        wanted = shared.encode() if shared.endswith("\n") else (shared + "\n").encode()
        if current != wanted:
            changed_parts.append(key_path)
            if module.check_mode:
                return None
            ensure_ssh_dir(ssh_dir, uid, gid)
            write_atomic(module, key_path, wanted, 0o600)
            os.chown(key_path, uid, gid)
        rc, out, _err = runner.run(["ssh-keygen", "-y", "-f", key_path], check=False)
        if rc != 0:
            raise SshError("private_key is not a usable OpenSSH private key (ssh-keygen -y refused it)")
        public = out.strip()
    elif os.path.exists(key_path):
        public = None
    else:
        changed_parts.append(key_path)
        if module.check_mode:
            return None
        ensure_ssh_dir(ssh_dir, uid, gid)
        argv = ["ssh-keygen", "-q", "-t", params["key_type"], "-N", "", "-C", "%s@%s" % (params["user"], os.uname()[1]),
                "-f", key_path]
        if params["key_type"] == "rsa":
            argv[4:4] = ["-b", str(params["key_bits"])]
        runner.run(argv)
        for path in (key_path, key_path + ".pub"):
            os.chown(path, uid, gid)
        public = None
    if shared is None or public is None:
        pub_lines = [line for line in read_lines(key_path + ".pub") if line.strip()]
        if not pub_lines:
            raise SshError("%s.pub is missing or empty" % key_path)
        public = pub_lines[0]
    kind, blob = parse_public_key(public, key_path + ".pub")
    if shared is not None and not os.path.exists(key_path + ".pub") and not module.check_mode:
        write_atomic(module, key_path + ".pub", "%s %s\n" % (kind, blob), 0o644)
        os.chown(key_path + ".pub", uid, gid)
    return "%s %s" % (kind, blob)
