"""Settings shared by every test: Qt renders offscreen unless a display is chosen on purpose."""

from __future__ import annotations

import os

# Imported up front: when no test needed it, hypothesis's pytest plugin imports it at the terminal summary,
# and after a failed Qt test CPython 3.11.7 has crashed there ("AST constructor recursion depth mismatch"),
# hiding the failure it was about to report.
import hypothesis

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis profiles. "ci" (the default, so `make test` stays bounded): few examples, derandomized like
# Hypothesis's own CI profile so a run is reproducible. "fuzz" (`make fuzz`, HYPOTHESIS_PROFILE=fuzz): ten
# times more (MXSETTINGS_FUZZ_EXAMPLES changes it), random, with the example database, to be run by hand.
# Tests leave max_examples to the profile.
hypothesis.settings.register_profile(
    "ci", hypothesis.settings.get_profile("ci"), max_examples=200, deadline=None
)
hypothesis.settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("MXSETTINGS_FUZZ_EXAMPLES", "2000")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The ``qloop`` fixture (a running qasync loop for click-then-wait widget tests) lives in tests/qt_loop.py.
pytest_plugins = ["tests.qt_loop"]
