#!/usr/bin/env bash
# Baoxue test command (also used by CI through .ci/run).
#
#   ./test.sh                       build + run every test
#   ./test.sh --filter Smoke        extra arguments go to `dotnet test`
#   CI=true ./test.sh               strict mode: nothing may be skipped
#
# What it does:
#   * installs (Debian, only when missing) postgresql, chromium, fonts-noto-cjk
#   * starts a throwaway PostgreSQL cluster on a free 127.0.0.1 port and exports
#       BAOXUE_TEST_POSTGRES  Npgsql connection string (superuser "postgres";
#                             tests create their own databases)
#       BAOXUE_CHROMIUM       /usr/bin/chromium
#   * builds the solution, runs `dotnet test`, counts results from the TRX file(s)
#   * always ends with the line `N passed, N failed[, N skipped]`; exit code is
#     non-zero if a test failed, dotnet build/test failed, or no test ran.
#     With CI=true, skipped tests and missing PostgreSQL/Chromium/fonts are failures.
#
# Environment knobs: CONFIGURATION (default Release).
# shellcheck disable=SC2317  # cleanup functions are only reached through the EXIT trap
set -euo pipefail

START_NS=$(date +%s%N)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

CONFIGURATION=${CONFIGURATION:-Release}
STRICT=false
[[ "${CI:-}" == "true" ]] && STRICT=true

export DEBIAN_FRONTEND=noninteractive
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No MSBuild worker nodes may outlive this script (they would keep pipes open in CI).
export MSBUILDDISABLENODEREUSE=1

log()  { printf '[test.sh] %s\n' "$*" >&2; }
warn() { printf '[test.sh] WARNING: %s\n' "$*" >&2; }
# In CI a missing prerequisite is fatal; locally it is a warning and the
# dependent tests are left to skip themselves.
need() {
  if $STRICT; then printf '[test.sh] ERROR (CI=true): %s\n' "$*" >&2; exit 1; fi
  warn "$* -- continuing; tests depending on it may be skipped"
}
elapsed() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }   # ms since $1

# --------------------------------------------------------------------- cleanup
PG_TMP="" PG_BIN="" PG_PID="" RESULTS_DIR="" BUILD_RC=0 TEST_RC=0 LINT_RC=0
POLICY_RC_CREATED=false

stop_cluster() {
  [[ -n "$PG_TMP" && -d "$PG_TMP" ]] || return 0
  if [[ -n "$PG_PID" ]] && kill -0 "$PG_PID" 2>/dev/null; then
    # SIGINT = "fast" shutdown; escalate to immediate (SIGQUIT), then SIGKILL.
    local sig i
    for sig in INT QUIT KILL; do
      kill -"$sig" "$PG_PID" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$PG_PID" 2>/dev/null || break
    done
    wait "$PG_PID" 2>/dev/null || true   # reap it: no zombie left behind
  fi
  rm -rf -- "$PG_TMP"
}

