#!/usr/bin/env bash
# Run the project's Python (.venv, or $MXSETTINGS_TEST_PYTHON) with the given arguments inside a private
# session, as the tests and the benchmarks need it: a throwaway HOME/XDG tree, Qt offscreen, and a private
# D-Bus session with an unlocked gnome-keyring Secret Service. The bus and the keyring stop when the command
# exits; its exit status is returned.
#   bash scripts/private-session.sh -m pytest tests/unit      # what scripts/run-tests.sh does
#   bash scripts/private-session.sh -m bench --only startup   # what scripts/run-bench.sh does
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

python="${MXSETTINGS_TEST_PYTHON:-$repo/.venv/bin/python}"
if [ ! -x "$python" ]; then
    echo "private-session: $python not found; run \`make venv\` first" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "private-session: $tool not found; run \`make system-deps\` (Debian: dbus-daemon gnome-keyring)" >&2
        exit 2
    fi
done

session_home="$(mktemp -d "${TMPDIR:-/tmp}/mxsettings-session-home.XXXXXX")"
cleanup() { rm -rf "$session_home"; }
trap cleanup EXIT

export HOME="$session_home"
export XDG_CONFIG_HOME="$session_home/.config"
export XDG_DATA_HOME="$session_home/.local/share"
export XDG_CACHE_HOME="$session_home/.cache"
export XDG_STATE_HOME="$session_home/.local/state"
export XDG_RUNTIME_DIR="$session_home/runtime"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen
# Nothing from the caller's desktop session may leak in (a DISPLAY without a bus makes libdbus autolaunch
# a dbus-daemon that outlives the run).
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS PYTHON_KEYRING_BACKEND GNOME_KEYRING_CONTROL \
    SSH_AUTH_SOCK
export MXSETTINGS_TEST_KEYRING_PASSWORD="keyring-pass-$RANDOM$RANDOM"

# The keyring password goes in on stdin; without --unlock there is no login collection (keyring then
# wants a GUI prompt). dbus-run-session stops the bus when the command exits, and gnome-keyring-daemon with it.
set +e
dbus-run-session -- sh -c '
    printf %s "$MXSETTINGS_TEST_KEYRING_PASSWORD" |
        gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 3
    unset MXSETTINGS_TEST_KEYRING_PASSWORD
    exec "$0" "$@"
' "$python" "$@"
rc=$?
set -e
exit "$rc"
