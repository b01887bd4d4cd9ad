#!/usr/bin/env python3
"""The shared tail benchmark (../shared/bench/bench_tail.py) with 18 log groups instead of 3:
the tax-return app has 18 functions. Same producer, proxy, pty reader and analysis; only the
group list (and the producer's --groups) change. Usage: as bench_tail.py."""
import os
import subprocess
import sys

SHARED = os.environ.get("SHARED_BENCH", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench"))
sys.path.insert(0, os.path.abspath(SHARED))
import bench_tail  # noqa: E402

N = int(os.environ.get("BENCH_GROUPS", "18"))
# ~2 streams per function: the demo app writes ~30-36 streams over 18 groups.
STREAMS = os.environ.get("BENCH_STREAMS", "2")
bench_tail.GROUPS = [f"/aws/lambda/bench-fn-{chr(ord('a') + i)}" for i in range(N)]
_run = subprocess.run


def run_with_groups(args, *rest, **kw):
    if isinstance(args, list) and any(str(a).endswith("producer.py") for a in args) and "--groups" not in args:
        args = list(args) + ["--groups", str(N), "--streams", STREAMS]
    return _run(args, *rest, **kw)


bench_tail.subprocess.run = run_with_groups
if __name__ == "__main__":
    bench_tail.main()
