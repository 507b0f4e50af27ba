#!/bin/bash
# Naming-and-trust benchmark of Intercloud Root: certificate issuance from CSRs (over HTTP and through the CLI) beside
# `openssl speed ecdsap256`, and registry lookups over HTTP on both backends (embedded SQLite, OpenLDAP) beside raw
# slapd searches. One run, everything on 127.0.0.1.
#
# Usage: benchmarks/run_trust.sh [--no-build]
# Env:   N_CSR=500 ISSUE_CONC=4 N_CLI=50 N_CLOUDS=1000 REG_CONC=4 LOOKUP_SECS=10 LOOKUP_CONC=8 LDAP_SECS=10
#        SPEED_SECS=3 DOMAIN=intercloud.localhost PYTHON=.venv/bin/python (needs cryptography and ldap3)
# Writes JSON lines (tagged with one run_id) to benchmarks/results/trust-intercloud.jsonl (server measurements)
# and benchmarks/results/trust-raw.jsonl (openssl speed, raw slapd searches) and prints a markdown table
# (benchmarks/trust_summary.py).
#
# Pinning (taskset, >= 2 cores): intercloud, slapd, `openssl speed` and the CLI calls on core 1; the Python
# load generator on core 0. With the LDAP backend, intercloud and slapd share core 1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=1
for arg in "$@"; do
  case $arg in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 64 ;;
  esac
done

N_CSR=${N_CSR:-500}
ISSUE_CONC=${ISSUE_CONC:-4}
N_CLI=${N_CLI:-50}
N_CLOUDS=${N_CLOUDS:-1000}
REG_CONC=${REG_CONC:-4}
LOOKUP_SECS=${LOOKUP_SECS:-10}
LOOKUP_CONC=${LOOKUP_CONC:-8}
LDAP_SECS=${LDAP_SECS:-10}
SPEED_SECS=${SPEED_SECS:-3}
DOMAIN=${DOMAIN:-intercloud.localhost}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
BASE_DN=dc=intercloud,dc=test
ADMIN_DN=cn=admin,$BASE_DN
OUT=${OUT:-$HERE/results}
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
LOAD="$HERE/trust_load.py"

"$PYTHON" -c 'import cryptography, ldap3' 2>/dev/null || {
  echo "$PYTHON needs cryptography and ldap3 (e.g. $ROOT/.venv/bin/pip install ldap3)" >&2; exit 1; }

# shellcheck source=benchmarks/lib.sh
. "$HERE/lib.sh"

GIT_REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$ROOT" && git status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null)" ]; then
  GIT_REV="$GIT_REV+dirty"
fi
BIN_SHA=unknown

# record FILE SCENARIO JSON: append one line to results/trust-FILE.jsonl with run metadata
record() {
  "$PYTHON" - "$2" "$RUN_ID" "$3" "$GIT_REV" "$BIN_SHA" >>"$OUT/trust-$1.jsonl" <<'EOF'
import json, os, sys, time
scenario, run_id, payload, rev, bin_sha = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
with open("/proc/loadavg") as f:
    load = f.read().split()[0]
print(json.dumps({"scenario": scenario, "run_id": run_id, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "git": rev, "intercloud_sha256": bin_sha, "cores": os.cpu_count(), "loadavg_1m": float(load),
                  **payload}))
EOF
}

# gen FILE SCENARIO ARGS...: run trust_load.py pinned to core 0, record its RESULT line
gen() {
  local file=$1 scenario=$2 out json; shift 2
  log "$scenario: trust_load.py $*"
  out=$("${LOAD_PIN[@]}" "$PYTHON" "$LOAD" "$@" 2>&1) || { echo "$out" >&2; log "$scenario: generator failed"; return 0; }
  echo "$out" | grep -v '^RESULT ' >&2 || true
  json=$(echo "$out" | sed -n 's/^RESULT //p' | tail -1)
  [ -n "$json" ] && record "$file" "$scenario" "$json"
  echo "$json" | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print({k:v for k,v in d.items() if not isinstance(v,(dict,list))})' >&2 || true
}

if [ "$BUILD" = 1 ]; then
  log "swift build -c release"
  (cd "$ROOT" && swift build -c release)
