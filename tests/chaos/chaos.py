#!/usr/bin/env python
# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chaos run: faults, reruns and writers together, on a 3-node Debian cluster of the lab.

A cluster from site.yml with a fence device per node through the lab's BMC, a group of an IPaddr2 address and a web
server whose page names the node serving it, and a promotable clone. Two writers run beside the faults: site.yml
(each round sets one declared parameter to the round's value; a run during the fault too) and a loop of
crm_attribute writes from a random node; every acknowledged write is recorded. Each round, from the seed: one fault
on one random node or pair (a power-off, a partition, a freeze, a cut between two nodes, a killed corosync or
pacemaker-controld, the BMC down during a partition, one of the node's two corosync links down), held, healed;
then the cluster must settle (bounded), site.yml runs, and a rerun changes nothing. Every 0.5 s, from the lab's
bridge and namespaces: which nodes hold the address, which listen as the web server, and who answers.

Invariants (checked at the end; any breach fails the run): never two (no sample with the address or the web server
on two nodes), nothing lost (every writer's last acknowledged value is in the final CIB unless a later write
replaced it; every declared object is there), back to health (every round settles within the bound and its rerun
changes nothing), fencing is real (every node the cluster says it fenced had its PID 1 replaced).

    tests/chaos/chaos.py [--rounds N] [--seed S] [--suite trixie|bookworm] [--kinds K,...] [--in-order] [--report FILE]
    (CHAOS_ROUNDS and CHAOS_SEED are the defaults; the seed is printed so that a round can be replayed alone.)

Everything stays on the lab's own network; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP / "tests" / "lab"))
import lab  # noqa: E402  pylint: disable=wrong-import-position  # the lab's own names: namespaces, the BMC's log

NODES = ["ch1", "ch2", "ch3"]
VIP = lab.SUBNET + ".81"
PORT = 8080
KINDS = ("poweroff", "partition", "freeze", "cut", "kill-corosync", "kill-controld", "bmc-down-partition", "link-down")
LINKS = (0, 1)       # the cluster's corosync links (crm_links): the lab's networks 0 (SSH, the service) and 1
HOLD = 25            # seconds a fault is held before the heal (the cluster fences in about 10-15 s)
SETTLE_LIMIT = 240   # seconds for the cluster to settle after a heal
SAMPLE_EVERY = 0.5
MAX_SAMPLES = 20000  # the sampler's own bound (about 2.8 hours)
MAX_WRITES = 20000   # the attribute writer's bound


def log(msg: str) -> None:
    print("chaos: %s" % msg, flush=True)


def run(argv: list[str], timeout: float = 600, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    if check and proc.returncode != 0:
        said = (proc.stderr or proc.stdout)[-2000:]
        raise RuntimeError("%s failed (rc=%d): %s" % (" ".join(argv[:4]), proc.returncode, said))
    return proc


def labcmd(*args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
    return run([sys.executable, str(TOP / "tests/lab/lab.py")] + list(args), timeout=timeout, check=check)


def on(node: str, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`lab.py exec NODE ARGV...`, run from here (the run polls the nodes many times a second: a lab.py process each
    cost more CPU than the command); a node that does not run answers as lab.py does, rc 1 and why."""
    try:
        command = lab.exec_argv(node) + list(argv)
    except lab.LabError as exc:
        return subprocess.CompletedProcess(["lab.py", "exec", node] + list(argv), 1, "", "lab: error: %s\n" % exc)
    return run(command, timeout=timeout, check=False, env=lab.EXEC_ENV)


def bmc_block(down: bool) -> None:
    """The BMC out of this cluster's reach (down) or back (the lab drops the traffic in these nodes' namespaces only:
    other clusters on the lab keep their BMC)."""
    labcmd(*(["block", "bmc"] if down else ["unblock"]), *NODES)


class Run:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.rng = random.Random(args.seed)
        self.stop = threading.Event()
        self.samples: list[tuple[float, list[str], list[str], str | None]] = []
        self.w1: list[tuple[int, bool]] = []        # (value, acknowledged), in order
        self.w2: list[tuple[int, bool]] = []
        self.rounds: list[dict] = []
        self.inv = work / "inventory"
        self.env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="false", ANSIBLE_PIPELINING="true",
                        ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", str(TOP / "build")))

    # ------------------------------------------------------------ the cluster and its writers
    def vars_file(self, value: int) -> Path:
        path = self.work / ("vars-%d.json" % value)
        bmc = "{{ lab_bmc | combine({'systems_uri': '/redfish/v1/Systems/%s'}) }}"
        path.write_text(json.dumps({
            "crm_cluster_name": "chaos",
            "crm_links": "{{ [ansible_host, lab_address1] }}",
            "crm_fencing": [{"id": "fence-%s" % n, "agent": "stonith:fence_redfish", "host": n, "params": bmc % n}
                            for n in NODES],
            "crm_resources": [
                {"id": "chaos-w1", "agent": "Dummy", "params": {"fake": str(value)}},
                {"id": "chaos-ip", "agent": "IPaddr2", "params": {"ip": VIP, "cidr_netmask": 24},
                 "ops": [{"name": "monitor", "interval": "10s", "timeout": "20s"}]},
                {"id": "chaos-web", "agent": "ocf:heartbeat:anything",
                 "params": {"binfile": "/usr/bin/python3",
                            "cmdline_options": "-m http.server %d --bind %s --directory /srv/www" % (PORT, VIP)},
                 "ops": [{"name": "monitor", "interval": "10s", "timeout": "20s"}]},
                {"id": "chaos-st", "agent": "ocf:pacemaker:Stateful",
                 "ops": [{"name": "monitor", "interval": "10s", "role": "Promoted"},
                         {"name": "monitor", "interval": "11s", "role": "Unpromoted"}]},
            ],
            "crm_groups": [{"id": "chaos-service", "members": ["chaos-ip", "chaos-web"]}],
            "crm_clones": [{"id": "chaos-st-clone", "resource": "chaos-st", "promotable": True,
                            "meta": {"promoted-max": 1}}],
            "crm_wait_timeout": 120,
        }))
        return path

    def site(self, value: int, name: str) -> tuple[bool, int]:
        """site.yml setting chaos-w1's parameter to VALUE: (acknowledged, changed)."""
        logf = self.work / ("site-%s.log" % name)
        proc = run(["ansible-playbook", "-i", str(self.inv), str(TOP / "site.yml"),
                    "-e", "@%s" % (TOP / "tests/lab/fencing.yml"), "-e", "@%s" % self.vars_file(value)],
                   timeout=900, check=False, env=self.env)
        logf.write_text(proc.stdout + proc.stderr)
        changed = sum(int(w.split("=")[1]) for line in proc.stdout.splitlines() if " changed=" in line
                      for w in line.split() if w.startswith("changed="))
        return proc.returncode == 0, changed

    def write_attribute(self) -> None:
        """Writer 2: crm_attribute from a random running node, about once a second, bounded."""
        rng = random.Random(self.args.seed + 1)
        for value in range(1, MAX_WRITES + 1):
            if self.stop.is_set():
                return
            node = rng.choice(NODES)
            # as a careful tool writes: only from a node whose partition has quorum (a partition without quorum
            # accepts CIB writes, and the quorate partition's CIB replaces them when they meet)
            proc = on(node, "sh", "-c", "[ \"$(crm_node --quorum)\" = 1 ] && crm_attribute --node %s --name chaos-w2 "
                      "--update %d --lifetime forever" % (NODES[0], value), timeout=30)
            self.w2.append((value, proc.returncode == 0))
            self.stop.wait(1.0)

    # ------------------------------------------------------------ the sampler
    def holders(self) -> tuple[list[str], list[str]]:
        ip, web = [], []
        for node in NODES:
            ns = lab.NETNS_PREFIX + node
            proc = run(["ip", "netns", "exec", ns, "sh", "-c", "ip -o -4 addr show up; ss -Hltn 'sport = :%d'" % PORT],
                       timeout=5, check=False)
            if proc.returncode != 0:
                continue  # no namespace (the node is gone); a powered-off node's links are down, not listed
            if (" %s/" % VIP) in proc.stdout:
                ip.append(node)
            if ("%s:%d" % (VIP, PORT)) in proc.stdout or (":%d " % PORT) in proc.stdout:
                web.append(node)
        return ip, web

    def sample(self) -> None:
        for _count in range(MAX_SAMPLES):
            if self.stop.is_set():
                return
            started = time.monotonic()
            ip, web = self.holders()
            answer = run(["curl", "-sf", "-m", "1", "http://%s:%d/" % (VIP, PORT)], timeout=5, check=False)
            self.samples.append((time.time(), ip, web, answer.stdout.strip() or None if answer.returncode == 0 else None))
            self.stop.wait(max(0.0, SAMPLE_EVERY - (time.monotonic() - started)))

    # ------------------------------------------------------------ faults
    def pid1s(self) -> dict[str, int]:
        status = json.loads(labcmd("status", "--json").stdout)
        return {row["name"]: row.get("pid1") for row in status if row["name"] in NODES}

    def fault(self, kind: str, node: str, other: str, link: int | None) -> list[str]:
        """Inject KIND (a cut between NODE and OTHER, one LINK of NODE down); returns the commands that heal it (run in
        order)."""
        if kind == "poweroff":
            labcmd("poweroff", node)
            return ["start " + node]
        if kind == "partition":
            labcmd("partition", node)
            return ["heal " + node]
        if kind == "freeze":
            labcmd("freeze", node)
            return ["thaw " + node]
        if kind == "cut":
            labcmd("cut", node, other)
            return ["uncut " + node + " " + other]
        if kind == "kill-corosync":
            on(node, "sh", "-c", "kill -9 $(pidof corosync)")
            return []
        if kind == "kill-controld":
            on(node, "sh", "-c", "kill -9 $(pidof pacemaker-controld)")
            return []
        if kind == "link-down":
            # one of the node's two corosync links: the membership must hold over the other, nobody is fenced (link 0
            # also carries SSH and the service address: a service there is unreachable until the heal)
            labcmd("link-down", node, str(link))
            return ["link-up %s %d" % (node, link)]
        if kind == "bmc-down-partition":
            bmc_block(True)
            labcmd("partition", node)
            return ["heal " + node, "bmc-up"]
        raise ValueError(kind)

    def heal(self, steps: list[str]) -> None:
        for step in steps:
            if step == "bmc-up":
                bmc_block(False)
                continue
            verb, *names = step.split()
            if verb == "start" and not self.pid1s().get(names[0]):
                labcmd("start", names[0], timeout=300)
            elif verb in ("thaw", "heal", "uncut", "link-up"):
                labcmd(verb, *names, check=False)
        for node in NODES:  # a node the cluster fenced with an off (or a BMC that came back late) is booted again
            if not self.pid1s().get(node):
                labcmd("start", node, timeout=300, check=False)

    def settled(self) -> bool:
        """Every node online and clean, no fencing pending, a DC, no pending action, and the service answering. A
        node that rejoins before the cluster could fence it (the BMC out of reach) is online but still UNCLEAN, and
        its fencing comes once the BMC answers again: until then the cluster has not settled."""
        for node in NODES:
            proc = on(node, "crm_mon", "--one-shot", "--fence-history=1", "--output-as=xml", timeout=20)
            if proc.returncode != 0:
                continue
            try:
                root = ET.fromstring(proc.stdout)
            except ET.ParseError:
                continue
            clean = [n for n in root.findall("nodes/node") if n.get("online") == "true" and n.get("unclean") != "true"
                     and n.get("pending") != "true"]
            fencing = [ev for ev in root.iter("fence_event") if ev.get("status") == "pending"]
            dc = root.find("summary/current_dc")
            if len(clean) >= len(NODES) and not fencing and dc is not None and dc.get("present") == "true":
                wait = on(node, "crm_resource", "--wait", "--timeout", "5s", timeout=20)
                answer = run(["curl", "-sf", "-m", "1", "http://%s:%d/" % (VIP, PORT)], timeout=5, check=False)
                return wait.returncode == 0 and answer.returncode == 0
            return False
        return False

    def fence_events(self) -> set[tuple[str, str]]:
        """The fencer's history of successful fencing, as (target, completed), from every node that answers: a node
        that was just fenced starts with an empty history of its own."""
        events: set[tuple[str, str]] = set()
        for node in NODES:
            # --verbose: without it stonith_admin shows a reduced history (one success), which read as fencings the
            # history had lost (seed 23) when it was this read that left them out
            proc = on(node, "stonith_admin", "--history", "*", "--verbose", "--output-as=xml", timeout=30)
            if proc.returncode == 0 and proc.stdout.strip():
                events |= {(ev.get("target"), ev.get("completed") or ev.get("completed-nsec") or "")
                           for ev in ET.fromstring(proc.stdout).iter("fence_event") if ev.get("status") == "success"}
        return events

    @staticmethod
    def bmc_power_offs(since: float) -> list[str]:
        """The nodes of this cluster the lab's BMC powered off (ForceOff, GracefulShutdown, ForceRestart) since SINCE,
        from its own log: the fence device's side of a fencing, a witness the fencer's history cannot be. Other
        clusters on the lab share the BMC: their nodes are not this run's (a fencing target beside it counted)."""
        import datetime  # pylint: disable=import-outside-toplevel
        found = []
        try:
            text = (lab.BMC / "bmc.log").read_text(errors="replace")
        except OSError:
            return found
        for line in text.splitlines():
            m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+ bmc power (\S+): (ForceOff|GracefulShutdown|ForceRestart)", line)
            if m and m.group(2) in NODES and datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").timestamp() >= since - 1:
                found.append(m.group(2))
        return found

    def promoted(self) -> int:
        for node in NODES:
            proc = on(node, "crm_mon", "--one-shot", "--output-as=xml", timeout=20)
            if proc.returncode == 0:
                return proc.stdout.count('role="Promoted"')
        return -1

    # ------------------------------------------------------------ the run
    def round(self, number: int) -> dict:
        kind = self.args.kinds[(number - 1) % len(self.args.kinds)] if self.args.in_order else self.rng.choice(self.args.kinds)
        node, other = self.rng.sample(NODES, 2)
        link = self.rng.choice(LINKS) if kind == "link-down" else None  # drawn here as before: a seed replays a run
        before = self.pid1s()
        history = self.fence_events()
        start = time.time()
        steps = self.fault(kind, node, other, link)
        detail = " and " + other if kind == "cut" else " (link %d)" % link if link is not None else ""
        log("round %d: %s on %s%s" % (number, kind, node, detail))
        # writer 1 during the fault: a run that may fail (a node is gone); recorded with its value either way
        during = 1000 + number
        outcome: list[bool] = []

        def run_during() -> None:
            try:
                outcome.append(self.site(during, "r%d-during" % number)[0])
            except subprocess.TimeoutExpired:
                outcome.append(False)

        writer = threading.Thread(target=run_during, daemon=True)
        writer.start()
        remaining = HOLD - (time.time() - start)
        if remaining > 0:
            time.sleep(remaining)
        healed_at = time.time()
        self.heal(steps)
        writer.join(timeout=900)
        self.w1.append((during, bool(outcome and outcome[0])))
        deadline = time.monotonic() + SETTLE_LIMIT
        while not self.settled():
            if time.monotonic() > deadline:
                raise RuntimeError("round %d (%s on %s): not settled %d s after the heal" % (number, kind, node, SETTLE_LIMIT))
            time.sleep(2)
        recovered = time.time() - healed_at
        # settled is the cluster's view: a node the BMC booted rejoins before its sshd may answer, and the runs below
        # reach the nodes over SSH
        lab.wait_ssh([lab.Node(n) for n in NODES], 60)
        in_history = {target for target, _done in self.fence_events() - history}
        powered_off = sorted(set(self.bmc_power_offs(start)))
        # Both witnesses count: a node is fenced when either says so, and a power-off by the BMC that the fencer's
        # history does not hold is reported (a fencing nobody asked the cluster for).
        fenced = sorted(in_history | set(powered_off))
        after = self.pid1s()
        unreal = [n for n in fenced if before.get(n) and after.get(n) == before.get(n)]
        ok, changed = self.site(number, "r%d" % number)
        self.w1.append((number, ok))
        again_ok, again = self.site(number, "r%d-again" % number)
        window = [s for s in self.samples if start <= s[0] <= time.time()]
        result = {"round": number, "kind": kind, "node": node, "other": other if kind == "cut" else None,
                  "link": link,
                  "recovered_s": round(recovered, 1), "downtime_s": round(downtime(window), 1), "fenced": fenced,
                  "bmc_power_offs": powered_off, "history_missed": sorted(set(powered_off) - in_history),
                  "fencing_not_real": unreal, "site_ok": ok and again_ok, "rerun_changed": again,
                  "promoted": self.promoted()}
        log("round %d: settled %.1f s after the heal; downtime %.1f s; fenced %s (the BMC powered off %s); rerun changed=%d"
            % (number, recovered, result["downtime_s"], ",".join(fenced) or "none", ",".join(powered_off) or "none", again))
        return result

    def final_checks(self) -> dict:
        cib = on(NODES[0], "cibadmin", "--query", timeout=30).stdout
        problems = []
        acked = [v for v, ok in self.w1 if ok]
        if acked:
            last = acked[-1]
            values = [value for value, _ok in self.w1]
            later = values[values.index(last) + 1:]
            if not any('name="fake" value="%d"' % v in cib for v in [last] + later):
                problems.append("writer 1: the acknowledged value %d of chaos-w1 is not in the CIB" % last)
        acked2 = [v for v, ok in self.w2 if ok]
        if acked2:
            last = acked2[-1]
            later = [value for value, _ok in self.w2 if value > last]
            if not any('name="chaos-w2" value="%d"' % v in cib for v in [last] + later):
                problems.append("writer 2: the acknowledged value %d of chaos-w2 is not in the CIB" % last)
        declared = ["chaos-w1", "chaos-ip", "chaos-web", "chaos-st", "chaos-service", "chaos-st-clone"]
        for ident in ["fence-%s" % n for n in NODES] + declared:
            if 'id="%s"' % ident not in cib:
                problems.append("the declared %s is gone from the CIB" % ident)
        return {"lost": problems, "w1_acked": len(acked), "w1_runs": len(self.w1), "w2_acked": len(acked2),
                "w2_writes": len(self.w2)}

    def main(self) -> int:
        log("seed %d, %d rounds (replay: --seed %d --rounds N)" % (self.args.seed, self.args.rounds, self.args.seed))
        labcmd("down", *NODES)
        labcmd("up", "--image", "cluster", "--suite", self.args.suite, *NODES, timeout=600)
        self.inv.write_text(labcmd("inventory", *NODES).stdout)
        for node in NODES:
            on(node, "sh", "-c", "mkdir -p /srv/www && echo %s > /srv/www/index.html" % node)
        ok, _changed = self.site(0, "first")
        if not ok:
            raise RuntimeError("the first site.yml failed; see %s" % (self.work / "site-first.log"))
        self.w1.append((0, True))
        threads = [threading.Thread(target=self.sample, daemon=True),
                   threading.Thread(target=self.write_attribute, daemon=True)]
        for thread in threads:
            thread.start()
        try:
            for number in range(1, self.args.rounds + 1):
                self.rounds.append(self.round(number))
        finally:
            self.stop.set()
            for thread in threads:
                thread.join(timeout=60)
            bmc_block(False)
        (self.work / "samples.txt").write_text("".join("%.2f ip=%s web=%s answer=%s\n" % (t, ",".join(ip), ",".join(web), a)
                                                       for t, ip, web, a in self.samples))
        (self.work / "rounds.json").write_text(json.dumps(self.rounds, indent=1))
        final = self.final_checks()
        report = self.report(final)
        print(report)
        if self.args.report:
            Path(self.args.report).write_text(report + "\n")
        failed = final["lost"] or self.split_brain() or any(bad(r) for r in self.rounds)
        if not self.args.keep:
            labcmd("down", *NODES, check=False)
        return 1 if failed else 0

    def split_brain(self) -> int:
        return sum(1 for _t, ip, web, _a in self.samples if len(ip) > 1 or len(web) > 1)

    def report(self, final: dict) -> str:
        lines = ["chaos report: seed %d, %d rounds, %d samples every %.1f s, split-brain samples %d, lost writes %d"
                 % (self.args.seed, len(self.rounds), len(self.samples), SAMPLE_EVERY, self.split_brain(),
                    len(final["lost"])),
                 "writers: site.yml %d runs, %d acknowledged; crm_attribute %d writes, %d acknowledged"
                 % (final["w1_runs"], final["w1_acked"], final["w2_writes"], final["w2_acked"])]
        lines += ["lost: " + p for p in final["lost"]]
        missed = sum(len(r.get("history_missed", [])) for r in self.rounds)
        lines.append("fencings the BMC made that the fencer's history did not show: %d" % missed)
        header = ("fault", "rounds", "recovery med/worst s", "downtime med/worst s", "fenced")
        lines.append("%-20s %6s %22s %22s %8s" % header)
        for kind in KINDS:
            rows = [r for r in self.rounds if r["kind"] == kind]
            if not rows:
                continue
            rec = [r["recovered_s"] for r in rows]
            down = [r["downtime_s"] for r in rows]
            lines.append("%-20s %6d %22s %22s %8d" % (kind, len(rows), "%.1f / %.1f" % (statistics.median(rec), max(rec)),
                                                      "%.1f / %.1f" % (statistics.median(down), max(down)),
                                                      sum(len(r["fenced"]) for r in rows)))
        for r in self.rounds:
            if bad(r):
                lines.append("round %(round)d (%(kind)s on %(node)s): fencing not real %(fencing_not_real)s, site ok "
                             "%(site_ok)s, rerun changed %(rerun_changed)s, promoted %(promoted)s, fenced %(fenced)s" % r)
        return "\n".join(lines)


def bad(r: dict) -> bool:
    """A round that breaks an invariant: fencing that was not real, a site.yml that failed after the heal or whose
    rerun changed something, two promoted instances, or a fencing where one link went down (the other one carries
    the membership)."""
    return bool(r["fencing_not_real"] or not r["site_ok"] or r["rerun_changed"] or r["promoted"] > 1
                or (r["kind"] == "link-down" and r["fenced"]))


def downtime(window: list) -> float:
    """The longest stretch of samples in WINDOW where nobody answered."""
    longest, start = 0.0, None
    for stamp, _ip, _web, answer in window:
        if answer is None and start is None:
            start = stamp
        elif answer is not None and start is not None:
            longest, start = max(longest, stamp - start), None
    if start is not None and window:
        longest = max(longest, window[-1][0] - start)
    return longest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("CHAOS_ROUNDS", "8")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CHAOS_SEED", str(random.SystemRandom().randrange(10**6)))))
    parser.add_argument("--suite", default=os.environ.get("HACLUSTER_LAB_SUITE", "trixie"), choices=["trixie", "bookworm"])
    parser.add_argument("--kinds", default=",".join(KINDS),
                        help="the faults to draw from, comma-separated (default all: %(default)s)")
    parser.add_argument("--in-order", action="store_true",
                        help="take the faults of --kinds in their order, one per round (the nodes still drawn from the seed)")
    parser.add_argument("--report", help="also write the report to this file")
    parser.add_argument("--keep", action="store_true", help="leave the nodes up at the end")
    parser.add_argument("--work", help="keep the logs, the samples (samples.txt) and the rounds (rounds.json) here")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 200:
        parser.error("--rounds: 1 to 200")
    args.kinds = args.kinds.split(",")
    unknown = [k for k in args.kinds if k not in KINDS]
    if unknown:
        parser.error("--kinds: unknown %s (known: %s)" % (", ".join(unknown), ", ".join(KINDS)))
    with tempfile.TemporaryDirectory(prefix="hacluster-chaos-") as scratch:
        work = Path(args.work or scratch)
        work.mkdir(parents=True, exist_ok=True)
        try:
            return Run(args, work).main()
        except RuntimeError as exc:
            log("FAILED: %s (seed %d)" % (exc, args.seed))
            return 1


if __name__ == "__main__":
    sys.exit(main())
