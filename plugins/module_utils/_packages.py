# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which packages hold the fence agents a cluster uses.

Debian 12 ships every agent in one package, ``fence-agents``; Debian 13 (fence-agents 4.16) splits them into
one package per agent, named after the agent with ``_`` as ``-`` (``fence_azure_arm`` is in
``fence-agents-azure-arm``), except the agents that are links to another agent's program, which are in that
agent's package: ALIASES, read off the files of every ``fence-agents-*`` package of Debian 13.
"""

from __future__ import annotations

import re

ONE_PACKAGE = "fence-agents"
ALIASES = {
    "idrac": "ipmilan", "ilo3": "ipmilan", "ilo4": "ipmilan", "ilo5": "ipmilan", "imm": "ipmilan",
    "ipmilanplus": "ipmilan", "ilo3_ssh": "ilo_ssh", "ilo4_ssh": "ilo_ssh", "ilo5_ssh": "ilo_ssh", "ilo": "ilo2",
    "tripplite_snmp": "apc_snmp", "evacuate": "compute", "epsr2": "eps", "lindypdu": "lindy_pdu", "zvmip": "zvm",
}
AGENT_RE = re.compile(r"^(?:stonith:)?fence_([a-z0-9_]+)$")


def fence_packages(agents: list[str], split: bool) -> list[str]:
    """The packages of the fence agents among ``agents`` (``stonith:fence_redfish`` or ``fence_redfish``; other
    agents are left out), sorted: one package per agent where the distribution splits them (``split``), else the
    one package of them all."""
    names = sorted({m.group(1) for m in (AGENT_RE.match(str(a)) for a in agents) if m})
    if not split:
        return [ONE_PACKAGE] if names else []
    return sorted({"fence-agents-" + ALIASES.get(name, name).replace("_", "-") for name in names})
