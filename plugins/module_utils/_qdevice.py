# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A quorum device's certificates, as corosync-qdevice-net-certutil and corosync-qnetd-certutil make them.

Every node's qdevice database trusts the QNetd host's CA; one node's certificate request is signed by the
QNetd host; the signed certificate, imported with that node's key, becomes a PKCS#12 bundle that every other
node imports. Two engines, one per side: ``QdeviceCerts`` on a node, ``QnetdCerts`` on the QNetd host. Each
checks first and plans only the steps that are missing; what one side makes (a request, a certificate, a
bundle: certutil writes them in binary, so they travel as base64) is returned for the next task to hand to the
other side, so nothing passes through a file on the
controller. In check mode nothing is made, so a value that an earlier task of the same run would have made
comes as an empty string: it stands for that value, and the step that would use it is predicted.
"""

from __future__ import annotations

import base64
import grp
import os
import pwd
import re
import shutil
import typing as t

from ansible_collections.hacluster.crm.plugins.module_utils._engine import Plan
from ansible_collections.hacluster.crm.plugins.module_utils._files import read_text, write_atomic
from ansible_collections.hacluster.crm.plugins.module_utils._runner import Runner

NODE_DIR = "/etc/corosync/qdevice/net"
NODE_DB = NODE_DIR + "/nssdb"
QNETD_DB = "/etc/corosync/qnetd/nssdb"
CA_NICK = "QNet CA"
CERT_NICK = "Cluster Cert"
_PEM = re.compile(r"-----BEGIN [A-Z ]+-----(.*?)-----END [A-Z ]+-----", re.S)


class QdeviceError(Exception):
    """Certificates that cannot be made as asked; the message says which and why."""


def pem_body(text: str | None) -> str:
    """The base64 body of the first PEM block in ``text``, without whitespace ('' when there is none)."""
    match = _PEM.search(text or "")
    return re.sub(r"\s+", "", match.group(1)) if match else ""


class QdeviceCerts:
    """A cluster node's qdevice database: the QNetd CA trusted, the cluster certificate with its key."""

    def __init__(self, module: t.Any) -> None:
        self.module = module
        self.params = module.params
        self.runner = Runner(module)

    def _listed(self, nick: str, *extra: str) -> tuple[bool, str]:
        if not os.path.exists(os.path.join(NODE_DB, "cert9.db")):
            return False, ""
        rc, out, _err = self.runner.run(["certutil", "-L", "-d", NODE_DB, "-n", nick] + list(extra), check=False)
        return rc == 0, out

    def _given(self, key: str, check: t.Callable[[str], bool]) -> bool:
        """Whether ``key`` is given; an empty value only in check mode (a value the run would have made)."""
        value = self.params[key]
        if value is None:
            return False
        if value == "" and not self.module.check_mode:
            raise QdeviceError("%s is empty: it must come from the task that made it" % key)
        if value and not check(value):
            raise QdeviceError("%s is not base64 (the %s as the task that made it returns it)"
                               % (key, "signed certificate" if key == "certificate" else "PKCS#12 bundle"))
        return True

    def plan(self) -> Plan:
        ca = self.params["ca"]
        if not pem_body(ca) and not (self.module.check_mode and ca == ""):
            raise QdeviceError("ca holds no PEM certificate: the QNetd host's CA (qnetd-cacert.crt) is needed")
        bundle = self._given("bundle", _is_base64)
        certificate = self._given("certificate", _is_base64)
        if bundle and certificate:
            raise QdeviceError("give a bundle or a certificate, not both")
        _there, node_ca = self._listed(CA_NICK, "-a")
        trusted = bool(pem_body(ca)) and pem_body(node_ca) == pem_body(ca)
        has_cert = trusted and self._listed(CERT_NICK)[0]
        steps = []
        if not trusted:
            if os.path.exists(NODE_DB):
                steps.append("remove the qdevice database, which trusts another CA")
            steps.append("trust the QNetd CA (corosync-qdevice-net-certutil -i)")
        if has_cert and (bundle or certificate):
            raise QdeviceError("this node holds the cluster certificate already: give it no certificate or bundle")
        if not has_cert:
            if bundle:
                steps.append("import the cluster's certificate bundle (corosync-qdevice-net-certutil -m)")
            elif certificate:
                steps.append("import the signed cluster certificate with this node's key "
                             "(corosync-qdevice-net-certutil -M)")
            elif self.params["request"]:
                steps.append("make the cluster's certificate request (corosync-qdevice-net-certutil -r)")
        enrolled = has_cert or bundle or certificate
        result: dict[str, t.Any] = {"enrolled": enrolled}
        if self.params["export"] and has_cert:
            result["bundle"] = self._bundle()
        return Plan(steps=steps, before="trusted: %s\nenrolled: %s\n" % (trusted, has_cert),
                    after="trusted: True\nenrolled: %s\n" % enrolled, header=NODE_DB, result=result)

    def _bundle(self) -> str:
        path = os.path.join(NODE_DB, "qdevice-net-node.p12")
        if not os.path.exists(path):
            raise QdeviceError("%s is missing: this node holds the cluster certificate but not its bundle" % path)
        return _read_base64(path)

    def _certutil(self, *argv: str) -> None:
        self.runner.run(["corosync-qdevice-net-certutil"] + list(argv))

    def apply(self, plan: Plan) -> dict[str, t.Any]:
        name = self.params["cluster_name"]
        made: dict[str, t.Any] = {}
        for step in plan.steps:
            if step.startswith("remove the qdevice database"):
                shutil.rmtree(NODE_DB)
            elif step.startswith("trust the QNetd CA"):
                os.makedirs(NODE_DIR, mode=0o755, exist_ok=True)
                write_atomic(self.module, NODE_DIR + "/qnetd-cacert.crt", self.params["ca"], 0o644)
                self._certutil("-i", "-c", NODE_DIR + "/qnetd-cacert.crt")
            elif step.startswith("import the cluster's certificate bundle"):
                path = os.path.join(NODE_DB, "qdevice-net-node.p12")
                write_atomic(self.module, path, base64.b64decode(self.params["bundle"]), 0o600)
                self._certutil("-m", "-c", path)
            elif step.startswith("import the signed cluster certificate"):
                path = os.path.join(NODE_DB, "cluster-%s.crt" % name)
                write_atomic(self.module, path, base64.b64decode(self.params["certificate"]), 0o600)
                self._certutil("-M", "-c", path)
                if self.params["export"]:
                    made["bundle"] = self._bundle()
            elif step.startswith("make the cluster's certificate request"):
                self._certutil("-r", "-n", name)
                made["request"] = _read_base64(os.path.join(NODE_DB, "qdevice-net-node.crq"))
        return made


