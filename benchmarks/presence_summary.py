#!/usr/bin/env python3
"""JSON lines from benchmarks/run_presence.sh -> one markdown table per run, targets side by side
(ratio = first target / second target).

Usage: presence_summary.py [--run-id ID] results/presence-intercloud.jsonl [results/presence-prosody.jsonl]
Without --run-id the newest run_id of the first file is used (for every file).
"""

import argparse
import json


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def g(r, *path):
    for p in path:
        if r is None:
            return None
        r = r.get(p)
    return r


def mb(kb):
    return None if kb is None else round(kb / 1024, 1)


METRICS = [
    ("contacts logged in / setup complete", lambda r: f"{r.get('ok', 0) - 1} / {'yes' if r.get('setup_complete') else 'NO'}", None),
    ("login (K+1 clients, incl. roster get) s", lambda r: r.get("login_wall_s"), False),
    ("subscription setup s", lambda r: r.get("setup_s"), False),
    ("setup server CPU s", lambda r: r.get("setup_server_cpu_s"), False),
    ("delivery latency p50 ms", lambda r: g(r, "delivery_latency", "p50_ms"), False),
    ("delivery latency p90 ms", lambda r: g(r, "delivery_latency", "p90_ms"), False),
    ("delivery latency p99 ms", lambda r: g(r, "delivery_latency", "p99_ms"), False),
    ("delivery latency max ms", lambda r: g(r, "delivery_latency", "max_ms"), False),
    ("broadcast complete p50 ms", lambda r: g(r, "broadcast_complete_latency", "p50_ms"), False),
    ("broadcast complete p99 ms", lambda r: g(r, "broadcast_complete_latency", "p99_ms"), False),
    ("broadcast complete max ms", lambda r: g(r, "broadcast_complete_latency", "max_ms"), False),
    ("deliveries/s (during updates)", lambda r: r.get("deliveries_per_s"), True),
    ("updates timed out / missing deliveries", lambda r: f"{r.get('updates_timed_out')} / {r.get('missing_deliveries')}", None),
    ("server CPU ms/broadcast", lambda r: r.get("server_cpu_ms_per_broadcast"), False),
    ("server CPU µs/delivery", lambda r: r.get("server_cpu_us_per_delivery"), False),
    ("server CPU % (updates)", lambda r: r.get("updates_server_cpu_pct"), None),
    ("loadgen CPU % (updates)", lambda r: r.get("updates_loadgen_cpu_pct"), None),
    # /proc/stat counts in 10 ms ticks: "other" is noise for windows under a second
    ("other CPU % (updates)", lambda r: r.get("updates_other_cpu_pct") if r.get("updates_wall_s", 0) >= 1
     else f"({r.get('updates_other_cpu_pct')}, {r.get('updates_wall_s')} s window)", None),
    ("other CPU % (setup)", lambda r: r.get("setup_other_cpu_pct") if r.get("setup_wall_s", 0) >= 1
     else f"({r.get('setup_other_cpu_pct')}, {r.get('setup_wall_s')} s window)", None),
    ("updates wall s", lambda r: r.get("updates_wall_s"), False),
    ("server RSS after setup MB", lambda r: mb(r.get("server_rss_after_setup_kb")), False),
    ("server RSS peak (updates) MB", lambda r: mb(r.get("server_rss_peak_kb")), False),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run-id")
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    data = [load(f) for f in a.files]
    run_id = a.run_id or data[0][-1]["run_id"]
    targets, rows = [], []
    for recs in data:
        recs = [r for r in recs if r.get("run_id") == run_id]
        if recs:
            targets.append(recs[0]["target"])
            rows.append({r["k"]: r for r in recs})
    ks = sorted({k for t in rows for k in t})
    print(f"run_id {run_id}\n")
    head = "| K | metric | " + " | ".join(targets) + (f" | {targets[0]} / {targets[1]} |" if len(targets) > 1 else " |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for k in ks:
        for name, fn, better in METRICS:
            vals = []
            for t in rows:
                r = t.get(k)
                try:
                    vals.append(fn(r) if r is not None else None)
                except (TypeError, KeyError):
                    vals.append(None)
            ratio = ""
            if better is not None and len(vals) > 1 and isinstance(vals[0], (int, float)) and isinstance(vals[1], (int, float)) and vals[1]:
                ratio = f"{vals[0] / vals[1]:.2f}×"
            cells = ["–" if v is None else str(v) for v in vals]
            print(f"| {k} | {name} | " + " | ".join(cells) + (f" | {ratio} |" if len(vals) > 1 else " |"))


if __name__ == "__main__":
    main()
