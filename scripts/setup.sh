#!/usr/bin/env bash
# Everything `make e2e` / `make test` need, from a bare Debian/Ubuntu machine:
# Python 3.10+, the virtual environment .venv with the project installed, and the
# two Chromium builds the suites drive (the headless shell for headless runs, the
# full Chromium for headed ones). Idempotent: with nothing to do it takes well
# under a second.
#
# Environment:
#   PYTHON                       interpreter to build .venv with (default: python3)
#   CHROMIUM_PATH                the Chromium to use (see fixtures/chromium.py)
#   SETUP_PLAYWRIGHT_TIMEOUT     seconds allowed to `playwright install chromium` (default: 120)
#   SETUP_SIMULATE_NO_CHROMIUM=1 testing aid: behave as if no Chromium existed, and
#                                print the install commands instead of running them
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.venv
VPY=$VENV/bin/python
INSTALLED_STAMP=$VENV/.installed
CHROMIUM_STAMP=$VENV/.chromium
SIMULATE_NO_CHROMIUM=${SETUP_SIMULATE_NO_CHROMIUM:-}

export PIP_DISABLE_PIP_VERSION_CHECK=1

# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

# One setup at a time for this checkout (two `make` runs side by side): lock the
# checkout's own folder, which needs no lock file and no write access.
if command -v flock >/dev/null 2>&1; then
    exec 9<"$ROOT"
    flock 9
fi

# 1. Python ---------------------------------------------------------------------

PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
    die "$PY not found: Python 3.10 or newer is required." \
        "Debian/Ubuntu: sudo apt-get install -y python3 python3-venv" \
        "(or point PYTHON at a Python 3.10+ interpreter)"
