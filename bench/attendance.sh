#!/usr/bin/env bash
# Attendance benchmarks, one command:  bench/attendance.sh
#   SECONDS_LOAD=30 CONCURRENCY=16 STUDENTS=10000000 bench/attendance.sh
#
# 1. Class submissions per second through the real HTTP endpoint on PostgreSQL: the app (Release, demo county) on
#    loopback, a .NET load generator (bench/Baoxue.AttendanceBench) posting rolls as the school's registrar with a
#    fresh client key each, p50/p99 latency; beside it, in the same run, pgbench doing the equivalent inserts (a
#    submission row, two mark rows and the record's update, and one audit row per row) straight into PostgreSQL.
# 2. The daily clock's evaluation of a province-sized set (10M students, 3 % absent): time and peak working set.
# 3. The app's own clock run over a province on PostgreSQL (bench/Baoxue.AttendanceBench/ClockDb.cs): yesterday's, today's,
#    and today's again (already ran: nothing counted twice), each with its time and peak memory.
# PROFILE=dir adds a thread-time sample (dotnet-trace, DOTNET_TRACE=path) and database wait sampling; PGLOG=1 logs every
# statement (to count what one submission sends); CLOCK=0 skips 2 and 3; HTTP=0 skips 1.
# Results on stdout and in bench/results/attendance.tsv.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SECONDS_LOAD=${SECONDS_LOAD:-30}
CONCURRENCY=${CONCURRENCY:-16}
STUDENTS=${STUDENTS:-10000000}
source "$ROOT/bench/lib.sh"
log() { printf '[bench] %s\n' "$*" >&2; }

APP_PID="" CONTENT=""
cleanup() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  pg_stop
  [[ -n "$CONTENT" ]] && rm -rf -- "$CONTENT"
}
trap cleanup EXIT

log "building Release"
dotnet build bench/Baoxue.AttendanceBench -c Release -v quiet -nologo >/dev/null
APP="$ROOT/src/Baoxue/bin/Release/net10.0/Baoxue.dll"
LOAD="$ROOT/bench/Baoxue.AttendanceBench/bin/Release/net10.0/Baoxue.AttendanceBench.dll"

# ---- throwaway PostgreSQL (bench/lib.sh); PGLOG=1: every statement logged, to count the statements one submission costs.
if [[ -n "${PGLOG:-}" ]]; then pg_start "max_connections = 200" "log_statement = 'all'" "log_line_prefix = '%p '"; else pg_start "max_connections = 200" "max_wal_size = 8GB" "shared_buffers = 1GB" "maintenance_work_mem = 1GB"; fi
pgdb createdb baoxue
log "PostgreSQL $(pg_version) on port $PORT"

mkdir -p bench/results
OUT=bench/results/attendance.tsv
if [[ "${HTTP:-1}" == 0 ]]; then echo "# $(date -u +%FT%TZ) machine: $(nproc) cores, load before: $(load_avg)" | tee "$OUT"; else
# ---- the app on loopback, demo county
APP_PORT=$(free_port)
CONTENT=$(mktemp -d /tmp/baoxue-bench-app.XXXXXX)
( cd "$CONTENT" && Database__Provider=Postgres ConnectionStrings__Baoxue="$PG;Database=baoxue;Maximum Pool Size=100" \
  Demo__Enabled=true Demo__Students=20000 Security__SignInsPerMinute=100000 Logging__LogLevel__Default=Warning \
  exec dotnet "$APP" --contentRoot "$CONTENT" --urls "http://127.0.0.1:$APP_PORT" ) >"$CONTENT/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 3000); do curl -fs "http://127.0.0.1:$APP_PORT/health" >/dev/null 2>&1 && break; sleep 0.2; done
log "app up on $APP_PORT (load average $(load_avg))"
# The load generator reads the app's CPU time around the load: app_cpu_ms_per_request (bench/Shared/AppCpu.cs).
export BAOXUE_APP_PID=$APP_PID

