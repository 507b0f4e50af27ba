#!/bin/bash
# SPARQL benchmark of Intercloud's capability store: load time, every query's time and peak memory for N generated
# clouds (~25 description triples each plus presence, registry and the ontology), beside pyoxigraph (in memory) and
# rdflib on the same N-Quads and the same queries, in one run. Each engine runs in its own process, one after the
# other, pinned to core 1.
#
# Usage: benchmarks/sparql/run_sparql.sh [--no-build]
# Env:   SIZES="1000 10000 100000" ENGINES="ours pyoxigraph rdflib" REPEAT=5 SEED=42
#        RDFLIB_BUDGET_S=600 (skip rdflib at a size when the previous size's time, scaled, says it would take longer)
#        QUERY_TIMEOUT_S=120 (abandon one query run after this long, pyoxigraph and rdflib)
#        SPARQL_BENCH=.build/release/sparql-bench PYTHON=.venv/bin/python (needs pyoxigraph and rdflib:
#        pip install -r benchmarks/sparql/requirements.txt)
# Writes JSON lines (tagged with one run_id, engine and N) to benchmarks/results/sparql.jsonl, the generated data to
# benchmarks/results/sparql-data/ (reused while gen_clouds.py and the ontology are unchanged), and prints a markdown
# table per size with ours/pyoxigraph ratios; row counts that differ between engines are flagged MISMATCH.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=1
for arg in "$@"; do
  case $arg in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 64 ;;
  esac
done

SIZES=${SIZES:-1000 10000 100000}
ENGINES=${ENGINES:-ours pyoxigraph rdflib}
REPEAT=${REPEAT:-5}
SEED=${SEED:-42}
RDFLIB_BUDGET_S=${RDFLIB_BUDGET_S:-600}
QUERY_TIMEOUT_S=${QUERY_TIMEOUT_S:-120}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
SPARQL_BENCH=${SPARQL_BENCH:-$ROOT/.build/release/sparql-bench}
OUT=${OUT:-$ROOT/benchmarks/results}
DATA=$OUT/sparql-data
RESULTS=$OUT/sparql.jsonl
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT" "$DATA"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN=(taskset -c 1); fi

"$PYTHON" -c 'import pyoxigraph, rdflib' 2>/dev/null || {
  echo "$PYTHON needs pyoxigraph and rdflib ($PYTHON -m pip install -r $HERE/requirements.txt)" >&2; exit 1; }

GIT_REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$ROOT" && git status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null)" ]; then
  GIT_REV="$GIT_REV+dirty"
fi
VERSIONS=$("$PYTHON" -c 'import json, platform, pyoxigraph, rdflib
print(json.dumps({"python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
                  "rdflib": rdflib.__version__}))')

# record ENGINE N < JSON lines: tag every line and append it to $RESULTS; echo a short form to stderr
record() {
  "$PYTHON" -c '
import json, os, sys, time
engine, n, run_id, rev, versions = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
with open("/proc/loadavg") as f:
    load = float(f.read().split()[0])
with open(sys.argv[6], "a") as out:
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("{"):
            print("  " + line, file=sys.stderr)
            continue
        payload = json.loads(line)
        out.write(json.dumps({"run_id": run_id, "engine": engine, "n": n, "git": rev, "cores": os.cpu_count(),
                              "loadavg_1m": load, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              **versions, **payload}) + "\n")
        out.flush()
        short = {k: v for k, v in payload.items() if k not in ("digest", "ordered_digest")}
        print("  " + engine + " " + json.dumps(short), file=sys.stderr)
' "$1" "$2" "$RUN_ID" "$GIT_REV" "$VERSIONS" "$RESULTS"
}

if [[ " $ENGINES " == *" ours "* ]]; then
  if [ "$BUILD" = 1 ]; then
    log "swift build -c release --product sparql-bench"
    (cd "$ROOT" && swift build -c release --product sparql-bench)
  fi
  [ -x "$SPARQL_BENCH" ] || { echo "no $SPARQL_BENCH (build it, or ENGINES='pyoxigraph rdflib')" >&2; exit 1; }
  OURS=$(mktemp "${TMPDIR:-/tmp}/sparql-bench.XXXXXX")   # a private copy: others may rebuild .build meanwhile
  cp "$SPARQL_BENCH" "$OURS" && chmod 755 "$OURS"
  trap 'rm -f "$OURS"' EXIT
fi

PREV_N=; PREV_RDFLIB_S=
for N in $SIZES; do
  FILE=$DATA/data-$N.nq
  if [ ! -s "$FILE" ] || [ "$HERE/gen_clouds.py" -nt "$FILE" ] || [ "$ROOT/schemas/intercloud.ttl" -nt "$FILE" ]; then
    log "gen_clouds.py --n $N --seed $SEED"
    "$PYTHON" "$HERE/gen_clouds.py" --n "$N" --seed "$SEED" --out "$FILE"
  fi
  log "N=$N: $(wc -l <"$FILE") quads, $(du -h "$FILE" | cut -f1)"
  for ENGINE in $ENGINES; do
    case $ENGINE in
      ours)
        log "N=$N ours: sparql-bench --repeat $REPEAT"
        "${PIN[@]}" "$PYTHON" "$HERE/sparql_bench.py" ours --bin "$OURS" --data "$FILE" --queries "$HERE/queries" \
          --repeat "$REPEAT" | record ours "$N" || {
          log "ours failed at N=$N"; echo '{"skipped": "sparql-bench failed (see the log above)"}' | record ours "$N"; }
        ;;
      pyoxigraph)
        log "N=$N pyoxigraph $("$PYTHON" -c 'import pyoxigraph; print(pyoxigraph.__version__)') (in memory)"
        "${PIN[@]}" "$PYTHON" "$HERE/sparql_bench.py" engine --engine pyoxigraph --data "$FILE" \
          --queries "$HERE/queries" --repeat "$REPEAT" --query-timeout "$QUERY_TIMEOUT_S" | record pyoxigraph "$N"
        ;;
      rdflib)
        if [ -n "$PREV_RDFLIB_S" ]; then
          ESTIMATE=$("$PYTHON" -c "print(round($PREV_RDFLIB_S * $N / $PREV_N * 1.2))")
          if [ "$ESTIMATE" -gt "$RDFLIB_BUDGET_S" ]; then
            MSG="rdflib at N=$PREV_N took ${PREV_RDFLIB_S}s, so N=$N would take about ${ESTIMATE}s"
            MSG="$MSG (> RDFLIB_BUDGET_S=$RDFLIB_BUDGET_S)"
            log "N=$N rdflib SKIPPED: $MSG"
            echo "{\"skipped\": \"$MSG\"}" | record rdflib "$N"
            continue
          fi
        fi
        log "N=$N rdflib $("$PYTHON" -c 'import rdflib; print(rdflib.__version__)') (Dataset(default_union=True))"
        T0=$(date +%s)
        "${PIN[@]}" "$PYTHON" "$HERE/sparql_bench.py" engine --engine rdflib --data "$FILE" \
          --queries "$HERE/queries" --repeat "$REPEAT" --query-timeout "$QUERY_TIMEOUT_S" | record rdflib "$N"
        PREV_RDFLIB_S=$(( $(date +%s) - T0 )); PREV_N=$N
        ;;
      *) echo "unknown engine $ENGINE" >&2; exit 64 ;;
    esac
  done
done

log "results in $RESULTS (run_id $RUN_ID)"
"$PYTHON" "$HERE/sparql_bench.py" report --results "$RESULTS" --run-id "$RUN_ID"