class QnetdCerts:
    """The QNetd host's side: its CA certificate, read; a cluster's certificate request, signed."""

    def __init__(self, module: t.Any) -> None:
        self.module = module
        self.params = module.params
        self.runner = Runner(module)

    def plan(self) -> Plan:
        ca = read_text(QNETD_DB + "/qnetd-cacert.crt") or ""
        request = self.params["request"]
        if not ca and not self.module.check_mode:
            raise QdeviceError("%s/qnetd-cacert.crt is missing: set the QNetd host up first (the qnetd role)" % QNETD_DB)
        if request == "" and not self.module.check_mode:
            raise QdeviceError("request is empty: it must come from the node that made it")
        if request and not _is_base64(request):
            raise QdeviceError("request is not base64 (the certificate request as qdevice_certs returns it)")
        steps = ["sign the certificate request of cluster %s (corosync-qnetd-certutil -s)"
                 % self.params["cluster_name"]] if request is not None else []
        return Plan(steps=steps, header=QNETD_DB, result={"ca": ca})

    def apply(self, plan: Plan) -> dict[str, t.Any]:
        name = self.params["cluster_name"]
        request = QNETD_DB + "/qdevice-net-node.crq"
        write_atomic(self.module, request, base64.b64decode(self.params["request"]), 0o600)
        os.chdir(QNETD_DB)  # corosync-qnetd-certutil writes the certificate to the current folder
        self.runner.run(["corosync-qnetd-certutil", "-s", "-c", request, "-n", name])
        _give_back(QNETD_DB, "coroqnetd")
        return {"certificate": _read_base64("%s/cluster-%s.crt" % (QNETD_DB, name))}


def _read_base64(path: str) -> str:
    """A file that certutil wrote (a request or a certificate in DER, a PKCS#12 bundle), as base64."""
    with open(path, "rb") as handle:
        return base64.b64encode(handle.read()).decode("ascii")


def _is_base64(text: str) -> bool:
    try:
        return bool(base64.b64decode(text, validate=True))
    except ValueError:
        return False


def _give_back(folder: str, user: str) -> None:
    """The database back to the daemon's user, as corosync-qnetd runs (the signing ran as root)."""
    try:
        uid, gid = pwd.getpwnam(user).pw_uid, grp.getgrnam(user).gr_gid
    except KeyError:
        return  # a distribution whose QNetd runs as root
    for top, _dirs, files in os.walk(folder):
        os.chown(top, uid, gid)
        for entry in files:
            os.chown(os.path.join(top, entry), uid, gid)
