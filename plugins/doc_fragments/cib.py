# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Every CIB module: the CIB file it may work on instead of the live cluster, and what it needs.
    DOCUMENTATION = r"""
options:
  cib_file:
    description: Use this CIB file instead of the live cluster (through C(CIB_file)).
    type: path
requirements:
  - lxml on the managed node
  - pacemaker's command line tools on the managed node
"""

    # The CIB modules that can wait for the cluster to settle after a change.
    WAIT = r"""
options:
  wait:
    description: After a change, wait until the cluster has settled (C(crm_resource --wait)).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait with O(wait).
    type: int
    default: 120
"""
