#!/bin/bash
# Presence fan-out benchmark of Intercloud Root (and optionally Prosody, same load, same machine, same run).
#
# Usage: benchmarks/run_presence.sh [--with-prosody] [--no-build]
# Env:   KS="10 100 1000" (contacts per hub; one run per K, disjoint accounts: hub + K contacts each)
#        UPDATES=20  SETUP_TIMEOUT=300  UPDATE_TIMEOUT=10  CONCURRENCY=100  PASSWORD=pass
#        DOMAIN=intercloud.localhost  PYTHON=python3
# Writes JSON lines (one per K, all tagged with the same run_id) to benchmarks/results/presence-<target>.jsonl
# and prints a markdown table of this run (benchmarks/presence_summary.py).
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
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 64 ;;
  esac
done

KS=${KS:-"10 100 1000"}
UPDATES=${UPDATES:-20}
SETUP_TIMEOUT=${SETUP_TIMEOUT:-300}
UPDATE_TIMEOUT=${UPDATE_TIMEOUT:-10}
CONCURRENCY=${CONCURRENCY:-100}
PASSWORD=${PASSWORD:-pass}
DOMAIN=${DOMAIN:-intercloud.localhost}
PYTHON=${PYTHON:-python3}
OUT=$HERE/results
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck source=benchmarks/lib.sh
. "$HERE/lib.sh"

USERS=0
for k in $KS; do USERS=$((USERS + k + 1)); done


# record TARGET JSON: append one line to results/presence-TARGET.jsonl with run metadata
record() {
  local target=$1 json=$2
  "$PYTHON" - "$target" "$RUN_ID" "$json" "$GIT_REV" "$BIN_SHA" >>"$OUT/presence-$target.jsonl" <<'EOF'
import json, os, sys
target, run_id, payload, rev, bin_sha = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
with open("/proc/loadavg") as f:
    load = f.read().split()[0]
print(json.dumps({"target": target, "run_id": run_id, "git": rev, "intercloud_sha256": bin_sha, "cores": os.cpu_count(),
                  "loadavg_1m": float(load), **payload}))
EOF
}

# fanout TARGET PID PORT: one presence_fanout.py run per K (pinned to core 0), each RESULT recorded
fanout() {
  local target=$1 pid=$2 port=$3 first=1 k out json
  for k in $KS; do
    log "$target: presence_fanout.py --contacts $k --first $first"
    out=$("${LOAD_PIN[@]}" "$PYTHON" "$HERE/presence_fanout.py" --host 127.0.0.1 --port "$port" \
          --domain "$DOMAIN" --password "$PASSWORD" --contacts "$k" --first "$first" --updates "$UPDATES" \
          --setup-timeout "$SETUP_TIMEOUT" --update-timeout "$UPDATE_TIMEOUT" --concurrency "$CONCURRENCY" \
          --tls --pid "$pid" --label "$target" 2>&1) || { echo "$out" >&2; log "$target: generator failed"; }
    echo "$out" | grep -v '^RESULT ' >&2
    json=$(echo "$out" | sed -n 's/^RESULT //p' | tail -1)
    [ -n "$json" ] && record "$target" "$json"
    first=$((first + k + 1))
    sleep 3   # let the server finish the previous run's unavailable broadcasts and closes
  done
}

GIT_REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$ROOT" && git status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null)" ]; then
  GIT_REV="$GIT_REV+dirty"
fi

# ---------------------------------------------------------------------------------------------- Intercloud Root
if [ "$BUILD" = 1 ]; then
  log "swift build -c release"
  (cd "$ROOT" && swift build -c release)
fi
[ -x "$ROOT/.build/release/intercloud" ] || { echo "no $ROOT/.build/release/intercloud (build it first)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/intercloud-presence.XXXXXX")
DATA=$WORK/data
# a private copy of the binary: others may rebuild .build/release while this runs
BIN=$WORK/intercloud
cp "$ROOT/.build/release/intercloud" "$BIN"
BIN_SHA=$(sha256sum "$BIN" | cut -c1-12)   # "git" is the tree at run time; with --no-build the binary may be older
SERVER_PID=
PROSODY_PORT=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$PROSODY_PORT" ]; then bash "$BENCH/stop-prosody.sh" "$PROSODY_PORT" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log "starting intercloud (data dir $DATA, git $GIT_REV)"
start_intercloud "$DATA" "$WORK/server.log"
log "intercloud PID=$SERVER_PID c2s=$C2S_PORT"

log "registering $USERS accounts (xargs -P 2)"
register_users "$DATA" "$USERS"
t0=$REG_T0; t1=$REG_T1
REG_OK=$(grep -c '^ok' "$WORK/register.out" || true)
log "registered $REG_OK of $USERS in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s; failed attempts: $(grep -c . "$WORK/register.err" || true)"

fanout intercloud "$SERVER_PID" "$C2S_PORT"
grep -ciE ' (error|critical|warning) ' "$WORK/server.log" >/dev/null && \
  log "server log warnings/errors: $(grep -ciE ' (error|critical|warning) ' "$WORK/server.log")"

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
    bash "$BENCH/setup.sh" >"$WORK/setup.log" 2>&1 || log "setup.sh failed; skipping Prosody"
  fi
  if command -v prosody >/dev/null; then
    PROSODY_PORT=$(free_port)
    START=$(USERS=$USERS TLS=1 DOMAIN=$DOMAIN PASSWORD=$PASSWORD CPU=$([ ${#SERVER_PIN[@]} -gt 0 ] && echo 1) \
            bash "$BENCH/start-prosody.sh" "$PROSODY_PORT")
    PROSODY_PID=$(echo "$START" | sed -n 's/^PID=//p')
    log "prosody PID=$PROSODY_PID c2s=$PROSODY_PORT ($(dpkg-query -W -f "prosody \${Version}" prosody 2>/dev/null || true))"
    fanout prosody "$PROSODY_PID" "$PROSODY_PORT"
    bash "$BENCH/stop-prosody.sh" "$PROSODY_PORT" >&2
    PROSODY_PORT=
  else
    log "prosody not available; skipped"
  fi
fi

log "results in $OUT/presence-*.jsonl (run_id $RUN_ID)"
FILES=("$OUT/presence-intercloud.jsonl"); [ -f "$OUT/presence-prosody.jsonl" ] && FILES+=("$OUT/presence-prosody.jsonl")
"$PYTHON" "$HERE/presence_summary.py" --run-id "$RUN_ID" "${FILES[@]}"
