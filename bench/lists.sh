#!/usr/bin/env bash
# The student list at province scale, one command:   bench/lists.sh
#                                                    PG_ROWS=1000000 SQLITE_ROWS=150000 SECONDS_PER_CASE=10 bench/lists.sh
#                                                    DATABASES=sqlite KEEP_SQLITE=/tmp/lists.db bench/lists.sh  (one database; keep the file)
#
# Builds Release, starts a throwaway PostgreSQL cluster, lets the app migrate and seed the demo county's places (no
# students), adds generated schools and classes (a province: 2,000 schools, 9 grades x 4 classes), then generates
# students with INSERT ... SELECT generate_series (never through the app), names from a pool whose pinyin keys the
# app's own PinyinOrder computed. Then it serves the app on loopback and measures GET /api/v1/students with 8
# concurrent clients (bench/Baoxue.ListBench, a .NET load generator): p50/p99 and req/s per case, beside the same
# page query run directly by pgbench (8 clients) and, for SQLite, by Python's sqlite3 module (8 threads).
# Results: bench/results/lists.tsv and a table on stderr.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PG_GEN="" SQLITE_GEN=""
PG_ROWS=${PG_ROWS:-5000000}
SQLITE_ROWS=${SQLITE_ROWS:-150000}
SECONDS_PER_CASE=${SECONDS_PER_CASE:-10}
CLIENTS=${CLIENTS:-8}
DATABASES=${DATABASES:-"postgres sqlite"}
source "$ROOT/bench/lib.sh"
log() { printf '[lists] %s %s\n' "$(date +%T)" "$*" >&2; }

WORK=$(mktemp -d /tmp/baoxue-lists.XXXXXX)
APP_PID=""
cleanup() { stop_pid "$APP_PID"; pg_stop; rm -rf -- "$WORK"; }
trap cleanup EXIT
want() { [[ " $DATABASES " == *" $1 "* ]]; }

log "building Release"
dotnet build src/Baoxue -c Release -v quiet -nologo >/dev/null
dotnet build bench/Baoxue.ListBench -c Release -v quiet -nologo >/dev/null
APP="$ROOT/src/Baoxue/bin/Release/net10.0/Baoxue.dll"
TOOL="$ROOT/bench/Baoxue.ListBench/bin/Release/net10.0/Baoxue.ListBench.dll"
HASH_KEY=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')
ENC_KEY=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')
export PersonalData__HashKey="$HASH_KEY" PersonalData__EncryptionKey="$ENC_KEY"

# ---- throwaway PostgreSQL (bench/lib.sh)
pg_start "max_wal_size = 8GB" "shared_buffers = 1GB" "maintenance_work_mem = 512MB" "work_mem = 16MB"
psqlq() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d lists -v ON_ERROR_STOP=1 -qAtX "$@"; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres lists
log "PostgreSQL $(pg_version) on port $PORT"

# ---- places from the app (migrations + demo county without students), students from SQL
seed() { (cd "$WORK" && Database__Provider="$1" ConnectionStrings__Baoxue="$2" Demo__Enabled=true Demo__Students=0 dotnet "$APP" audit verify >/dev/null); }
if want postgres; then seed Postgres "$PG;Database=lists"; fi
if want sqlite; then seed Sqlite "Data Source=$WORK/lists.db"; fi
dotnet "$TOOL" names "$WORK/names.tsv" 200000
read -r KNOWN_ID KNOWN_HASH < <(dotnet "$TOOL" id "$HASH_KEY" 017)
log "places seeded; name pool ready"

# Province-sized places: 2,000 schools spread over the demo townships, 36 classes each, in the current school year.
PLACES_SQL=$(cat <<'SQL'
CREATE TEMP TABLE t AS SELECT row_number() OVER (ORDER BY "Code") - 1 AS i, "Id", "Path" FROM "Divisions" WHERE "Level" = 4;
INSERT INTO "Schools" ("Id", "Code", "Name", "Kind", "TownshipId", "IsActive", "Path")
SELECT s.id, s.code, '测试学校' || s.k, 1, t."Id", TRUE, t."Path" || s.code || '/'
FROM (SELECT k, __UUID__ AS id, '9' || lpad(k::text, 9, '0') AS code FROM generate_series(1, 2000) k) s
JOIN t ON t.i = s.k % (SELECT count(*) FROM t);
INSERT INTO "Classes" ("Id", "SchoolId", "SchoolYearId", "Grade", "Number", "Path")
SELECT __UUID__, s."Id", (SELECT "Id" FROM "SchoolYears" WHERE "IsCurrent" = TRUE LIMIT 1), g, n,
       s."Path" || (SELECT "StartYear" FROM "SchoolYears" WHERE "IsCurrent" = TRUE LIMIT 1) || lpad(g::text, 2, '0') || lpad(n::text, 2, '0') || '/'
FROM "Schools" s CROSS JOIN generate_series(1, 9) g CROSS JOIN generate_series(1, 4) n WHERE s."Code" LIKE '9%';
SQL
)

