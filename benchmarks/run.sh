#!/bin/bash
# c2s benchmark of Intercloud Root (and optionally Prosody, same load, same machine).
#
# Usage: benchmarks/run.sh [--with-prosody] [--no-build]
# Env:   USERS=1000 (accounts; >= max(LOGIN_SIZES) and >= 2*PAIRS)  LOGIN_SIZES="200 1000"  PAIRS=100  MSG_S=10
#        MECH=PLAIN (SASL mechanism of every scenario)  EXTRA_MECH=SCRAM-SHA-1 (one more login run with
#        LOGIN_SIZES' first size; empty = none)  CONCURRENCY=100  WINDOW=5  PASSWORD=pass
#        DOMAIN=intercloud.localhost  PYTHON=python3
# Writes JSON lines (one per scenario, all tagged with the same run_id) to benchmarks/results/<target>.jsonl
# and prints a markdown summary of this run (benchmarks/summarize.py).
#
# The server is pinned to core 1 and the load generator to core 0 (taskset, when there are >= 2 cores).
# Every client connects over STARTTLS (no certificate check); nothing leaves 127.0.0.1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BENCH=${BENCH:-$ROOT/../shared/bench/xmpp}
WITH_PROSODY=0
BUILD=1
for arg in "$@"; do
  case $arg in
    --with-prosody) WITH_PROSODY=1 ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 64 ;;
  esac
done

USERS=${USERS:-1000}
LOGIN_SIZES=${LOGIN_SIZES:-"200 1000"}
PAIRS=${PAIRS:-100}
MSG_S=${MSG_S:-10}
MECH=${MECH:-PLAIN}
EXTRA_MECH=${EXTRA_MECH-SCRAM-SHA-1}
CONCURRENCY=${CONCURRENCY:-100}
WINDOW=${WINDOW:-5}
PASSWORD=${PASSWORD:-pass}
DOMAIN=${DOMAIN:-intercloud.localhost}
PYTHON=${PYTHON:-python3}
OUT=$HERE/results
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck source=benchmarks/lib.sh
. "$HERE/lib.sh"


# record TARGET JSON: append one line to results/TARGET.jsonl with run metadata
record() {
  local target=$1 json=$2
  "$PYTHON" - "$target" "$RUN_ID" "$json" >>"$OUT/$target.jsonl" <<'EOF'
import json, os, sys
target, run_id, payload = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with open("/proc/loadavg") as f:
    load = f.read().split()[0]
print(json.dumps({"target": target, "run_id": run_id, "cores": os.cpu_count(), "loadavg_1m": float(load), **payload}))
EOF
}

# load TARGET PID PORT SCENARIO ARGS...: runs c2s_load.py pinned to core 0 and records its RESULT line
load() {
  local target=$1 pid=$2 port=$3; shift 3
  local out
  log "$target: c2s_load.py $*"
  out=$("${LOAD_PIN[@]}" "$PYTHON" "$HERE/c2s_load.py" "$@" --host 127.0.0.1 --port "$port" --domain "$DOMAIN" \
        --password "$PASSWORD" --concurrency "$CONCURRENCY" --tls --pid "$pid" --label "$target" 2>&1) || {
    echo "$out" >&2; log "$target: load generator failed"; return 1; }
  echo "$out" | grep -v '^RESULT ' >&2
  record "$target" "$(echo "$out" | sed -n 's/^RESULT //p' | tail -1)"
  sleep 2   # let the server close the previous connections
}

scenarios() {   # scenarios TARGET PID PORT
  local target=$1 pid=$2 port=$3 n first
  for n in $LOGIN_SIZES; do
    load "$target" "$pid" "$port" login --clients "$n" --mech "$MECH"
  done
  if [ -n "$EXTRA_MECH" ]; then
    first=${LOGIN_SIZES%% *}
    load "$target" "$pid" "$port" login --clients "$first" --mech "$EXTRA_MECH"
  fi
  load "$target" "$pid" "$port" msg --clients $((2 * PAIRS)) --duration "$MSG_S" --window "$WINDOW" --mech "$MECH"
}

# ---------------------------------------------------------------------------------------------- Intercloud Root
if [ "$BUILD" = 1 ]; then
  log "swift build -c release"
  (cd "$ROOT" && swift build -c release)
fi
BIN=$ROOT/.build/release/intercloud
[ -x "$BIN" ] || { echo "no $BIN (build it first)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/intercloud-bench.XXXXXX")
DATA=$WORK/data
SERVER_PID=
PROSODY_PORT=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$PROSODY_PORT" ]; then bash "$BENCH/stop-prosody.sh" "$PROSODY_PORT" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log "starting intercloud (data dir $DATA)"
start_intercloud "$DATA" "$WORK/server.log"
log "intercloud PID=$SERVER_PID c2s=$C2S_PORT"

log "registering $USERS accounts (xargs -P 2)"
register_users "$DATA" "$USERS"
t0=$REG_T0; t1=$REG_T1
REG=$("$PYTHON" -c '
import json, sys
t0, t1, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
rows = [line.split() for line in open(sys.argv[4]) if line.strip()]
errs = [line for line in open(sys.argv[5]) if line.strip()]
ok = sum(1 for r in rows if r[0] == "ok")
print(json.dumps({"scenario": "register", "users": n, "parallel": 2, "wall_s": round(t1 - t0, 2),
                  "per_s": round(ok / (t1 - t0), 1), "ok": ok, "failed": n - ok,
                  "failed_attempts": len(errs), "database_locked": sum("database is locked" in e for e in errs)}))
' "$t0" "$t1" "$USERS" "$WORK/register.out" "$WORK/register.err")
record intercloud "$REG"
log "registered: $REG"

scenarios intercloud "$SERVER_PID" "$C2S_PORT"

log "stopping intercloud (SIGTERM $SERVER_PID)"
kill -TERM "$SERVER_PID"
for _ in $(seq 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then log "still running after 15 s: SIGKILL"; kill -KILL "$SERVER_PID"; fi
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

# ---------------------------------------------------------------------------------------------- Prosody
if [ "$WITH_PROSODY" = 1 ]; then
  if ! command -v prosody >/dev/null; then
    log "installing prosody: bash $BENCH/setup.sh"
    bash "$BENCH/setup.sh" >"$WORK/setup.log" 2>&1 || log "setup.sh failed (see output above); skipping Prosody"
  fi
  if command -v prosody >/dev/null; then
    PROSODY_PORT=$(free_port)
    START=$(USERS=$USERS TLS=1 DOMAIN=$DOMAIN PASSWORD=$PASSWORD CPU=$([ ${#SERVER_PIN[@]} -gt 0 ] && echo 1) \
            bash "$BENCH/start-prosody.sh" "$PROSODY_PORT")
    PROSODY_PID=$(echo "$START" | sed -n 's/^PID=//p')
    log "prosody PID=$PROSODY_PID c2s=$PROSODY_PORT ($(dpkg-query -W -f "prosody \${Version}" prosody 2>/dev/null || true))"
    scenarios prosody "$PROSODY_PID" "$PROSODY_PORT"
    bash "$BENCH/stop-prosody.sh" "$PROSODY_PORT" >&2
    PROSODY_PORT=
  else
    log "prosody not available; skipped"
  fi
fi

log "results in $OUT/*.jsonl (run_id $RUN_ID)"
FILES=("$OUT/intercloud.jsonl"); [ -f "$OUT/prosody.jsonl" ] && FILES+=("$OUT/prosody.jsonl")
"$PYTHON" "$HERE/summarize.py" --run-id "$RUN_ID" "${FILES[@]}"
