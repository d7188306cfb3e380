#!/usr/bin/env bash
# The app's own CPU time per request on PostgreSQL, one command:   bench/cpu.sh
#   SECONDS_LOAD=15 STUDENTS=5000 TRACE=/tmp/app.nettrace bench/cpu.sh
#   APP=/tmp/before/src/Baoxue/bin/Release/net10.0/Baoxue.dll bench/cpu.sh     (another build of the app)
#   DOTNET_TieredCompilation=0 bench/cpu.sh      (every method optimised at once: no warm-up drift on a loaded machine)
#
# Serves the app (Release, demo county) on a throwaway PostgreSQL and puts a fixed load on four paths, one after the
# other: the class attendance submission (16 workers, bench/Baoxue.AttendanceBench) and GET /api/v1/students's first
# page, a grade filter and a name search (8 clients, bench/Baoxue.ListBench). For each: requests/s, p50/p99 and the
# app process's user+system CPU milliseconds per request (/proc/<pid>/stat, bench/Shared/AppCpu.cs). CPU per request
# holds while other work loads the machine, where a latency does not. TRACE=file adds a CPU sample of the app
# (dotnet-trace, DOTNET_TRACE=path) during the submission load; PERF=file a `perf record -g` of it (the app writes its
# JIT map for perf); PERF_LIST=file the same during the name search. Results: stdout and bench/results/cpu.tsv.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SECONDS_LOAD=${SECONDS_LOAD:-15}
STUDENTS=${STUDENTS:-5000}
source "$ROOT/bench/lib.sh"
log() { printf '[cpu] %s %s\n' "$(date +%T)" "$*" >&2; }

APP_PID="" CONTENT=""
cleanup() { stop_pid "$APP_PID"; pg_stop; [[ -n "$CONTENT" ]] && rm -rf -- "$CONTENT"; }
trap cleanup EXIT

log "building Release"
dotnet build bench/Baoxue.AttendanceBench -c Release -v quiet -nologo >/dev/null
dotnet build bench/Baoxue.ListBench -c Release -v quiet -nologo >/dev/null
# APP=path/Baoxue.dll measures another build (e.g. the commit before a change) with the same load generators.
APP=${APP:-"$ROOT/src/Baoxue/bin/Release/net10.0/Baoxue.dll"}
SUBMIT="$ROOT/bench/Baoxue.AttendanceBench/bin/Release/net10.0/Baoxue.AttendanceBench.dll"
LIST="$ROOT/bench/Baoxue.ListBench/bin/Release/net10.0/Baoxue.ListBench.dll"

pg_start "max_connections = 200"
pgdb createdb baoxue
APP_PORT=$(free_port)
CONTENT=$(mktemp -d /tmp/baoxue-cpu-app.XXXXXX)
# perf needs the JIT's map, and code not double-mapped (W^X) to attribute samples to it.
[[ -n "${PERF:-}${PERF_LIST:-}" ]] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
( cd "$CONTENT" && Database__Provider=Postgres ConnectionStrings__Baoxue="$PG;Database=baoxue;Maximum Pool Size=100" \
  Demo__Enabled=true Demo__Students="$STUDENTS" Security__SignInsPerMinute=100000 Logging__LogLevel__Default=Warning \
  exec dotnet "$APP" --contentRoot "$CONTENT" --urls "http://127.0.0.1:$APP_PORT" ) >"$CONTENT/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 3000); do curl -fs "http://127.0.0.1:$APP_PORT/health" >/dev/null 2>&1 && break; sleep 0.2; done
BASE="http://127.0.0.1:$APP_PORT"
export BAOXUE_APP_PID=$APP_PID
log "PostgreSQL $(pg_version), app up (pid $APP_PID, $STUDENTS demo students), load average $(load_avg)"

mkdir -p bench/results
OUT=bench/results/cpu.tsv
{
  echo "# $(date -u +%FT%TZ) $(machine); app $APP (tiered compilation ${DOTNET_TieredCompilation:-1}); load before: $(load_avg)"
  # A warm-up first: what the JIT compiles in the first seconds is no part of a request's cost.
  # (tiered compilation recompiles hot methods in the background for a while, longer on a loaded machine).
  BAOXUE_APP_PID="" dotnet "$SUBMIT" load "$BASE" school.admin Baoxue@2026 "${WARMUP:-10}" 16 >/dev/null
  for c in "|" "|grade=5" "|q=%E6%9D%8E"; do BAOXUE_APP_PID="" dotnet "$LIST" load "$BASE" county.admin Baoxue@2026 "${WARMUP:-10}" 8 warm "/api/v1/students?${c#*|}" >/dev/null; done
  if [[ -n "${TRACE:-}" ]]; then
    ( sleep 3; "${DOTNET_TRACE:-dotnet-trace}" collect -p "$APP_PID" --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o "$TRACE" >"$TRACE.log" 2>&1 ) &
  fi
  if [[ -n "${PERF:-}" ]]; then ( sleep 3; perf record -F 499 -g -p "$APP_PID" -o "$PERF" -- sleep 8 >/dev/null 2>&1 ) & fi
  printf 'submission\t'; dotnet "$SUBMIT" load "$BASE" school.admin Baoxue@2026 "$SECONDS_LOAD" 16
  wait
  SURNAME=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("王"))')
  for c in "first page|" "grade 5|grade=5" "name search|q=$SURNAME"; do
    if [[ -n "${PERF_LIST:-}" && "$c" == name* ]]; then ( sleep 3; perf record -F 499 -g -p "$APP_PID" -o "$PERF_LIST" -- sleep 8 >/dev/null 2>&1 ) & fi
    printf 'list\t'; dotnet "$LIST" load "$BASE" county.admin Baoxue@2026 "$SECONDS_LOAD" 8 "${c%%|*}" "/api/v1/students?${c#*|}"
  done
  wait
  echo "# load after: $(load_avg)"
} | tee "$OUT"