STUDENTS_SQL=$(cat <<'SQL'
CREATE TEMP TABLE c AS SELECT row_number() OVER (ORDER BY "Path") - 1 AS i, "Id", "SchoolId", "Grade", "Path" FROM "Classes";
INSERT INTO "Students" ("Id", "RegistryNumber", "IdNumberHash", "IdNumberMasked", "Name", "Gender", "BirthDate", "Ethnicity", "SchoolId", "ClassId", "Grade", "Status", "Path", "NameKey")
SELECT __UUID__, 'L' || lpad(g::text, 12, '0'), md5(g::text), '350123********' || lpad((g % 10000)::text, 4, '0'), p.name, 1 + g % 2,
       __DATE__, '01', c."SchoolId", c."Id", c."Grade",
       CASE WHEN g % 20 = 0 THEN 2 WHEN g % 50 = 1 THEN 4 ELSE 1 END, c."Path", p.key
FROM generate_series(1::bigint, __ROWS__) g
JOIN pool p ON p.i = (g * 7919) % 200000
JOIN c ON c.i = (g * 104729) % (SELECT count(*) FROM c);
INSERT INTO "GroupTags" ("Id", "StudentId", "Kind", "StartedOn")
SELECT __UUID__, "Id", 6, __STARTED__ FROM "Students" WHERE "RegistryNumber" LIKE '%7';
UPDATE "Students" SET "IdNumberHash" = '__HASH__', "IdNumberMasked" = '350123********0017' WHERE "RegistryNumber" = 'L000000000017';
SQL
)

