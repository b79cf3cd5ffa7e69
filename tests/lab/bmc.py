#!/usr/bin/env python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's BMC: sushy-tools' Redfish emulator with one ComputerSystem per lab node.

sushy-tools ships drivers for libvirt, OpenStack, Ironic and a fake; none knows nspawn
containers, so this file gives it one (LabSystems) and otherwise runs sushy's own Flask
application, templates, basic-auth middleware (bcrypt htpasswd) and TLS unchanged.

The process stays in the host's network namespace, so that powering a node on can plumb its
veth into the lab bridge; only its listening socket is made inside the BMC's own namespace
(setns around the bind), so the service is reachable on the lab bridge and nowhere else.
Power actions run `lab.py poweroff|start NODE`, exactly what an administrator of the lab does.
It serves only what fence_redfish uses: the service root, the systems, a system's power state
and its reset action (ALLOWED); every other path answers 404 before sushy sees it, so virtual
media (which fetches a URL and writes it to a path) and the indicator LEDs (a SQLite database
sushy unpickles) are not there. Its state folder is private (``--state-dir``, mode 0700).

Started by `lab.py up` (`lab.py bmc` shows it); run by hand as
    bmc.py --netns NS --address IP --port N --cert F --key F --auth-file F
"""

from __future__ import annotations

import argparse
import ctypes
import json
import re
import logging
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from werkzeug.serving import make_server

from sushy_tools import error
from sushy_tools.emulator import main as emulator
from sushy_tools.emulator.resources.systems.fakedriver import FakeDriver

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import lab  # noqa: E402  pylint: disable=wrong-import-position

CLONE_NEWNET = 0x40000000
UUID_NS = uuid.UUID("6f3c2f57-3c2d-4b7e-9d0e-6c61b0b1a5e1")
LOG = logging.getLogger("bmc")


def lab_verb(*argv) -> None:
    """Runs lab.py with the BMC's python, exactly what the lab's administrator would type."""
    proc = subprocess.run([sys.executable, str(HERE / "lab.py")] + list(argv), capture_output=True, text=True,
                          check=False, timeout=120)
    if proc.returncode:
        raise error.FishyError("lab %s failed: %s" % (" ".join(argv), proc.stderr.strip()[-300:]))


class LabSystems(FakeDriver):
    """A ComputerSystem per lab node, addressed by the node's name; power is the node's nspawn.

    As on a real server, power comes on at once (PowerState reads On) and the operating system
    boots after the firmware's self-test (``post_seconds``). Without it a node would boot and
    rejoin in about a second, before the fencer that powered it on has even reported success,
    and Pacemaker would tell the node it was just fenced, so it would stop its cluster stack.
    """

    records: dict = {}
    post_seconds = 5.0
    powering_on: set = set()

    @classmethod
    def initialize(cls, config, logger, *args, **kwargs):  # pylint: disable=unused-argument
        cls._config = config
        cls._logger = logger
        return cls

    def __init__(self):  # pylint: disable=super-init-not-called
        # no persistent store: the lab's nodes are the truth, read on every request
        pass

    @staticmethod
    def _node(identity: str) -> lab.Node:
        try:
            node = lab.Node(identity)
        except lab.LabError as exc:
            raise error.NotFound("no lab node %s" % identity) from exc
        if not node.state_file.exists():
            raise error.NotFound("no lab node %s" % identity)
        return node

    def _get(self, identity):
        node = self._node(identity)
        record = self.records.setdefault(node.name, {
            "uuid": str(uuid.uuid5(UUID_NS, node.name)), "name": node.name, "nics": [],
        })
        record["power_state"] = "On" if node.running() or node.name in self.powering_on else "Off"
        return record

    def _update(self, system, **changes):
        if isinstance(system, str):
            system = self._get(system)
        system.update(changes)

    @property
    def driver(self):
        return "<hacluster-lab nspawn>"

    @property
    def systems(self):
        return [n.name for n in lab.known_nodes()]

    def uuid(self, identity):
        return self._get(identity)["uuid"]

    def name(self, identity):
        return self._node(identity).name

    def get_power_state(self, identity):
        return self._get(identity)["power_state"]

    def set_power_state(self, identity, state):
        node = self._node(identity)
        LOG.warning("power %s: %s (PID 1 %s)", node.name, state, node.pid1() or "none")
        if state in ("On", "ForceOn"):
            self.power_on(node)
        elif state == "ForceOff":
            lab_verb("poweroff", node.name)
        elif state == "GracefulShutdown":
            pid1 = node.pid1()
            if pid1:
                os.kill(pid1, signal.SIGRTMIN + 4)  # systemd: poweroff
                deadline = time.monotonic() + 30
                while node.running() and time.monotonic() < deadline:
                    time.sleep(0.2)
            lab_verb("poweroff", node.name)
        elif state in ("ForceRestart", "GracefulRestart", "PowerCycle"):
            lab_verb("poweroff", node.name)
            self.power_on(node)
        else:
            raise error.NotSupportedError("power state %s is not supported by the lab's BMC" % state)

    def power_on(self, node: lab.Node) -> None:
        """Power on now; boot once the self-test is over (in the background, as a real server does)."""
        if node.running() or node.name in self.powering_on:
            return
        self.powering_on.add(node.name)

        def boot():
            try:
                time.sleep(self.post_seconds)
                lab_verb("start", node.name)
            except error.FishyError as exc:
                LOG.error("power on %s: %s", node.name, exc)
            finally:
                self.powering_on.discard(node.name)

        threading.Thread(target=boot, daemon=True).start()


# (method, path) pairs fence_redfish uses; nothing else is served
ALLOWED = (
    ("GET", re.compile(r"^/redfish/v1/?$")),
    ("GET", re.compile(r"^/redfish/v1/Systems/?$")),
    ("GET", re.compile(r"^/redfish/v1/Systems/[A-Za-z0-9_.-]+/?$")),
    ("POST", re.compile(r"^/redfish/v1/Systems/[A-Za-z0-9_.-]+/Actions/ComputerSystem\.Reset/?$")),
)


def allowed(method: str, path: str) -> bool:
    return any(method == m and pattern.match(path) for m, pattern in ALLOWED)


def only_power(app):
    """A WSGI guard: the paths of ALLOWED reach sushy, every other request is a 404."""
    def guarded(environ, start_response):
        if allowed(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")):
            return app(environ, start_response)
        body = json.dumps({"error": {"code": "Base.1.0.ResourceMissingAtURI",
                                     "message": "not served by the lab's BMC"}}).encode()
        start_response("404 Not Found", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    return guarded


class NoIndicators:
    """The system template asks for its indicator LED; the lab has none, and no database for one."""

    def __init__(self, *args, **kwargs):  # pylint: disable=unused-argument
        pass

    @staticmethod
    def get_indicator_state(_identity):
        return "Off"

    @staticmethod
    def set_indicator_state(_identity, _state):
        raise error.NotSupportedError("the lab's BMC has no indicator LEDs")


def listen_in(netns: str, address: str, port: int, app, context):
    """Binds the server socket inside NETNS and returns to the host namespace for everything else."""
    libc = ctypes.CDLL(None, use_errno=True)
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open("/run/netns/" + netns, os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns into " + netns)
        try:
            return make_server(address, port, app, threaded=True, ssl_context=context)
        finally:
            if libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back to the host")
    finally:
        os.close(home)
        os.close(target)


def main() -> int:
    parser = argparse.ArgumentParser(prog="bmc", description=__doc__.splitlines()[0])
    parser.add_argument("--netns", required=True)
    parser.add_argument("--address", required=True)
    parser.add_argument("--port", type=int, default=443)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--auth-file", required=True)
    parser.add_argument("--state-dir", required=True, help="a private folder for sushy's state (mode 0700)")
    parser.add_argument("--post-seconds", type=float, default=LabSystems.post_seconds,
                        help="seconds from power on to the operating system's boot (default %(default)s)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    state = Path(args.state_dir)
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    os.environ["TMPDIR"] = str(state)  # sushy's default state folder is $TMPDIR/sushy-emulator
    app = emulator.app
    app.configure(extra_config={"SUSHY_EMULATOR_AUTH_FILE": args.auth_file, "SUSHY_EMULATOR_STATE_DIR": str(state),
                                "SUSHY_EMULATOR_FEATURE_SET": "minimum"})
    LabSystems.post_seconds = args.post_seconds
    emulator.Application.systems = property(lambda self: LabSystems.initialize(self.config, self.logger)())
    emulator.Application.indicators = property(lambda self: NoIndicators())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server = listen_in(args.netns, args.address, args.port, only_power(app), context)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    LOG.warning("Redfish on https://%s:%d for the lab's nodes", args.address, args.port)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
