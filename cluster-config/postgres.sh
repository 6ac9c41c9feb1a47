#!/usr/bin/env bash
# Project-local PostgreSQL for development and tests: one private cluster per checkout, listening
# only on 127.0.0.1, so nothing on the machine has to be set up by hand and nothing system-wide
# (the distribution's own cluster on 5432, /var/run/postgresql) is touched.
#
# Usage: postgres.sh start|stop|status|url|dir|psql [ARGS]|purge
#   start   create the cluster if needed, start it, ensure role, database and migrations
#   stop    fast shutdown (active sessions are rolled back); fine when already stopped
#   status  print "running" (exit 0) or "stopped" (exit 3, as pg_ctl and LSB scripts do)
#   url     print the application connection string
#   dir     print the data directory in use
#   psql    open psql as the application role (extra arguments go to psql)
#   purge   stop and delete the data directory
#
# Environment:
#   REGISTRY_PG_DIR      data directory (default <repo>/.local/postgres, see resolve_pg_dir)
#   REGISTRY_PG_PORT     TCP port on 127.0.0.1 (default 5433, beside a system cluster on 5432)
#   REGISTRY_DB          database name (default registry)
#   REGISTRY_PG_MIGRATE  0 skips the schema migrations (the tests apply them themselves)
#   REGISTRY_PG_FAST     1 turns off fsync for throw-away test clusters (data lost on OS crash)
#   REGISTRY_PG_BIN      folder of initdb/pg_ctl/postgres when they are not found on their own
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

PG_PORT="${REGISTRY_PG_PORT:-5433}"
PG_DB="${REGISTRY_DB:-registry}"
# The application role. Its password is the local development password only: the cluster
# listens on loopback alone and is never a deployment; real deployments take the connection
# string from their environment (see cluster-config/deploy/).
APP_ROLE=registry
APP_PASSWORD=registry
# Superuser created by initdb; reached only through the Unix socket with peer authentication.
SUPERUSER=postgres