fi
if ! PY_VERSION=$("$PY" -c 'import sys; assert sys.version_info >= (3, 10); print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null); then
    die "$PY is $("$PY" --version 2>&1 || echo 'unusable'): Python 3.10 or newer is required." \
        "Install python3.10+ (Debian 12 and Ubuntu 22.04 ship it: sudo apt-get install -y python3 python3-venv)" \
        "and run again with PYTHON=/path/to/python3.1x if it is not the default python3."
fi
PY_MINOR=${PY_VERSION%.*}
say "python $PY_VERSION ($(command -v "$PY"))"

# 2. Virtual environment --------------------------------------------------------

# A venv of ours whose interpreter is gone or broken (Python upgraded, pyenv
# version removed) is rebuilt; someone else's is left alone.
if [ -e "$VENV" ] && ! "$VPY" -c 'import sys; assert sys.version_info >= (3, 10)' >/dev/null 2>&1; then
    if [ ! -O "$VENV" ]; then
        die ".venv does not work for $(id -un) and belongs to another user." \
            "Run as its owner, or remove it (make distclean) and run this again."
    fi
    say "venv broken: rebuilding"
    rm -rf "$VENV"
fi

VENV_LOG=$(mktemp)
trap 'rm -f "$VENV_LOG"' EXIT

make_venv() {
    if "$PY" -m venv "$VENV" >"$VENV_LOG" 2>&1 && "$VPY" -m pip --version >/dev/null 2>&1; then
        return 0
    fi
    rm -rf "$VENV" # never leave a half-made venv behind
    return 1
}

if [ -x "$VPY" ]; then
    say "venv ok"
else
    if ! make_venv; then
        # Bare Debian/Ubuntu: venv/ensurepip come in a separate package.
        fixed=
        if can_apt; then
            for pkg in python3-venv "python${PY_MINOR}-venv"; do
                if apt_install "$pkg" && make_venv; then
                    fixed=1
                    break
                fi
            done
        fi
        if [ -z "$fixed" ]; then
            sed 's/^/       | /' "$VENV_LOG" >&2
            if grep -qiE 'ensurepip|No module named venv' "$VENV_LOG"; then
                die "could not create .venv: Python's venv/ensurepip is missing. Run:" \
                    "sudo apt-get install -y python3-venv   (or python${PY_MINOR}-venv)" \
                    "then run this again."
            fi
            die "could not create .venv with $PY -m venv (output above)."
        fi
    fi
    say "venv created"
fi

# 3. The project ----------------------------------------------------------------

WANT=$(sha256sum pyproject.toml | cut -d' ' -f1)
HAVE=$(cat "$INSTALLED_STAMP" 2>/dev/null || true)
if [ "$WANT" = "$HAVE" ]; then
    say "project up to date"
else
    say "installing the project and its test tools (pip install -e '.[test]')"
    rm -f "$INSTALLED_STAMP" "$CHROMIUM_STAMP"
    # -q keeps pip's errors and warnings; the machine-wide pip config may name local
    # indexes that do not exist, which pip reports once per package: drop that noise.
    PIP_LOG=$(mktemp)
    pip_status=0
    "$VPY" -m pip install -q -e '.[test]' 2>"$PIP_LOG" || pip_status=$?
    grep -v "is ignored: it is neither a file nor a directory" "$PIP_LOG" >&2 || true
    rm -f "$PIP_LOG"
    [ "$pip_status" -eq 0 ] || die "pip install -e '.[test]' failed (errors above)."
    printf '%s\n' "$WANT" >"$INSTALLED_STAMP"
    say "project installed"
fi

# 4. Chromium -------------------------------------------------------------------
#
# Two builds, as Playwright uses them: Chromium's headless shell for headless
# runs (it starts and renders about twice as fast), the full Chromium for headed
# ones (--headed, make headed). fixtures/chromium.py chooses at every run; this
# makes sure both are here, and starts each once.

# "builds=2": stamps written before the headless shell was part of the set-up
# are stale, so a machine that lacks it gets it at the next `make setup`.
STAMP_KEY="builds=2 CHROMIUM_PATH=${CHROMIUM_PATH:-}"

# A headless shell now on the system (installed by hand since the last set-up).
system_shell_present() {
    command -v chromium-headless-shell >/dev/null 2>&1 || command -v chrome-headless-shell >/dev/null 2>&1
}

# Lines of `python -m fixtures.chromium --porcelain`: "<kind> <shell|full> <source> <executable>".
line_path() { printf '%s' "$1" | cut -d' ' -f4-; }
describe_line() {
    local build
    build=$(printf '%s' "$1" | cut -d' ' -f2)
    [ "$build" = shell ] && build="headless shell" || build="full Chromium"
    printf '%s, %s (%s)' "$build" "$(line_path "$1")" "$(printf '%s' "$1" | cut -d' ' -f3)"
}

HEADLESS=
HEADED=
stamp_valid() {
    [ -z "$SIMULATE_NO_CHROMIUM" ] && [ -r "$CHROMIUM_STAMP" ] || return 1
    local key headless headed
    {
        read -r key || true
        read -r headless || true
        read -r headed || true
    } <"$CHROMIUM_STAMP"
    [ "$key" = "$STAMP_KEY" ] || return 1
    [ -x "$(line_path "${headless:-}")" ] && [ -x "$(line_path "${headed:-}")" ] || return 1
    # Headless runs on the full build because no shell could be had: look again
    # as soon as one appears.
    case "$headless" in
        "headless full "*) [ -z "${CHROMIUM_PATH:-}" ] && system_shell_present && return 1 ;;
    esac
    HEADLESS=$headless
    HEADED=$headed
}

if stamp_valid; then
    say "chromium for headless runs: $(describe_line "$HEADLESS")"
    say "chromium for headed runs: $(describe_line "$HEADED")"
    exit 0
fi
rm -f "$CHROMIUM_STAMP"

