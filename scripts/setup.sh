#!/usr/bin/env bash
# Set up heza-geo on this machine; safe to run again (fast when nothing changed).
#
#   scripts/setup.sh run     .venv + requirements.lock + heza_geo (editable) + the map's JS/CSS in
#                            static/vendor (default)
#   scripts/setup.sh test    as run, but requirements-dev.lock (the runtime pins + test and lint
#                            tools) instead of requirements.lock, plus, for the browser tests,
#                            Debian's chromium and fonts (apt-get, only if missing), and for the
#                            PostGIS store tests Debian's PostgreSQL + PostGIS (the tests start and
#                            stop a private server themselves; no system service is used)
#                            and, for the several-processes test, Debian's nginx
#   scripts/setup.sh serve   as run, plus Debian's nginx (python -m heza_geo serve)
#   scripts/setup.sh assets  reinstall the map's JS/CSS: npm ci, then heza_geo.maps.assets install
#
# Needs python3 (with venv; python3-venv is apt-installed if missing and we are root), and
# node/npm. Python packages come only from the lock files, each pinned with its sha256 hashes
# (`pip install --require-hashes`); the human-edited requirements*.txt are their inputs, and
# `make lock` recompiles and upgrades them. Then the package itself: `pip install --no-deps -e .`.
# Each step is skipped when its stamp matches the sha256 of the files it depends on:
#   .venv/.stamp-requirements{,-dev}   the lock file + pyproject.toml + requirements.txt (the
#                                      package's metadata lists requirements.txt)
#   node_modules/.stamp-npm            package.json + package-lock.json
#   static/vendor/.stamp-assets        package-lock.json + heza_geo/maps/assets.py
# Browsers are never downloaded (no `playwright install`): tests use /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MODE="${1:-run}"
VENV=.venv
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 DEBIAN_FRONTEND=noninteractive
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
digest() { cat "$@" 2>/dev/null | sha256sum | cut -c1-32; }
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# apt_install PKG... : install the Debian packages that are not installed yet.
# Returns 1 (after saying why) when they are missing and cannot be installed here.
APT_UPDATED=0
apt_install() {
    local missing=() pkg sudo=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "missing ${missing[*]} and there is no apt-get here: install them yourself"
        return 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            say "missing ${missing[*]}; not root and no password-less sudo, so skipping."
            say "  install them with: sudo apt-get install ${missing[*]}"
            return 1
        fi
    fi
    say "apt-get install ${missing[*]}"
    if [ "$APT_UPDATED" -eq 0 ]; then
        "${sudo[@]}" apt-get update -qq || { say "apt-get update failed"; return 1; }
        APT_UPDATED=1
    fi
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
        || { say "apt-get install ${missing[*]} failed"; return 1; }
}

setup_venv() {
    command -v python3 >/dev/null 2>&1 || die "python3 not found"
    if [ ! -x "$PY" ]; then
        say "creating $VENV with $(python3 --version 2>&1)"
        if ! python3 -m venv "$VENV" 2>/dev/null; then
            # Debian's python3 has no ensurepip until python3-venv (python3.X-venv) is installed.
            rm -rf "$VENV"
            local ver
            ver="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            apt_install "python${ver}-venv" || die "python3 -m venv failed; install python${ver}-venv"
            python3 -m venv "$VENV" || die "python3 -m venv failed"
        fi
    fi
}

# pip_install LOCKFILE : the locked packages (hashes checked), then heza_geo itself, editable.
# The stamp is .venv/.stamp-<lock file's name>: the digest of the lock and of PACKAGE_INPUTS.
PACKAGE_INPUTS=(pyproject.toml requirements.txt)
pip_install() {
    local lock="$1" stamp want
    stamp="$VENV/.stamp-$(basename "$lock" .lock)"
    want="$(digest "$lock" "${PACKAGE_INPUTS[@]}")"
    if stamp_ok "$stamp" "$want"; then
        say "$lock: up to date"
        return 0
    fi
    [ -f "$lock" ] || die "$lock is missing: run make lock"
    say "pip install --require-hashes -r $lock"
    "$PY" -m pip install -q --progress-bar off --require-hashes -r "$lock"
    say "pip install --no-deps -e . (heza_geo, editable)"
    "$PY" -m pip install -q --progress-bar off --no-deps -e .
    # heza-geo's metadata lists requirements.txt: a requirement added there but not locked yet
    # shows up here, as does a lock that does not hold together.
    "$PY" -m pip check >&2 || die "the installed packages do not match requirements.txt: run make lock"
    echo "$want" >"$stamp"
}

