#!/usr/bin/env bash
# Run pytest the way CI does: a throwaway HOME/XDG tree, Qt offscreen, and a private D-Bus session with an
# unlocked gnome-keyring Secret Service. Synapse and its SMTP sink are started and stopped by pytest's
# session fixtures (tests/integration/conftest.py). Arguments go to pytest.
#   bash scripts/run-tests.sh                                   # the whole suite
#   bash scripts/run-tests.sh tests/integration -k smoke -x     # a part of it
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

python="${MXSETTINGS_TEST_PYTHON:-$repo/.venv/bin/python}"
if [ ! -x "$python" ]; then
    echo "run-tests: $python not found; run \`make venv\` first" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run-tests: $tool not found; run \`make system-deps\` (Debian: dbus-daemon gnome-keyring)" >&2
        exit 2
    fi
done

test_home="$(mktemp -d "${TMPDIR:-/tmp}/mxsettings-test-home.XXXXXX")"
cleanup() { rm -rf "$test_home"; }
trap cleanup EXIT

export HOME="$test_home"
export XDG_CONFIG_HOME="$test_home/.config"
export XDG_DATA_HOME="$test_home/.local/share"
export XDG_CACHE_HOME="$test_home/.cache"
export XDG_STATE_HOME="$test_home/.local/state"
export XDG_RUNTIME_DIR="$test_home/runtime"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen
# Nothing from the caller's desktop session may leak in (a DISPLAY without a bus makes libdbus autolaunch
# a dbus-daemon that outlives the run).
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS PYTHON_KEYRING_BACKEND GNOME_KEYRING_CONTROL \
    SSH_AUTH_SOCK
export MXSETTINGS_TEST_KEYRING_PASSWORD="keyring-pass-$RANDOM$RANDOM"

# The keyring password goes in on stdin; without --unlock there is no login collection (keyring then
# wants a GUI prompt). dbus-run-session stops the bus when pytest exits, and gnome-keyring-daemon with it.
set +e
dbus-run-session -- sh -c '
    printf %s "$MXSETTINGS_TEST_KEYRING_PASSWORD" |
        gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 3
    unset MXSETTINGS_TEST_KEYRING_PASSWORD
    exec "$0" -m pytest -p no:cacheprovider "$@"
' "$python" "$@"
rc=$?
set -e
exit "$rc"
