#!/usr/bin/env bash
# Rates at province size on PostgreSQL: N students (default 15M; RATES_STUDENTS to change) in 3 counties × townships ×
# schools × classes, 3 % on the ledger. Times, from one run: the full recompute of all figures (FigureBuilder, the app's
# own code), PostgreSQL's own GROUP BY over the same rows, and the dashboard read for the province, a city and a county
# from prepared rows; the app's memory while serving (RSS after the reads).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${RATES_STUDENTS:-15000000}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DATA=$(mktemp -d /tmp/rates-bench.XXXXXX)
PORT=$(( 20000 + RANDOM % 20000 ))
cleanup() { "$PGBIN/pg_ctl" -D "$DATA/pg" -m fast stop >/dev/null 2>&1 || true; rm -rf "$DATA"; }
trap cleanup EXIT
chown -R postgres "$DATA" 2>/dev/null || true
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
run_pg "$PGBIN/initdb -D $DATA/pg -U postgres -A trust >/dev/null"
run_pg "$PGBIN/pg_ctl -D $DATA/pg -o '-p $PORT -k $DATA -c shared_buffers=1GB -c max_wal_size=8GB -c synchronous_commit=off -c fsync=off' -l $DATA/pg.log start >/dev/null"
sleep 2
CONN="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Timeout=60;Command Timeout=0"
psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE bench"
echo "load: $(uptime)"
cd "$ROOT"
dotnet run -c Release --project bench/Baoxue.RatesBench -- "$CONN" "$N"
