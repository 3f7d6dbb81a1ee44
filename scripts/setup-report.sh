#!/usr/bin/env bash
# What `make report` needs beyond `make setup`: Node.js 18 or newer with npm, and
# Allure 3's command line, installed from npm into node_modules/ as package.json and
# package-lock.json pin it. Idempotent: with nothing to do it takes well under a second.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
STAMP=$ROOT/node_modules/.installed
SAY_PREFIX=setup-report
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

node_major() { node -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 || [ "$(node_major)" -lt 18 ]; then
    if can_apt; then
        apt_install nodejs npm || true
    fi
    if ! command -v npm >/dev/null 2>&1 || [ "$(node_major)" -lt 18 ]; then
        die "the Allure report needs Node.js 18 or newer and npm ($(node --version 2>/dev/null || echo 'no node found'))." \
            "Install them (Debian/Ubuntu: sudo apt-get install -y nodejs npm; elsewhere: your system's packages" \
            "or nodejs.org), then run make report again. The HTML report reports/report.html needs neither."
    fi
fi

WANT=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -x node_modules/.bin/allure ] && [ "$(cat "$STAMP" 2>/dev/null || true)" = "$WANT" ]; then
    exit 0
fi
say "installing Allure's command line (npm ci, node $(node --version))"
npm ci --no-audit --no-fund --loglevel=error
printf '%s\n' "$WANT" >"$STAMP"
say "allure $(node_modules/.bin/allure --version 2>/dev/null | tail -n 1)"
