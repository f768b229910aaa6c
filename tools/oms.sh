#!/usr/bin/env bash
# Set-up, serve and test oms_logistics on a Debian machine. Called by the Makefile:
#   tools/oms.sh setup | run | test | test-core | odoo ARGS...
# Everything installed lives outside the repository: the virtualenv in $VENV, Odoo in $ODOO_SRC.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${OMS_STATE:-$HOME/.local/share/oms_logistics}"
VENV="${VENV:-$STATE/venv}"
ODOO_SRC="${ODOO_SRC:-/opt/odoo18}"
DB="${DB:-oms}"
TEST_DB="${TEST_DB:-oms_test}"
PORT="${PORT:-8069}"
PY="$VENV/bin/python"
LOGDIR="$STATE/log"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

say() { printf '\033[1m[oms]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[oms] %s\033[0m\n' "$*" >&2; exit 1; }

apt_install() {
    say "installing Debian packages: $*"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

ensure_system_packages() {
    local missing=()
    command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
    command -v pg_config >/dev/null || missing+=(libpq-dev)
    [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev libsasl2-dev)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

odoo_help() {
    cat >&2 <<MSG
[oms] Odoo 18.0 was not found.
      Odoo is not on PyPI or in Debian. Provide it in one of two ways:
        1. put an Odoo 18.0 Community source tree (with odoo-bin and setup.py) at
           $ODOO_SRC, or point ODOO_SRC at one:  make test ODOO_SRC=/path/to/odoo
           e.g. git clone --depth 1 -b 18.0 https://github.com/odoo/odoo.git $ODOO_SRC
           then run the same make command again, with ODOO_SRC=/path/to/odoo if elsewhere
        2. or install it into the virtualenv $VENV yourself
           (pip install --no-deps -e /path/to/odoo --config-settings editable_mode=compat)
MSG
    exit 1
}

# Odoo's version read from its release.py without importing the package, whose
# __init__ needs the Python requirements that may not be installed yet
odoo_version() {
    "$PY" - 2>/dev/null <<'PY'
import importlib.util, os, runpy
spec = importlib.util.find_spec("odoo")
path = os.path.join(next(iter(spec.submodule_search_locations)), "release.py")
print("%s.%s" % runpy.run_path(path)["version_info"][:2])
PY
}

require_odoo() {
    # say so before installing anything when Odoo cannot be found at all
    if ! odoo_version >/dev/null && ! { [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/setup.py" ]; }; then
        odoo_help
    fi
}

ensure_venv() {
    if [ ! -x "$PY" ]; then
        say "creating virtualenv $VENV"
        mkdir -p "$(dirname "$VENV")"
        python3 -m venv "$VENV"
        "$PY" -m pip install -q -U pip setuptools wheel
    fi
    if ! odoo_version >/dev/null; then
        [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/setup.py" ] || odoo_help
        say "installing Odoo from $ODOO_SRC into $VENV"
        # compat mode puts the source on sys.path, so odoo stays a regular package next to the
        # odoo.addons namespace that the OCA wheels install into site-packages
        # setuptools prints thousands of packaging warnings for Odoo's tree: keep them in a log
        mkdir -p "$STATE"
        "$PY" -m pip install -q --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat \
            >"$STATE/odoo-install.log" 2>&1 || { tail -20 "$STATE/odoo-install.log" >&2; die "installing Odoo failed (log: $STATE/odoo-install.log)"; }
    fi
    local version; version="$(odoo_version)"
    [ "$version" = "18.0" ] || die "the Odoo found in $VENV is ${version:-unreadable}, not 18.0"
    local stamp="$VENV/.oms-requirements"
    if ! cmp -s "$REPO/requirements.txt" "$stamp"; then
        say "installing Python requirements"
        "$PY" -m pip install -q -r "$REPO/requirements.txt"
        cp "$REPO/requirements.txt" "$stamp"
    fi
}

ensure_postgres() {
    local ver
    ver="$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')"
    if [ -z "$ver" ]; then
        ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
        $SUDO pg_createcluster "$ver" main >/dev/null
    fi
    if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
        say "starting PostgreSQL $ver"
        $SUDO pg_ctlcluster "$ver" main start
    fi
    local me; me="$(id -un)"
    if ! su postgres -c "psql -tAc \"select 1 from pg_roles where rolname='$me'\"" 2>/dev/null | grep -q 1; then
        say "creating PostgreSQL role $me"
        if [ "$(id -u)" -eq 0 ]; then su postgres -c "createuser -s $me"; else sudo -u postgres createuser -s "$me"; fi
    fi
}

setup() {
    require_odoo
    ensure_system_packages
    ensure_venv
    ensure_postgres
    mkdir -p "$LOGDIR"
}

odoo() {
    "$PY" -m odoo --addons-path="$REPO" "$@"
}

db_exists() { psql -lqt postgres | cut -d'|' -f1 | grep -qw "$1"; }

run() {
    setup
    if ! db_exists "$DB" || ! psql -d "$DB" -tAc "select 1 from ir_module_module where name='oms_logistics' and state='installed'" 2>/dev/null | grep -q 1; then
        say "creating database $DB with oms_logistics and the real data sample (about a minute, once)"
        dropdb --if-exists "$DB" 2>/dev/null
        odoo -d "$DB" -i oms_logistics --stop-after-init --log-level=warn
    fi
    say "starting the server on http://localhost:$PORT  (login: admin / password: admin)  Ctrl-C stops"
    # queue_job server-wide: its job runner then runs the batches' background jobs in this server
    exec "$PY" -m odoo --addons-path="$REPO" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
        --load=base,web,queue_job --log-level=info
}

summary_from_log() {
    # Odoo's runner logs "N failed, N error(s) of N tests"; turn it into the plain summary line
    "$PY" "$REPO/tools/test_summary.py" "$@"
}

run_tests() {
    setup
    dropdb --if-exists "$TEST_DB" 2>/dev/null
    local log="$LOGDIR/test-$(date +%Y%m%d-%H%M%S).log"
    say "lint (ruff)"
    local lint_rc=0
    "$VENV/bin/ruff" check "$REPO/oms_logistics" "$REPO/bench" "$REPO/tools" || lint_rc=$?
    say "pure-Python tests (no database)"
    local lib_rc=0
    "$PY" -m pytest -p no:odoo -p no:cacheprovider --import-mode=importlib -q "$REPO/oms_logistics/tests/lib" \
        | tee "$log.lib" || lib_rc=$?
    say "Odoo tests on a fresh database $TEST_DB (log: $log)"
    local odoo_rc=0
    odoo -d "$TEST_DB" -i oms_logistics --test-enable --test-tags "/oms_logistics" \
        --stop-after-init --log-level=test --http-port=8169 ${OMS_TEST_ARGS:-} 2>&1 | tee "$log" || odoo_rc=$?
    [ "$lint_rc" -eq 0 ] || lib_rc=$lint_rc
    summary_from_log "$log.lib" "$log" "$lib_rc" "$odoo_rc"
}

test_core() {
    setup
    local db="${TEST_DB}_core"
    dropdb --if-exists "$db"
    odoo -d "$db" -i oms_logistics --stop-after-init --log-level=warn
    local log="$LOGDIR/test-core-$(date +%Y%m%d-%H%M%S).log"
    odoo -d "$db" -u sale,sale_stock,stock --test-enable --test-tags "/sale,/sale_stock,/stock" \
        --stop-after-init --log-level=test --http-port=8170 2>&1 | tee "$log" || true
    summary_from_log "" "$log" 0 0
}

export_pot() {
    setup
    local db="${TEST_DB}_i18n"
    dropdb --if-exists "$db"
    odoo -d "$db" -i oms_logistics --without-demo=all --stop-after-init --log-level=warn
    odoo -d "$db" --i18n-export="$REPO/oms_logistics/i18n/oms_logistics.pot" --modules=oms_logistics \
        --stop-after-init --log-level=warn
    dropdb --if-exists "$db"
    say "wrote oms_logistics/i18n/oms_logistics.pot; update es.po with: msgmerge -U --no-fuzzy-matching oms_logistics/i18n/es.po oms_logistics/i18n/oms_logistics.pot"
}

cmd="${1:-}"; shift || true
case "$cmd" in
    setup) setup ;;
    run) run ;;
    test) run_tests ;;
    test-core) test_core ;;
    pot) export_pot ;;
    bench)
        # bench/import_orders.py: oms_logistics import vs Odoo's standard import, on a
        # database without demo data (BENCH_DB, created once); extra arguments go to the script
        setup
        bench_db="${BENCH_DB:-oms_bench}"
        if ! db_exists "$bench_db" || ! psql -d "$bench_db" -tAc \
                "select 1 from ir_module_module where name='oms_logistics' and state='installed'" 2>/dev/null | grep -q 1 \
            || psql -d "$bench_db" -tAc "select 1 from ir_module_module where demo" 2>/dev/null | grep -q 1; then
            say "creating database $bench_db with oms_logistics, without demo data (a few minutes, once)"
            dropdb --if-exists "$bench_db"
            odoo -d "$bench_db" -i oms_logistics --without-demo=all --stop-after-init --log-level=warn
        else
            say "updating oms_logistics in $bench_db"
            odoo -d "$bench_db" -u oms_logistics --stop-after-init --log-level=warn
        fi
        # exec: bash does not read this file again after minutes of benchmark
        exec "$PY" "$REPO/bench/import_orders.py" -d "$bench_db" --addons-path "$REPO" "$@" ;;
    odoo) setup >/dev/null; odoo "$@" ;;
    *) die "usage: tools/oms.sh setup|run|test|test-core|odoo ARGS" ;;
esac
