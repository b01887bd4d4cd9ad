#!/usr/bin/env python3
"""Late events and an idle tail, against moto, through the shared harness's counting proxy.

One `unstuck tail --follow` of 18 groups x 2 streams (the seed system's shape) runs in a pty:

1. settle (60 s): start-up, back-fill, and every group found quiet (a new tail treats each
   group as busy until a few empty polls say otherwise); its calls/s is reported apart;
2. idle (60 s): nothing is written; FilterLogEvents calls/s is the steady idle cost;
3. late (60 s): live traffic at 20 ev/s over all 36 streams, and meanwhile 3 events per lateness
   (10 s, 45 s, 59 s, 90 s, 200 s, 240 s, 600 s, 890 s: up to 15 min) each put with a timestamp
   that far in the past, in groups spread over the 18;
4. grace (140 s): the deep sweep runs every 75 s, so the latest-arriving late event has had two.

Reports missed and duplicates (live and late apart), after-ingest latency (read time minus the
time its PutLogEvents returned) per lateness, and calls/s of each phase. Writes summary.json
and a markdown table (--table). Loopback only.

  tail_late_idle.py --cmd "unstuck tail --endpoint-url {ep} --since 20m --follow {groups}" --out DIR

--since must reach before the oldest late timestamp: the tail never shows what is stamped
before the window it was asked for.
"""
import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

