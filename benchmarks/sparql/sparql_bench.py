#!/usr/bin/env python3
"""SPARQL benchmark engines and report (driver: run_sparql.sh; data: gen_clouds.py; queries: queries/*.rq).

  sparql_bench.py engine --engine pyoxigraph|rdflib --data data-N.nq --queries DIR [--repeat 5]
      Loads the N-Quads into an in-memory store of that engine and runs every query `repeat` times over the union
      default graph (pyoxigraph: Store.query(..., use_default_graph_as_union=True); rdflib:
      Dataset(default_union=True)). Prints, like Intercloud's `sparql-bench`, one JSON line per query
      {"query", "rows", "ms_median", "ms_min", "digest", "ordered_digest"} and a last line
      {"load_ms", "triples", "peak_rss_mb"}. Timed runs count the rows (every solution is produced); the digests
      (sparql_rows.py: the rows as engine-neutral terms, as a multiset and in order) come from one extra untimed
      run. An ASK counts 1 row when true, 0 when false. A query whose run takes longer than --slow-ms (20 s) is
      not repeated ("runs": 1); one that runs past --query-timeout (300 s) is abandoned ("timeout_s").
      peak_rss_mb is this process's ru_maxrss, so run one engine per process.
  sparql_bench.py ours --bin sparql-bench --data data-N.nq --queries DIR [--repeat 5]
      Runs Intercloud's `sparql-bench` with the same arguments, passes its JSON lines through and adds its peak RSS
      as seen by this parent (RUSAGE_CHILDREN) as "peak_rss_mb_external".
  sparql_bench.py report --results FILE --run-id ID
      A markdown table per data size from the JSON lines run_sparql.sh recorded, with ours/pyoxigraph ratios and
      every row-count or digest disagreement between engines flagged.
"""
import argparse
import json
import pathlib
import resource
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import sparql_rows  # noqa: E402


def queries(directory):
    return [(p.stem, p.read_text()) for p in sorted(pathlib.Path(directory).glob("*.rq"))]


def peak_rss_mb(who=resource.RUSAGE_SELF):
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux: KiB


class Oxigraph:
    def __init__(self, path):
        import pyoxigraph
        self.ox = pyoxigraph
        self.store = pyoxigraph.Store()  # in memory
        self.store.bulk_load(path=path, format=pyoxigraph.RdfFormat.N_QUADS)

    def triples(self):
        return len(self.store)

    def run(self, query):
        result = self.store.query(query, use_default_graph_as_union=True)
        if isinstance(result, self.ox.QueryBoolean):
            return int(bool(result))
        return sum(1 for _ in result)

    def rows(self, query):
        result = self.store.query(query, use_default_graph_as_union=True)
        if isinstance(result, self.ox.QueryBoolean):
            return [(("boolean", bool(result)),)]
        names = [v.value for v in result.variables]
        return [tuple(sparql_rows.from_oxigraph(solution[n]) for n in names) for solution in result]


class RDFLib:
    def __init__(self, path):
        import rdflib
        rdflib.NORMALIZE_LITERALS = False  # keep lexical forms as loaded ("…Z", not "…+00:00"), like the others
        self.dataset = rdflib.Dataset(default_union=True)
        self.dataset.parse(path, format="nquads")

    def triples(self):
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    def run(self, query):
        result = self.dataset.query(query)
        if result.type == "ASK":
            return int(bool(result.askAnswer))
        return sum(1 for _ in result)

    def rows(self, query):
        result = self.dataset.query(query)
        if result.type == "ASK":
            return [(("boolean", bool(result.askAnswer)),)]
        names = [str(v) for v in result.vars]
        return [tuple(sparql_rows.from_rdflib(row.get(n) if hasattr(row, "get") else row[n]) for n in names)
                for row in result]


ENGINES = {"pyoxigraph": Oxigraph, "rdflib": RDFLib}


class QueryTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise QueryTimeout()


def engine_main(args):
    signal.signal(signal.SIGALRM, on_alarm)
    started = time.perf_counter()
    engine = ENGINES[args.engine](args.data)
    load_ms = (time.perf_counter() - started) * 1000
    for name, text in queries(args.queries):
        times, rows = [], None
        try:
            for _ in range(args.repeat):
                signal.alarm(args.query_timeout)
                t0 = time.perf_counter()
                rows = engine.run(text)
                times.append((time.perf_counter() - t0) * 1000)
                signal.alarm(0)
                if times[-1] > args.slow_ms:
                    break  # one run is enough to say it is slow; the record says how many runs were taken
            signal.alarm(args.query_timeout)
            answer = engine.rows(text)
            signal.alarm(0)
        except QueryTimeout:
            print(json.dumps({"query": name, "rows": rows, "timeout_s": args.query_timeout, "runs": len(times),
                              "ms_median": None, "ms_min": None}), flush=True)
            continue
        print(json.dumps({"query": name, "rows": rows, "ms_median": round(statistics.median(times), 3),
                          "ms_min": round(min(times), 3), "runs": len(times), "digest": sparql_rows.digest(answer),
                          "ordered_digest": sparql_rows.digest(answer, ordered=True)
                          if sparql_rows.has_order_by(text) else None}), flush=True)
    print(json.dumps({"load_ms": round(load_ms, 1), "triples": engine.triples(), "peak_rss_mb": peak_rss_mb()}),
          flush=True)