# Playwright's driver is a Node.js binary in the wheel; on a bare Debian/Ubuntu it
# lacks libatomic1. Checked only here: a valid stamp above means it ran before.
DRIVER_LOG=$(mktemp)
trap 'rm -f "$VENV_LOG" "$DRIVER_LOG"' EXIT
if ! "$VENV/bin/playwright" --version >/dev/null 2>"$DRIVER_LOG"; then
    missing=$(grep -o 'lib[A-Za-z0-9_.+-]*\.so[.0-9]*' "$DRIVER_LOG" | sed -n 1p || true)
    case "$missing" in
        libatomic.so.1) pkg=libatomic1 ;;
        *) pkg= ;;
    esac
    if [ -n "$pkg" ] && can_apt; then
        apt_install "$pkg" || true
    fi
    if ! "$VENV/bin/playwright" --version >/dev/null 2>"$DRIVER_LOG"; then
        sed -n '1,20s/^/       | /p' "$DRIVER_LOG" >&2
        if [ -n "$pkg" ]; then
            die "Playwright's driver does not run: $missing is missing. Run:" \
                "sudo apt-get install -y $pkg" "then run this again."
        fi
        die "Playwright's driver (.venv/bin/playwright) does not run (output above)."
    fi
fi
say "playwright $("$VENV/bin/playwright" --version 2>/dev/null | sed 's/^Version //')"

FIND_OUTPUT=
# Sets HEADLESS and HEADED to what fixtures/chromium.py finds; true when both are found.
find_chromium() {
    HEADLESS=
    HEADED=
    if [ -n "$SIMULATE_NO_CHROMIUM" ]; then
        FIND_OUTPUT="no Chromium found (simulated by SETUP_SIMULATE_NO_CHROMIUM)"
        return 1
    fi
    local out
    out=$("$VPY" -m fixtures.chromium --porcelain 2>/dev/null || true)
    HEADLESS=$(printf '%s\n' "$out" | grep '^headless ' || true)
    HEADED=$(printf '%s\n' "$out" | grep '^headed ' || true)
    # The same complaint for both kinds (a bad CHROMIUM_PATH) is said once.
    FIND_OUTPUT=$(printf '%s\n' "$out" | grep -v '^head' | awk '!seen[$0]++' || true)
    [ -n "$HEADLESS" ] && [ -n "$HEADED" ]
}

# Runs an install command, or only shows it when simulating.
run() {
    if [ -n "$SIMULATE_NO_CHROMIUM" ]; then
        say "(simulated) would run: $*"
        return 0
    fi
    "$@"
}

try_playwright_install() {
    local log timeout_s=${SETUP_PLAYWRIGHT_TIMEOUT:-120}
    # Since Playwright 1.49, `install chromium` brings its headless shell too.
    say "no Chromium yet: trying playwright install chromium (at most ${timeout_s}s)"
    if [ -n "$SIMULATE_NO_CHROMIUM" ]; then
        run timeout "$timeout_s" "$VENV/bin/playwright" install chromium
        return 0
    fi
    log=$(mktemp)
    if timeout "$timeout_s" "$VENV/bin/playwright" install chromium >"$log" 2>&1; then
        rm -f "$log"
        return 0
    fi
    say "playwright install chromium failed: $({ grep -m 1 'Error' "$log" || tail -n 1 "$log"; } | cut -c1-160)"
    rm -f "$log"
    return 1
}

SHELL_TRIED=
# Debian's chromium-headless-shell (bookworm and later); Ubuntu has no such package.
apt_install_shell() {
    SHELL_TRIED=1
    if [ -n "$SIMULATE_NO_CHROMIUM" ]; then
        run apt-get install -y --no-install-recommends chromium-headless-shell
        return 0
    fi
    apt_install chromium-headless-shell
}

try_apt_install() {
    can_apt || return 1
    if [ -n "$SIMULATE_NO_CHROMIUM" ]; then
        run apt-get update
        run apt-get install -y --no-install-recommends chromium fonts-liberation
        apt_install_shell
        return 0
    fi
    # Debian: chromium. Ubuntu: chromium-browser (a snap wrapper: may not work in a container).
    apt_install chromium fonts-liberation || apt_install chromium-browser fonts-liberation || return 1
    apt_install_shell || say "chromium-headless-shell is not in this system's packages"
}

