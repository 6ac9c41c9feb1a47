#!/usr/bin/env bash
# Bring the local registry down: the API first (so no new requests reach the cluster), then
# every silo, then PostgreSQL. Data stays in the PostgreSQL data directory, so people registered
# before are still there after the next up.sh.
#
# Usage: down.sh [--purge]
#   --purge   also delete the local PostgreSQL data directory (a clean slate)
#
# Environment:
#   REGISTRY_DOWN_TIMEOUT   seconds to wait after SIGTERM before SIGKILL (default 30)
#   and the REGISTRY_PG_* variables of postgres.sh
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

HERE="$REGISTRY_ROOT/cluster-config"
RUN_DIR="$REGISTRY_ROOT/.local/run"
TIMEOUT="${REGISTRY_DOWN_TIMEOUT:-30}"

purge=0
for arg in "$@"; do
    case "$arg" in
    --purge) purge=1 ;;
    -h | --help)
        sed -n '/^# Usage/,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument '$arg' (try --help)" ;;
    esac
done

# stop_group PIDFILE...: SIGTERM every live process named by the pid files at once (a silo
# shutting down gracefully hands its grains over and leaves the membership table, which takes
# seconds; in parallel the wait is paid once), wait up to TIMEOUT seconds, then SIGKILL the rest.
stop_group() {
    local pidfile pid name pids=() names=()
    for pidfile in "$@"; do
        [[ -f "$pidfile" ]] || continue
        name="$(basename "$pidfile" .pid)"
        # The command line check keeps us from signalling an unrelated process that reused a
        # stale pid.
        if pid_alive "$pidfile" "dotnet"; then
            pid="$(<"$pidfile")"
            log "stopping $name (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            names+=("$name")
        else
            log "$name was not running"
            rm -f "$pidfile"
        fi
    done
    ((${#pids[@]})) || return 0

    local deadline=$((SECONDS + TIMEOUT)) alive i
    while :; do
        alive=0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        ((alive)) || break
        ((SECONDS < deadline)) || break
        sleep 1
    done
    for i in "${!pids[@]}"; do
        if kill -0 "${pids[$i]}" 2>/dev/null; then
            warn "${names[$i]} did not stop within ${TIMEOUT}s; killing it"
            kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
        rm -f "$RUN_DIR/${names[$i]}.pid"
    done
}

if [[ -d "$RUN_DIR" ]]; then
    stop_group "$RUN_DIR/api.pid"
    # Every silo with a pid file, not just 1..SILOS: an earlier up.sh may have started more.
    shopt -s nullglob
    silo_pidfiles=("$RUN_DIR"/silo-*.pid)
    shopt -u nullglob
    stop_group "${silo_pidfiles[@]}"
fi

if ((purge)); then
    "$HERE/postgres.sh" purge
else
    "$HERE/postgres.sh" stop
fi
log "down; logs kept in $RUN_DIR"
