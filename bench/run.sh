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
source "$ROOT/bench/lib.sh"
log() { printf '[bench] %s\n' "$*" >&2; }

WORK=$(mktemp -d /tmp/baoxue-bench.XXXXXX)
cleanup() { pg_stop; rm -rf -- "$WORK"; }
trap cleanup EXIT

log "building Release"
dotnet build Baoxue.slnx -c Release -v quiet -nologo >/dev/null
APP="$ROOT/src/Baoxue/bin/Release/net10.0/Baoxue.dll"
BENCH="$ROOT/bench/Baoxue.Bench/bin/Release/net10.0/Baoxue.Bench.dll"

# ---- throwaway PostgreSQL (bench/lib.sh)
pg_start "max_wal_size = 4GB"
log "PostgreSQL $(pg_version) on port $PORT"

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

for n in $ROWS; do
  (cd "$WORK" && dotnet "$BENCH" generate Sqlite "Data Source=$WORK/template.db" "$n" "$WORK/files")
  for ext in csv xlsx; do
    file="$WORK/files/students-$n.$ext"
    # The anchors: libraries merely reading every cell of the same file, in the same run.
    if [[ $ext == xlsx ]]; then libs="ExcelDataReader MiniExcel XmlReader"; else libs="CsvHelper Sylvan"; fi
    for lib in $libs; do run read "$file" "$lib"; done
    log "load average $(load_avg)"
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
    log "load average $(load_avg)"
  done
  rm -rf "$WORK/files"
done

{
  echo
  echo "load average at the end: $(load_avg)"
  echo "machine: $(machine)"
  column -t -s $'\t' "$OUT"
} >&2
