#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: qnetd_certs
short_description: The QNetd host's side of a quorum device's certificates
version_added: 0.5.0
description:
  - Returns the QNetd host's CA certificate (C(/etc/corosync/qnetd/nssdb/qnetd-cacert.crt)). Reading it changes
    nothing.
  - With O(request), signs a cluster's certificate request with that CA (C(corosync-qnetd-certutil -s)), returns
    the certificate, and gives the database back to the C(coroqnetd) user.
  - M(hacluster.crm.qdevice_certs) is the nodes' side.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
options:
  cluster_name:
    description: The cluster's name, which the signed certificate carries.
    type: str
    required: true
  request:
    description:
      - The certificate request (base64) a node made (M(hacluster.crm.qdevice_certs)' RV(hacluster.crm.qdevice_certs#module:request)).
      - In check mode an empty value stands for the request the run would make, and the signing is predicted.
    type: str
notes:
  - The CA is made when QNetd is set up (the qnetd role, C(corosync-qnetd-certutil -i)). A run without it
    fails and says so. In check mode RV(ca) is empty.
"""

EXAMPLES = r"""
- name: Read the QNetd CA
  hacluster.crm.qnetd_certs:
    cluster_name: hacluster
  delegate_to: qnetd
  run_once: true
  register: qnetd
"""

RETURN = r"""
ca:
  description: The QNetd CA certificate (PEM); empty in check mode when QNetd is not set up yet.
  returned: always
  type: str
certificate:
  description: The signed cluster certificate (base64 of certutil's binary certificate).
  returned: when a request was signed
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._qdevice import QdeviceError, QnetdCerts


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "cluster_name": {"type": "str", "required": True},
            "request": {"type": "str"},
        },
        supports_check_mode=True,
    )
    run(module, lambda: QnetdCerts(module), QdeviceError)


if __name__ == "__main__":
    main()
