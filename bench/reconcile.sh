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
source "$ROOT/bench/lib.sh"
log() { printf '[bench] %s\n' "$*" >&2; }
trap pg_stop EXIT

log "building Release"
dotnet build bench/Baoxue.ReconBench -c Release -v quiet -nologo >/dev/null
BENCH="$ROOT/bench/Baoxue.ReconBench/bin/Release/net10.0/Baoxue.ReconBench.dll"

pg_start "max_wal_size = 4GB" "shared_buffers = 1GB"
PG="$PG;Database=postgres"
log "PostgreSQL $(pg_version) on port $PORT"

mkdir -p bench/results
OUT=bench/results/reconcile.tsv
printf 'case\trows\tseconds\tdetail\n' >"$OUT"
for n in $SIZES; do
  # E2E=all runs end to end at every size (the province needs about twice the memory of the in-memory cases).
  e2e=""; (( n > 1000000 )) && [[ "${E2E:-}" != all ]] && e2e="no-e2e"
  log "size $n, load average $(load_avg)"
  dotnet "$BENCH" "$n" "$PG" $e2e | tee -a "$OUT" || log "size $n failed"
  log "size $n done, load average $(load_avg)"
done
