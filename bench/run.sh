#!/usr/bin/env bash
# Baoxue benchmarks, one command:  bench/run.sh            (100k and 1M rows)
#                                  ROWS="100000" bench/run.sh
#
# Builds Release, starts a throwaway PostgreSQL cluster (as test.sh does), seeds the demo county into a SQLite
# template and a PostgreSQL template database, generates registry sheets (xlsx with the app's XlsxWriter, csv with
# CsvHelper), then runs every case in its own process: the anchors (ExcelDataReader, MiniExcel and the app's own
# XmlReader-based reader for xlsx; CsvHelper and Sylvan for csv, each merely reading the file), the end-to-end import
# into a fresh copy of each database, and the student list's xlsx export of the whole registry after the csv import.
# Results: a table on stdout and in
# bench/results/latest.tsv. Timings on a shared 2-core machine are noisy: compare a case with its anchor.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROWS=${ROWS:-"100000 1000000"}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
log() { printf '[bench] %s\n' "$*" >&2; }

WORK=$(mktemp -d /tmp/baoxue-bench.XXXXXX)
PG_TMP="" PG_PID=""
cleanup() {
  if [[ -n "$PG_PID" ]] && kill -0 "$PG_PID" 2>/dev/null; then
    kill -INT "$PG_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PG_PID" 2>/dev/null || true
    wait "$PG_PID" 2>/dev/null || true
  fi
  [[ -n "$PG_TMP" ]] && rm -rf -- "$PG_TMP"
  rm -rf -- "$WORK"
}
trap cleanup EXIT

as_pg() {
  if (( EUID == 0 )); then (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"); else "$@"; fi
}

log "building Release"
dotnet build Baoxue.slnx -c Release -v quiet -nologo >/dev/null
APP="$ROOT/src/Baoxue/bin/Release/net10.0/Baoxue.dll"
BENCH="$ROOT/bench/Baoxue.Bench/bin/Release/net10.0/Baoxue.Bench.dll"

# ---- throwaway PostgreSQL, the minimal version of test.sh's start_postgres
PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
PG_TMP=$(mktemp -d /tmp/baoxue-bench-pg.XXXXXX)
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
CONF
if (( EUID == 0 )); then
  (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$PORT") >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
else
  "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$PORT" >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
fi
PG_PID=$!
for _ in $(seq 600); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres && break; sleep 0.1; done
PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PGPASSWORD;Timeout=60;Command Timeout=0"
pgdb() { "$PG_BIN/$1" -h 127.0.0.1 -p "$PORT" -U postgres "${@:2}"; }
log "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') on port $PORT"

# ---- templates: the demo county, migrated and seeded by the app itself
seed() { (cd "$WORK" && Database__Provider="$1" ConnectionStrings__Baoxue="$2" Demo__Enabled=true dotnet "$APP" audit verify >/dev/null); }
seed Sqlite "Data Source=$WORK/template.db"
pgdb createdb bench_template
seed Postgres "$PG;Database=bench_template"
log "templates seeded"

RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
OUT="$RESULTS/latest.tsv"
printf 'case\trows\tseconds\tpeak_mb\tdetail\n' >"$OUT"
run() { # one case in its own process
  local line
  if line=$(cd "$WORK" && dotnet "$BENCH" "$@"); then printf '%s\n' "$line" | tee -a "$OUT"; else log "case failed: $*"; fi
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
for n in $ROWS; do
  (cd "$WORK" && dotnet "$BENCH" generate Sqlite "Data Source=$WORK/template.db" "$n" "$WORK/files")
  for ext in csv xlsx; do
    file="$WORK/files/students-$n.$ext"
    # The anchors: libraries merely reading every cell of the same file, in the same run.
    if [[ $ext == xlsx ]]; then libs="ExcelDataReader MiniExcel XmlReader"; else libs="CsvHelper Sylvan"; fi
    for lib in $libs; do run read "$file" "$lib"; done
    log "load average $(load)"
    cp "$WORK/template.db" "$WORK/case.db"
    run import Sqlite "Data Source=$WORK/case.db" "$file"
    if [[ $ext == csv ]]; then
      # The whole registry (demo county + this file) out again as the student list's xlsx.
      run export Sqlite "Data Source=$WORK/case.db"
    fi
    rm -f "$WORK"/case.db*
    pgdb createdb -T bench_template bench_case
    run import Postgres "$PG;Database=bench_case" "$file"
    if [[ $ext == csv ]]; then run export Postgres "$PG;Database=bench_case"; fi
    pgdb dropdb bench_case
    log "load average $(load)"
  done
  rm -rf "$WORK/files"
done

{
  echo
  echo "load average at the end: $(load)"
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr), .NET $(dotnet --version), PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') (fsync off)"
  column -t -s $'\t' "$OUT"
} >&2