if want postgres; then
t0=$(date +%s)
psqlq -c "CREATE TABLE pool (i int PRIMARY KEY, name text, key text)"
psqlq -c "\copy pool FROM '$WORK/names.tsv'"
psqlq <<<"${PLACES_SQL//__UUID__/gen_random_uuid()}"
# Indexes are dropped for the load and built again after it, as a bulk load does.
psqlq -c "SELECT indexdef FROM pg_indexes WHERE tablename IN ('Students', 'GroupTags') AND indexname NOT LIKE 'PK_%'" >"$WORK/indexes.sql"
psqlq -c "SELECT 'DROP INDEX \"' || indexname || '\";' FROM pg_indexes WHERE tablename IN ('Students', 'GroupTags') AND indexname NOT LIKE 'PK_%'" | psqlq
sql=${STUDENTS_SQL//__UUID__/gen_random_uuid()}; sql=${sql//__DATE__/date \'2012-01-01\' + (g % 3000)::int}; sql=${sql//__STARTED__/date \'2025-09-01\'}
sql=${sql//__ROWS__/$PG_ROWS}; sql=${sql//__HASH__/$KNOWN_HASH}
psqlq <<<"$sql"
sed 's/$/;/' "$WORK/indexes.sql" | psqlq
psqlq -c "VACUUM ANALYZE"
PG_GEN=$(( $(date +%s) - t0 ))
log "PostgreSQL: $PG_ROWS students generated and indexed in ${PG_GEN} s"
fi

if want sqlite; then
t0=$(date +%s)
python3 - "$WORK/lists.db" "$WORK/names.tsv" "$SQLITE_ROWS" "$KNOWN_HASH" <<'PY'
import sqlite3, sys, uuid, random
db, names, rows, known = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
con = sqlite3.connect(db)
con.create_function("newid", 0, lambda: str(uuid.uuid4()).upper())
cur = con.cursor()
cur.execute("CREATE TABLE pool (i INTEGER PRIMARY KEY, name TEXT, key TEXT)")
with open(names, encoding="utf-8") as f:
    cur.executemany("INSERT INTO pool VALUES (?, ?, ?)", (line.rstrip("\n").split("\t") for line in f))
year_id, year = cur.execute('SELECT "Id", "StartYear" FROM "SchoolYears" WHERE "IsCurrent" = 1').fetchone()
cur.execute('CREATE TEMP TABLE c AS SELECT row_number() OVER (ORDER BY "Path") - 1 AS i, "Id", "SchoolId", "Grade", "Path" FROM "Classes"')
n_classes = cur.execute("SELECT count(*) FROM c").fetchone()[0]
cur.execute(f'''INSERT INTO "Students" ("Id", "RegistryNumber", "IdNumberHash", "IdNumberMasked", "Name", "Gender", "BirthDate", "Ethnicity", "SchoolId", "ClassId", "Grade", "Status", "Path", "NameKey")
WITH RECURSIVE g(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM g WHERE g < {rows})
SELECT newid(), 'L' || printf('%012d', g), lower(hex(randomblob(16))), '350123********' || printf('%04d', g % 10000), p.name, 1 + g % 2,
       date('2012-01-01', '+' || (g % 3000) || ' days'), '01', c.SchoolId, c.Id, c.Grade,
       CASE WHEN g % 20 = 0 THEN 2 WHEN g % 50 = 1 THEN 4 ELSE 1 END, c.Path, p.key
FROM g JOIN pool p ON p.i = (g * 7919) % 200000 JOIN c ON c.i = (g * 104729) % {n_classes}''')
cur.execute('''INSERT INTO "GroupTags" ("Id", "StudentId", "Kind", "StartedOn") SELECT newid(), "Id", 6, '2025-09-01' FROM "Students" WHERE "RegistryNumber" LIKE '%7' ''')
cur.execute('UPDATE "Students" SET "IdNumberHash" = ?, "IdNumberMasked" = ? WHERE "RegistryNumber" = ?', (known, "350123********0017", "L000000000017"))
cur.execute("DROP TABLE pool")
con.commit()
cur.execute("ANALYZE")
con.close()
PY
SQLITE_GEN=$(( $(date +%s) - t0 ))
log "SQLite: $SQLITE_ROWS students generated in ${SQLITE_GEN} s"
[[ -n "${KEEP_SQLITE:-}" ]] && cp "$WORK/lists.db" "$KEEP_SQLITE"
fi

RESULTS="$ROOT/bench/results"; mkdir -p "$RESULTS"; OUT="$RESULTS/lists.tsv"
printf 'database\tcase\tby\trequests\tp50_ms\tp99_ms\treq_per_s\tfailures\tdetail\tapp_cpu_ms_per_request\n' >"$OUT"

serve() { # provider connection
  local port; port=$(free_port)
  (cd "$WORK" && Database__Provider="$1" ConnectionStrings__Baoxue="$2" Demo__Enabled=false ASPNETCORE_ENVIRONMENT=Production \
    Security__SignInsPerMinute=100000 Logging__LogLevel__Default=Warning exec dotnet "$APP" --urls "http://127.0.0.1:$port") >"$WORK/app.log" 2>&1 &
  APP_PID=$!
  # The load generator reads the app's CPU time around each case: app_cpu_ms_per_request (bench/Shared/AppCpu.cs).
  export BAOXUE_APP_PID=$APP_PID
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.2; done
  BASE="http://127.0.0.1:$port"
}

# A school, a class of it and a row halfway down the default order, for the cases.
cases() { # db label -> lines "label<TAB>query"
  local school="$1" cls="$2" deep="$3" deep_name="$4"
  printf '%s\t%s\n' \
    "first page" "" \
    "deep page (seek)" "after=$deep&page=2" \
    "deep page by name (seek)" "sort=name&after=$deep_name&page=2" \
    "page 500 (offset)" "page=500" \
    "school" "school=$school" \
    "class" "class=$cls" \
    "grade 5" "grade=5" \
    "status suspended" "status=Suspended" \
    "group left-behind" "group=LeftBehind" \
    "full ID" "q=$KNOWN_ID" \
    "full name" "q=$(urlenc "$FULL_NAME")" \
    "surname prefix" "q=$(urlenc "$SURNAME")"
}
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

measure() { # database
  local db=$1 cases
  cases=$(cat)
  # Every case first runs WARM_SECONDS unmeasured, so that the app's code is compiled and tiered up before any case is
  # timed: with five warm-up requests per case, the first cases measured the JIT (first page: p50 44 ms, against 12 ms
  # for the later cases).
  while IFS=$'\t' read -r label query; do
    dotnet "$TOOL" load "$BASE" county.admin 'Baoxue@2026' "${WARM_SECONDS:-3}" "$CLIENTS" "$label" "/api/v1/students?$query" >/dev/null || true
  done <<<"$cases"
  while IFS=$'\t' read -r label query; do
    local line
    if line=$(dotnet "$TOOL" load "$BASE" county.admin 'Baoxue@2026' "$SECONDS_PER_CASE" "$CLIENTS" "$label" "/api/v1/students?$query"); then
      printf '%s\t%s\n' "$db" "$line" | tee -a "$OUT" >&2
    else
      log "case failed: $db $label"
    fi
  done <<<"$cases"
}

if want postgres; then
# ---- PostgreSQL
FULL_NAME=$(psqlq -c "SELECT \"Name\" FROM \"Students\" WHERE \"RegistryNumber\" = 'L000000000100'")
SURNAME=${FULL_NAME:0:1}
read -r PG_SCHOOL PG_CLASS < <(psqlq -F ' ' -c "SELECT \"SchoolId\", \"ClassId\" FROM \"Students\" WHERE \"RegistryNumber\" = 'L000000000100'")
IFS='|' read -r dp dk di dg ds < <(psqlq -c "SELECT \"Path\", \"NameKey\", \"Id\", \"Grade\", \"Status\" FROM \"Students\" ORDER BY \"Path\", \"NameKey\", \"Id\" OFFSET $((PG_ROWS / 2)) LIMIT 1")
PG_DEEP=$(dotnet "$TOOL" cursor 0 "$dp" "$dk" "$di" "$dg" "$ds")
IFS='|' read -r np nk ni ng ns < <(psqlq -c "SELECT \"Path\", \"NameKey\", \"Id\", \"Grade\", \"Status\" FROM \"Students\" ORDER BY \"NameKey\", \"Id\" OFFSET $((PG_ROWS / 2)) LIMIT 1")
PG_DEEP_NAME=$(dotnet "$TOOL" cursor 1 "$np" "$nk" "$ni" "$ng" "$ns")
serve Postgres "$PG;Database=lists;Maximum Pool Size=32"
log "measuring PostgreSQL ($PG_ROWS students) at $CLIENTS clients, ${SECONDS_PER_CASE} s a case"
cases "$PG_SCHOOL" "$PG_CLASS" "$PG_DEEP" "$PG_DEEP_NAME" | measure "PostgreSQL $PG_ROWS"
stop_pid "$APP_PID"; APP_PID=""

# The page query of each case straight in PostgreSQL (pgbench, same 8 clients), the count left out.
COUNTY=$(psqlq -c "SELECT \"Path\" FROM \"Divisions\" WHERE \"Code\" = '350123'")
SCOPE="p.\"Path\" LIKE '$COUNTY%'"
COLS='p."Id", p."RegistryNumber", p."IdNumberMasked", p."Name", p."Gender", p."BirthDate", p."Ethnicity", p."SchoolId", s."Name", p."ClassId", p."Grade", c."Number", p."Status", p."Path", p."NameKey"'
FROM='FROM "Students" p JOIN "Schools" s ON s."Id" = p."SchoolId" LEFT JOIN "Classes" c ON c."Id" = p."ClassId"'
ORD='ORDER BY p."Path", p."NameKey", p."Id" LIMIT 51'
ORDN='ORDER BY p."NameKey", p."Id" LIMIT 51'
KR=$(dotnet "$TOOL" key "$SURNAME")
FKR=$(dotnet "$TOOL" key "$FULL_NAME")
direct_pg() { # label sql
  printf '%s\n' "$2" >"$WORK/q.sql"
  local out; out=$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -c "$CLIENTS" -j 2 -T "$SECONDS_PER_CASE" -f "$WORK/q.sql" -l --log-prefix="$WORK/pgb" lists 2>&1) || { log "pgbench failed: $1"; return; }
  python3 - "$1" "$WORK" "$CLIENTS" <<'PY' | tee -a "$OUT" >&2
import glob, sys
label, work = sys.argv[1], sys.argv[2]
lat = []
start, end = None, None
for f in glob.glob(work + "/pgb*"):
    for line in open(f):
        parts = line.split()
        lat.append(int(parts[2]) / 1000.0)
        t = int(parts[4]) + int(parts[5]) / 1e6
        start = t if start is None or t < start else start
        end = t if end is None or t > end else end
lat.sort()
p = lambda q: lat[min(len(lat) - 1, max(0, int(-(-q * len(lat) // 1)) - 1))]
print("\t".join(["PostgreSQL direct", label, "pgbench", str(len(lat)), f"{p(0.5):.1f}", f"{p(0.99):.1f}", f"{len(lat) / max(end - start, 1e-9):.0f}", "0", ""]))
PY
  rm -f "$WORK"/pgb*
}
direct_pg "first page" "SELECT $COLS $FROM WHERE $SCOPE $ORD;"
# The plans behind the figures, for whoever reads them next.
for q in "SELECT $COLS $FROM WHERE $SCOPE $ORD" "SELECT $COLS $FROM WHERE $SCOPE AND p.\"Grade\" = 5 $ORD"; do
  log "plan: $q"; psqlq -c "EXPLAIN (ANALYZE, BUFFERS) $q" >&2
done
direct_pg "deep page (seek)" "SELECT $COLS $FROM WHERE $SCOPE AND (p.\"Path\", p.\"NameKey\", p.\"Id\") > ('$dp', '$dk', '$di') $ORD;"
direct_pg "deep page by name (seek)" "SELECT $COLS $FROM WHERE $SCOPE AND (p.\"NameKey\", p.\"Id\") > ('$nk', '$ni') $ORDN;"
direct_pg "page 500 (offset)" "SELECT $COLS $FROM WHERE $SCOPE ORDER BY p.\"Path\", p.\"NameKey\", p.\"Id\" OFFSET 24950 LIMIT 51;"
direct_pg "school" "SELECT $COLS $FROM WHERE $SCOPE AND p.\"SchoolId\" = '$PG_SCHOOL' $ORD;"
direct_pg "grade 5" "SELECT $COLS $FROM WHERE $SCOPE AND p.\"Grade\" = 5 $ORD;"
direct_pg "full ID" "SELECT $COLS $FROM WHERE $SCOPE AND p.\"IdNumberHash\" = '$KNOWN_HASH' $ORD;"
direct_pg "status suspended" "SELECT $COLS $FROM WHERE $SCOPE AND p.\"Status\" = 2 $ORD;"
direct_pg "group left-behind" "SELECT $COLS $FROM WHERE $SCOPE AND EXISTS (SELECT 1 FROM \"GroupTags\" t WHERE t.\"StudentId\" = p.\"Id\" AND t.\"Kind\" = 6 AND t.\"EndedOn\" IS NULL) $ORD;"
direct_pg "full name" "SELECT $COLS $FROM WHERE $SCOPE AND p.\"NameKey\" >= '$FKR' AND p.\"NameKey\" < '${FKR}g' AND p.\"Name\" LIKE '$FULL_NAME%' $ORDN;"
direct_pg "surname prefix" "SELECT $COLS $FROM WHERE $SCOPE AND p.\"NameKey\" >= '$KR' AND p.\"NameKey\" < '${KR}g' AND p.\"Name\" LIKE '$SURNAME%' $ORDN;"
direct_pg "count, capped at 50,001" "SELECT count(*) FROM (SELECT p.\"Id\" FROM \"Students\" p WHERE $SCOPE LIMIT 50001) x;"

fi
if want sqlite; then
# ---- SQLite
FULL_NAME=$(sqlite3 "$WORK/lists.db" "SELECT Name FROM Students WHERE RegistryNumber = 'L000000000100'")
SURNAME=${FULL_NAME:0:1}
IFS='|' read -r SQ_SCHOOL SQ_CLASS < <(sqlite3 "$WORK/lists.db" "SELECT SchoolId, ClassId FROM Students WHERE RegistryNumber = 'L000000000100'")
IFS='|' read -r dp dk di dg ds < <(sqlite3 "$WORK/lists.db" "SELECT Path, NameKey, Id, Grade, Status FROM Students ORDER BY Path, NameKey, Id LIMIT 1 OFFSET $((SQLITE_ROWS / 2))")
SQ_DEEP=$(dotnet "$TOOL" cursor 0 "$dp" "$dk" "$di" "$dg" "$ds")
IFS='|' read -r np nk ni ng ns < <(sqlite3 "$WORK/lists.db" "SELECT Path, NameKey, Id, Grade, Status FROM Students ORDER BY NameKey, Id LIMIT 1 OFFSET $((SQLITE_ROWS / 2))")
SQ_DEEP_NAME=$(dotnet "$TOOL" cursor 1 "$np" "$nk" "$ni" "$ng" "$ns")
serve Sqlite "Data Source=$WORK/lists.db"
log "measuring SQLite ($SQLITE_ROWS students)"
cases "$SQ_SCHOOL" "$SQ_CLASS" "$SQ_DEEP" "$SQ_DEEP_NAME" | measure "SQLite $SQLITE_ROWS"
stop_pid "$APP_PID"; APP_PID=""
SQ_COUNTY=$(sqlite3 "$WORK/lists.db" "SELECT Path FROM Divisions WHERE Code = '350123'")
python3 - "$WORK/lists.db" "$CLIENTS" "$SECONDS_PER_CASE" "$SQ_SCHOOL" "$dp" "$dk" "$di" "$SQ_COUNTY" <<'PY' | tee -a "$OUT" >&2
import sqlite3, sys, threading, time
db, clients, seconds, school, dp, dk, di, county = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
cols = 'p.Id, p.RegistryNumber, p.IdNumberMasked, p.Name, p.Gender, p.BirthDate, p.Ethnicity, p.SchoolId, s.Name, p.ClassId, p.Grade, c.Number, p.Status, p.Path, p.NameKey'
frm = 'FROM Students p JOIN Schools s ON s.Id = p.SchoolId LEFT JOIN Classes c ON c.Id = p.ClassId'
scope = f"p.Path LIKE '{county}%'"
cases = {
    "first page": (f"SELECT {cols} {frm} WHERE {scope} ORDER BY p.Path, p.NameKey, p.Id LIMIT 51", ()),
    "deep page (seek)": (f"SELECT {cols} {frm} WHERE {scope} AND p.Path >= ? AND (p.Path > ? OR p.NameKey > ? OR (p.NameKey = ? AND p.Id > ?)) ORDER BY p.Path, p.NameKey, p.Id LIMIT 51", (dp, dp, dk, dk, di)),
    "school": (f"SELECT {cols} {frm} WHERE {scope} AND p.SchoolId = ? ORDER BY p.Path, p.NameKey, p.Id LIMIT 51", (school,)),
    "group left-behind": (f"SELECT {cols} {frm} WHERE {scope} AND EXISTS (SELECT 1 FROM GroupTags t JOIN Students o ON o.Id = t.StudentId WHERE t.StudentId = p.Id AND t.Kind = 6 AND t.EndedOn IS NULL AND o.Path LIKE '{county}%') ORDER BY p.Path, p.NameKey, p.Id LIMIT 51", ()),
    "count": (f"SELECT count(*) FROM Students p WHERE {scope}", ()),
    # The group's count as the list asked for it before (EXISTS per child) and as it asks now (IN, decision 0032).
    "group count, EXISTS (before)": (f"SELECT count(*) FROM Students p WHERE {scope} AND EXISTS (SELECT 1 FROM GroupTags t JOIN Students o ON o.Id = t.StudentId WHERE t.StudentId = p.Id AND t.Kind = 6 AND t.EndedOn IS NULL AND o.Path LIKE '{county}%')", ()),
    "group count, IN (now)": (f"SELECT count(*) FROM Students p WHERE {scope} AND p.Id IN (SELECT t.StudentId FROM GroupTags t JOIN Students o ON o.Id = t.StudentId WHERE t.Kind = 6 AND t.EndedOn IS NULL AND o.Path LIKE '{county}%')", ()),
}
for label, (sql, params) in cases.items():
    lat, stop = [], time.time() + seconds
    def work():
        con = sqlite3.connect(db, check_same_thread=False)
        mine = []
        while time.time() < stop:
            t = time.perf_counter(); con.execute(sql, params).fetchall(); mine.append((time.perf_counter() - t) * 1000)
        lat.extend(mine)
    threads = [threading.Thread(target=work) for _ in range(clients)]
    start = time.time(); [t.start() for t in threads]; [t.join() for t in threads]
    lat.sort()
    p = lambda q: lat[min(len(lat) - 1, max(0, int(-(-q * len(lat) // 1)) - 1))]
    print("\t".join(["SQLite direct", label, "python sqlite3", str(len(lat)), f"{p(0.5):.1f}", f"{p(0.99):.1f}", f"{len(lat) / (time.time() - start):.0f}", "0", ""]))
PY

fi
{
  echo
  echo "machine: $(machine); load average at the end: $(load_avg); generation: PostgreSQL ${PG_GEN} s for $PG_ROWS, SQLite ${SQLITE_GEN} s for $SQLITE_ROWS"
  column -t -s $'\t' "$OUT"
} >&2
