#!/usr/bin/env python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lab of real Debian cluster nodes on one machine (Debian 13 trixie by default, or Debian 12 bookworm).

Each node is a systemd-nspawn container booting systemd as PID 1 on an overlayfs
over a cached base image, with its own network namespace on a host bridge (NAT to
the package mirror), its own hostname, SSH host keys and sshd, reached as root by
the lab's SSH key. Every verb is idempotent; `down` removes everything `up` made.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from cli import EXEC_ENV, children, pid1_below  # tests/lab/cli.py, beside this file

HOME = Path(os.environ.get("HACLUSTER_LAB_HOME", "/var/lib/hacluster-lab"))
IMAGES = HOME / "images"
NODES = HOME / "nodes"
KEY = HOME / "id_ed25519"
SUITES = ("trixie", "bookworm")
SUITE_FILE = HOME / "suite"


# A copy of the collection (the test command runs two side by side) may name its own release beside this
# file: `lab.py suite --here NAME`; it wins over the lab's setting for the scripts run from that copy.
TREE_SUITE_FILE = Path(__file__).resolve().parent / ".suite"


def default_suite() -> str:
    """The release of `up` and `image` when none is given: HACLUSTER_LAB_SUITE, else this copy's own
    setting (`lab.py suite --here NAME`), else the lab's (`lab.py suite NAME`; both reach test scripts that
    run with a clean environment), else trixie."""
    chosen = os.environ.get("HACLUSTER_LAB_SUITE")
    for setting in (TREE_SUITE_FILE, SUITE_FILE):
        if not chosen and setting.exists():
            chosen = setting.read_text().strip()
    return chosen if chosen in SUITES else "trixie"


DEFAULT_SUITE = default_suite()

BRIDGE = "crmlab0"
NETNS_PREFIX = "crmlab-"
NFT_TABLE = "hacluster_lab"
SUBNET = "10.213.7"
GATEWAY = SUBNET + ".1"
FIRST_HOST = 11
# The networks for a cluster's further corosync links: each a bridge of its own with no address on the host and no
# route anywhere (the nodes' interface hostN, at the same host number as on the first network). Link 0 is host0 on
# the first network, link 1 host1 on crmlab1, link 2 host2 on crmlab2.
BRIDGES = (BRIDGE, "crmlab1", "crmlab2")
SUBNETS = (SUBNET, "10.213.8", "10.213.9")
LINKS = len(BRIDGES)

# A changed package list or recipe changes the image's key and so rebuilds it.
RECIPE = 4
BARE_PACKAGES = (
    "systemd", "systemd-sysv", "dbus", "openssh-server", "python3", "python3-apt",
    "iproute2", "procps", "iputils-ping", "nftables", "ca-certificates", "netbase",
)
CLUSTER_PACKAGES = ("pacemaker", "corosync", "crmsh", "resource-agents", "python3-lxml")
IMAGE_PACKAGES = {"bare": (), "fresh": (), "cluster": CLUSTER_PACKAGES}

HOST_TOOLS = {
    "debootstrap": "debootstrap", "mmdebstrap": "mmdebstrap", "systemd-nspawn": "systemd-container", "ip": "iproute2",
    "nft": "nftables", "nsenter": "util-linux", "ssh-keygen": "openssh-client",
    "mount": "mount", "openssl": "openssl", "sysctl": "procps",
}
# The lab's BMC (bmc.py): sushy-tools' Redfish emulator, its own network namespace on the bridge.
BMC = HOME / "bmc"
BMC_NETNS = "crmbmc"
BMC_VETH = "crmlbmc0"
BMC_ADDRESS = SUBNET + ".2"
BMC_PORT = 443
BMC_USER = "lab-admin"
BMC_REQUIREMENTS = ("sushy-tools==2.2.0",)
# A frozen node is a hung one: its processes stopped by the freezer cgroup, not killed.
FREEZER_V1 = Path("/sys/fs/cgroup/freezer")
FREEZER_V2 = Path("/sys/fs/cgroup")
# On a host with cgroup v1 (hybrid), the hierarchies a node's systemd manages: name=systemd and the unified one.
# systemd-nspawn --keep-unit makes its payload group under the group it runs in; without a group of the node's own
# in both, every node's systemd shared /payload: one node's corosync.service group held every node's corosync, a
# node stopping a service removed the group another node's systemd was about to start its own in ("Failed to spawn
# executor: No such file or directory", result 'resources'), and each stop logged "Failed to kill control group".
SYSTEMD_V1 = Path("/sys/fs/cgroup/systemd")
UNIFIED_V1 = Path("/sys/fs/cgroup/unified")

HOSTNAME_RE = re.compile(r"^[a-z]([a-z0-9-]{0,13}[a-z0-9])?$")
# ServerAlive*: Ansible's SSH keeps a master connection per node for 60 s after its last use (ControlPersist), and a
# node that loses power or the network with no FIN sent (a pulled plug; the lab's power-off when the link goes down
# before the node's sshd has died) leaves that connection established: the next task to the node then hung until the
# kernel gave up retransmitting, about 15 minutes (seen in a full run: the init target's run with frank powered off).
# With keepalives the master notices in 15 s and the node is reported unreachable.
SSH_OPTS = ("-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
            "-o LogLevel=ERROR -o ConnectTimeout=5 -o ServerAliveInterval=5 -o ServerAliveCountMax=3")


class LabError(Exception):
    """A lab operation that cannot go on; the message says why."""


def log(msg: str) -> None:
    print("lab: " + msg, file=sys.stderr, flush=True)


