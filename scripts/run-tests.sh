#!/usr/bin/env bash
# Run pytest the way CI does, in the private session of scripts/private-session.sh (a throwaway HOME/XDG
# tree, Qt offscreen, a private D-Bus session with an unlocked gnome-keyring). Synapse and its SMTP sink are
# started and stopped by pytest's session fixtures (tests/integration/conftest.py). Arguments go to pytest.
#   bash scripts/run-tests.sh                                   # the whole suite
#   bash scripts/run-tests.sh tests/integration -k smoke -x     # a part of it
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/private-session.sh" -m pytest -p no:cacheprovider "$@"
