# Shared by the bench/*.sh scripts (sourced, not run): a throwaway PostgreSQL cluster as test.sh starts one (fsync
# off, loopback, a random password), its clean stop, and small helpers. A script sources this file, calls
# `pg_start [postgresql.conf lines]`, and calls `pg_stop` from its own EXIT trap (with anything else it started).
#
# After pg_start: PG_BIN, PG_TMP, PORT, PGPASSWORD (exported), PG_PID, PG (an Npgsql connection string without a
# database: append ";Database=…"), and pgdb <program> <args…> runs a PostgreSQL client program against the cluster.

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
PG_BIN="" PG_TMP="" PG_PID="" PORT="" PG=""

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The load average (1, 5, 15 min): on a shared machine it says how far a figure can be trusted.
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

# Runs a command as the postgres user when the script runs as root (initdb and postgres refuse root).
as_pg() { if (( EUID == 0 )); then (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"); else "$@"; fi; }

# Stops a process we started: SIGINT, up to 10 s, then SIGKILL.
stop_pid() {
  local p=$1
  [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null || return 0
  kill -INT "$p" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

# pg_start [extra postgresql.conf lines…]: initdb in a fresh temporary folder, start, wait until it answers.
pg_start() {
  PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  PG_TMP=$(mktemp -d /tmp/baoxue-bench-pg.XXXXXX)
  mkdir -p "$PG_TMP/sock"
  PGPASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  export PGPASSWORD
  printf '%s\n' "$PGPASSWORD" >"$PG_TMP/pwfile"
  if (( EUID == 0 )); then chown -R postgres: "$PG_TMP"; fi
  chmod 700 "$PG_TMP"
  as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --pwfile="$PG_TMP/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_TMP/initdb.log" 2>&1
  PORT=$(free_port)
  {
    printf '%s\n' "listen_addresses = '127.0.0.1'" "unix_socket_directories = '$PG_TMP/sock'" \
      "fsync = off" "synchronous_commit = off" "full_page_writes = off"
    local line
    for line in "$@"; do printf '%s\n' "$line"; done
  } >>"$PG_TMP/data/postgresql.conf"
  if (( EUID == 0 )); then
    (cd "$PG_TMP" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$PORT") >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
  else
    "$PG_BIN/postgres" -D "$PG_TMP/data" -p "$PORT" >>"$PG_TMP/postgres.log" 2>&1 </dev/null &
  fi
  PG_PID=$!
  for _ in $(seq 600); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres && break; sleep 0.1; done
  PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PGPASSWORD;Timeout=60;Command Timeout=0"
}

# Stops the cluster and removes its folder; safe to call when it never started.
pg_stop() {
  stop_pid "$PG_PID"; PG_PID=""
  if [[ -n "$PG_TMP" ]]; then rm -rf -- "$PG_TMP"; PG_TMP=""; fi
}

pg_version() { "$PG_BIN/postgres" -V | awk '{print $3}'; }

pgdb() { "$PG_BIN/$1" -h 127.0.0.1 -p "$PORT" -U postgres "${@:2}"; }

# One line on the machine, for the results.
machine() {
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr), .NET $(dotnet --version), PostgreSQL $(pg_version) (fsync off)"
}