def run(argv, check=True, capture=False, env=None, timeout=None):
    proc = subprocess.run(
        argv, check=False, text=True, env=env, timeout=timeout,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if check and proc.returncode != 0:
        raise LabError("command failed (rc=%d): %s\n%s" % (proc.returncode, " ".join(argv), proc.stderr.strip()))
    return proc


def host_mirror() -> str:
    """The Debian mirror this machine's apt uses: the first ``URIs:`` of a deb822 sources file,
    else the first ``deb`` line of a one-line-style list (the security archive is not a mirror)."""
    override = os.environ.get("HACLUSTER_LAB_MIRROR")
    if override:
        return override
    candidates = []
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for line in path.read_text(errors="replace").splitlines():
            if line.strip().startswith("URIs:"):
                candidates += line.split(":", 1)[1].split()
    for path in [Path("/etc/apt/sources.list")] + sorted(Path("/etc/apt/sources.list.d").glob("*.list")):
        if path.exists():
            for line in path.read_text(errors="replace").splitlines():
                words = [w for w in line.split() if not w.startswith("[")]
                if len(words) >= 2 and words[0] == "deb":
                    candidates.append(words[1])
    for uri in candidates:
        if "security" not in uri:
            return uri.rstrip("/")
    raise LabError("no Debian mirror found in /etc/apt/sources.list(.d): set HACLUSTER_LAB_MIRROR")


def preflight() -> None:
    if os.geteuid() != 0:
        raise LabError("the lab must run as root (it mounts, creates network namespaces and boots containers)")
    missing = ["%s (package %s)" % (tool, pkg) for tool, pkg in HOST_TOOLS.items() if shutil.which(tool) is None]
    if missing:
        raise LabError("missing host tools: %s; install them with apt-get install %s" % (
            ", ".join(missing), " ".join(sorted({HOST_TOOLS[t.split()[0]] for t in missing}))))


# ---------------------------------------------------------------- images

def image_key(kind: str, suite: str) -> str:
    blob = json.dumps([RECIPE, suite, host_mirror(), BARE_PACKAGES, IMAGE_PACKAGES[kind]])
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def image_dir(kind: str, suite: str) -> Path:
    return IMAGES / ("%s-%s-%s" % (kind, suite, image_key(kind, suite)))


def in_root(root: Path, script: str) -> None:
    """Run a shell script inside an image tree (not booted), with the host's network."""
    run(["systemd-nspawn", "-q", "-D", str(root), "--register=no", "--keep-unit",
         "--resolv-conf=copy-host", "--pipe", "/bin/sh", "-ec", script])


@contextlib.contextmanager
def image_lock(kind: str, suite: str):
    """One build of an image at a time, across processes: the test command builds a release's images in the
    background while the lab streams run, and a stream's `up` may ask for the same image meanwhile (it then waits
    for that build and uses it)."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    with open(IMAGES / (".lock-%s-%s" % (kind, suite)), "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_image(kind: str, suite: str) -> Path:
    if suite not in SUITES:
        raise LabError("unknown suite %r: the lab builds %s" % (suite, " and ".join(SUITES)))
    target = image_dir(kind, suite)
    if (target / ".ready").exists():
        return target
    with image_lock(kind, suite):
        if (target / ".ready").exists():  # built by another process while this one waited
            return target
        return _build_image(kind, suite, target)


def _build_image(kind: str, suite: str, target: Path) -> Path:
    tmp = IMAGES / (target.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    start = time.monotonic()
    if kind == "fresh":  # as a new server comes: debootstrap's own result, for the benchmark of a first run
        log("building image %s (debootstrap %s)" % (kind, suite))
        run(["debootstrap", "--variant=minbase", "--include=" + ",".join(BARE_PACKAGES), suite, str(tmp), host_mirror()])
        configure_bare(tmp, fresh=True)
    elif kind == "bare":
        # The same package set as debootstrap's minbase (measured: 144 packages, debootstrap's less only lsb-base,
        # a transitional package), in about 15 s instead of 60-140: mmdebstrap installs with apt in one go. dpkg runs
        # with force-unsafe-io, kept in the image (/etc/dpkg/dpkg.cfg.d/99mmdebstrap) as Debian's container images
        # keep it: a node's "power failure" in the lab stops its processes, not this machine's page cache, so the
        # fsyncs it skips protect nothing here.
        log("building image %s (mmdebstrap %s)" % (kind, suite))
        run(["mmdebstrap", "--quiet", "--mode=root", "--variant=minbase", "--include=" + ",".join(BARE_PACKAGES),
             "--dpkgopt=force-unsafe-io", suite, str(tmp), host_mirror()])
        configure_bare(tmp)
    else:
        base = build_image("bare", suite)
        log("building image %s from bare (%s)" % (kind, suite))
        run(["cp", "-a", "--reflink=auto", str(base), str(tmp)])
        (tmp / ".ready").unlink()
        pkgs = " ".join(IMAGE_PACKAGES[kind])
        # Debian's postinst scripts enable corosync and pacemaker: the image ships them
        # installed but neither running nor enabled, so that init has to do its job.
        in_root(tmp, "export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q --no-install-recommends %s "
                     ">/dev/null; systemctl disable -q corosync pacemaker; apt-get clean" % pkgs)
    (tmp / ".ready").write_text(json.dumps({"kind": kind, "suite": suite,
                                            "built_in_s": round(time.monotonic() - start, 1)}))
    tmp.rename(target)
    mounts = Path("/proc/mounts").read_text()
    for stale in list(IMAGES.glob("%s-%s-*" % (kind, suite))) + [p for p in IMAGES.glob(kind + "-*")
                                                                 if p.name.count("-") == 1]:
        # an older image still under a node's overlay stays until that node is gone
        if stale != target and "lowerdir=%s," % stale not in mounts:
            shutil.rmtree(stale, ignore_errors=True)
    log("image %s (%s) ready in %.1f s" % (kind, suite, time.monotonic() - start))
    return target


def configure_bare(root: Path, fresh: bool = False) -> None:
    """bare: docs, man pages and locales excluded, apt's lists fetched (the lab's base). fresh: a server as debootstrap
    leaves it (docs installed, apt's lists as debootstrap left them), only root's SSH access added, for the benchmark
    of a first run as a new server comes."""
    if not fresh:
        (root / "etc/dpkg/dpkg.cfg.d/01-lab-nodoc").write_text(
            "path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n")
    (root / "etc/hosts").write_text("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
    (root / "etc/machine-id").write_text("")
    for key in (root / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    (root / "etc/ssh/sshd_config.d/lab.conf").write_text("PermitRootLogin prohibit-password\nUseDNS no\n")
    if not fresh:
        in_root(root, "apt-get update -q >/dev/null; apt-get clean")


# ---------------------------------------------------------------- nodes

class Node:
    def __init__(self, name: str):
        if not HOSTNAME_RE.match(name):
            raise LabError("%r is not a valid node name: use a hostname of 1-15 lowercase letters, digits and '-', "
                           "starting with a letter" % name)
        self.name = name
        self.dir = NODES / name
        self.state_file = self.dir / "state.json"

    @property
    def netns(self) -> str:
        return NETNS_PREFIX + self.name

    @property
    def merged(self) -> Path:
        return self.dir / "root"

    def state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def save(self, **changes) -> None:
        data = self.state()
        data.update(changes)
        self.state_file.write_text(json.dumps(data))

    @property
    def address(self) -> str:
        return self.state().get("address", "")

    def nspawn_pid(self) -> int:
        pid = self.state().get("nspawn_pid", 0)
        if pid and alive(pid) and "systemd-nspawn" in cmdline(pid):
            return pid
        return 0

    def pid1(self) -> int:
        """The container's systemd: the descendant of systemd-nspawn that is PID 1 in its namespace."""
        root = self.nspawn_pid()
        return pid1_below(root) if root else 0

    def running(self) -> bool:
        return self.pid1() != 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def cmdline(pid: int) -> str:
    try:
        return Path("/proc/%d/cmdline" % pid).read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def known_nodes() -> list:
    return sorted(Node(p.name) for p in NODES.glob("*") if p.is_dir()) if NODES.exists() else []


Node.__lt__ = lambda self, other: self.name < other.name


def netns_list() -> list:
    proc = run(["ip", "netns", "list"], capture=True)
    return [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]


def mounted(path: Path) -> bool:
    return subprocess.run(["mountpoint", "-q", str(path)], check=False).returncode == 0


def link_exists(name: str) -> bool:
    return subprocess.run(["ip", "link", "show", name], check=False, capture_output=True).returncode == 0


def veth_name(node: Node, link: int = 0) -> str:
    """The host side of the node's interface of ``link`` (host0 on the first network, host1 on the second, ...)."""
    return ("crml", "crmm", "crmn")[link] + hashlib.sha1(node.name.encode()).hexdigest()[:8]


def address_on(node: Node, link: int) -> str:
    """The node's address on the network of ``link``: the same host number on each."""
    return node.address if link == 0 else "%s.%s" % (SUBNETS[link], node.address.rsplit(".", 1)[1])


def down_links(node: Node) -> set:
    """The links whose cable is cut: every link of a partitioned node, and the links cut one by one."""
    return set(range(LINKS)) if node.state().get("partitioned") else set(node.state().get("links_down", []))


def ensure_network() -> None:
    if not link_exists(BRIDGE):
        run(["ip", "link", "add", BRIDGE, "type", "bridge"])
        run(["ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE])
    run(["ip", "link", "set", BRIDGE, "up"])
    for bridge in BRIDGES[1:]:
        if not link_exists(bridge):
            run(["ip", "link", "add", bridge, "type", "bridge"])
        run(["ip", "link", "set", bridge, "up"])
    Path("/proc/sys/net/ipv4/ip_forward").write_text("1")
    run(["nft", "delete", "table", "ip", NFT_TABLE], check=False)
    rules = (
        "table ip %(t)s {\n"
        " chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
        "  ip saddr %(s)s.0/24 ip daddr != %(s)s.0/24 masquerade\n }\n"
        # nothing from outside reaches the lab: the lab's own traffic goes out, only answers come in (the
        # host's other forwarded traffic is not this table's business, so the policy stays accept)
        " chain forward { type filter hook forward priority filter; policy accept;\n"
        "  iifname \"%(b)s\" accept\n  oifname \"%(b)s\" ct state established,related accept\n"
        "  oifname \"%(b)s\" drop\n }\n"
        "}\n" % {"t": NFT_TABLE, "s": SUBNET, "b": BRIDGE})
    subprocess.run(["nft", "-f", "-"], input=rules, text=True, check=True)


def teardown_network() -> None:
    run(["nft", "delete", "table", "ip", NFT_TABLE], check=False)
    for bridge in BRIDGES:
        if link_exists(bridge):
            run(["ip", "link", "delete", bridge])


def allocate_address(node: Node) -> str:
    if node.address:
        return node.address
    used = {n.address for n in known_nodes()}
    for host in range(FIRST_HOST, 250):
        addr = "%s.%d" % (SUBNET, host)
        if addr not in used:
            return addr
    raise LabError("no free address left in %s.0/24" % SUBNET)


def plumb(node: Node) -> None:
    """Network namespace, veth pair into the bridge, address and default route."""
    if node.netns not in netns_list():
        run(["ip", "netns", "add", node.netns])
    ns = ["ip", "-n", node.netns]
    run(ns + ["link", "set", "lo", "up"])
    for link, bridge in enumerate(BRIDGES):
        veth, inside = veth_name(node, link), "host%d" % link
        if not link_exists(veth):
            run(["ip", "link", "add", veth, "type", "veth", "peer", "name", inside, "netns", node.netns])
        run(["ip", "link", "set", veth, "master", bridge, "up"])
        # a server boots with no address but its own: one a resource added in its last life (a virtual IP) would
        # otherwise answer again before the cluster decided anything (the namespace outlives the node's processes)
        run(ns + ["addr", "flush", "dev", inside])
        run(ns + ["link", "set", inside, "up"])
        run(ns + ["addr", "replace", address_on(node, link) + "/24", "dev", inside])
        if link in down_links(node):
            # a cut cable stays cut when the server reboots
            run(["ip", "link", "set", veth, "down"])
    run(ns + ["route", "replace", "default", "via", GATEWAY])
    # A node's journald gets CPU when it needs it on a server of its own; here the nodes share this machine's cores.
    # corosync's logging thread (libqb) writes to syslog holding a spinlock that its main thread, real-time like it,
    # spins on: with the kernel's queue of 10 datagrams per socket, a start's burst of lines blocks that write until
    # journald reads, and with every core taken by such a spin journald waits about a second (the kernel's share for
    # normal tasks). systemd as PID 1 raises the queue to 512 when a server boots (bump_unix_max_dgram_qlen in its
    # src/core/main.c); in the container it cannot, /proc/sys being read-only there.
    run(["ip", "netns", "exec", node.netns, "sysctl", "-q", "-w", "net.unix.max_dgram_qlen=512"])
    if node.state().get("cut_from") or node.state().get("blocked"):
        drop_rules(node)


def prepare_root(node: Node, kind: str, suite: str) -> None:
    image = build_image(kind, suite)
    for sub in ("upper", "work", "root"):
        (node.dir / sub).mkdir(parents=True, exist_ok=True)
    if not mounted(node.merged):
        run(["mount", "-t", "overlay", "overlay", "-o",
             "lowerdir=%s,upperdir=%s,workdir=%s" % (image, node.dir / "upper", node.dir / "work"),
             str(node.merged)])
    root = node.merged
    if not (root / "etc/ssh/ssh_host_ed25519_key").exists():
        (root / "etc/hostname").write_text(node.name + "\n")
        (root / "etc/machine-id").write_text(hashlib.md5(os.urandom(16)).hexdigest() + "\n")
        run(["ssh-keygen", "-A", "-f", str(root)])
        ssh = root / "root/.ssh"
        ssh.mkdir(mode=0o700, exist_ok=True)
        (ssh / "authorized_keys").write_text(Path(str(KEY) + ".pub").read_text())
        os.chmod(ssh / "authorized_keys", 0o600)
        # provisioned for Ansible as root, like its key: its temporary folder, so that the first module
        # run does not warn that it had to make it
        (root / "root/.ansible/tmp").mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(root / "root/.ansible", 0o700)
    shutil.copyfile("/etc/resolv.conf", root / "etc/resolv.conf")


def freezer(node: Node) -> Path:
    """The node's own freezer cgroup (cgroup v1 freezer hierarchy, or a v2 group with cgroup.freeze)."""
    base = FREEZER_V1 if (FREEZER_V1 / "tasks").exists() else FREEZER_V2
    return base / "hacluster-lab" / node.name


def node_groups(node: Node) -> list:
    """The node's own cgroups: its freezer group and, on a host with cgroup v1 (hybrid), one in each hierarchy its
    systemd manages (see SYSTEMD_V1)."""
    return [freezer(node)] + [base / "hacluster-lab" / node.name for base in (SYSTEMD_V1, UNIFIED_V1)
                              if (base / "cgroup.procs").exists()]


def remove_group(group: Path) -> None:
    """Remove a node's cgroup and the groups its systemd made under it, deepest first (a group with a process left
    in it stays)."""
    if not group.is_dir():
        return
    for sub in sorted((p for p in group.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True) + [group]:
        try:
            sub.rmdir()
        except OSError:
            pass


def set_frozen(node: Node, frozen: bool) -> None:
    group = freezer(node)
    if (group / "freezer.state").exists():
        (group / "freezer.state").write_text("FROZEN" if frozen else "THAWED")
        want = "FROZEN" if frozen else "THAWED"
        deadline = time.monotonic() + 10
        while (group / "freezer.state").read_text().strip() != want and time.monotonic() < deadline:
            time.sleep(0.05)
    elif (group / "cgroup.freeze").exists():
        (group / "cgroup.freeze").write_text("1" if frozen else "0")
    elif frozen:
        raise LabError("node %s has no freezer cgroup (%s)" % (node.name, group))


def is_frozen(node: Node) -> bool:
    group = freezer(node)
    try:
        if (group / "freezer.state").exists():
            return (group / "freezer.state").read_text().strip() != "THAWED"
        return (group / "cgroup.freeze").read_text().strip() == "1"
    except OSError:
        return False


def boot(node: Node) -> None:
    groups = node_groups(node)
    for group in groups:
        group.mkdir(parents=True, exist_ok=True)
    set_frozen(node, False)

    def join_groups():  # systemd-nspawn starts in the node's own groups (the freezer's first)
        for group in groups:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    logf = open(node.dir / "console.log", "ab")  # pylint: disable=consider-using-with
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        ["systemd-nspawn", "-q", "-D", str(node.merged), "--register=no", "--keep-unit", "--boot",
         "--console=pipe", "-M", node.name, "--resolv-conf=off", "--timezone=off",
         "--network-namespace-path=/run/netns/" + node.netns,
         "--capability=CAP_NET_ADMIN,CAP_SYS_NICE"],
        stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=join_groups)  # pylint: disable=subprocess-popen-preexec-fn
    node.save(nspawn_pid=proc.pid)


def wait_ssh(nodes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = list(nodes)
    while pending:
        for node in list(pending):
            try:
                with socket.create_connection((node.address, 22), timeout=1) as sock:
                    sock.settimeout(2)
                    if sock.recv(4).startswith(b"SSH-"):
                        pending.remove(node)
            except OSError:
                pass
        if pending:
            for node in pending:
                if not node.nspawn_pid():
                    raise LabError("node %s stopped while booting; see %s" % (node.name, node.dir / "console.log"))
            if time.monotonic() > deadline:
                raise LabError("nodes not answering SSH after %d s: %s" % (timeout, ", ".join(n.name for n in pending)))
            time.sleep(0.2)


def kill_node(node: Node) -> None:
    pid1 = node.pid1()
    nspawn = node.nspawn_pid()
    if pid1:
        os.kill(pid1, signal.SIGKILL)
    if is_frozen(node):
        set_frozen(node, False)  # a frozen task dies of SIGKILL once thawed
    deadline = time.monotonic() + 10
    while nspawn and alive(nspawn) and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            os.waitpid(nspawn, os.WNOHANG)
        except ChildProcessError:
            pass
    if nspawn and alive(nspawn):
        os.kill(nspawn, signal.SIGKILL)
    if node.state_file.exists():
        node.save(nspawn_pid=0)


def remove_node(node: Node) -> None:
    kill_node(node)
    if mounted(node.merged):
        run(["umount", "-l", str(node.merged)])
    for link in range(LINKS):
        if link_exists(veth_name(node, link)):
            run(["ip", "link", "delete", veth_name(node, link)], check=False)
    if node.netns in netns_list():
        run(["ip", "netns", "delete", node.netns])
    for group in node_groups(node):
        remove_group(group)
    shutil.rmtree(node.dir, ignore_errors=True)


def sweep_stale(nodes=None) -> None:
    """Clear what an earlier run left behind once its processes were ended: of the given nodes only (a
    powered-off node of a test running beside is not stale), or of every node when the whole lab goes."""
    for node in known_nodes() if nodes is None else nodes:
        if node.dir.exists() and not node.running():
            log("clearing stale node %s" % node.name)
            remove_node(node)
    live = {n.netns for n in known_nodes()}
    mine = None if nodes is None else {n.netns for n in nodes}
    for ns in netns_list():
        if ns.startswith(NETNS_PREFIX) and ns not in live and (mine is None or ns in mine):
            run(["ip", "netns", "delete", ns], check=False)


LOCK_FILE = HOME / ".lock"


@contextlib.contextmanager
def lab_lock():
    """One change to the lab at a time, across processes (tests run side by side, the BMC's power actions):
    addresses, links, the network and the nodes' state files are read and written under it."""
    HOME.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------- the BMC

def bmc_pid() -> int:
    try:
        pid = int((BMC / "pid").read_text())
    except (OSError, ValueError):
        return 0
    return pid if alive(pid) and "bmc.py" in cmdline(pid) else 0


def write_private(path: Path, text: str) -> None:
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def bmc_setup() -> None:
    """sushy-tools in a venv of its own, a TLS certificate for the BMC's address, a random password."""
    BMC.mkdir(parents=True, exist_ok=True)
    os.chmod(BMC, 0o700)
    venv = BMC / "venv"
    stamp = venv / ".requirements"
    wanted = "\n".join(BMC_REQUIREMENTS) + "\n"
    if not stamp.exists() or stamp.read_text() != wanted:
        log("bmc: installing %s into %s" % (" ".join(BMC_REQUIREMENTS), venv))
        run([sys.executable, "-m", "venv", "--clear", str(venv)])
        run([str(venv / "bin/pip"), "install", "-q", "--disable-pip-version-check"] + list(BMC_REQUIREMENTS),
            capture=True, timeout=600)
        stamp.write_text(wanted)
    if not (BMC / "cert.pem").exists():
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
             "-subj", "/CN=hacluster-lab-bmc", "-addext", "subjectAltName=IP:" + BMC_ADDRESS,
             "-keyout", str(BMC / "key.pem"), "-out", str(BMC / "cert.pem")])
    if not (BMC / "password").exists():
        write_private(BMC / "password", secrets.token_urlsafe(18) + "\n")
        (BMC / "htpasswd").unlink(missing_ok=True)
    if not (BMC / "htpasswd").exists():
        script = ("import bcrypt, sys; print(sys.argv[1] + ':' + "
                  "bcrypt.hashpw(sys.stdin.read().strip().encode(), bcrypt.gensalt()).decode())")
        proc = subprocess.run([str(venv / "bin/python"), "-c", script, BMC_USER], check=True, text=True,
                              input=(BMC / "password").read_text(), capture_output=True)
        write_private(BMC / "htpasswd", proc.stdout)


def bmc_up() -> None:
    """The BMC's namespace on the lab bridge (no route out), and the service, unless running."""
    bmc_setup()
    if BMC_NETNS not in netns_list():
        run(["ip", "netns", "add", BMC_NETNS])
    if not link_exists(BMC_VETH):
        run(["ip", "link", "add", BMC_VETH, "type", "veth", "peer", "name", "host0", "netns", BMC_NETNS])
    run(["ip", "link", "set", BMC_VETH, "master", BRIDGE, "up"])
    ns = ["ip", "-n", BMC_NETNS]
    run(ns + ["link", "set", "lo", "up"])
    run(ns + ["link", "set", "host0", "up"])
    run(ns + ["addr", "replace", BMC_ADDRESS + "/24", "dev", "host0"])
    if bmc_pid():
        return
    logf = open(BMC / "bmc.log", "ab")  # pylint: disable=consider-using-with
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        [str(BMC / "venv/bin/python"), str(Path(__file__).resolve().parent / "bmc.py"),
         "--netns", BMC_NETNS, "--address", BMC_ADDRESS, "--port", str(BMC_PORT),
         "--cert", str(BMC / "cert.pem"), "--key", str(BMC / "key.pem"), "--auth-file", str(BMC / "htpasswd"),
         "--state-dir", str(BMC / "state")],
        stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
    (BMC / "pid").write_text(str(proc.pid))
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection((BMC_ADDRESS, BMC_PORT), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise LabError("the BMC did not start; see %s" % (BMC / "bmc.log")) from None
            time.sleep(0.2)
    log("bmc: https://%s:%d (user %s, password in %s)" % (BMC_ADDRESS, BMC_PORT, BMC_USER, BMC / "password"))


def bmc_down() -> None:
    pid = bmc_pid()
    if pid:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    (BMC / "pid").unlink(missing_ok=True)
    if link_exists(BMC_VETH):
        run(["ip", "link", "delete", BMC_VETH], check=False)
    if BMC_NETNS in netns_list():
        run(["ip", "netns", "delete", BMC_NETNS], check=False)


# ---------------------------------------------------------------- verbs

IMAGE_KINDS = ("bare", "cluster", "fresh")


def cmd_image(args) -> None:
    preflight()
    # the kinds are checked here: Python 3.11's argparse checks an empty list against the choices as one value, and
    # `lab image --suite trixie` failed ("invalid choice: []")
    unknown = [kind for kind in args.kinds if kind not in IMAGE_KINDS]
    if unknown:
        raise LabError("unknown image kind %s (known: %s)" % (", ".join(unknown), ", ".join(IMAGE_KINDS)))
    for suite in args.suite or [DEFAULT_SUITE]:
        for kind in args.kinds or ["bare", "cluster"]:
            print(build_image(kind, suite))


def cmd_up(args) -> None:
    preflight()
    names = args.names or ["alice", "bob", "carol"]
    nodes = [Node(n) for n in names]
    if len(set(names)) != len(names):
        raise LabError("a node name is given twice: %s" % " ".join(names))
    with lab_lock():
        busy = [n.name for n in nodes if n.running()]
        if busy:
            raise LabError("already running: %s (use 'down' first, or 'start' for a powered-off node)"
                           % ", ".join(busy))
        sweep_stale(nodes)
        if not KEY.exists():
            HOME.mkdir(parents=True, exist_ok=True)
            run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hacluster-lab", "-f", str(KEY)])
        build_image(args.image, args.suite)
        ensure_network()
        bmc_up()
        for node in nodes:
            node.dir.mkdir(parents=True, exist_ok=True)
            node.save(address=allocate_address(node), image=args.image, suite=args.suite)
            prepare_root(node, args.image, args.suite)
            plumb(node)
            boot(node)
    wait_ssh(nodes, args.timeout)
    log("up: " + ", ".join("%s %s" % (n.name, n.address) for n in nodes))


def cmd_start(args) -> None:
    preflight()
    node = existing(args.name)
    with lab_lock():
        if node.running():
            log("%s is already running" % node.name)
            return
        ensure_network()
        prepare_root(node, node.state()["image"], node.state().get("suite", DEFAULT_SUITE))
        plumb(node)
        boot(node)
    wait_ssh([node], args.timeout)


def cmd_wait_ssh(args) -> None:
    """A node the BMC boots (a fencing's power-on) rejoins the cluster before its sshd may answer: Pacemaker's join
    does not wait for sshd, and a playbook run right after the rejoin found carol's port 22 closed (fencing target, CI
    of stop 58). The tests wait for this before they run Ansible on a node that came back."""
    nodes = [existing(name) for name in args.names]
    for node in nodes:
        if not node.running():
            raise LabError("%s is not running" % node.name)
    wait_ssh(nodes, args.timeout)


def cmd_poweroff(args) -> None:
    preflight()
    node = existing(args.name)
    kill_node(node)
    # a pulled plug: nothing answers, not even the kernel of the node's namespace
    for link in range(LINKS):
        run(["ip", "-n", node.netns, "link", "set", "host%d" % link, "down"], check=False)


def cmd_down(args) -> None:
    preflight()
    targets = [Node(n) for n in args.names] if args.names else known_nodes()
    for node in targets:
        remove_node(node)
    if not args.names:
        sweep_stale()
        bmc_down()
        teardown_network()
        for base in (FREEZER_V1, FREEZER_V2, SYSTEMD_V1, UNIFIED_V1):
            try:
                (base / "hacluster-lab").rmdir()
            except OSError:
                pass


def cmd_suite(args) -> None:
    if args.name:
        HOME.mkdir(parents=True, exist_ok=True)
        (TREE_SUITE_FILE if args.here else SUITE_FILE).write_text(args.name + "\n")
    print(args.name or DEFAULT_SUITE)


def cmd_status(args) -> None:
    rows = [{"name": n.name, "address": n.address, "image": n.state().get("image", ""),
             "suite": n.state().get("suite", ""), "running": n.running(),
             "partitioned": bool(n.state().get("partitioned")), "links_down": sorted(down_links(n)),
             "frozen": is_frozen(n), "pid1": n.pid1()}
            for n in known_nodes()]
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    for row in rows:
        print("%(name)-12s %(address)-15s %(image)-8s %(suite)-9s running=%(running)s partitioned=%(partitioned)s frozen=%(frozen)s" % row)


def cmd_bmc(args) -> None:
    if args.restart:
        preflight()
        with lab_lock():
            bmc_down()
            ensure_network()
            bmc_up()
    info = {"url": "https://%s:%d" % (BMC_ADDRESS, BMC_PORT), "address": BMC_ADDRESS, "port": BMC_PORT,
            "user": BMC_USER, "password_file": str(BMC / "password"), "certificate": str(BMC / "cert.pem"),
            "netns": BMC_NETNS, "pid": bmc_pid(),
            "systems": [{"name": n.name, "uri": "/redfish/v1/Systems/" + n.name,
                         "power": "On" if n.running() else "Off", "frozen": is_frozen(n)} for n in known_nodes()]}
    if args.json:
        print(json.dumps(info, indent=1))
        return
    print("BMC %(url)s  user %(user)s  password in %(password_file)s  %(state)s"
          % dict(info, state="running (pid %d)" % info["pid"] if info["pid"] else "not running"))
    for system in info["systems"]:
        print("  %(uri)-28s power %(power)-3s frozen=%(frozen)s" % system)


def cmd_freeze(args) -> None:
    node = existing(args.name)
    if not node.running():
        raise LabError("node %s is not running" % node.name)
    set_frozen(node, args.verb == "freeze")


def host_vars(node: Node) -> dict:
    addresses = {"lab_address%d" % link: address_on(node, link) for link in range(1, LINKS)}
    return dict({"ansible_host": node.address}, **addresses)


def fleet_inventory(clusters: list, common: dict, qnetd: str = "") -> dict:
    """A fleet: each cluster its own group (crm_cluster_group and crm_cluster_name set to its name in its vars, as
    group_vars would), all of them children of the group 'fleet'; QNETD, a node in the group 'qnetd'. CLUSTERS are
    GROUP=NODE,NODE,... strings."""
    children = {}
    for spec in clusters:
        group, _sep, names = spec.partition("=")
        if not HOSTNAME_RE.match(group) or not names:
            raise LabError("--cluster %r: want GROUP=NODE,NODE,..." % spec)
        children[group] = {"hosts": {n.name: host_vars(n) for n in (existing(name) for name in names.split(","))},
                           "vars": {"crm_cluster_group": group, "crm_cluster_name": group}}
    groups = {"fleet": {"children": children}}
    if qnetd:
        groups["qnetd"] = {"hosts": {qnetd: host_vars(existing(qnetd))}}
    return {"all": {"children": groups, "vars": common}}


def cmd_inventory(args) -> None:
    common = {"ansible_user": "root", "ansible_ssh_private_key_file": str(KEY),
              "ansible_ssh_common_args": SSH_OPTS, "ansible_python_interpreter": "/usr/bin/python3",
              "lab_bmc_address": BMC_ADDRESS, "lab_bmc_port": str(BMC_PORT), "lab_bmc_user": BMC_USER,
              "lab_bmc_password_file": str(BMC / "password")}
    if args.cluster:
        print(json.dumps(fleet_inventory(args.cluster, common, args.qnetd), indent=2))
        return
    # Without names: the nodes that are up. Another process (the test command's other stream) may be creating or
    # removing nodes meanwhile: one without an address yet, or no longer, is not listed.
    nodes = [existing(name) for name in args.names] if args.names else [n for n in known_nodes() if "." in n.address]
    remote = [existing(name) for name in args.remote]
    groups = [("cluster", [n for n in nodes if n.name not in args.remote])] + ([("remote", remote)] if remote else [])
    if args.format == "yaml":
        children = {group: {"hosts": {n.name: host_vars(n) for n in members}} for group, members in groups}
        if not remote:
            children["cluster"]["vars"] = common
        print(json.dumps({"all": dict({"children": children}, **({"vars": common} if remote else {}))}, indent=2))
        return
    lines: list[str] = []
    for group, members in groups:
        lines += ["[%s]" % group] + ["%s %s" % (n.name, " ".join("%s=%s" % kv for kv in host_vars(n).items()))
                                     for n in members] + [""]
    lines += ["[all:vars]" if remote else "[cluster:vars]"]
    lines += ["%s=%s" % (k, "'%s'" % v if " " in v else v) for k, v in common.items()]
    print("\n".join(lines))


def exec_argv(name: str) -> list:
    """The command line that runs a command inside the node NAME (with EXEC_ENV), before the command's own."""
    node = existing(name)
    pid1 = node.pid1()
    if not pid1:
        raise LabError("node %s is not running" % node.name)
    return ["nsenter", "-t", str(pid1), "-a"]


def cmd_exec(args) -> int:
    return subprocess.run(exec_argv(args.name) + args.command, env=EXEC_ENV, check=False).returncode


def node_cpu(node: Node) -> dict:
    """CPU seconds (user + system) the node's processes have used, per command: each live process's own time,
    and (as "COMMAND reaped") what the children it has reaped used, so the short-lived ones (Ansible's modules, under
    sshd) count once they exit. A difference of two readings is what the node used between them."""
    hertz = os.sysconf("SC_CLK_TCK")
    seconds: dict = {}
    todo = [node.nspawn_pid()] if node.nspawn_pid() else []
    while todo:
        pid = todo.pop()
        todo += children(pid)
        try:
            stat = Path("/proc/%d/stat" % pid).read_text()
        except OSError:
            continue
        command, fields = stat[stat.find("(") + 1:stat.rfind(")")], stat[stat.rfind(")") + 2:].split()
        for key, (user, system) in ((command, fields[11:13]), (command + " reaped", fields[13:15])):
            seconds[key] = seconds.get(key, 0.0) + (int(user) + int(system)) / hertz
    return seconds


def cmd_cpu(args) -> None:
    print(json.dumps({name: node_cpu(existing(name)) for name in args.names}, indent=1, sort_keys=True))


def set_cables(node: Node) -> None:
    """Each of the node's links up or down as its state says."""
    for link in range(LINKS):
        if link_exists(veth_name(node, link)):
            run(["ip", "link", "set", veth_name(node, link), "down" if link in down_links(node) else "up"])


def cmd_partition(args) -> None:
    """Every cable of the node cut."""
    node = existing(args.name)
    node.save(partitioned=True)
    set_cables(node)


def cmd_heal(args) -> None:
    """Every cable of one node or of all put back (a partition and the links cut one by one)."""
    targets = [existing(args.name)] if args.name else known_nodes()
    for node in targets:
        node.save(partitioned=False, links_down=[])
        set_cables(node)


def cmd_link(args) -> None:
    """One cable of one node cut (link-down) or put back (link-up); the node's other link keeps working."""
    node = existing(args.name)
    if args.link not in range(LINKS):
        raise LabError("link %d: the lab's nodes have links 0 to %d" % (args.link, LINKS - 1))
    down = set(node.state().get("links_down", []))
    down = down | {args.link} if args.verb == "link-down" else down - {args.link}
    node.save(links_down=sorted(down))
    set_cables(node)


CUT_TABLE = "hacluster_lab_cut"


def drop_rules(node: Node) -> None:
    """The node's drop rules, in a table of the lab's own in the node's namespace (the node's own firewall rules are
    left alone): traffic to and from the peers it is cut from (state: cut_from) and the addresses blocked for it
    (state: blocked, a server out of its reach)."""
    state = node.state()
    peers = [existing(name) for name in state.get("cut_from", [])]
    ns = ["ip", "netns", "exec", node.netns, "nft"]
    run(ns + ["delete", "table", "inet", CUT_TABLE], check=False)
    addresses = [address_on(peer, link) for peer in peers for link in range(LINKS)] + state.get("blocked", [])
    if not addresses:
        return
    rules = ("table inet %(t)s {\n chain input { type filter hook input priority -10; policy accept;\n"
             "  ip saddr { %(a)s } drop\n }\n chain output { type filter hook output priority -10; policy accept;\n"
             "  ip daddr { %(a)s } drop\n }\n}\n" % {"t": CUT_TABLE, "a": ", ".join(addresses)})
    subprocess.run(ns + ["-f", "-"], input=rules, text=True, check=True)


def cmd_cut(args) -> None:
    """Cut two nodes apart while both keep the rest of the network (a split between them only)."""
    first, second = existing(args.first), existing(args.second)
    for node, peer in ((first, second), (second, first)):
        cut = sorted(set(node.state().get("cut_from", [])) | {peer.name})
        node.save(cut_from=cut)
        drop_rules(node)


def clear_drops(names: list, **cleared) -> None:
    """A state of drop rules (cut_from, blocked) cleared for these nodes (default all), and their rules redone."""
    for node in [existing(n) for n in names] if names else known_nodes():
        node.save(**cleared)
        if node.running():
            drop_rules(node)


def cmd_uncut(args) -> None:
    clear_drops(args.names, cut_from=[])


def lab_address(text: str) -> str:
    """An IPv4 address on the lab's network, or 'bmc' for the lab's BMC."""
    if text == "bmc":
        return BMC_ADDRESS
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError:
        raise LabError("'%s' is not an IPv4 address (or 'bmc')" % text) from None


def cmd_block(args) -> None:
    """An address out of the nodes' reach (a server they lose, as the BMC in a fencing test): their traffic to and
    from it dropped in their own namespaces only, so other nodes on the lab keep it. It stays blocked across a reboot."""
    address = lab_address(args.address)
    for node in [existing(name) for name in args.names]:
        node.save(blocked=sorted(set(node.state().get("blocked", [])) | {address}))
        if node.running():
            drop_rules(node)


def cmd_unblock(args) -> None:
    """Every address blocked for these nodes (default all) back in reach."""
    clear_drops(args.names, blocked=[])


def existing(name: str) -> Node:
    node = Node(name)
    if not node.state_file.exists():
        raise LabError("no lab node named %s (known: %s)" % (name, ", ".join(n.name for n in known_nodes()) or "none"))
    return node


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="lab", description=__doc__.splitlines()[0])
    verbs = top.add_subparsers(dest="verb", required=True)
    sub = verbs.add_parser("image", help="build (or reuse) the cached base images")
    sub.add_argument("kinds", nargs="*", metavar="KIND", help="%s (default: bare and cluster)" % ", ".join(IMAGE_KINDS))
    sub.add_argument("--suite", action="append", choices=SUITES,
                     help="release to build for (repeatable; default %s)" % DEFAULT_SUITE)
    sub.set_defaults(func=cmd_image)
    sub = verbs.add_parser("up", help="boot nodes (default alice bob carol)")
    sub.add_argument("names", nargs="*")
    sub.add_argument("--image", default="cluster", choices=IMAGE_KINDS)
    sub.add_argument("--suite", default=DEFAULT_SUITE, choices=SUITES,
                     help="Debian release of the nodes (default %(default)s; HACLUSTER_LAB_SUITE)")
    sub.add_argument("--timeout", type=float, default=60)
    sub.set_defaults(func=cmd_up)
    sub = verbs.add_parser("down", help="remove nodes (default: all, and the lab network)")
    sub.add_argument("names", nargs="*")
    sub.set_defaults(func=cmd_down)
    sub = verbs.add_parser("suite", help="show or set the lab's default Debian release")
    sub.add_argument("name", nargs="?", choices=SUITES)
    sub.add_argument("--here", action="store_true",
                     help="set it for the scripts run from this copy of the collection only")
    sub.set_defaults(func=cmd_suite)
    sub = verbs.add_parser("status", help="list nodes")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(func=cmd_status)
    sub = verbs.add_parser("inventory", help="print an Ansible inventory with group 'cluster' (default: every node)")
    sub.add_argument("--format", default="ini", choices=["ini", "yaml"])
    sub.add_argument("names", nargs="*", help="these nodes only (tests running side by side have nodes of their own)")
    sub.add_argument("--remote", action="append", default=[], metavar="NAME",
                     help="this node in the group 'remote' (a Pacemaker Remote node), not 'cluster'")
    sub.add_argument("--cluster", action="append", default=[], metavar="GROUP=NODE,NODE",
                     help="a fleet (YAML, printed as JSON): this cluster a group of its own in the group 'fleet'")
    sub.add_argument("--qnetd", default="", metavar="NAME", help="with --cluster: this node in the group 'qnetd'")
    sub.set_defaults(func=cmd_inventory)
    sub = verbs.add_parser("wait-ssh", help="wait until the nodes' sshd answers (a node booted by the BMC)")
    sub.add_argument("names", nargs="+")
    sub.add_argument("--timeout", type=float, default=60)
    sub.set_defaults(func=cmd_wait_ssh)
    sub = verbs.add_parser("cpu", help="the CPU seconds each node's processes have used, per command (JSON)")
    sub.add_argument("names", nargs="+")
    sub.set_defaults(func=cmd_cpu)
    sub = verbs.add_parser("exec", help="run a command inside a node")
    sub.add_argument("name")
    sub.add_argument("command", nargs=argparse.REMAINDER)
    sub.set_defaults(func=cmd_exec)
    for verb, func, helptext in (("poweroff", cmd_poweroff, "pull the plug of a node"),
                                 ("start", cmd_start, "boot a powered-off node again, disk intact"),
                                 ("partition", cmd_partition, "cut a node off the network"),
                                 ("freeze", cmd_freeze, "hang a node: freeze its processes (cgroup freezer)"),
                                 ("thaw", cmd_freeze, "let a frozen node run again")):
        sub = verbs.add_parser(verb, help=helptext)
        sub.add_argument("name")
        if verb == "start":
            sub.add_argument("--timeout", type=float, default=60)
        sub.set_defaults(func=func)
    sub = verbs.add_parser("bmc", help="show the lab's Redfish BMC and the power state of its systems")
    sub.add_argument("--json", action="store_true")
    sub.add_argument("--restart", action="store_true", help="(re)start the BMC first")
    sub.set_defaults(func=cmd_bmc)
    sub = verbs.add_parser("cut", help="cut two nodes apart; both keep the rest of the network")
    sub.add_argument("first")
    sub.add_argument("second")
    sub.set_defaults(func=cmd_cut)
    sub = verbs.add_parser("uncut", help="undo cut for the given nodes (default all)")
    sub.add_argument("names", nargs="*")
    sub.set_defaults(func=cmd_uncut)
    sub = verbs.add_parser("block", help="drop the traffic between nodes and an address (theirs only; 'bmc': the BMC)")
    sub.add_argument("address")
    sub.add_argument("names", nargs="+")
    sub.set_defaults(func=cmd_block)
    sub = verbs.add_parser("unblock", help="undo block for the given nodes (default all)")
    sub.add_argument("names", nargs="*")
    sub.set_defaults(func=cmd_unblock)
    for verb in ("link-down", "link-up"):
        sub = verbs.add_parser(verb, help="cut one link of a node (its other link keeps working)" if verb == "link-down"
                               else "put one cut link of a node back")
        sub.add_argument("name")
        sub.add_argument("link", type=int, help=", ".join(
            "%d (host%d, %s.0/24)" % (link, link, subnet) for link, subnet in enumerate(SUBNETS)))
        sub.set_defaults(func=cmd_link)
    sub = verbs.add_parser("heal", help="restore the network of one node or all")
    sub.add_argument("name", nargs="?")
    sub.set_defaults(func=cmd_heal)
    return top


# the verbs that change the lab take its lock for their whole run; up and start take it themselves, and let
# it go before they wait for SSH
LOCKED = (cmd_poweroff, cmd_down, cmd_freeze, cmd_partition, cmd_heal, cmd_cut, cmd_uncut, cmd_link, cmd_block,
          cmd_unblock)


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "func", None) is cmd_image and not args.suite:
        args.suite = [DEFAULT_SUITE]
    try:
        if args.func in LOCKED:
            with lab_lock():
                return args.func(args) or 0
        return args.func(args) or 0
    except LabError as exc:
        print("lab: error: %s" % exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
