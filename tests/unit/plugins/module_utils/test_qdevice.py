# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The quorum device engines' checks and plans. The commands themselves (corosync-qdevice-net-certutil,
corosync-qnetd-certutil) run on the lab's qdevice target; here no database exists, so none is called."""

from __future__ import annotations

import base64
import os

import pytest

from ansible_collections.hacluster.crm.plugins.module_utils import _qdevice

with open(os.path.join(os.path.dirname(__file__), "data", "qnet-ca.pem"), encoding="ascii") as _handle:
    PEM = _handle.read()
# the QNetd host's qnetd-cacert.crt: certutil's description, then the PEM with CRLF line ends
CA_FILE = "Certificate:\n    Data:\n        Version: 3 (0x2)\n" + PEM.replace("\n", "\r\n")


class Module:
    def __init__(self, check_mode=False, **params):
        self.check_mode = check_mode
        self.params = {"ca": CA_FILE, "cluster_name": "hacluster", "request": False, "certificate": None,
                       "bundle": None, "export": False, **params}

    def get_bin_path(self, name, opt_dirs=None):
        raise AssertionError("no command may run: %s" % name)


@pytest.fixture(autouse=True)
def no_database(tmp_path, monkeypatch):
    monkeypatch.setattr(_qdevice, "NODE_DB", str(tmp_path / "nssdb"))
    monkeypatch.setattr(_qdevice, "QNETD_DB", str(tmp_path / "qnetd"))


def test_pem_body_ignores_the_description_and_line_ends():
    assert _qdevice.pem_body(CA_FILE) == _qdevice.pem_body(PEM) != ""
    other = PEM.replace(PEM.splitlines()[3], PEM.splitlines()[3][::-1])
    assert _qdevice.pem_body(other) != _qdevice.pem_body(PEM)
    assert _qdevice.pem_body("no certificate here") == ""


@pytest.mark.parametrize("params, steps", [
    ({}, ["trust the QNetd CA"]),
    ({"request": True}, ["trust the QNetd CA", "make the cluster's certificate request"]),
    ({"certificate": base64.b64encode(b"DER").decode()},
     ["trust the QNetd CA", "import the signed cluster certificate with this node's key"]),
    ({"bundle": base64.b64encode(b"pkcs12").decode()}, ["trust the QNetd CA", "import the cluster's certificate bundle"]),
])
def test_a_fresh_node_plans_exactly_what_is_missing(params, steps):
    plan = _qdevice.QdeviceCerts(Module(**params)).plan()
    assert [s.split(" (")[0] for s in plan.steps] == steps
    assert plan.result["enrolled"] is bool(params.get("certificate") or params.get("bundle"))


def test_check_mode_predicts_the_steps_for_values_the_run_would_make():
    # on a fresh QNetd host there is no CA yet in check mode, and the certificate is not signed yet
    plan = _qdevice.QdeviceCerts(Module(check_mode=True, ca="", certificate="")).plan()
    assert [s.split(" (")[0] for s in plan.steps] == ["trust the QNetd CA", "import the signed cluster certificate with this node's key"]
    signing = _qdevice.QnetdCerts(Module(check_mode=True, request="")).plan()
    assert signing.steps == ["sign the certificate request of cluster hacluster (corosync-qnetd-certutil -s)"]
    assert signing.result == {"ca": ""}
    assert _qdevice.QnetdCerts(Module(check_mode=True, request=None)).plan().steps == []


@pytest.mark.parametrize("params, message", [
    ({"ca": ""}, "ca holds no PEM certificate"),
    ({"ca": "garbage"}, "ca holds no PEM certificate"),
    ({"certificate": ""}, "certificate is empty: it must come from the task that made it"),
    ({"certificate": "not a certificate"}, "certificate is not base64 \\(the signed certificate"),
    ({"bundle": "!!"}, "bundle is not base64 \\(the PKCS#12 bundle"),
    ({"bundle": "cGtjczEy", "certificate": "REVS"}, "a bundle or a certificate, not both"),
])
def test_bad_input_is_refused_naming_it(params, message):
    with pytest.raises(_qdevice.QdeviceError, match=message):
        _qdevice.QdeviceCerts(Module(**params)).plan()


def test_the_qnetd_side_needs_its_ca_and_a_request_to_sign(tmp_path):
    with pytest.raises(_qdevice.QdeviceError, match="qnetd-cacert.crt is missing: set the QNetd host up first"):
        _qdevice.QnetdCerts(Module()).plan()
    (tmp_path / "qnetd").mkdir()
    (tmp_path / "qnetd" / "qnetd-cacert.crt").write_text(CA_FILE)
    assert _qdevice.QnetdCerts(Module()).plan().result == {"ca": CA_FILE}
    with pytest.raises(_qdevice.QdeviceError, match="request is empty"):
        _qdevice.QnetdCerts(Module(request="")).plan()
    with pytest.raises(_qdevice.QdeviceError, match="request is not base64"):
        _qdevice.QnetdCerts(Module(request="junk!")).plan()
