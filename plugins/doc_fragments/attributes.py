# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
"""

    # Check mode, diff mode and idempotence are all supported.
    ALL = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: Predicts exactly what a run would change and writes nothing.
  diff_mode:
    support: full
    description: Returns the state before and after.
  idempotent:
    support: full
    description: A second run with the same arguments changes nothing.
"""

    # Read-only modules.
    INFO = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: Reads only; runs the same in check mode.
  diff_mode:
    support: N/A
    description: Changes nothing, so has no diff.
  idempotent:
    support: full
    description: Reads only.
"""
