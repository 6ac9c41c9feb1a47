#!/usr/bin/env bash
# Bring the whole registry up on this machine, in the background: PostgreSQL, N silos on
# loopback ports and one API host. Run it again at any time: processes already running are left
# alone, missing ones are started. Bring it down with cluster-config/down.sh.
#
# The API only answers callers with a bearer token. The first run makes a random signing key in
# .local/run/signing-key (kept, so tokens stay valid across runs); every run writes fresh tokens
# for a central administrator and for a provincial officer of Hà Nội (001) beside it.
#
# The national commune lists (communes-2024.csv, communes-2025.csv) are reference data kept outside
# the repository, in ../shared/data beside it (or $REGISTRY_REFERENCE_DATA). When they are there,
# every run imports them with `Registry.Admin communes import` (the same list again changes nothing;
# the 2025 one is held until the 2025 reorganisation); without them, provinces keep the communes
# central administrators add one by one.
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
ADMIN_DLL="$REGISTRY_ROOT/src/Registry.Admin/bin/Release/net10.0/Registry.Admin.dll"
API_PORT=8080
# Connections kept back from the registry's processes: PostgreSQL's superuser reserve (3), Registry.Admin (migrate,
# bulk-load's parallel files), the scenarios' invariant checks and an operator's psql.
RESERVED_CONNECTIONS=50
# Bearer tokens: who issues them and for whom (not secret), and where the signing key is kept.
AUTH_ISSUER=registry-local
AUTH_AUDIENCE=registry-api
SIGNING_KEY_FILE="$RUN_DIR/signing-key"
TOKEN_HOURS=24

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
    # The environment is exported rather than given to env(1), whose arguments (the signing key
    # among them) any user could read in the process list.
    (
        cd "$(dirname "$dll")"
        # shellcheck disable=SC2163 # the arguments are VAR=VALUE pairs, exported as such
        export "$@"
        exec nohup dotnet "$dll" </dev/null >"$logfile" 2>&1
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

# ensure_signing_key: create SIGNING_KEY_FILE (32 random bytes as base64, readable by this user
# only) unless it exists. Keeping it means tokens minted earlier stay valid after a restart.
ensure_signing_key() {
    [[ -s "$SIGNING_KEY_FILE" ]] && return 0
    log "creating the token signing key $SIGNING_KEY_FILE"
    (
        umask 077
        head -c 32 /dev/urandom | base64 >"$SIGNING_KEY_FILE.tmp"
    )
    mv "$SIGNING_KEY_FILE.tmp" "$SIGNING_KEY_FILE"
}

# mint_token FILE ARGS...: write a token from `Registry.Admin token ARGS...` to FILE, readable by
# this user only.
mint_token() {
    local file="$1"
    shift
    (
        umask 077
        export "${auth_env[@]}"
        dotnet "$ADMIN_DLL" token --hours "$TOKEN_HOURS" "$@" >"$file.tmp"
    ) || die "could not mint a token with $ADMIN_DLL"
    mv "$file.tmp" "$file"
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
# The connection budget (README, "Connection budget"): every process, the silos and the API, keeps two Npgsql pools on
# this string (Orleans' providers and the registry's own data source). Uncapped (100 each) they could ask for more
# connections than PostgreSQL has, and a burst was refused mid-request (53300); capped, a burst waits for a connection.
max_connections="$("$HERE/postgres.sh" psql -X -Atc 'SHOW max_connections')"
pool_size=$(((max_connections - RESERVED_CONNECTIONS) / ((SILOS + 1) * 2)))
((pool_size >= 5)) || die "max_connections ($max_connections) leaves $pool_size connections per pool for $SILOS silos and the API; raise it or start fewer silos"
CS="$CS;Maximum Pool Size=$pool_size"
log "connection budget: $max_connections connections, $RESERVED_CONNECTIONS kept back, $pool_size per pool of $((SILOS + 1)) processes"
mkdir -p "$RUN_DIR"
ensure_signing_key
# The API and the silos (their dashboard) check tokens with these; Registry.Admin signs them with the same.
auth_env=(
    "Registry__Auth__Issuer=$AUTH_ISSUER"
    "Registry__Auth__Audience=$AUTH_AUDIENCE"
    "Registry__Auth__SigningKey=$(<"$SIGNING_KEY_FILE")"
)

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
        "Silo__HttpPort=$((8080 + i))" \
        "${auth_env[@]}"
done
for ((i = 1; i <= SILOS; i++)); do
    await "silo-$i" "http://127.0.0.1:$((8080 + i))/health/ready"
done

# The API connects as a cluster client, so it starts once gateways are there.
check_ports api "$API_PORT"
# The load generator drives the API with the central administrator's token at thousands of requests a second:
# that client's budget is raised here, on the local cluster only.
start_process api "$API_DLL" "${common_env[@]}" "${auth_env[@]}" "ASPNETCORE_URLS=http://127.0.0.1:$API_PORT" \
    "Registry__RateLimits__CentralAdministrator=100000000"
await api "http://127.0.0.1:$API_PORT/health/ready"

ADMIN_TOKEN_FILE="$RUN_DIR/token-central-administrator"
OFFICER_TOKEN_FILE="$RUN_DIR/token-provincial-officer-001"
mint_token "$ADMIN_TOKEN_FILE" --role central-administrator --subject local-admin
mint_token "$OFFICER_TOKEN_FILE" --role provincial-officer --subject local-officer-001 --province 001
OPERATOR_TOKEN_FILE="$RUN_DIR/token-operator"
mint_token "$OPERATOR_TOKEN_FILE" --role operator --subject local-operator

REFERENCE_DATA="${REGISTRY_REFERENCE_DATA:-$REGISTRY_ROOT/../shared/data}"
for list in communes-2024.csv communes-2025.csv; do
    if [[ -f "$REFERENCE_DATA/$list" ]]; then
        log "importing the commune list $REFERENCE_DATA/$list"
        REGISTRY_TOKEN="$(<"$ADMIN_TOKEN_FILE")" dotnet "$ADMIN_DLL" communes import \
            --file "$REFERENCE_DATA/$list" --api "http://127.0.0.1:$API_PORT" ||
            die "the commune list $list was not imported"
    else
        log "no commune list $REFERENCE_DATA/$list: provinces keep the communes added through the API"
    fi
done

echo
echo "Registry is up: $SILOS silo(s) and one API (cluster $CLUSTER_ID)."
echo "  API reference   http://127.0.0.1:$API_PORT/scalar"
echo "  OpenAPI         http://127.0.0.1:$API_PORT/openapi/v1.json"
echo "  dashboard       http://127.0.0.1:8081/dashboard/ (operators only: send \"Authorization: Bearer \$(cat $OPERATOR_TOKEN_FILE)\", see README)"
for ((i = 1; i <= SILOS; i++)); do
    echo "  silo-$i health   http://127.0.0.1:$((8080 + i))/health/ready"
done
echo "  API health      http://127.0.0.1:$API_PORT/health/ready"
echo "  metrics         http://127.0.0.1:$API_PORT/metrics and /metrics on each silo's port (operators only, as the dashboard)"
echo "  logs            $RUN_DIR"
echo "  tokens (${TOKEN_HOURS} h)   central administrator: $ADMIN_TOKEN_FILE"
echo "                  provincial officer of 001: $OFFICER_TOKEN_FILE"
echo "                  e.g. curl -H \"Authorization: Bearer \$(cat $ADMIN_TOKEN_FILE)\" http://127.0.0.1:$API_PORT/provinces/001"
echo "  another token   Registry__Auth__Issuer=$AUTH_ISSUER Registry__Auth__Audience=$AUTH_AUDIENCE \\"
echo "                  Registry__Auth__SigningKey=\$(cat $SIGNING_KEY_FILE) \\"
echo "                  dotnet $ADMIN_DLL token --role citizen --subject someone"
echo "  database        cluster-config/postgres.sh psql   (connection string: postgres.sh url)"
echo "bring it down with: cluster-config/down.sh"
