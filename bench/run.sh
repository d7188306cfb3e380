#!/usr/bin/env bash
# Baoxue benchmarks, one command:  bench/run.sh            (100k and 1M rows)
#                                  ROWS="100000" bench/run.sh
#
# Builds Release, starts a throwaway PostgreSQL cluster (as test.sh does), seeds the demo county into a SQLite
# template and a PostgreSQL template database, generates registry sheets (xlsx with the app's XlsxWriter, csv with
# CsvHelper), then runs every case in its own process: the anchors (ExcelDataReader, MiniExcel and the app's own
# XmlReader-based reader for xlsx; CsvHelper and Sylvan for csv, each merely reading the file), the end-to-end import
# into a fresh copy of each database, the student list's xlsx export of the whole registry after the csv import, and
# the database's own floor for the same rows (floor_sqlite, floor_postgres below).
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

# The floor: what the database alone takes to store the rows an import stored (students, guardians, tags), with the
# same indexes, foreign keys and triggers, into a fresh copy of the same template, in one transaction. SQLite: INSERT
# … SELECT from the imported file (attached); PostgreSQL: binary COPY of the imported rows. No reading, checking,
# hashing or encryption: the part of an import no application code can remove.
seconds_since() { python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.2f}')" "$1"; }
floor_sqlite() { # n: the imported rows are those past the template's last rowid
  cp "$WORK/template.db" "$WORK/floor.db"
  local t0; t0=$(date +%s.%N)
  sqlite3 "$WORK/floor.db" <<SQL
PRAGMA journal_mode=WAL;
ATTACH '$WORK/case.db' AS c;
BEGIN IMMEDIATE;
INSERT INTO main.Students SELECT * FROM c.Students WHERE rowid > (SELECT max(rowid) FROM main.Students);
INSERT INTO main.Guardians SELECT * FROM c.Guardians WHERE rowid > (SELECT max(rowid) FROM main.Guardians);
INSERT INTO main.GroupTags SELECT * FROM c.GroupTags WHERE rowid > (SELECT max(rowid) FROM main.GroupTags);
COMMIT;
SQL
  printf 'floor INSERT…SELECT Sqlite\t%s\t%s\t\tthe imported rows with every index, nothing else\n' "$1" "$(seconds_since "$t0")" | tee -a "$OUT"
  rm -f "$WORK"/floor.db*
}
floor_postgres() { # n: the imported rows are those whose student is not in the template
  pgdb psql -d bench_template -qAtX -c "\copy (SELECT \"Id\" FROM \"Students\") TO '$WORK/tids.txt'"
  pgdb psql -d bench_case -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TEMP TABLE tids (id uuid PRIMARY KEY);
\copy tids FROM '$WORK/tids.txt'
\copy (SELECT s.* FROM "Students" s WHERE NOT EXISTS (SELECT 1 FROM tids WHERE id = s."Id")) TO '$WORK/students.bin' WITH (FORMAT binary)
\copy (SELECT g.* FROM "Guardians" g WHERE NOT EXISTS (SELECT 1 FROM tids WHERE id = g."StudentId")) TO '$WORK/guardians.bin' WITH (FORMAT binary)
\copy (SELECT t.* FROM "GroupTags" t WHERE NOT EXISTS (SELECT 1 FROM tids WHERE id = t."StudentId")) TO '$WORK/tags.bin' WITH (FORMAT binary)
SQL
  pgdb createdb -T bench_template bench_floor
  local t0; t0=$(date +%s.%N)
  pgdb psql -d bench_floor -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL
BEGIN;
\copy "Students" FROM '$WORK/students.bin' WITH (FORMAT binary)
\copy "Guardians" FROM '$WORK/guardians.bin' WITH (FORMAT binary)
\copy "GroupTags" FROM '$WORK/tags.bin' WITH (FORMAT binary)
COMMIT;
SQL
  printf 'floor COPY Postgres\t%s\t%s\t\tthe imported rows with every index, nothing else\n' "$1" "$(seconds_since "$t0")" | tee -a "$OUT"
  pgdb dropdb bench_floor
  rm -f "$WORK"/tids.txt "$WORK"/*.bin
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
      floor_sqlite "$n" || log "floor failed: Sqlite $n"
    fi
    rm -f "$WORK"/case.db*
    pgdb createdb -T bench_template bench_case
    run import Postgres "$PG;Database=bench_case" "$file"
    if [[ $ext == csv ]]; then run export Postgres "$PG;Database=bench_case"; floor_postgres "$n" || log "floor failed: Postgres $n"; fi
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
