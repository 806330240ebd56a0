"""``make bench``: start-up, memory, responsiveness and round trips, measured against a bare PySide6 floor.

Not part of ``make test``. ``python -m bench`` (run by ``scripts/run-bench.sh`` in a private D-Bus session
with its own keyring, Qt offscreen) starts a Synapse through the test harness, runs every figure, prints a
table and exits non-zero when a goal is missed. See ``docs/performance.md``.
"""