def ours_main(args):
    command = [args.bin, "--data", args.data, "--queries", args.queries, "--repeat", str(args.repeat)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
    code = proc.wait()
    print(json.dumps({"peak_rss_mb_external": peak_rss_mb(resource.RUSAGE_CHILDREN), "exit": code}), flush=True)
    sys.exit(code)


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}" if value < 1000 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def report_main(args):
    records = []
    with open(args.results) as f:
        for line in f:
            record = json.loads(line)
            if record.get("run_id") == args.run_id:
                records.append(record)
    if not records:
        print(f"no records for run {args.run_id} in {args.results}")
        return 1
    engines = ["ours", "pyoxigraph", "rdflib"]
    problems = 0
    for n in sorted({r["n"] for r in records}):
        at = [r for r in records if r["n"] == n]
        summary = {e: next((r for r in at if r["engine"] == e and "load_ms" in r), None) for e in engines}
        skipped = {r["engine"]: r["skipped"] for r in at if "skipped" in r}
        external = {r["engine"]: r["peak_rss_mb_external"] for r in at if "peak_rss_mb_external" in r}
        names = sorted({r["query"] for r in at if "query" in r})
        print(f"\n### {n:,} clouds\n")
        for engine, reason in skipped.items():
            print(f"- {engine}: skipped — {reason}")
        triples = {e: s["triples"] for e, s in summary.items() if s}
        print("- quads loaded: " + ", ".join(f"{e} {t:,}" for e, t in triples.items()))
        if len(set(triples.values())) > 1:
            print("- **MISMATCH in loaded quad counts**")
            problems += 1
        print()
        print("| | rows | ours | pyoxigraph | rdflib | ours / pyoxigraph |")
        print("|---|---|---|---|---|---|")

        def row(label, values, rows="", flag="", digits=1):
            cells = [fmt(values.get(e), digits) for e in engines]
            ratio = ""
            if all(isinstance(values.get(e), (int, float)) and values[e] for e in ("ours", "pyoxigraph")):
                ratio = f"{values['ours'] / values['pyoxigraph']:.2f}×"
            print(f"| {label} | {rows} | " + " | ".join(cells) + f" | {ratio}{flag} |")

        row("load ms", {e: s["load_ms"] for e, s in summary.items() if s})
        row("peak RSS MB", {e: s["peak_rss_mb"] for e, s in summary.items() if s})
        if external:
            row("peak RSS MB (seen by parent)", external)
        for name in names:
            by = {r["engine"]: r for r in at if r.get("query") == name}
            counts = {e: q["rows"] for e, q in by.items() if q.get("rows") is not None}
            flag = ""
            if len(set(counts.values())) > 1:
                flag += " **MISMATCH**"
                rows = " / ".join(f"{e} {fmt(c)}" for e, c in counts.items())
            else:
                rows = fmt(next(iter(counts.values()), None))
            digests = {e: q["digest"] for e, q in by.items() if q.get("digest")}
            ordered = {e: q["ordered_digest"] for e, q in by.items() if q.get("ordered_digest")}
            if len(set(digests.values())) > 1 or len(set(ordered.values())) > 1:
                flag += " **ROWS DIFFER**"
            problems += bool(flag)
            times = {e: (f"> {q['timeout_s']} s (timeout)" if "timeout_s" in q
                         else f"{fmt(q['ms_median'], 2)} (1 run)" if q.get("runs") == 1 else q["ms_median"])
                     for e, q in by.items()}
            row(f"{name} ms", times, rows, flag, digits=2)
    print()
    if problems:
        print(f"**{problems} disagreement(s) between engines — see MISMATCH / ROWS DIFFER above.**")
    else:
        print("Row counts (and, between pyoxigraph and rdflib, the rows themselves) agree for every query.")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("engine")
    e.add_argument("--engine", choices=sorted(ENGINES), required=True)
    o = sub.add_parser("ours")
    o.add_argument("--bin", required=True)
    for p in (e, o):
        p.add_argument("--data", required=True)
        p.add_argument("--queries", required=True)
        p.add_argument("--repeat", type=int, default=5)
    e.add_argument("--query-timeout", type=int, default=300, help="seconds per query run before giving up on it")
    e.add_argument("--slow-ms", type=float, default=20000, help="after a run this slow, do not repeat the query")
    r = sub.add_parser("report")
    r.add_argument("--results", required=True)
    r.add_argument("--run-id", required=True)
    args = parser.parse_args()
    if args.command == "engine":
        engine_main(args)
    elif args.command == "ours":
        ours_main(args)
    else:
        sys.exit(report_main(args))


if __name__ == "__main__":
    main()
