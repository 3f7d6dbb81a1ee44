# Shell helpers shared by scripts/setup.sh and scripts/setup-report.sh (sourced).
# SAY_PREFIX names the script in its messages.

say() { printf '%s: %s\n' "${SAY_PREFIX:-setup}" "$*"; }
die() {
    printf '%s: ERROR: %s\n' "${SAY_PREFIX:-setup}" "$1" >&2
    shift
    local line
    for line in "$@"; do printf '       %s\n' "$line" >&2; done
    exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }
has_apt() { command -v apt-get >/dev/null 2>&1; }
is_debian_like() {
    [ -r /etc/os-release ] || return 1
    (
        . /etc/os-release
        case " ${ID:-} ${ID_LIKE:-} " in
            *" debian "* | *" ubuntu "*) exit 0 ;;
            *) exit 1 ;;
        esac
    )
}
can_apt() { is_root && has_apt && is_debian_like; }

APT_UPDATED=
apt_install() {
    if [ -z "$APT_UPDATED" ]; then
        say "apt-get update"
        apt-get update -qq || return 1
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

