#!/usr/bin/env python3
"""How busy the emulator was while one tool ran: is the tool waiting on a saturated emulator?

  emulator_cpu.py sample PID OUT.tsv        # until PID exits: "t_ms<TAB>cpu_ms" every 0.2 s
  emulator_cpu.py window OUT.tsv CALLS.tsv  # JSON: the emulator's CPU over the tool's calls

`sample` reads utime+stime of PID (and its threads) from /proc. `window` takes the span of
the tool's calls from the counting proxy's log (t_ms of the first call to t_ms + elapsed of
the last) and says how many CPU seconds the emulator spent in it, and what share of one core
that is. moto is Python: under the GIL it runs on at most one core, so a share near 1.0 means
the emulator, not the tool, set the pace. Loopback only; reads /proc, sends nothing.
"""
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[11], fields[12]: utime, stime (the 14th and 15th fields of stat)
    return (int(fields[11]) + int(fields[12])) * 1000.0 / TICK


def sample(pid, out):
    with open(out, "w", buffering=1) as f:
        while True:
            try:
                f.write(f"{int(time.time() * 1000)}\t{cpu_ms(pid):.0f}\n")
            except (FileNotFoundError, ProcessLookupError):
                return
            time.sleep(0.2)


def at(samples, t_ms):
    """The emulator's CPU ms at t_ms, interpolated between the samples around it."""
    before = [s for s in samples if s[0] <= t_ms]
    after = [s for s in samples if s[0] >= t_ms]
    if not before or not after:
        raise SystemExit(f"no samples around {t_ms}: the sampler did not cover the run")
    (t0, c0), (t1, c1) = before[-1], after[0]
    return c0 if t1 == t0 else c0 + (c1 - c0) * (t_ms - t0) / (t1 - t0)


def window(samples_path, calls_path):
    samples = [tuple(map(float, line.split("\t"))) for line in open(samples_path) if line.strip()]
    starts, ends = [], []
    for line in open(calls_path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 6:
            continue
        starts.append(float(parts[0]))
        ends.append(float(parts[0]) + float(parts[5]))
    if not starts:
        raise SystemExit(f"no calls in {calls_path}")
    begin, end = min(starts), max(ends)
    cpu = at(samples, end) - at(samples, begin)
    wall = end - begin
    return {"wall_s": round(wall / 1000, 2), "emulator_cpu_s": round(cpu / 1000, 2),
            "emulator_busy": round(cpu / wall, 3) if wall > 0 else None}


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "sample":
        sample(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "window":
        print(json.dumps(window(sys.argv[2], sys.argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
