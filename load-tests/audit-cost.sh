#!/usr/bin/env bash
# What the audit costs person reads (issue 11): the same reads of GET /residents/{n} through the API of up.sh (port
# 8080, every read audited before its answer leaves) and through a second API process on the same cluster and
# database with the audit off (port 8090; ASPNETCORE_ENVIRONMENT=Benchmark, the one environment that honours
# Registry:Audit:OffForBenchmark), alternated ROUNDS times in one run so that the machine's noise falls on both. The
# load generator's reports go to load-tests/reports/audit-cost.md; the audit rows written during the run are counted.
#
# Usage: SILOS=1 cluster-config/up.sh; load-tests/audit-cost.sh [ROUNDS] [SECONDS]
#   ROUNDS    pairs of runs, audit on then off (default 3)
#   SECONDS   measured seconds of each run, after 5 s of warm-up (default 20)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../cluster-config/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cluster-config/lib/common.sh"

ROUNDS="${1:-3}"
SECONDS_EACH="${2:-20}"
RUN_DIR="$REGISTRY_ROOT/.local/run"
API_DLL="$REGISTRY_ROOT/src/Registry.Api/bin/Release/net10.0/Registry.Api.dll"
LOAD_DLL="$REGISTRY_ROOT/load-tests/Registry.LoadTests/bin/Release/net10.0/Registry.LoadTests.dll"
REPORT="$REGISTRY_ROOT/load-tests/reports/audit-cost.md"
ON=http://127.0.0.1:8080
OFF_PORT=8090
OFF="http://127.0.0.1:$OFF_PORT"

[[ -f "$RUN_DIR/token-central-administrator" ]] || die "no token in $RUN_DIR: run cluster-config/up.sh first"
port_in_use 8080 || die "nothing answers on $ON: run cluster-config/up.sh first"
port_in_use "$OFF_PORT" && die "port $OFF_PORT is in use; stop what holds it"
[[ -f "$LOAD_DLL" ]] || dotnet build "$REGISTRY_ROOT/load-tests/Registry.LoadTests" -c Release >/dev/null

CS="$("$REGISTRY_ROOT/cluster-config/postgres.sh" url)"
log "starting a second API on $OFF with the audit off (benchmark environment)"
(
    cd "$(dirname "$API_DLL")"
    # Exported rather than given on the command line, where any user could read the signing key.
    export ConnectionStrings__Registry="$CS" Orleans__ClusterId=registry-local Orleans__ServiceId=population-registry \
        ASPNETCORE_ENVIRONMENT=Benchmark DOTNET_ENVIRONMENT=Benchmark ASPNETCORE_URLS="$OFF" \
        Registry__Auth__Issuer=registry-local Registry__Auth__Audience=registry-api \
        Registry__Auth__SigningKey="$(<"$RUN_DIR/signing-key")" \
        Registry__RateLimits__CentralAdministrator=100000000 Registry__Audit__OffForBenchmark=true
    exec dotnet "$API_DLL" </dev/null >"$RUN_DIR/api-audit-off.log" 2>&1
) &
off_pid=$!
trap 'kill "$off_pid" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
    curl -fsS "$OFF/health/ready" >/dev/null 2>&1 && break
    sleep 1
done
curl -fsS "$OFF/health/ready" >/dev/null || die "the second API did not become ready; see $RUN_DIR/api-audit-off.log"

audit_rows() { "$REGISTRY_ROOT/cluster-config/postgres.sh" psql -Atc "SELECT count(*) FROM registry.audit_entry"; }

append=()
before="$(audit_rows)"
for ((round = 1; round <= ROUNDS; round++)); do
    for target in "$ON" "$OFF"; do
        log "round $round: reads through $target"
        REGISTRY_TOKEN="$(<"$RUN_DIR/token-central-administrator")" dotnet "$LOAD_DLL" read --api "$target" \
            --concurrency 32 --duration "$SECONDS_EACH" --warmup 5 --pool-size 2000 --report "$REPORT" "${append[@]}"
        append=(--append)
    done
done
log "audit rows written during the run: $(($(audit_rows) - before))"
