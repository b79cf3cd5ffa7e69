#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: qdevice_certs
short_description: A cluster node's quorum device certificates, as C(crm cluster init qdevice) makes them
version_added: 0.5.0
description:
  - Checks this node's qdevice database (C(/etc/corosync/qdevice/net/nssdb)) first, then does only what is
    missing, with the corosync-qdevice tools.
  - It trusts the QNetd host's CA (C(corosync-qdevice-net-certutil -i)). A database that trusts another CA
    is removed first.
  - Without the cluster certificate, it does one of three things. It imports the cluster's certificate
    bundle made on another node (O(bundle), C(-m)). It imports the certificate signed by QNetd with this
    node's key (O(certificate), C(-M)), which makes the bundle. Or it makes the certificate request for QNetd
    to sign (O(request), C(-r)).
  - M(hacluster.crm.qnetd_certs) is the QNetd host's side. The quorum role chains the two, handing each
    result to the next task.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  ca:
    description:
      - The QNetd host's CA certificate (PEM), as M(hacluster.crm.qnetd_certs) returns it.
      - In check mode, an empty value stands for a CA that the run would make first.
    type: str
    required: true
  cluster_name:
    description: The cluster's name (totem.cluster_name), which the cluster certificate carries.
    type: str
    required: true
  request:
    description: Make the cluster's certificate request when this node holds no cluster certificate.
    type: bool
    default: false
  certificate:
    description:
      - The cluster certificate signed by QNetd (base64, C(qnetd_certs)' RV(hacluster.crm.qnetd_certs#module:certificate)),
        for the node that made the request. It is imported with this node's key.
      - In check mode an empty value stands for the certificate the run would get, and the import is predicted.
    type: str
  bundle:
    description:
      - The cluster's certificate bundle (base64 PKCS#12, with the private key) from a node that holds it
        (RV(bundle) with O(export)); imported where the cluster certificate is missing.
      - In check mode an empty value stands for the bundle the run would get.
    type: str
  export:
    description:
      - Return this node's bundle as RV(bundle) when it holds the cluster certificate. The bundle holds the
        private key, so set C(no_log) on the task.
    type: bool
    default: false
notes:
  - Giving a certificate or a bundle to a node that already holds the cluster certificate is refused.
  - Nothing secret is written to the controller. The bundle travels in the task's result only; C(no_log) keeps
    it out of the output.
"""

EXAMPLES = r"""
- name: Check the node's qdevice certificates and trust the QNetd CA
  hacluster.crm.qdevice_certs:
    ca: "{{ qnetd.ca }}"
    cluster_name: hacluster
  register: certs

- name: Import the bundle from a node that holds it
  hacluster.crm.qdevice_certs:
    ca: "{{ qnetd.ca }}"
    cluster_name: hacluster
    bundle: "{{ hostvars['alice'].source.bundle }}"
  when: not certs.enrolled
  no_log: true
"""

RETURN = r"""
enrolled:
  description: Whether the node holds the cluster certificate after the run (in check mode, would hold it).
  returned: always
  type: bool
request:
  description: The certificate request (base64 of certutil's binary request) that the run made, for M(hacluster.crm.qnetd_certs) to sign.
  returned: when a request was made
  type: str
bundle:
  description: The node's certificate bundle (base64 PKCS#12 with the private key).
  returned: with O(export), when the node holds the cluster certificate
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._qdevice import QdeviceCerts, QdeviceError


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "ca": {"type": "str", "required": True},
            "cluster_name": {"type": "str", "required": True},
            "request": {"type": "bool", "default": False},
            "certificate": {"type": "str"},
            "bundle": {"type": "str", "no_log": True},
            "export": {"type": "bool", "default": False},
        },
        mutually_exclusive=[("certificate", "bundle")],
        supports_check_mode=True,
    )
    run(module, lambda: QdeviceCerts(module), QdeviceError)


if __name__ == "__main__":
    main()
