#!/usr/bin/env bash
# Reconciliation benchmark (issue 11), one command:  bench/reconcile.sh             (county: 500k)
#                                                    SIZES="500000 15000000" bench/reconcile.sh   (and province)
#                                                    E2E=all SIZES=15000000 bench/reconcile.sh    (province end to end)
# Builds Release, starts a throwaway PostgreSQL cluster (as bench/run.sh does), and runs bench/Baoxue.ReconBench once
# per size in its own process: synthetic labelled household and registry data, the exact join in memory, the fuzzy
# pass, scoring alone beside F23.StringSimilarity, precision and recall, then the same keys in PostgreSQL (binary COPY,
# the exact anti-join) and, for sizes up to 1M, end to end from the database and back. Results in bench/results/reconcile.tsv.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SIZES=${SIZES:-"500000"}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
log() { printf '[bench] %s\n' "$*" >&2; }
PG_TMP="" PG_PID=""
cleanup() {
  if [[ -n "$PG_PID" ]] && kill -0 "$PG_PID" 2>/dev/null; then
    kill -INT "$PG_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PG_PID" 2>/dev/null || true
    wait "$PG_PID" 2>/dev/null || true
  fi
  [[ -n "$PG_TMP" ]] && rm -rf -- "$PG_TMP"
}
trap cleanup EXIT
as_pg() {
  if (( EUID == 0 )); then (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"); else "$@"; fi
}

log "building Release"
dotnet build bench/Baoxue.ReconBench -c Release -v quiet -nologo >/dev/null
BENCH="$ROOT/bench/Baoxue.ReconBench/bin/Release/net10.0/Baoxue.ReconBench.dll"

PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
PG_TMP=$(mktemp -d /tmp/baoxue-recon-pg.XXXXXX)
mkdir -p "$PG_TMP/sock"
PGPASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
export PGPASSWORD
printf '%s\n' "$PGPASSWORD" >"$PG_TMP/pwfile"
if (( EUID == 0 )); then chown -R postgres: "$PG_TMP"; fi
chmod 700 "$PG_TMP"
as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --pwfile="$PG_TMP/pwfile" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_TMP/initdb.log" 2>&1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >>"$PG_TMP/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 4GB
shared_buffers = 1GB
CONF
if (( EUID == 0 )); then
  (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$PORT") >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
else
  "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$PORT" >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
fi
PG_PID=$!
for _ in $(seq 600); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres && break; sleep 0.1; done
PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PGPASSWORD;Database=postgres;Timeout=60;Command Timeout=0"
log "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') on port $PORT"

mkdir -p bench/results
OUT=bench/results/reconcile.tsv
printf 'case\trows\tseconds\tdetail\n' >"$OUT"
for n in $SIZES; do
  # E2E=all runs end to end at every size (the province needs about twice the memory of the in-memory cases).
  e2e=""; (( n > 1000000 )) && [[ "${E2E:-}" != all ]] && e2e="no-e2e"
  log "size $n, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet "$BENCH" "$n" "$PG" $e2e | tee -a "$OUT" || log "size $n failed"
  log "size $n done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
