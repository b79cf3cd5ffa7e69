#!/usr/bin/python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cluster_ticket
short_description: Grant or revoke a ticket, put it in standby or activate it, as C(crm_ticket) does
version_added: 0.6.0
description:
  - A ticket gates the resources that C(rsc_ticket) constraints tie to it (O(hacluster.crm.cib_resources#module:constraints)
    of type V(ticket)); where it is revoked they stop, and the constraint's C(loss-policy) says how.
  - Its state lives in the CIB's status section, not its configuration, so this is an operation, not a declaration.
    O(granted) grants (C(crm_ticket --grant --force)) or revokes (C(--revoke --force)) it at this site; O(standby)
    puts a granted ticket in standby (its resources stop gracefully, without the loss-policy) or activates it. Each
    is a change only where the ticket is not yet as asked; check mode says what a run would do, diff mode shows the
    state before and after.
  - A ticket that no C(rsc_ticket) constraint names and that the cluster holds no state for is refused, naming it
    (most likely a misspelt name), and nothing is done.
  - Between sites, booth grants and revokes tickets; by hand, as here, no other site is asked, hence C(--force). Use it
    for a single site, a test, or to take a ticket away from a site that booth cannot reach.
author: hacluster.crm contributors (@hacluster)
extends_documentation_fragment:
  - hacluster.crm.attributes
  - hacluster.crm.attributes.ALL
  - hacluster.crm.cib
  - hacluster.crm.cib.WAIT
options:
  ticket:
    description: The ticket's name.
    type: str
    required: true
  granted:
    description: V(true) grants the ticket at this site, V(false) revokes it; unset, left as it is.
    type: bool
  standby:
    description: V(true) puts the ticket in standby, V(false) activates it; unset, left as it is.
    type: bool
seealso:
  - module: hacluster.crm.cib_resources
"""

EXAMPLES = r"""
- name: Grant the ticket that gates the database (crm_ticket --ticket db-site --grant)
  hacluster.crm.cluster_ticket:
    ticket: db-site
    granted: true
    wait: true
  run_once: true

- name: Hand the site over gracefully - standby first, then revoke
  hacluster.crm.cluster_ticket:
    ticket: db-site
    standby: true
  run_once: true
"""

RETURN = r"""
ticket:
  description: The ticket as the run leaves it (in check mode, as a run would), and the rsc_ticket constraints naming it.
  returned: success
  type: dict
  sample: {"id": "db-site", "granted": true, "standby": false, "constraints": ["db-needs-site"]}
"""

from ansible_collections.hacluster.crm.plugins.module_utils._cib import CibError
from ansible_collections.hacluster.crm.plugins.module_utils._engine import run
from ansible_collections.hacluster.crm.plugins.module_utils._operations import TicketAction
from ansible_collections.hacluster.crm.plugins.module_utils._secrets import SecretAwareModule
from ansible_collections.hacluster.crm.plugins.module_utils._specs import CIB_FILE, WAIT


def main() -> None:
    module = SecretAwareModule(
        argument_spec={"ticket": {"type": "str", "required": True}, "granted": {"type": "bool"},
                       "standby": {"type": "bool"}, **CIB_FILE, **WAIT},
        required_one_of=[("granted", "standby")],
        supports_check_mode=True,
    )
    run(module, lambda: TicketAction(module), CibError)


if __name__ == "__main__":
    main()
