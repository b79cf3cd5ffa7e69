# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads crm_mon's XML on stdin. `status.py where RESOURCE ROLE`: the nodes it runs on in that role;
`status.py start-call NODE RESOURCE`: the local call id of its last start there (calls increase in
the order a node runs them)."""

import sys
import xml.etree.ElementTree as ET

root = ET.fromstring(sys.stdin.read())
if sys.argv[1] == "where":
    print(" ".join(sorted(n.get("name") for r in root.iter("resource") if r.get("id") == sys.argv[2]
                          and r.get("role") == sys.argv[3] for n in r.iter("node"))))
elif sys.argv[1] == "start-call":
    for node in root.iter("node"):
        if node.get("name") == sys.argv[2]:
            for history in node.iter("resource_history"):
                if history.get("id") == sys.argv[3]:
                    calls = [int(op.get("call")) for op in history.iter("operation_history") if op.get("task") == "start"]
                    print(max(calls) if calls else "")
