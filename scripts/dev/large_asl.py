#!/usr/bin/env python3
"""Writes a large ASL definition (about 200 states: Choices, Catches, nested Parallel and
Map, a retry loop) for the graph benchmarks and snapshot tests:

    scripts/dev/large_asl.py > aws/src/model/asl/fixtures/large_200_states.asl.json
"""
import json, sys

def task(fn, nxt=None, catch=None):
    s = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
         "Parameters": {"FunctionName": fn}}
    s.update({"Next": nxt} if nxt else {"End": True})
    if catch:
        s["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": catch}]
    return s

def chain(prefix, n, end_next=None):
    """n tasks in a row; returns (start, states)."""
    states = {}
    for i in range(n):
        name = f"{prefix}{i}"
        nxt = f"{prefix}{i+1}" if i + 1 < n else end_next
        states[name] = task(f"fn-{name.lower()}", nxt)
    return f"{prefix}0", states

def segment(k, nxt):
    states = {}
    c, t1, t2 = f"Route{k}", f"FastPath{k}", f"SlowPath{k}"
    par, mp, fix = f"Fan{k}", f"Each{k}", f"Repair{k}"
    states[c] = {"Type": "Choice", "Choices": [
        {"Variable": "$.size", "NumericLessThan": 10, "Next": t1},
        {"And": [{"Variable": "$.size", "NumericGreaterThanEquals": 10},
                 {"Variable": "$.urgent", "BooleanEquals": True}], "Next": t2}],
        "Default": par}
    states[t1] = task(f"fn-fast-{k}", par)
    states[t2] = task(f"fn-slow-{k}", par)
    branches = []
    for b in range(3):
        start, inner = chain(f"S{k}B{b}Step", 4)
        branches.append({"StartAt": start, "States": inner})
    # a nested Map inside the third branch
    istart, inner = chain(f"S{k}Item", 3)
    branches[2]["States"][f"S{k}B2Step3"] = {"Type": "Map", "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": istart, "States": inner}, "End": True}
    states[par] = {"Type": "Parallel", "Branches": branches, "Next": mp,
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": fix}]}
    mstart, minner = chain(f"S{k}Doc", 4)
    states[mp] = {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED",
                  "ExecutionType": "STANDARD"}, "StartAt": mstart, "States": minner}, "Next": nxt,
                  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}]}
    states[fix] = {"Type": "Wait", "Seconds": 30, "Next": c}
    return c, states

def main():
    states, k, names = {}, 0, []
    while True:
        c, seg = segment(k, None)
        names.append((c, seg))
        k += 1
        total = 0
        for _, s in names:
            for v in s.values():
                total += 1
                for b in v.get("Branches", []):
                    total += len(b["States"])
                    for w in b["States"].values():
                        if "ItemProcessor" in w:
                            total += len(w["ItemProcessor"]["States"])
                if "ItemProcessor" in v:
                    total += len(v["ItemProcessor"]["States"])
        if total >= 195:
            break
    for i, (c, seg) in enumerate(names):
        nxt = names[i + 1][0] if i + 1 < len(names) else "Finished"
        seg[f"Each{i}"]["Next"] = nxt
        states.update(seg)
    states["Finished"] = {"Type": "Succeed"}
    json.dump({"Comment": f"{total + 1} states for the graph benchmarks", "StartAt": names[0][0],
               "States": states}, sys.stdout, indent=1)
    print()

main()