# Runs a long command (dotnet build/test) in its own process group and waits for
# it. Waiting with `wait` lets INT/TERM traps fire at once; finish() then stops the
# whole group (dotnet, MSBuild, vstest, testhost), so nothing outlives the script.
CHILD_PID=""
run_child() {
  local rc=0
  setsid "$@" </dev/null &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

kill_child() {
  [[ -n "$CHILD_PID" ]] || return 0
  local i
  kill -TERM -- "-$CHILD_PID" 2>/dev/null || kill -TERM "$CHILD_PID" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 -- "-$CHILD_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$CHILD_PID" 2>/dev/null || true
  wait "$CHILD_PID" 2>/dev/null || true
  CHILD_PID=""
}

# Counts UnitTestResult outcomes in every *.trx below $1; prints "passed failed skipped".
count_trx() {
  python3 - "$1" <<'PY'
import sys, glob, os, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"[test.sh] cannot parse {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for results in root.iter():
        if not results.tag.endswith("}Results") and results.tag != "Results":
            continue
        for r in results:            # top-level results only (not InnerResults)
            if not r.tag.endswith("UnitTestResult"):
                continue
            outcome = r.get("outcome", "")
            if outcome == "Passed":
                passed += 1
            elif outcome in ("NotExecuted", "Inconclusive"):
                skipped += 1
            else:                    # Failed, Error, Timeout, Aborted, ...
                failed += 1
print(passed, failed, skipped)
PY
}

finish() {
  local rc=$?
  set +e
  trap - EXIT
  trap '' INT TERM             # cleanup must not be interrupted
  kill_child
  local passed=0 failed=0 skipped=0
  if [[ -n "$RESULTS_DIR" && -d "$RESULTS_DIR" ]]; then
    read -r passed failed skipped < <(count_trx "$RESULTS_DIR" || echo "0 1 0")
    rm -rf -- "$RESULTS_DIR"
  fi
  stop_cluster
  if $POLICY_RC_CREATED; then rm -f /usr/sbin/policy-rc.d; fi

  local total=$((passed + failed + skipped))
  if (( rc == 0 )); then
    if (( BUILD_RC != 0 )); then rc=$BUILD_RC; log "dotnet build failed (exit $BUILD_RC)"
    elif (( failed > 0 )); then rc=1
    elif (( TEST_RC != 0 )); then rc=$TEST_RC; log "dotnet test failed (exit $TEST_RC)"
    elif (( LINT_RC != 0 )); then rc=$LINT_RC; log "redocly lint found errors in the API document"
    elif (( total == 0 )); then rc=1; log "no test ran"
    elif (( passed == 0 )); then rc=1; log "no test passed (all were skipped)"
    elif $STRICT && (( skipped > 0 )); then rc=1; log "CI=true: $skipped test(s) were skipped; nothing may be skipped in CI"
    fi
  fi

  local ms; ms=$(elapsed "$START_NS")
  printf 'test.sh took %d.%03d s\n' $((ms / 1000)) $((ms % 1000))
  if (( skipped > 0 )); then
    printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  else
    printf '%d passed, %d failed\n' "$passed" "$failed"
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v python3 >/dev/null || { echo "[test.sh] python3 is required" >&2; exit 1; }

# ------------------------------------------------------------- prerequisites
have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
have_chromium() { [[ -x /usr/bin/chromium ]]; }
have_cjk_fonts() {
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' \
    || { command -v fc-list >/dev/null && fc-list :lang=zh family 2>/dev/null | grep -qi 'Noto.*CJK'; }
}

missing=()
have_postgres   || missing+=(postgresql)
have_chromium   || missing+=(chromium)
have_cjk_fonts  || missing+=(fonts-noto-cjk)

if (( ${#missing[@]} > 0 )); then
  log "installing missing Debian packages: ${missing[*]}"
  SUDO=()
  if (( EUID != 0 )); then
    if command -v sudo >/dev/null; then SUDO=(sudo -n DEBIAN_FRONTEND=noninteractive); else SUDO=(false); fi
  fi
  # Keep the postgresql package from starting its default system cluster
  # (we only want the throwaway one below).
  if (( EUID == 0 )) && [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && POLICY_RC_CREATED=true
  fi
  apt_log=$(mktemp)
  if "${SUDO[@]}" apt-get -qq -o DPkg::Lock::Timeout=300 update >"$apt_log" 2>&1 \
     && "${SUDO[@]}" apt-get -qq -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1; then
    log "installed: ${missing[*]}"
  else
    tail -n 30 "$apt_log" >&2
    warn "apt-get could not install ${missing[*]}"
  fi
  rm -f "$apt_log"
  if $POLICY_RC_CREATED; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=false; fi
  have_postgres  || need "PostgreSQL server is not installed (package postgresql)"
  have_chromium  || need "Chromium is not installed (package chromium)"
  have_cjk_fonts || need "CJK fonts are not installed (package fonts-noto-cjk)"
fi

# ------------------------------------------------------------------ chromium
if have_chromium; then
  # Smoke-launch it once, so a broken Chromium is reported here and not as 50 test failures.
  chr_dir=$(mktemp -d)
  if timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
       --user-data-dir="$chr_dir/profile" --dump-dom 'data:text/html,<p>baoxue-ok</p>' \
       >"$chr_dir/out" 2>"$chr_dir/err" && grep -q baoxue-ok "$chr_dir/out"; then
    export BAOXUE_CHROMIUM=/usr/bin/chromium
  else
    tail -n 20 "$chr_dir/err" >&2
    rm -rf -- "$chr_dir"
    need "Chromium (/usr/bin/chromium) does not start headless"
  fi
  rm -rf -- "$chr_dir"
fi

# ---------------------------------------------------------------- postgresql
# Runs a command as the cluster owner (PostgreSQL refuses to run as root).
as_pg() {
  if (( EUID == 0 )); then
    (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@")
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  [[ -x "$PG_BIN/postgres" ]] || { need "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"; return 1; }
  if (( EUID == 0 )) && ! id -u postgres >/dev/null 2>&1; then
    need "system user 'postgres' does not exist (it comes with package postgresql-common)"; return 1
  fi

  local t0; t0=$(date +%s%N)
  PG_TMP=$(mktemp -d /tmp/baoxue-pg.XXXXXX)
  mkdir -p "$PG_TMP/sock"
  local password; password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  printf '%s\n' "$password" >"$PG_TMP/pwfile"
  if (( EUID == 0 )); then chown -R postgres: "$PG_TMP"; fi
  chmod 700 "$PG_TMP"

  if ! as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --pwfile="$PG_TMP/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$PG_TMP/initdb.log" 2>&1; then
    cat "$PG_TMP/initdb.log" >&2
    need "initdb failed"; return 1
  fi
  rm -f "$PG_TMP/pwfile"
  local initdb_ms; initdb_ms=$(elapsed "$t0")
  cat >>"$PG_TMP/data/postgresql.conf" <<EOF

# --- throwaway test cluster (test.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP/sock'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF

  local port attempt i ready=false
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    # Started directly (no pg_ctl, no function/subshell in between) so that $! is
    # the postmaster itself: we can signal it and reap it ourselves.
    if (( EUID == 0 )); then
      (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- \
         "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$port") >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
    else
      "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$port" >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
    fi
    PG_PID=$!
    for ((i = 0; i < 600; i++)); do     # up to 60 s
      if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then ready=true; break; fi
      kill -0 "$PG_PID" 2>/dev/null || break   # server died (e.g. port taken): retry
      sleep 0.1
    done
    $ready && break
    warn "PostgreSQL did not come up on port $port (attempt $attempt)"
    tail -n 5 "$PG_TMP/postgres.log" >&2 || true
    kill -QUIT "$PG_PID" 2>/dev/null || true
    wait "$PG_PID" 2>/dev/null || true
    PG_PID=""
  done
  if ! $ready; then
    tail -n 30 "$PG_TMP/postgres.log" >&2 || true
    need "PostgreSQL could not be started"; return 1
  fi

  export BAOXUE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
  log "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') ready on 127.0.0.1:$port in $(elapsed "$t0") ms (initdb $initdb_ms ms; data in $PG_TMP)"
}

if have_postgres; then
  start_postgres || true   # need() already exited in CI; locally continue without it
fi
if $STRICT && [[ -z "${BAOXUE_TEST_POSTGRES:-}" || -z "${BAOXUE_CHROMIUM:-}" ]]; then
  echo "[test.sh] ERROR (CI=true): PostgreSQL and Chromium are both required" >&2; exit 1
fi
[[ -n "${BAOXUE_TEST_POSTGRES:-}" ]] || unset BAOXUE_TEST_POSTGRES
[[ -n "${BAOXUE_CHROMIUM:-}" ]] || unset BAOXUE_CHROMIUM

# --------------------------------------------------------------- build + test
log "dotnet build Baoxue.slnx -c $CONFIGURATION"
run_child dotnet build Baoxue.slnx -c "$CONFIGURATION" -nologo || BUILD_RC=$?
if (( BUILD_RC != 0 )); then exit 0; fi   # finish() reports the build failure

RESULTS_DIR=$(mktemp -d /tmp/baoxue-results.XXXXXX)

# ------------------------------------------------------------ API document lint
# Redocly CLI, pinned, in a folder of the work tree (.tools/, not committed); the npm registry is reachable.
REDOCLY_VERSION=2.77.0
REDOCLY="$ROOT/.tools/redocly/node_modules/.bin/redocly"
if [[ ! -x "$REDOCLY" ]] || [[ "$("$REDOCLY" --version 2>/dev/null | head -n1)" != "$REDOCLY_VERSION" ]]; then
  if command -v npm >/dev/null; then
    log "installing @redocly/cli $REDOCLY_VERSION into .tools/redocly"
    npm install --prefix "$ROOT/.tools/redocly" --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION" >&2 || warn "npm could not install @redocly/cli"
  fi
fi
[[ -x "$REDOCLY" ]] || need "redocly (npm @redocly/cli $REDOCLY_VERSION) is not installed: the API document is not linted"
# ApiDocumentTests writes the document the running app serves here.
export BAOXUE_OPENAPI_OUT="$RESULTS_DIR/openapi-v1.json"

log "dotnet test Baoxue.slnx -c $CONFIGURATION --no-build $*"
run_child dotnet test Baoxue.slnx -c "$CONFIGURATION" --no-build --nologo \
  --results-directory "$RESULTS_DIR" \
  --logger "trx;LogFilePrefix=results" \
  --logger "console;verbosity=normal" \
  "$@" || TEST_RC=$?

if [[ -x "$REDOCLY" ]]; then
  # The live document when ApiDocumentTests ran, else the committed copy (which that test keeps equal to it).
  document="$BAOXUE_OPENAPI_OUT"
  [[ -s "$document" ]] || document="$ROOT/tests/Baoxue.Tests/Api/openapi-v1.json"
  log "redocly lint --extends=recommended $(basename "$document")"
  lint_log=$(mktemp)
  "$REDOCLY" lint "$document" --extends=recommended --format=summary >"$lint_log" 2>&1 || LINT_RC=$?
  grep -E '^(error|warning) |Woohoo|Validation failed|valid' "$lint_log" >&2 || cat "$lint_log" >&2
  if (( LINT_RC != 0 )); then
    "$REDOCLY" lint "$document" --extends=recommended --max-problems 50 2>&1 | grep -v '^\s*$' | head -n 120 >&2 || true
  fi
  rm -f "$lint_log"
fi
exit 0   # finish() computes the real exit code
