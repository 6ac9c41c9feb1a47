#!/usr/bin/env bash
# Run every test of the solution on a machine where nothing was set up by hand: start a
# throw-away PostgreSQL on a free port in a fresh folder, point the tests at it, run
# `dotnet test`, remove the cluster again, and finish with one line
# "N passed, N failed, N skipped".
#
# Usage: test.sh [dotnet test arguments...]     e.g. test.sh --filter "Category!=Browser"
#
# Environment:
#   REGISTRY_TEST_RESULTS   folder for the .trx files (default <repo>/TestResults/<timestamp>)
#   REGISTRY_TEST_TIMEOUT   limit for the whole `dotnet test` run, as for timeout(1)
#                           (default 80m, inside CI's 90 minutes; 0 means none)
#   REGISTRY_CHROMIUM       the Chromium the browser tests start (default /usr/bin/chromium)
#
# Needs Node.js and npm for the OpenAPI linter, installed with `npm ci` into cluster-config/tools/openapi-lint.
# The browser tests (Category=Browser) drive Debian's `chromium` package, installed here with apt-get when missing.
#
# The tests receive REGISTRY_TEST_CONNECTION, a connection string for the role `registry` to an
# empty database `registry_test`. No migrations are applied here: the tests apply them (and check
# that applying them twice is harmless). The role may CREATE DATABASE for scratch databases.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

HERE="$REGISTRY_ROOT/cluster-config"
TIMEOUT="${REGISTRY_TEST_TIMEOUT:-80m}"
RESULTS="${REGISTRY_TEST_RESULTS:-$REGISTRY_ROOT/TestResults/$(date +%Y%m%d-%H%M%S)}"

# A fresh folder per run, so runs never see each other's data. It must be traversable by the
# postgres OS user that owns the data directory inside it.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/registry-test.XXXXXX")"
chmod 755 "$WORK"
PG_PORT="$(free_port)"

# The test cluster: own folder and port, no migrations, no fsync (nothing here must survive a
# crash of the machine).
test_pg() {
    REGISTRY_PG_DIR="$WORK/pg" REGISTRY_PG_PORT="$PG_PORT" REGISTRY_DB=registry_test \
        REGISTRY_PG_MIGRATE=0 REGISTRY_PG_FAST=1 "$HERE/postgres.sh" "$@"
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    test_pg stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# Turn Ctrl-C and termination into a normal exit so that the EXIT trap removes the cluster.
trap 'exit 130' INT
trap 'exit 143' TERM

if ! test_pg start; then
    # Still end with the summary line that CI reads.
    warn "the test database did not start; no test ran"
    printf '0 passed, 0 failed, 0 skipped\n'
    exit 1
fi
REGISTRY_TEST_CONNECTION="$(test_pg url)"
export REGISTRY_TEST_CONNECTION

# The OpenAPI linter the API tests run on the API's document, pinned by its package-lock.json. Installed
# from the npm registry when missing or not the locked version; it runs offline (see tools/openapi-lint).
LINT="$HERE/tools/openapi-lint"
locked_linter() { node -p "require('$LINT/package-lock.json').packages['node_modules/@redocly/cli'].version"; }
installed_linter() { node -p "require('$LINT/node_modules/@redocly/cli/package.json').version" 2>/dev/null || true; }
if [[ "$(installed_linter)" != "$(locked_linter)" ]]; then
    log "installing the OpenAPI linter (npm ci in $LINT)"
    # A failed install fails the linter's test with a message naming the folder; every other test still runs.
    (cd "$LINT" && npm ci --no-audit --no-fund --ignore-scripts) || warn "npm ci in $LINT failed"
fi

# The browser tests drive the Chromium of Debian's `chromium` package through Playwright, never a browser Playwright
# downloads (that would fetch from outside the package feeds, and nobody updates it with the system). Installed when
# missing and this user may; otherwise the browser tests fail with a message naming the package: they are not skipped.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CHROMIUM="${REGISTRY_CHROMIUM:-/usr/bin/chromium}"
export REGISTRY_CHROMIUM="$CHROMIUM"
install_chromium() {
    local -a as_root=()
    if ! is_root; then
        sudo -n true 2>/dev/null || return 1
        as_root=(sudo -n)
    fi
    command -v apt-get >/dev/null || return 1
    log "Chromium not found at $CHROMIUM; installing Debian's chromium package"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
}
if [[ ! -x "$CHROMIUM" ]]; then
    if [[ "$CHROMIUM" != /usr/bin/chromium ]] || ! install_chromium || [[ ! -x "$CHROMIUM" ]]; then
        warn "no Chromium at $CHROMIUM (install Debian's chromium package as root, or set REGISTRY_CHROMIUM): the browser tests will fail"
    fi
fi

mkdir -p "$RESULTS"
# The browser tests save their screenshots there too.
export REGISTRY_TEST_RESULTS="$RESULTS"
cd "$REGISTRY_ROOT"
log "running dotnet test (results in $RESULTS)"
rc=0
# --foreground keeps Ctrl-C working; the limit stops a hung test before CI's own limit does, so
# the summary and the cleanup still happen.
timeout --foreground "$TIMEOUT" \
    dotnet test Cluster.sln -c Release \
    --logger "trx;LogFilePrefix=tests" --results-directory "$RESULTS" "$@" || rc=$?
if ((rc == 124)); then
    warn "dotnet test did not finish within $TIMEOUT"
fi

# counter NAME LINE: value of attribute NAME in a trx <Counters .../> element (0 when absent).
# The leading space keeps "passed" from matching "passedButRunAborted".
counter() {
    local value
    value="$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
    printf '%s\n' "${value:-0}"
}

# Sum the run counters of every trx file: each test project writes one.
passed=0 failed=0 skipped=0
while IFS= read -r -d '' trx; do
    line="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)"
    [[ -n "$line" ]] || continue
    passed=$((passed + $(counter passed "$line")))
    failed=$((failed + $(counter failed "$line") + $(counter error "$line") +
        $(counter timeout "$line") + $(counter aborted "$line")))
    # A skipped test is counted in "total" but not in "executed" (its "notExecuted" stays 0).
    skipped=$((skipped + $(counter total "$line") - $(counter executed "$line")))
done < <(find "$RESULTS" -name '*.trx' -print0)

# A run in which nothing ran proves nothing, and a failure must fail the run even if the
# runner said otherwise.
if ((rc == 0 && failed > 0)); then
    rc=1
fi
if ((rc == 0 && passed + failed == 0)); then
    warn "no test ran"
    rc=1
fi
log "test results: $RESULTS"
printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
exit "$rc"