if ! find_chromium; then
    if [ -n "${CHROMIUM_PATH:-}" ] && [ -z "$SIMULATE_NO_CHROMIUM" ]; then
        # CHROMIUM_PATH is the user's choice: nothing is installed beside it.
        [ -n "$HEADLESS" ] || die "$FIND_OUTPUT"
        say "note: $FIND_OUTPUT"
    elif ! { try_playwright_install && find_chromium; }; then
        if ! { try_apt_install && find_chromium; }; then
            if can_apt; then
                die "no Chromium for the browser tests, and installing one failed (see above)." \
                    "Fix the apt-get error, or run .venv/bin/playwright install --with-deps chromium" \
                    "where the Playwright download is reachable, or set CHROMIUM_PATH=/path/to/chromium."
            elif has_apt; then
                die "no Chromium for the browser tests. Run:" \
                    "sudo apt-get install -y chromium chromium-headless-shell   (Ubuntu: .venv/bin/playwright install --with-deps chromium)" \
                    "or set CHROMIUM_PATH=/path/to/chromium, then run this again."
            else
                die "no Chromium for the browser tests. Run:" \
                    ".venv/bin/playwright install --with-deps chromium" \
                    "or install Chromium with your package manager and set CHROMIUM_PATH=/path/to/chromium."
            fi
        fi
    fi
fi

# The full build alone: headless runs would work, at half the speed. Get its shell.
case "$HEADLESS" in
    "headless full "*)
        if [ -z "${CHROMIUM_PATH:-}" ] && [ -z "$SHELL_TRIED" ] && can_apt; then
            apt_install_shell || say "chromium-headless-shell is not in this system's packages"
            find_chromium || true
        fi
        ;;
esac
case "$HEADLESS" in
    "headless full "*)
        if [ -z "${CHROMIUM_PATH:-}" ]; then
            say "no headless shell: headless runs use the full Chromium, about twice as slow. To get it:"
            if has_apt && is_debian_like; then
                say "  sudo apt-get install -y chromium-headless-shell   (then: make setup)"
            fi
            say "  or .venv/bin/playwright install chromium-headless-shell   (where Playwright's download is reachable)"
        fi
        ;;
esac

# First time with these builds: make sure each really starts (missing libraries, no sandbox...).
SMOKE_LOG=$(mktemp)
trap 'rm -f "$VENV_LOG" "$DRIVER_LOG" "$SMOKE_LOG"' EXIT
if ! "$VPY" -m fixtures.chromium --smoke >"$SMOKE_LOG" 2>&1; then
    if printf '%s\n%s\n' "$HEADLESS" "$HEADED" | grep -q ' playwright ' && can_apt; then
        say "Playwright's Chromium does not start: installing its system libraries"
        "$VENV/bin/playwright" install-deps chromium >/dev/null 2>&1 || true
    fi
    if ! "$VPY" -m fixtures.chromium --smoke >"$SMOKE_LOG" 2>&1; then
        # A CHROMIUM_PATH that is a headless shell has no headed build: only the headless one must start.
        if [ -n "$HEADED" ] || ! grep -q '^chromium ok (headless' "$SMOKE_LOG"; then
            sed -n '1,40s/^/       | /p' "$SMOKE_LOG" >&2
            die "a Chromium was found but does not start (output above)." \
                "Try: .venv/bin/python -m fixtures.chromium --smoke"
        fi
    fi
fi

say "chromium for headless runs: $(describe_line "$HEADLESS")"
if [ -n "$HEADED" ]; then
    say "chromium for headed runs: $(describe_line "$HEADED")"
    printf '%s\n%s\n%s\n' "$STAMP_KEY" "$HEADLESS" "$HEADED" >"$CHROMIUM_STAMP"
fi
