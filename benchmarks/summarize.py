#!/usr/bin/env python3
"""JSON lines from benchmarks/run.sh -> one markdown table, targets side by side (first target / others = ratio).

Usage: summarize.py [--run-id ID] results/intercloud.jsonl [results/prosody.jsonl ...]
Without --run-id the newest run_id of the first file is used (for every file).
"""

import argparse
import json


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def key(r):
    if r["scenario"] == "register":
        return ("register",)
    if r["scenario"] == "login":
        return ("login", r["clients"], r["mech"])
    return ("msg", r.get("pairs"), r["mech"])


def title(k):
    if k[0] == "register":
        return "account creation (CLI, 2 in parallel)"
    if k[0] == "login":
        return f"login storm, {k[1]} clients, {k[2]}"
    return f"msg, {k[1]} pairs, {k[2]}"


METRICS = {
    "register": [("accounts/s", lambda r: r["per_s"], True)],
    "login": [
        ("logins/s", lambda r: r["logins_per_s"], True),
        ("latency p50 ms", lambda r: r["login_latency"]["p50_ms"], False),
        ("latency p90 ms", lambda r: r["login_latency"]["p90_ms"], False),
        ("latency p99 ms", lambda r: r["login_latency"]["p99_ms"], False),
        ("latency max ms", lambda r: r["login_latency"]["max_ms"], False),
        ("failed logins", lambda r: r["failed"], None),
        ("server CPU ms/login", lambda r: r["server_cpu_ms_per_login"], False),
        ("server CPU %", lambda r: r["server_cpu_pct"], None),
        ("loadgen CPU %", lambda r: r["loadgen_cpu_pct"], None),
        ("other CPU %", lambda r: r["other_cpu_pct"], None),
        ("server RSS peak MB", lambda r: round(r["server_rss_peak_kb"] / 1024, 1), False),
    ],
    "msg": [
        ("delivered msgs/s", lambda r: r["delivered_per_s"], True),
        ("latency p50 ms", lambda r: r["latency"]["p50_ms"], False),
        ("latency p90 ms", lambda r: r["latency"]["p90_ms"], False),
        ("latency p99 ms", lambda r: r["latency"]["p99_ms"], False),
        ("latency max ms", lambda r: r["latency"]["max_ms"], False),
        ("lost", lambda r: r["lost"], None),
        ("server CPU µs/msg", lambda r: r["server_cpu_us_per_msg"], False),
        ("server CPU %", lambda r: r["server_cpu_pct"], None),
        ("loadgen CPU %", lambda r: r["loadgen_cpu_pct"], None),
        ("other CPU %", lambda r: r["other_cpu_pct"], None),
        ("server RSS peak MB", lambda r: round(r["server_rss_peak_kb"] / 1024, 1), False),
    ],
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run-id")
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    per_file = [load(f) for f in a.files]
    run_id = a.run_id or max(r["run_id"] for r in per_file[0])
    targets, results = [], {}
    for rows in per_file:
        rows = [r for r in rows if r["run_id"] == run_id]
        if not rows:
            continue
        t = rows[0]["target"]
        targets.append(t)
        for r in rows:
            results[(t, key(r))] = r
    keys = []
    for (t, k) in results:
        if k not in keys:
            keys.append(k)
    ratio = len(targets) > 1
    head = ["scenario", "metric", *targets] + ([f"{targets[0]} / {targets[1]}"] if ratio else [])
    print(f"run_id {run_id}\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for k in keys:
        for name, get, _higher_better in METRICS[k[0]]:
            vals = []
            for t in targets:
                r = results.get((t, k))
                try:
                    vals.append(get(r) if r else None)
                except (KeyError, TypeError):
                    vals.append(None)
            cells = [title(k), name] + ["–" if v is None else f"{v:g}" for v in vals]
            if ratio:
                x, y = vals[0], vals[1]
                cells.append(f"{x / y:.2f}×" if isinstance(x, (int, float)) and isinstance(y, (int, float)) and y
                             and _higher_better is not None else "")
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