{
  echo "# $(date -u +%FT%TZ) machine: $(nproc) cores, load before: $(load_avg)"
  if [[ -n "${PROFILE:-}" ]]; then
    # PROFILE=dir: a CPU sample of the app (dotnet-trace) and its counters while the load runs, for docs/benchmarks.md.
    mkdir -p "$PROFILE"
    # What the database's sessions are doing, sampled every 0.1 s during the middle of the load.
    ( sleep 8; for _ in $(seq 100); do pgdb psql -qAtX -d baoxue -c "SELECT coalesce(wait_event_type,'-')||':'||coalesce(wait_event,'-')||':'||state FROM pg_stat_activity WHERE datname='baoxue' AND pid<>pg_backend_pid() AND backend_type='client backend'"; sleep 0.1; done | sort | uniq -c | sort -rn >"$PROFILE/waits.txt" ) &
    ( sleep 8; "${DOTNET_TRACE:-dotnet-trace}" collect -p "$APP_PID" --profile dotnet-sampled-thread-time --duration 00:00:00:15 -o "$PROFILE/app.nettrace" >"$PROFILE/trace.log" 2>&1 ) &
  fi
  printf 'http\t'; dotnet "$LOAD" load "http://127.0.0.1:$APP_PORT" school.admin Baoxue@2026 "$SECONDS_LOAD" "$CONCURRENCY"
  # The anchor for the app's side: the cheapest request the same server answers, with the same workers.
  printf 'health\t'; dotnet "$LOAD" get "http://127.0.0.1:$APP_PORT" /health "$SECONDS_LOAD" "$CONCURRENCY"
  wait
} | tee "$OUT"
if [[ -n "${PROFILE:-}" ]]; then
  cp "$PG_TMP/postgres.log" "$PROFILE/postgres.log" 2>/dev/null || true
fi

# ---- pgbench: the rows one submission writes, straight into copies of the tables (the audit chain's columns included)
pgdb psql -q -d baoxue <<'SQL'
CREATE TABLE bench_submissions (LIKE "AttendanceSubmissions" INCLUDING DEFAULTS);
CREATE UNIQUE INDEX ON bench_submissions ("ClientKey");
CREATE TABLE bench_marks (LIKE "AttendanceMarks" INCLUDING DEFAULTS);
CREATE INDEX ON bench_marks ("SubmissionId");
CREATE TABLE bench_records (LIKE "AttendanceRecords" INCLUDING DEFAULTS);
CREATE UNIQUE INDEX ON bench_records ("ClassId", "Date", "Lesson");
CREATE TABLE bench_audit (LIKE "AuditEntries" INCLUDING DEFAULTS);
CREATE SEQUENCE bench_audit_seq;
INSERT INTO bench_records SELECT gen_random_uuid(), 0, gen_random_uuid(), gen_random_uuid(), current_date, l, gen_random_uuid(), 1, 40, 0, now(), 'x' FROM generate_series(1, 1000) l;
SQL
cat >"$PG_TMP/submit.sql" <<'SQL'
\set r random(1, 1000)
BEGIN;
INSERT INTO bench_submissions VALUES (gen_random_uuid(), gen_random_uuid(), md5(random()::text), 2, 'school.admin', now());
INSERT INTO bench_marks VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 2, '路上耽误'), (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 2, '路上耽误');
UPDATE bench_records SET "Revision" = "Revision" + 1, "Version" = "Version" + 1 WHERE "Lesson" = :r;
INSERT INTO bench_audit ("Sequence", "At", "UserName", "Action", "EntityType", "EntityId", "Path", "PreviousHash", "Hash")
  SELECT nextval('bench_audit_seq'), now(), 'school.admin', 1, 'AttendanceMark', gen_random_uuid()::text, 'x', md5(random()::text), md5(random()::text) FROM generate_series(1, 4);