setup_assets() {
    local force="${1:-}" npm_want assets_want
    if ! command -v npm >/dev/null 2>&1; then
        apt_install npm || die "npm not found: the map's JS/CSS are installed with npm (package.json)"
    fi
    npm_want="$(digest package.json package-lock.json)"
    if [ -n "$force" ] || ! stamp_ok node_modules/.stamp-npm "$npm_want"; then
        if [ -f package-lock.json ]; then
            say "npm ci"
            npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
        else
            say "npm install (no package-lock.json yet: commit the one it writes)"
            npm install --ignore-scripts --no-audit --no-fund --loglevel=error
        fi
        echo "$npm_want" >node_modules/.stamp-npm
    fi
    assets_want="$(digest package-lock.json heza_geo/maps/assets.py)"
    if [ -n "$force" ] || ! stamp_ok static/vendor/.stamp-assets "$assets_want" \
        || ! "$PY" -m heza_geo.maps.assets check 2>/dev/null; then
        say "copying the map's JS/CSS into static/vendor"
        "$PY" -m heza_geo.maps.assets install
        echo "$assets_want" >static/vendor/.stamp-assets
    else
        say "static/vendor: up to date"
    fi
}

setup_browser() {
    local ok=1
    if [ ! -x /usr/bin/chromium ]; then
        apt_install chromium || ok=0
    fi
    apt_install fonts-noto-cjk fonts-dejavu-core || ok=0
    if [ "$ok" -eq 0 ]; then
        say "WARNING: chromium/fonts not installed: the browser tests (tests/e2e) will be skipped"
    fi
    # the investor pack's tests read its PDF back as images (pdftoppm) and decode its QR codes (zbarimg)
    apt_install poppler-utils zbar-tools || say "WARNING: poppler-utils/zbar-tools not installed: the pack's QR test is skipped"
}

setup_postgis() {
    # Metapackages: Debian's default PostgreSQL major version and the PostGIS built for it.
    if ! apt_install postgresql postgresql-postgis; then
        say "WARNING: PostgreSQL/PostGIS not installed: the PostGIS store tests (tests/store) will be skipped"
    fi
}

# Several app processes behind a reverse proxy (heza_geo.cluster). Debian's package does not start
# a system service where there is no init (containers, CI); ours runs with its own config anyway.
setup_proxy() {
    if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        apt_install nginx || say "WARNING: nginx not installed: several app processes cannot be served (and their test is skipped)"
    fi
}

# Exports (heza_geo.export) draw text in five languages: DejaVu (bundled with matplotlib) covers
# Vietnamese, Noto CJK covers Korean, Japanese and Chinese; Chromium renders snapshots when present.
setup_export_fonts() {
    apt_install fonts-noto-cjk fonts-dejavu-core \
        || say "WARNING: no CJK fonts: ko/ja/zh exports drawn without a browser will show empty boxes"
}

case "$MODE" in
    run)
        setup_venv
        pip_install requirements.lock
        setup_assets
        setup_export_fonts
        ;;
    test)
        setup_venv
        pip_install requirements-dev.lock
        # requirements-dev.lock holds requirements.lock's pins (requirements-dev.txt has
        # `-c requirements.lock`), so `make run` needs no second pip run.
        digest requirements.lock "${PACKAGE_INPUTS[@]}" >"$VENV/.stamp-requirements"
        setup_assets
        setup_browser
        setup_postgis
        setup_proxy
        ;;
    serve)
        setup_venv
        pip_install requirements.lock
        setup_assets
        setup_export_fonts
        setup_proxy
        ;;
    assets)
        setup_venv
        pip_install requirements.lock
        setup_assets force
        ;;
    *)
        die "unknown mode '$MODE' (use: run, test, serve or assets)"
        ;;
esac
say "done ($MODE)"
