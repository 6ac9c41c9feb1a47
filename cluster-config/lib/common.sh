# shellcheck shell=bash
# Helpers shared by the cluster-config scripts. Source it; it defines functions and a few
# variables and runs nothing else. The sourcing script sets `set -euo pipefail` itself.

# Resolve the repository root from this file's own location rather than the caller's working
# directory or git, so the scripts also work from an exported tarball and from any folder.
REGISTRY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export REGISTRY_ROOT

# Keep `dotnet` quiet and deterministic in scripts and CI logs.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The PostgreSQL major version the project is developed and tested against.
REGISTRY_PG_MAJOR=15
# PostgreSQL refuses to run as root, so when we are root its commands run as this OS user
# (created by the Debian package).
REGISTRY_PG_OS_USER="${REGISTRY_PG_OS_USER:-postgres}"

_script_name="$(basename "${0:-registry}")"

# Logs go to stderr so that commands such as `postgres.sh url` keep stdout clean for callers.
log() { printf '[%s] %s\n' "$_script_name" "$*" >&2; }
warn() { printf '[%s] warning: %s\n' "$_script_name" "$*" >&2; }
die() {
    printf '[%s] error: %s\n' "$_script_name" "$*" >&2
    exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# run_as_pg CMD [ARGS...]: run a PostgreSQL command as the user allowed to own the cluster.
# As root that is the postgres OS user; otherwise it is the caller. The command starts from /
# because the caller's folder (often under /root) may not be readable by that user, and
# PostgreSQL tools complain when they cannot return to their starting directory.
run_as_pg() {
    if is_root; then
        (cd / && runuser -u "$REGISTRY_PG_OS_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}

# pg_can_reach DIR: true when the cluster's OS user can traverse DIR (every parent included),
# which the server needs for its data directory and socket.
pg_can_reach() {
    local dir="$1"
    if is_root; then
        runuser -u "$REGISTRY_PG_OS_USER" -- test -x "$dir" 2>/dev/null
    else
        test -x "$dir"
    fi
}

# own_pg_dir DIR: create DIR, private (0700 is required by the server for its data directory),
# and owned by the OS user that runs PostgreSQL.
own_pg_dir() {
    local dir="$1"
    mkdir -p "$dir"
    if is_root; then
        chown "$REGISTRY_PG_OS_USER:" "$dir"
    fi
    chmod 700 "$dir"
}

_pg_bin_candidate() {
    # Print the folder holding initdb, pg_ctl and postgres, or fail.
    local pg_ctl dir
    if [[ -n "${REGISTRY_PG_BIN:-}" ]]; then
        dir="$REGISTRY_PG_BIN"
    elif pg_ctl="$(command -v pg_ctl 2>/dev/null)" && command -v initdb >/dev/null &&
        command -v postgres >/dev/null; then
        # Follow symlinks (e.g. /usr/local/bin/pg_ctl): the real folder also holds psql and
        # matches what pg_ctl itself uses to find the postgres binary.
        dir="$(dirname "$(readlink -f "$pg_ctl")")"
    else
        dir="/usr/lib/postgresql/$REGISTRY_PG_MAJOR/bin"
    fi
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]] || return 1
    printf '%s\n' "$dir"
}

# find_pg_bin: set PG_BIN to the folder of the PostgreSQL server binaries, installing
# PostgreSQL from Debian's packages when it is missing (a fresh CI machine has none).
find_pg_bin() {
    if PG_BIN="$(_pg_bin_candidate)"; then
        return 0
    fi
    [[ -z "${REGISTRY_PG_BIN:-}" ]] || die "REGISTRY_PG_BIN=$REGISTRY_PG_BIN does not hold initdb, pg_ctl and postgres"
    is_root || die "PostgreSQL $REGISTRY_PG_MAJOR not found; install postgresql-$REGISTRY_PG_MAJOR or set REGISTRY_PG_BIN"
    command -v apt-get >/dev/null || die "PostgreSQL $REGISTRY_PG_MAJOR not found and apt-get is not available"
    log "PostgreSQL $REGISTRY_PG_MAJOR not found; installing postgresql-$REGISTRY_PG_MAJOR"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$REGISTRY_PG_MAJOR" >&2
    PG_BIN="$(_pg_bin_candidate)" || die "postgresql-$REGISTRY_PG_MAJOR installed but its binaries were not found"
}

# pg_tool NAME: path of a PostgreSQL client tool, preferring the server's own folder so that
# client and server versions match.
pg_tool() {
    if [[ -n "${PG_BIN:-}" && -x "$PG_BIN/$1" ]]; then
        printf '%s\n' "$PG_BIN/$1"
    else
        command -v "$1" || die "$1 not found"
    fi
}

# free_port: print a TCP port on 127.0.0.1 that nothing listens on. The kernel picks it, so two
# concurrent runs do not collide on a guessed number; a tiny race until the caller binds it
# remains, which is acceptable for tests.
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
        return
    fi
    # Without python: try random high ports until a connection is refused.
    local port i
    for ((i = 0; i < 100; i++)); do
        port=$((20000 + RANDOM % 40000))
        if ! port_in_use "$port"; then
            printf '%s\n' "$port"
            return
        fi
    done
    die "no free TCP port found"
}

# wait_http URL TIMEOUT_SECONDS [PID]: poll URL until it answers HTTP 200. Returns 1 on timeout,
# or at once when PID is given and that process has exited (no point waiting for a dead one).
wait_http() {
    local url="$1" timeout="$2" pid="${3:-}" deadline code
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)"
        [[ "$code" == 200 ]] && return 0
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            warn "process $pid exited while waiting for $url"
            return 1
        fi
        sleep 1
    done
    warn "$url did not answer 200 within ${timeout}s (last status: ${code:-none})"
    return 1
}

# pid_alive PIDFILE [CMDLINE_PART]: true when the pid file names a live process and, if given,
# its command line contains CMDLINE_PART (guards against a recycled pid after a reboot).
pid_alive() {
    local pidfile="$1" expect="${2:-}" pid
    [[ -f "$pidfile" ]] || return 1
    pid="$(<"$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -n "$expect" && -r "/proc/$pid/cmdline" ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$expect" || return 1
    fi
    return 0
}

# port_in_use PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
