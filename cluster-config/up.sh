#!/usr/bin/env bash
# Bring the whole registry up on this machine, in the background: PostgreSQL, N silos on
# loopback ports and one API host. Run it again at any time: processes already running are left
# alone, missing ones are started. Bring it down with cluster-config/down.sh.
#
# Usage: up.sh [--no-build]
#   --no-build   skip `dotnet build Cluster.sln -c Release` (use the binaries already built)
#
# Environment:
#   SILOS                 number of silos (default 3); silo i uses silo port 11110+i,
#                         gateway port 30000+i and HTTP port 8080+i (dashboard on silo 1: 8081)
#   REGISTRY_UP_TIMEOUT   seconds to wait for each process to become ready (default 120)
#   and the REGISTRY_PG_* / REGISTRY_DB variables of postgres.sh
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

HERE="$REGISTRY_ROOT/cluster-config"
SILOS="${SILOS:-3}"
TIMEOUT="${REGISTRY_UP_TIMEOUT:-120}"
RUN_DIR="$REGISTRY_ROOT/.local/run"
# Every process of one cluster shares these; a second cluster on the same database would need
# its own ClusterId (ServiceId stays: it keys grain state and reminders).
CLUSTER_ID=registry-local
SERVICE_ID=population-registry
SILO_DLL="$REGISTRY_ROOT/src/Registry.Silo/bin/Release/net10.0/Registry.Silo.dll"
API_DLL="$REGISTRY_ROOT/src/Registry.Api/bin/Release/net10.0/Registry.Api.dll"
API_PORT=8080

build=1
for arg in "$@"; do
    case "$arg" in
    --no-build) build=0 ;;
    -h | --help)
        sed -n '/^# Usage/,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$arg' (try --help)" ;;
    esac
done
[[ "$SILOS" =~ ^[1-9][0-9]*$ ]] || die "SILOS must be a positive number, got '$SILOS'"

# start_process NAME DLL [VAR=VALUE...]: start `dotnet DLL` detached, with its pid in
# RUN_DIR/NAME.pid and its output in RUN_DIR/NAME.log, unless the pid file names a live process
# of that DLL already. Remaining arguments are the process's extra environment.
start_process() {
    local name="$1" dll="$2"
    shift 2
    local pidfile="$RUN_DIR/$name.pid" logfile="$RUN_DIR/$name.log"
    if pid_alive "$pidfile" "$(basename "$dll")"; then
        log "$name already running (pid $(<"$pidfile"))"
        return
    fi
    [[ -f "$dll" ]] || die "$dll not found; run without --no-build"
    log "starting $name"
    # Start from the output folder: the host's content root (appsettings*.json) is the working
    # directory. nohup and </dev/null detach it from this terminal; exec keeps $! the real pid.
    (
        cd "$(dirname "$dll")"
        exec nohup env "$@" dotnet "$dll" </dev/null >"$logfile" 2>&1
    ) &
    echo "$!" >"$pidfile"
}

# check_ports NAME PORT...: refuse to start a process whose ports another program holds, which
# would otherwise surface only as a bind error deep in its log.
check_ports() {
    local name="$1" port
    shift
    pid_alive "$RUN_DIR/$name.pid" && return 0
    for port in "$@"; do
        if port_in_use "$port"; then
            die "port $port (for $name) is already in use by another program; free it or run down.sh"
        fi
    done
}

# await NAME URL: wait until NAME answers 200 on URL; on failure show its log and stop.
await() {
    local name="$1" url="$2" pid
    pid="$(<"$RUN_DIR/$name.pid")"
    if ! wait_http "$url" "$TIMEOUT" "$pid"; then
        echo "---- last lines of $RUN_DIR/$name.log ----" >&2
        tail -n 40 "$RUN_DIR/$name.log" >&2 || true
        echo "----" >&2
        die "$name is not ready; processes already started keep running (cluster-config/down.sh stops them)"
    fi
    log "$name ready: $url"
}

cd "$REGISTRY_ROOT"
if ((build)); then
    log "building Cluster.sln (Release)"
    dotnet build Cluster.sln -c Release
fi

"$HERE/postgres.sh" start
CS="$("$HERE/postgres.sh" url)"
mkdir -p "$RUN_DIR"

common_env=(
    "ConnectionStrings__Registry=$CS"
    "Orleans__ClusterId=$CLUSTER_ID"
    "Orleans__ServiceId=$SERVICE_ID"
    "DOTNET_ENVIRONMENT=Development"
    "ASPNETCORE_ENVIRONMENT=Development"
)

# Start every silo first, then wait: silos join the cluster in parallel.
for ((i = 1; i <= SILOS; i++)); do
    check_ports "silo-$i" $((11110 + i)) $((30000 + i)) $((8080 + i))
    start_process "silo-$i" "$SILO_DLL" "${common_env[@]}" \
        "Silo__Name=silo-$i" \
        "Silo__SiloPort=$((11110 + i))" \
        "Silo__GatewayPort=$((30000 + i))" \
        "ASPNETCORE_URLS=http://127.0.0.1:$((8080 + i))"
done
for ((i = 1; i <= SILOS; i++)); do
    await "silo-$i" "http://127.0.0.1:$((8080 + i))/health/ready"
done

# The API connects as a cluster client, so it starts once gateways are there.
check_ports api "$API_PORT"
start_process api "$API_DLL" "${common_env[@]}" "ASPNETCORE_URLS=http://127.0.0.1:$API_PORT"
await api "http://127.0.0.1:$API_PORT/health/ready"

echo
echo "Registry is up: $SILOS silo(s) and one API (cluster $CLUSTER_ID)."
echo "  API reference   http://127.0.0.1:$API_PORT/scalar"
echo "  OpenAPI         http://127.0.0.1:$API_PORT/openapi/v1.json"
echo "  dashboard       http://127.0.0.1:8081/dashboard"
for ((i = 1; i <= SILOS; i++)); do
    echo "  silo-$i health   http://127.0.0.1:$((8080 + i))/health/ready"
done
echo "  API health      http://127.0.0.1:$API_PORT/health/ready"
echo "  logs            $RUN_DIR"
echo "  database        cluster-config/postgres.sh psql   (connection string: postgres.sh url)"
echo "bring it down with: cluster-config/down.sh"
