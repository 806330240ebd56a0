#!/usr/bin/env bash
# Run the benchmarks (`make bench`) in the same private session as the tests (scripts/private-session.sh),
# so the app under measurement keeps its token in a real keyring. `python -m bench` starts Synapse through
# tests/harness and stops it. Arguments go to `python -m bench` (see `--help`).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/private-session.sh" -m bench "$@"