[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "REGISTRY_PG_PORT must be a number, got '$PG_PORT'"
# Plain identifiers only: they are used unquoted in connection strings.
[[ "$PG_DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "REGISTRY_DB must be a lower-case identifier, got '$PG_DB'"

CS="Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DB;Username=$APP_ROLE;Password=$APP_PASSWORD"

# resolve_pg_dir: set PG_DIR (absolute) and PG_DIR_WHY. The server runs as the postgres OS user
# when we are root, and it must traverse every parent of its data directory. A checkout under
# /root (mode 0700) does not allow that, so the default then moves to a per-checkout folder
# under /var/tmp, named by a hash of the repository path so two checkouts never share data.
resolve_pg_dir() {
    if [[ -n "${REGISTRY_PG_DIR:-}" ]]; then
        PG_DIR="$REGISTRY_PG_DIR"
        [[ "$PG_DIR" == /* ]] || PG_DIR="$PWD/$PG_DIR"
        PG_DIR_WHY="from REGISTRY_PG_DIR"
        return
    fi
    local local_dir="$REGISTRY_ROOT/.local"
    mkdir -p "$local_dir"
    if pg_can_reach "$local_dir"; then
        PG_DIR="$local_dir/postgres"
        PG_DIR_WHY="default"
    else
        local hash
        hash="$(printf '%s' "$REGISTRY_ROOT" | sha256sum | cut -c1-12)"
        PG_DIR="/var/tmp/registry-pg-$hash"
        PG_DIR_WHY="$local_dir is not reachable by the $REGISTRY_PG_OS_USER user"
    fi
}

pg_ctl_() { run_as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" "$@"; }

is_running() { [[ -d "$PG_DIR" ]] && pg_ctl_ status >/dev/null 2>&1; }

# Port of the running server, from line 4 of postmaster.pid.
running_port() { sed -n 4p "$PG_DIR/postmaster.pid" 2>/dev/null || true; }

# Superuser session over the Unix socket in the data directory.
admin_psql() {
    run_as_pg "$(pg_tool psql)" -X -q -v ON_ERROR_STOP=1 \
        -h "$PG_DIR" -p "$PG_PORT" -U "$SUPERUSER" -d postgres "$@"
}

init_cluster() {
    own_pg_dir "$PG_DIR"
    if [[ -f "$PG_DIR/PG_VERSION" ]]; then
        return
    fi
    [[ -z "$(ls -A "$PG_DIR")" ]] || die "$PG_DIR is neither empty nor a PostgreSQL data directory; refusing to touch it"

    # C.UTF-8 sorts by code point like C but knows UTF-8 character classes; use it where the
    # system has it (glibc lists it as C.utf8).
    local locale=C
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        locale=C.UTF-8
    fi
    log "initialising a PostgreSQL $REGISTRY_PG_MAJOR cluster in $PG_DIR (locale $locale)"
    local out
    if ! out="$(run_as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U "$SUPERUSER" -E UTF8 --locale="$locale" \
        --auth-local=peer --auth-host=scram-sha-256 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "initdb failed"
    fi

    if ! is_root && [[ "$(id -un)" != "$SUPERUSER" ]]; then
        # Peer authentication matches OS user to database user. Without root the cluster belongs
        # to the caller, so let that OS user in as the superuser and everyone else as themselves.
        printf 'owner %s %s\nowner /^(.*)$ \\1\n' "$(id -un)" "$SUPERUSER" |
            run_as_pg tee -a "$PG_DIR/pg_ident.conf" >/dev/null
        run_as_pg sed -i -E '/^local[[:space:]]/ s/peer$/peer map=owner/' "$PG_DIR/pg_hba.conf"
    fi
    # Settings that depend on the environment live in registry.conf, rewritten on every start.
    printf "\n# Local settings written by cluster-config/postgres.sh on every start.\ninclude_if_exists = 'registry.conf'\n" |
        run_as_pg tee -a "$PG_DIR/postgresql.conf" >/dev/null
}

write_settings() {
    local sock_dir="${PG_DIR//\'/\'\'}"
    {
        echo "# Written by cluster-config/postgres.sh on every start; change the script, not this file."
        # Loopback only: this cluster is for one machine's development and tests.
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $PG_PORT"
        # The socket sits in the data directory itself, so no root-owned /var/run folder is
        # needed and two checkouts never fight over the same socket name.
        echo "unix_socket_directories = '$sock_dir'"
        # Several silos, the API and test hosts each keep an Npgsql pool (default 100). A test run
        # has several three-silo clusters at once, each with two pools per silo, under bursts of
        # hundreds of concurrent grain writes: it gets more.
        if [[ "${REGISTRY_PG_FAST:-0}" == 1 ]]; then
            echo "max_connections = 1000"
        else
            echo "max_connections = 300"
        fi
        echo "log_line_prefix = '%m [%p] %q%u@%d '"
        if [[ "${REGISTRY_PG_FAST:-0}" == 1 ]]; then
            # Throw-away test cluster: durability against an OS crash is not worth the fsyncs.
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } | run_as_pg tee "$PG_DIR/registry.conf" >/dev/null
}

ensure_role_and_db() {
    # \gexec runs the generated statement only when the row exists, which makes the script
    # idempotent; CREATE DATABASE cannot run inside a DO block. CREATEDB lets tests create
    # scratch databases; the password is reset each time so the dev credentials always work.
    admin_psql -v role="$APP_ROLE" -v password="$APP_PASSWORD" -v db="$PG_DB" <<'SQL'
SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN CREATEDB PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'role', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
}

migrate() {
    if [[ "${REGISTRY_PG_MIGRATE:-1}" == 0 ]]; then
        log "migrations skipped (REGISTRY_PG_MIGRATE=0)"
        return
    fi
    # Always build (incrementally: a no-op when nothing changed): the migrations are embedded in the build, so a
    # build left from before a pull would apply the old set and report the schema up to date.
    local project="$REGISTRY_ROOT/src/Registry.Admin/Registry.Admin.csproj"
    local dll="$REGISTRY_ROOT/src/Registry.Admin/bin/Release/net10.0/Registry.Admin.dll"
    log "building Registry.Admin (Release) to apply this checkout's migrations"
    dotnet build "$project" -c Release -v quiet -nologo >&2 || die "building $project failed; no migration applied"
    log "applying schema migrations to $PG_DB"
    # Schema changes are a deliberate step run here, never hidden in silo start-up.
    dotnet "$dll" migrate --connection "$CS"
}

cmd_start() {
    find_pg_bin
    resolve_pg_dir
    log "data directory: $PG_DIR ($PG_DIR_WHY)"
    local parent
    parent="$(dirname "$PG_DIR")"
    mkdir -p "$parent"
    pg_can_reach "$parent" || die "$parent is not reachable by the $REGISTRY_PG_OS_USER user; choose another REGISTRY_PG_DIR"
    # A Unix socket path is limited to 107 bytes.
    local sock="$PG_DIR/.s.PGSQL.$PG_PORT"
    ((${#sock} <= 107)) || die "socket path $sock is too long for a Unix socket; set a shorter REGISTRY_PG_DIR"

    if is_running; then
        local port
        port="$(running_port)"
        [[ -z "$port" || "$port" == "$PG_PORT" ]] ||
            die "the cluster in $PG_DIR is already running on port $port, not $PG_PORT; stop it first"
        log "already running on 127.0.0.1:$PG_PORT"
    else
        init_cluster
        write_settings
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        if ! pg_ctl_ start -w -t 60 -s -l "$PG_DIR/postgres.log" >&2; then
            tail -n 30 "$PG_DIR/postgres.log" >&2 || true
            die "PostgreSQL did not start; log: $PG_DIR/postgres.log"
        fi
    fi
    ensure_role_and_db
    migrate
    log "ready: $CS"
}

cmd_stop() {
    PG_BIN="$(_pg_bin_candidate)" || return 0
    resolve_pg_dir
    if is_running; then
        log "stopping PostgreSQL in $PG_DIR"
        pg_ctl_ stop -m fast -w -t 60 -s >&2
    else
        log "not running ($PG_DIR)"
    fi
}

cmd_status() {
    if PG_BIN="$(_pg_bin_candidate)"; then
        resolve_pg_dir
        if is_running; then
            echo running
            return 0
        fi
    fi
    echo stopped
    return 3
}

cmd_purge() {
    cmd_stop
    resolve_pg_dir
    [[ -e "$PG_DIR" ]] || return 0
    # Only ever delete something that is recognisably a cluster (or empty), never whatever a
    # mistyped REGISTRY_PG_DIR points at.
    if [[ -f "$PG_DIR/PG_VERSION" || -z "$(ls -A "$PG_DIR")" ]]; then
        log "deleting $PG_DIR"
        rm -rf "$PG_DIR"
    else
        die "$PG_DIR does not look like a PostgreSQL data directory; not deleting it"
    fi
}

cmd_psql() {
    find_pg_bin
    local psql
    psql="$(pg_tool psql)"
    PGPASSWORD="$APP_PASSWORD" exec "$psql" -h 127.0.0.1 -p "$PG_PORT" -U "$APP_ROLE" -d "$PG_DB" "$@"
}

main() {
    local cmd="${1:-}"
    if [[ $# -gt 0 ]]; then
        shift
    fi
    case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) printf '%s\n' "$CS" ;;
    dir)
        resolve_pg_dir
        printf '%s\n' "$PG_DIR"
        ;;
    psql) cmd_psql "$@" ;;
    purge) cmd_purge ;;
    *)
        sed -n '/^# Usage/,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}" >&2
        exit 2
        ;;
    esac
}

main "$@"