fi
[ -x "$ROOT/.build/release/intercloud" ] || { echo "no $ROOT/.build/release/intercloud (build it first)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/intercloud-trust.XXXXXX")
BIN=$WORK/intercloud   # a private copy: others may rebuild .build/release while this runs
cp "$ROOT/.build/release/intercloud" "$BIN"
BIN_SHA=$(sha256sum "$BIN" | cut -c1-12)
SERVER_PID=
SLAPD_PID=
stop_pid() {   # stop_pid PID NAME: SIGTERM, wait up to 15 s, then SIGKILL (only our own PIDs)
  local pid=$1 name=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name $pid still running after 15 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$SERVER_PID" intercloud
  stop_pid "$SLAPD_PID" slapd
  rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/bench.toml" <<EOF
[log]
level = "notice"
EOF

# start_server DATA_DIR [EXTRA FLAGS...]: sets SERVER_PID, HTTP_PORT, TOKEN
start_server() {
  local data=$1; shift
  start_intercloud "$data" "$data.log" "$@"
  TOKEN=$(head -1 "$data/admin.token")
  log "intercloud PID=$SERVER_PID http=$HTTP_PORT ($*)"
}

# ---------------------------------------------------------------------------------------------- raw ECDSA ceiling
log "openssl speed -seconds $SPEED_SECS ecdsap256 (core 1)"
SPEED=$("${SERVER_PIN[@]}" openssl speed -seconds "$SPEED_SECS" ecdsap256 2>/dev/null | grep -E 'ecdsa \(nistp256\)' | tail -1)
echo "$SPEED" >&2
SPEED_JSON=$("$PYTHON" - "$SPEED" "$(openssl version)" <<'EOF'
import json, sys
f = sys.argv[1].split()
# "256 bits ecdsa (nistp256)   0.0000s   0.0001s  40000.0  12000.0"
print(json.dumps({"openssl": sys.argv[2], "line": sys.argv[1].strip(),
                  "sign_per_s": float(f[-2]), "verify_per_s": float(f[-1])}))
EOF
)
record raw openssl_speed_ecdsap256 "$SPEED_JSON"

# ---------------------------------------------------------------------------------------------- embedded backend
"${LOAD_PIN[@]}" "$PYTHON" "$LOAD" csrs --n "$N_CSR" --out "$WORK/csrs.pem" | sed 's/^RESULT /csrs: /' >&2
DATA1=$WORK/data-embedded
start_server "$DATA1"
gen intercloud register_issuer register --port "$HTTP_PORT" --token "$TOKEN" --n 1 --prefix issuer --concurrency 1
gen intercloud issue_http_embedded issue --port "$HTTP_PORT" --token "$TOKEN" --pid "$SERVER_PID" --cloud issuer0001 \
  --csrs "$WORK/csrs.pem" --n "$N_CSR" --concurrency "$ISSUE_CONC"
gen intercloud register_embedded register --port "$HTTP_PORT" --token "$TOKEN" --pid "$SERVER_PID" --n "$N_CLOUDS" \
  --prefix c --concurrency "$REG_CONC"
gen intercloud lookup_http_embedded lookup --port "$HTTP_PORT" --token "$TOKEN" --pid "$SERVER_PID" --n "$N_CLOUDS" \
  --prefix c --duration "$LOOKUP_SECS" --concurrency "$LOOKUP_CONC"
grep -ciE ' (error|critical|warning) ' "$DATA1.log" >/dev/null && \
  log "server log warnings/errors: $(grep -ciE ' (error|critical|warning) ' "$DATA1.log")"
log "stopping intercloud (SIGTERM $SERVER_PID)"
stop_pid "$SERVER_PID" intercloud; SERVER_PID=

# CLI issuance: one process per certificate, server stopped, same data dir (registry + CA already there).
# Pinned like the server (core 1); the Python loop that starts them sits there too and is idle while it waits.
log "cli_issue: $N_CLI x intercloud ca issue (core 1)"
out=$("${SERVER_PIN[@]}" "$PYTHON" "$LOAD" cli --bin "$BIN" --data-dir "$DATA1" --domain "$DOMAIN" --cloud issuer0001 \
      --csrs "$WORK/csrs.pem" --n "$N_CLI" 2>&1) || { echo "$out" >&2; log "cli failed"; }
json=$(echo "$out" | sed -n 's/^RESULT //p' | tail -1); [ -n "$json" ] && record intercloud issue_cli_embedded "$json"
echo "$json" >&2
ISSUED_JSON_BYTES=$(stat -c %s "$DATA1/ca/issued.json" 2>/dev/null || echo 0)
record intercloud issued_json "{\"issued_json_bytes\": $ISSUED_JSON_BYTES}"

# ---------------------------------------------------------------------------------------------- private slapd
LDAP_PORT=$(free_port)
SL=$WORK/slapd; mkdir -p "$SL/db"
printf 'secret\n' >"$SL/password"; chmod 600 "$SL/password"
cat >"$SL/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $ROOT/schemas/intercloud.schema
pidfile  $SL/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize  104857600
suffix   "$BASE_DN"
rootdn   "$ADMIN_DN"
rootpw   secret
directory $SL/db
dbnosync
index objectClass eq
index icCloudName eq,sub
index icStatus,icTrustLevel eq
index userCertificate eq
EOF
/usr/sbin/slaptest -u -f "$SL/slapd.conf" >&2
"${SERVER_PIN[@]}" /usr/sbin/slapd -f "$SL/slapd.conf" -h "ldap://127.0.0.1:$LDAP_PORT/" -d 0 >"$SL/slapd.log" 2>&1 &
SLAPD_PID=$!
for _ in $(seq 100); do ldapsearch -x -H "ldap://127.0.0.1:$LDAP_PORT" -s base -b "" >/dev/null 2>&1 && break; sleep 0.1; done
ldapadd -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$ADMIN_DN" -w secret >&2 <<EOF
dn: $BASE_DN
objectClass: dcObject
objectClass: organization
dc: intercloud
o: Intercloud benchmark
EOF
log "slapd PID=$SLAPD_PID ldap://127.0.0.1:$LDAP_PORT ($(/usr/sbin/slapd -VV 2>&1 | head -1 | sed 's/^@(#) \$//'))"
LDAP_FLAGS=(--registry ldap --ldap-url "ldap://127.0.0.1:$LDAP_PORT" --ldap-base-dn "$BASE_DN"
            --ldap-bind-dn "$ADMIN_DN" --ldap-password-file "$SL/password")

# ---------------------------------------------------------------------------------------------- LDAP backend
DATA2=$WORK/data-ldap
start_server "$DATA2" "${LDAP_FLAGS[@]}"
gen intercloud register_ldap register --port "$HTTP_PORT" --token "$TOKEN" --pid "$SERVER_PID" --pid "$SLAPD_PID" \
  --n "$N_CLOUDS" --prefix c --concurrency "$REG_CONC"
gen intercloud lookup_http_ldap lookup --port "$HTTP_PORT" --token "$TOKEN" --pid "$SERVER_PID" --pid "$SLAPD_PID" \
  --n "$N_CLOUDS" --prefix c --duration "$LOOKUP_SECS" --concurrency "$LOOKUP_CONC"
grep -ciE ' (error|critical|warning) ' "$DATA2.log" >/dev/null && \
  log "server log warnings/errors: $(grep -ciE ' (error|critical|warning) ' "$DATA2.log")"
log "stopping intercloud (SIGTERM $SERVER_PID)"
stop_pid "$SERVER_PID" intercloud; SERVER_PID=
ENTRIES=$(ldapsearch -x -LLL -H "ldap://127.0.0.1:$LDAP_PORT" -D "$ADMIN_DN" -w secret \
          -b "ou=clouds,$BASE_DN" -s one '(objectClass=icCloud)' 1.1 | grep -c '^dn:' || true)
log "entries under ou=clouds: $ENTRIES"
record raw slapd_entries "{\"clouds_in_directory\": $ENTRIES}"

# ---------------------------------------------------------------------------------------------- raw slapd
for mode in filter base; do
  gen raw "slapd_search_$mode" ldap --url "ldap://127.0.0.1:$LDAP_PORT" --base "$BASE_DN" --bind-dn "$ADMIN_DN" \
    --password-file "$SL/password" --pid "$SLAPD_PID" --n "$N_CLOUDS" --prefix c --mode "$mode" --duration "$LDAP_SECS"
done
log "stopping slapd (SIGTERM $SLAPD_PID)"
stop_pid "$SLAPD_PID" slapd; SLAPD_PID=

log "results in $OUT/trust-{intercloud,raw}.jsonl (run_id $RUN_ID)"
"$PYTHON" "$HERE/trust_summary.py" --run-id "$RUN_ID" "$OUT/trust-intercloud.jsonl" "$OUT/trust-raw.jsonl"