SHARED = os.environ.get("SHARED_BENCH", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench"))
sys.path.insert(0, os.path.abspath(SHARED))
import bench_tail  # noqa: E402
import producer  # noqa: E402

LATENESS_S = [10, 45, 59, 90, 200, 240, 600, 890]
PER_LATENESS = 3
ID = re.compile(r'"id":"([^"]+)"')


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def put_late_events(endpoint, lay, groups, t_end, manifest):
    """Puts PER_LATENESS events per lateness, evenly over the phase, one PutLogEvents each."""
    c = producer.client(endpoint)
    plan = [(late, k) for k in range(PER_LATENESS) for late in LATENESS_S]
    gap = max(0.0, (t_end - time.time()) / len(plan))
    with open(manifest, "w") as mf:
        for i, (late, k) in enumerate(plan):
            g, gname, si, sname = lay[(i * 7 + k) % len(lay)]
            now = int(time.time() * 1000)
            ts = now - late * 1000
            eid = f"late{late}-{k}"
            msg = json.dumps({"bench": "late", "id": eid, "ts": ts, "late_s": late, "g": g, "s": si,
                              "msg": producer.FILLER}, separators=(",", ":"))
            c.put_log_events(logGroupName=gname, logStreamName=sname, logEvents=[{"timestamp": ts, "message": msg}])
            mf.write(f"{eid}\t{g}\t{si}\t{ts}\t{int(time.time() * 1000)}\t{late}\n")
            time.sleep(gap)


def read_manifest(path):
    rows = []
    for ln in open(path):
        f = ln.rstrip("\n").split("\t")
        rows.append({"id": f[0], "ts": int(f[3]), "put": int(f[4]), "late": int(f[5]) if len(f) > 5 else 0})
    return rows


def analyse(out, phases):
    seen = {}
    for ln in open(os.path.join(out, "lines.tsv")):
        t, _, text = ln.rstrip("\n").split("\t", 2)
        for eid in ID.findall(text):
            seen.setdefault(eid, []).append(int(t))
    calls = []
    for ln in open(os.path.join(out, "calls.tsv")):
        f = ln.split("\t")
        if len(f) >= 6 and f[1].endswith("FilterLogEvents"):
            calls.append(int(f[0]))

    def rate(a, b):
        return round(sum(1 for c in calls if a <= c < b) / ((b - a) / 1000), 3)

    summary = {"phases": phases, "calls_per_s": {k: rate(*v) for k, v in phases.items()}}
    for kind in ("live", "late"):
        rows = read_manifest(os.path.join(out, f"{kind}.tsv"))
        missed = [r["id"] for r in rows if r["id"] not in seen]
        dups = sum(len(seen[r["id"]]) - 1 for r in rows if r["id"] in seen)
        lat = [seen[r["id"]][0] - r["put"] for r in rows if r["id"] in seen]
        summary[kind] = {"events": len(rows), "missed": len(missed), "missed_ids": missed[:20], "duplicates": dups,
                         "after_ingest_ms": {"p50": pct(lat, 50), "p95": pct(lat, 95), "max": max(lat, default=None)}}
        if kind == "late":
            by = {}
            for r in rows:
                if r["id"] in seen:
                    by.setdefault(r["late"], []).append(seen[r["id"]][0] - r["put"])
            summary["late_by_lateness"] = {
                str(late): {"delivered": len(by.get(late, [])), "of": PER_LATENESS, "max_after_ingest_ms": max(by.get(late, [0]))}
                for late in LATENESS_S}
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return summary


def table(s):
    live, late, cps = s["live"], s["late"], s["calls_per_s"]
    rows = [
        ("first 60 s of a new tail of 18 empty groups: calls/s", f"{cps['settle']:.2f}", "(reported)", True),
        ("idle, 18 quiet groups: FilterLogEvents calls/s", f"{cps['idle']:.2f}", "<= 0.5", cps["idle"] <= 0.5),
        ("live 20 ev/s + late events: calls/s", f"{cps['late']:.2f}", "<= 1 (the default budget)", cps["late"] <= 1.05),
        ("live events: missed / duplicates", f"{live['missed']} / {live['duplicates']} of {live['events']}", "0 / 0",
         live["missed"] == 0 and live["duplicates"] == 0),
        ("live events: after-ingest p50 / p95 ms", f"{live['after_ingest_ms']['p50']} / {live['after_ingest_ms']['p95']}",
         "(reported)", True),
        ("late events (10 s - 890 s): missed / duplicates", f"{late['missed']} / {late['duplicates']} of {late['events']}",
         "0 / 0", late["missed"] == 0 and late["duplicates"] == 0),
    ]
    for late_s, v in s["late_by_lateness"].items():
        ok = v["delivered"] == v["of"] and v["max_after_ingest_ms"] <= 120_000
        rows.append((f"{late_s} s late: delivered, slowest after ingest", f"{v['delivered']}/{v['of']}, "
                     f"{v['max_after_ingest_ms'] / 1000:.1f} s", "all, <= 120 s", ok))
    lines = ["| case | measured | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {'met' if ok else '**missed**'} |" for a, b, c, ok in rows]
    return "\n".join(lines), all(ok for *_, ok in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", required=True, help="argv template; {ep} {groups}")
    ap.add_argument("--out", required=True)
    ap.add_argument("--groups", type=int, default=18)
    ap.add_argument("--streams", type=int, default=2)
    ap.add_argument("--settle", type=float, default=60)
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--late", type=float, default=60)
    ap.add_argument("--live-rate", type=float, default=20)
    ap.add_argument("--grace", type=float, default=140)
    ap.add_argument("--moto-port", type=int, default=5058)
    ap.add_argument("--proxy-port", type=int, default=5059)
    ap.add_argument("--table", help="write the markdown table here")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        os.remove(os.path.join(a.out, f))
    moto, ep = f"http://127.0.0.1:{a.moto_port}", f"http://127.0.0.1:{a.proxy_port}"
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_REGION="us-east-1", TERM="xterm")
    env.pop("AWS_PROFILE", None)

    bench_tail.http_post(f"{moto}/moto-api/reset")
    prod = [sys.executable, os.path.join(os.path.abspath(SHARED), "producer.py"), "--endpoint", moto,
            "--groups", str(a.groups), "--streams", str(a.streams)]
    subprocess.run(prod + ["--setup"], env=env, check=True, stdout=subprocess.DEVNULL)
    lay = producer.layout(a.groups, a.streams, time.strftime("%Y/%m/%d", time.gmtime()))
    groups = sorted({x[1] for x in lay})

    proxy = subprocess.Popen([sys.executable, os.path.join(os.path.abspath(SHARED), "countproxy.py"),
                              "--listen", str(a.proxy_port), "--upstream", str(a.moto_port),
                              "--log", os.path.join(a.out, "calls.tsv")], stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(a.out, "proxy.err"), "w"))
    if not bench_tail.wait_port(a.proxy_port):
        proxy.terminate()
        sys.exit("proxy did not start")
    argv = []
    for x in shlex.split(a.cmd):
        argv += groups if x == "{groups}" else [x.format(ep=ep)]
    proc = bench_tail.PtyProc(0, argv, env, a.out)
    stop = threading.Event()
    rt = threading.Thread(target=bench_tail.reader, args=([proc], os.path.join(a.out, "lines.tsv"), stop), daemon=True)
    rt.start()

    ms = lambda: int(time.time() * 1000)  # noqa: E731
    t_settle = ms()
    time.sleep(a.settle)
    t_idle = ms()
    time.sleep(a.idle)
    t_late = ms()
    live = subprocess.Popen(prod + ["--rate", str(a.live_rate), "--duration", str(a.late), "--run", "live",
                                    "--manifest", os.path.join(a.out, "live.tsv")], env=env,
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(a.out, "producer.err"), "w"))
    put_late_events(moto, lay, groups, time.time() + a.late, os.path.join(a.out, "late.tsv"))
    live.wait()
    time.sleep(a.grace)
    t_end = ms()
    proc.stop()
    stop.set()
    rt.join(10)
    proxy.send_signal(signal.SIGTERM)
    proxy.wait(5)
    s = analyse(a.out, {"settle": [t_settle, t_idle], "idle": [t_idle, t_late], "late": [t_late, t_end]})
    md, ok = table(s)
    print(md)
    if a.table:
        with open(a.table, "w") as f:
            f.write(md + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
