# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the engines' file writes need of an AnsibleModule, without its argument parsing: AnsibleModule's
own atomic_move (on a host without SELinux), and no backup unless a test asks for one."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule


class FilesModule:
    params: dict = {}
    atomic_move = AnsibleModule.atomic_move
    cleanup = AnsibleModule.cleanup

    def selinux_enabled(self):
        return False

    def backup_local(self, path):
        raise AssertionError("no backup asked for: %s" % path)
