# Shared by the benchmark drivers (run.sh, run_presence.sh, run_trust.sh); sourced, not run.
# Expects: PYTHON, BIN (the intercloud binary), DOMAIN, WORK (a scratch directory), PASSWORD for register_users.
# Everything stays on 127.0.0.1; every wait is bounded; only PIDs started here are signalled.

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Server on core 1, load generator on core 0 when there are two cores.
SERVER_PIN=(); LOAD_PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  SERVER_PIN=(taskset -c 1); LOAD_PIN=(taskset -c 0)
fi

# Benchmark configuration: no per-address connection cap (all clients come from 127.0.0.1), logs at notice (the
# `ready` line is a notice). STARTTLS stays required.
write_bench_config() {
  cat >"$WORK/bench.toml" <<CONF
[limits]
max_connections_per_ip = 0
[log]
level = "notice"
CONF
}

# start_intercloud DATA_DIR LOG_FILE [EXTRA FLAGS...]: starts `intercloud serve` on free loopback ports and waits
# (at most 60 s) for its `ready` line; sets SERVER_PID, C2S_PORT and HTTP_PORT.
start_intercloud() {
  local data=$1 logfile=$2; shift 2
  [ -f "$WORK/bench.toml" ] || write_bench_config
  : >"$logfile"
  "${SERVER_PIN[@]}" "$BIN" serve --config "$WORK/bench.toml" --data-dir "$data" --domain "$DOMAIN" --bind 127.0.0.1 \
    --c2s-port 0 --c2s-tls-port 0 --http-port 0 --s2s-port 0 "$@" 2>"$logfile" >/dev/null &
  SERVER_PID=$!
  C2S_PORT=; HTTP_PORT=
  for _ in $(seq 600); do
    if grep -q ' ready ' "$logfile" 2>/dev/null; then
      C2S_PORT=$(sed -n 's/.* ready .*c2s=\([0-9][0-9]*\).*/\1/p' "$logfile" | head -1)
      HTTP_PORT=$(sed -n 's/.* ready .*http=\([0-9][0-9]*\).*/\1/p' "$logfile" | head -1)
      break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$logfile" >&2; echo "intercloud exited" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$C2S_PORT" ] || { cat "$logfile" >&2; echo "no ready line after 60 s" >&2; exit 1; }
}

# register_users DATA_DIR COUNT: user1..userCOUNT through the CLI, two at a time, each add retried (up to 30 times,
# short random pause) if the store is busy; writes $WORK/register.out ("ok RETRIES" / "failed 30" per account) and
# $WORK/register.err, and sets REG_T0/REG_T1 (epoch seconds).
register_users() {
  local data=$1 count=$2
  export BIN DOMAIN PASSWORD REG_DATA=$data
  REG_T0=$(date +%s.%N)
  seq 1 "$count" | xargs -P 2 -I{} bash -c '
    for try in $(seq 30); do
      if printf %s "$PASSWORD" | "$BIN" registry add "user$1" --password-stdin --data-dir "$REG_DATA" \
           --domain "$DOMAIN" >/dev/null 2>>"$REG_DATA/../register.err"; then echo "ok $((try - 1))"; exit 0; fi
      sleep "0.0$((RANDOM % 10))"
    done
    echo "failed 30"' _ {} >"$WORK/register.out" || true
  REG_T1=$(date +%s.%N)
  touch "$WORK/register.err"
}