COMMIT;
SQL
if (( EUID == 0 )); then chown postgres "$PG_TMP/submit.sql"; fi
printf 'pgbench\t' | tee -a "$OUT"
pgdb pgbench -n -d baoxue -c "$CONCURRENCY" -j 2 -T "$SECONDS_LOAD" -f "$PG_TMP/submit.sql" 2>&1 | grep -E "^tps|latency average|number of transactions actually" | tr '\n' '\t' | tee -a "$OUT"
echo | tee -a "$OUT"
# The audit chain's append protocol before and after decision 0030, alternately in the same run (no app: the protocol alone).
printf 'chain\t' | tee -a "$OUT"
dotnet "$LOAD" chain "Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PGPASSWORD;Database=baoxue;Maximum Pool Size=100" 10 "$CONCURRENCY" | tee -a "$OUT"

kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
fi
[[ "${CLOCK:-1}" == 0 ]] && exit 0
# 3. The app's own clock run (ClockRunner) over a province on PostgreSQL: this term's rolls generated first (not timed
#    into the runs), then yesterday's run (the first ever: no clocks stored) and today's (every clock yesterday left
#    running is evaluated again), each in its own process with its peak memory.
pgdb createdb province
PROVINCE="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PGPASSWORD;Database=province;Command Timeout=0"
printf 'clockdb\t' | tee -a "$OUT"
dotnet "$LOAD" clockdb "$PROVINCE" "$STUDENTS" 3 | tee -a "$OUT"
# Yesterday's run (the first ever: no clocks stored; it also JIT-compiles the run's code), today's (warm, as an app
# server that ran yesterday: every clock yesterday left running is evaluated again) and today's again (already ran).
printf 'clockrun\t' | tee -a "$OUT"
/usr/bin/time -f "max_rss_kb\t%M" dotnet "$LOAD" clockrun "$PROVINCE" 2026-11-30 2026-12-01 2026-12-01 2>&1 | tr '\n' '\t' | tee -a "$OUT"
echo | tee -a "$OUT"
# The floor beside it: PostgreSQL alone reading what the run reads and writing what it writes, set-based, in one transaction.
printf 'floor\t' | tee -a "$OUT"
pgdb psql -qAtX -d province -v ON_ERROR_STOP=1 <<'SQL' | tr '\n' '\t' | tee -a "$OUT"
\timing on
BEGIN;
CREATE TEMP TABLE f_candidates AS SELECT DISTINCT m."StudentId" AS id FROM "AttendanceMarks" m JOIN "AttendanceRecords" r ON r."CurrentSubmissionId" = m."SubmissionId" WHERE r."Date" = DATE '2026-12-01' AND r."Lesson" = 0 AND m."Kind" = 1
  UNION SELECT "StudentId" FROM "AbsenceClocks" WHERE "Stage" <> 0;
ANALYZE f_candidates;
SELECT count(*) FROM "AttendanceMarks" m JOIN "AttendanceRecords" r ON r."CurrentSubmissionId" = m."SubmissionId" AND r."Lesson" = 0 WHERE m."Kind" = 1 AND m."StudentId" IN (SELECT id FROM f_candidates);
SELECT count(*) FROM "AttendanceRecords" r WHERE r."Lesson" = 0 AND r."ClassId" IN (SELECT st."ClassId" FROM f_candidates c JOIN "Students" st ON st."Id" = c.id);
UPDATE "AbsenceClocks" k SET "DaysCounted" = k."DaysCounted" + 1, "EvaluatedOn" = DATE '2026-12-01' FROM f_candidates c WHERE k."StudentId" = c.id;
ROLLBACK;
SQL
echo | tee -a "$OUT"
printf 'clock\t' | tee -a "$OUT"
/usr/bin/time -f "max_rss_kb\t%M" dotnet "$LOAD" clock "$STUDENTS" 3 2>&1 | tr '\n' '\t' | tee -a "$OUT"
echo | tee -a "$OUT"
echo "# load after: $(load_avg)" | tee -a "$OUT"
rm -rf -- "$CONTENT"
