# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


# ---- crm_mon's XML when the cluster is down (Pacemaker 2 and 3)

class CrmMon:
    def __init__(self, rc, out):
        self.rc, self.out = rc, out

    def run(self, argv, data=None, check=True):
        return self.rc, self.out, ""


NOT_CONNECTED = ('<pacemaker-result api-version="2.38" request="crm_mon -1 --output-as=xml"><status code="102" '
                 'message="Not connected"><errors><error>crm_mon: Connection to cluster failed: Connection refused'
                 '</error></errors></status></pacemaker-result>')
DISCONNECTED = ('<pacemaker-result api-version="2.38" request="crm_mon"><crm-mon-disconnected description="Pacemaker '
                'daemons are shutting down" pacemakerd-state="shutting_down"/><status code="102" message="Not connected"/>'
                '</pacemaker-result>')


def test_a_cluster_that_is_down_is_reported_down_not_as_an_error():
    from ansible_collections.hacluster.crm.plugins.module_utils import _status
    down = _status.read(CrmMon(102, NOT_CONNECTED))
    assert down["running"] is False and "Connection refused" in down["reason"] and down["nodes"] == []
    down = _status.read(CrmMon(102, DISCONNECTED))
    assert down == dict(down, running=False, reason="Pacemaker daemons are shutting down",
                        pacemakerd_state="shutting_down")
