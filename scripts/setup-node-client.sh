#!/usr/bin/env bash
# What e2e/test_node_client.py needs beyond `make setup`: Node.js 20.18.1 or newer with
# npm, and the Node example's packages (openid-client 6, undici 7) installed from npm
# into examples/node_client/node_modules/ as its package-lock.json pins them.
# Idempotent: with nothing to do it takes well under a second.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
APP=$ROOT/examples/node_client
STAMP=$APP/node_modules/.installed
SAY_PREFIX=setup-node-client
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

NEED=20.18.1
# 0 when node is at least $NEED (openid-client 6 wants Node 20, undici 7 20.18.1).
node_recent() {
    node -e 'const [a, b, c] = process.versions.node.split(".").map(Number), [x, y, z] = process.argv[1].split(".").map(Number);
             process.exit(a !== x ? (a > x ? 0 : 1) : b !== y ? (b > y ? 0 : 1) : c >= z ? 0 : 1)' "$NEED" 2>/dev/null
}

if ! command -v npm >/dev/null 2>&1 || ! node_recent; then
    if can_apt; then
        apt_install nodejs npm || true
    fi
    if ! command -v npm >/dev/null 2>&1 || ! node_recent; then
        die "the Node client example (e2e/test_node_client.py) needs Node.js $NEED or newer and npm ($(node --version 2>/dev/null || echo 'no node found'))." \
            "Install them (Debian/Ubuntu: NodeSource's nodejs 20 or 22 packages, or nodejs.org; Debian 12's own nodejs is 18)," \
            "then run: bash scripts/setup-node-client.sh"
    fi
fi

WANT=$(sha256sum "$APP/package-lock.json" | cut -d' ' -f1)
if [ -f "$APP/node_modules/openid-client/package.json" ] && [ "$(cat "$STAMP" 2>/dev/null || true)" = "$WANT" ]; then
    exit 0
fi
say "installing the Node client example's packages (npm ci, node $(node --version))"
npm ci --prefix "$APP" --no-audit --no-fund --loglevel=error
printf '%s\n' "$WANT" >"$STAMP"
say "openid-client $(node -p 'require(process.argv[1]).version' "$APP/node_modules/openid-client/package.json")"
