#!/usr/bin/env python3
"""Markdown table of one naming-and-trust run (benchmarks/run_trust.sh).

Usage: trust_summary.py [--run-id ID] results/trust-intercloud.jsonl results/trust-raw.jsonl
Without --run-id, the newest run_id found is used.
"""
import argparse
import json


def fmt(x, nd=1):
    if x is None:
        return "–"
    if isinstance(x, float) and abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:,.{nd}f}" if isinstance(x, float) else f"{x:,}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run-id")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    rows = []
    for path in a.files:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    run_id = a.run_id or max(r["run_id"] for r in rows)
    s = {r["scenario"]: r for r in rows if r["run_id"] == run_id}
    first = next(iter(s.values()))
    print(f"run_id {run_id}, git {first.get('git')}, binary sha256 {first.get('intercloud_sha256')}\n")

    def cpu(r, i):
        v = list(r.get("pid_cpu_pct", {}).values())
        return v[i] if len(v) > i else None

    sp = s.get("openssl_speed_ecdsap256", {})
    sign = sp.get("sign_per_s")
    print("| measurement | rate | latency p50 / p99 ms | server CPU | slapd CPU | loadgen CPU % | other CPU % | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    if sp:
        print(f"| `openssl speed -seconds 3 ecdsap256`, 1 process (core 1) | {fmt(sign, 0)} signs/s "
              f"({fmt(sp.get('verify_per_s'), 0)} verifies/s) | – | – | – | – | – | 1 |")
    r = s.get("issue_http_embedded")
    if r:
        print(f"| issuance over HTTP, {r['issued']}/{r['requests']} CSRs, {r['concurrency']} in flight "
              f"| {fmt(r['certs_per_s'])} certs/s | {fmt(r['lat_p50_ms'], 2)} / {fmt(r['lat_p99_ms'], 2)} "
              f"| {fmt(cpu(r, 0))} % ({fmt(r.get('server_cpu_ms_per_cert'), 2)} ms/cert) | – "
              f"| {fmt(r['loadgen_cpu_pct'])} | {fmt(r['other_cpu_pct'])} "
              f"| {100 * r['certs_per_s'] / sign:.2f} % of raw signs/s |" if sign else "|")
    r = s.get("issue_cli_embedded")
    if r:
        print(f"| issuance via `intercloud ca issue`, {r['calls'] - r['failed']}/{r['calls']} sequential processes "
              f"| {fmt(r['certs_per_s'])} certs/s (mean {fmt(r['per_call_mean_ms'])} ms/call) "
              f"| {fmt(r['per_call_p50_ms'], 1)} / {fmt(r['per_call_p99_ms'], 1)} per call "
              f"| CLI processes {fmt(1000 * r['cli_cpu_s_total'] / max(r['calls'], 1), 1)} ms CPU/call | – | – "
              f"| {fmt(r['other_cpu_pct'])} | {100 * r['certs_per_s'] / sign:.3f} % of raw signs/s |" if sign else "|")
    for key, label in (("register_embedded", "embedded (SQLite)"), ("register_ldap", "LDAP")):
        r = s.get(key)
        if r:
            print(f"| registration over HTTP, {label}, {r['registered']}/{r['requests']} clouds, "
                  f"{r['concurrency']} in flight | {fmt(r['registrations_per_s'])} clouds/s "
                  f"| {fmt(r['lat_p50_ms'], 2)} / {fmt(r['lat_p99_ms'], 2)} | {fmt(cpu(r, 0))} % "
                  f"| {fmt(cpu(r, 1)) + ' %' if cpu(r, 1) is not None else '–'} | {fmt(r['loadgen_cpu_pct'])} "
                  f"| {fmt(r['other_cpu_pct'])} | |")
    raw = s.get("slapd_search_filter", {}).get("searches_per_s")
    emb = s.get("lookup_http_embedded", {}).get("lookups_per_s")
    for key, label in (("lookup_http_embedded", "embedded (SQLite)"), ("lookup_http_ldap", "LDAP")):
        r = s.get(key)
        if r:
            ratio = []
            if key == "lookup_http_ldap" and emb:
                ratio.append(f"{r['lookups_per_s'] / emb:.2f}× SQLite")
            if raw:
                ratio.append(f"{r['lookups_per_s'] / raw:.2f}× raw slapd")
            slapd = (f"{fmt(cpu(r, 1))} % ({fmt(r.get('slapd_cpu_us_per_lookup'))} µs/lookup)"
                     if cpu(r, 1) is not None else "–")
            print(f"| `GET /v1/clouds/{{random}}`, {label}, {fmt(r['ok'])} in {r['wall_s']:.1f} s, "
                  f"{r['concurrency']} in flight | {fmt(r['lookups_per_s'])} lookups/s "
                  f"| {fmt(r['lat_p50_ms'], 2)} / {fmt(r['lat_p99_ms'], 2)} "
                  f"| {fmt(cpu(r, 0))} % ({fmt(r.get('server_cpu_us_per_lookup'))} µs/lookup) | {slapd} "
                  f"| {fmt(r['loadgen_cpu_pct'])} | {fmt(r['other_cpu_pct'])} | {', '.join(ratio)} |")
    for key, label in (("slapd_search_filter", "`(icCloudName=NAME)` one-level under ou=clouds"),
                       ("slapd_search_base", "base search on `cn=NAME,ou=clouds,…` (the server's query)")):
        r = s.get(key)
        if r:
            print(f"| raw slapd (ldap3, 1 connection, 1 in flight), {label}, {fmt(r['searches'])} searches "
                  f"({r['found_one']} found) | {fmt(r['searches_per_s'])} searches/s "
                  f"| {fmt(r['lat_p50_ms'], 3)} / {fmt(r['lat_p99_ms'], 3)} | – "
                  f"| {fmt(cpu(r, 0))} % ({fmt(r.get('slapd_cpu_us_per_search'))} µs/search) "
                  f"| {fmt(r['loadgen_cpu_pct'])} | {fmt(r['other_cpu_pct'])} | |")
    for key in ("issue_http_embedded", "register_embedded", "register_ldap"):
        if s.get(key, {}).get("rate_by_quarter"):
            print(f"\n{key}: rate per quarter of the requests (1st..4th) {s[key]['rate_by_quarter']}", end="")
    print()
    chk = s.get("issue_http_embedded", {}).get("check")
    if chk:
        print(f"\nchain check of the first HTTP certificate: {json.dumps(chk)}")
    ij = s.get("issued_json")
    if ij:
        print(f"ca/issued.json after the run: {ij['issued_json_bytes']:,} bytes")
    e = s.get("slapd_entries")
    if e:
        print(f"clouds in the directory: {e['clouds_in_directory']}")


if __name__ == "__main__":
    main()
