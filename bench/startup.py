"""Start-up time and idle memory: the floor and the app as child processes, interleaved round by round."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import probe

REPO_ROOT = Path(__file__).resolve().parents[1]
FLOOR = "bench.floor"
APP = "bench.app_launch"
CHILD_TIMEOUT = 90.0


class ChildFailed(RuntimeError):
    """A measured process exited badly or reported nothing."""


@dataclass(frozen=True)
class Startup:
    app: list[float]  # seconds from process start to the first painted main window, one per round
    floor: list[float]

    @property
    def app_median(self) -> float:
        return statistics.median(self.app)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def ratio_median(self) -> float:
        """The median of each round's app / floor ratio.

        The two sides of a round run one right after the other, so they meet the same state of a noisy
        machine (on a shared VM, stretches of a few seconds run up to 50 % slower); the ratio of the two
        overall medians can pair a fast stretch of one side with a slow stretch of the other.
        """
        return statistics.median(a / f for a, f in zip(self.app, self.floor, strict=True))


@dataclass(frozen=True)
class Memory:
    app_mb: float
    floor_mb: float
    opened_seconds: float  # process start to the account shown, signed in (information only)
    opening_stall_ms: float  # the event loop's longest stall from the first paint to the account shown
    app_parts: dict[str, float]  # resident MB by where it is mapped (probe.rss_parts), information only
    floor_parts: dict[str, float]
    after_password_mb: float = 0.0  # the app again, once idle after it changed the password
    after_password_parts: dict[str, float] = field(default_factory=dict)

    def extra_by_part(self, parts: dict[str, float] | None = None) -> list[tuple[str, float]]:
        """What the app has resident beyond the floor, by part, largest first (``parts``: another
        measurement of the app than the first)."""
        app = self.app_parts if parts is None else parts
        names = set(app) | set(self.floor_parts)
        extra = [(n, app.get(n, 0.0) - self.floor_parts.get(n, 0.0)) for n in names]
        return sorted(extra, key=lambda pair: -pair[1])


def run_child(module: str, mode: str, env: dict[str, str]) -> list[dict[str, object]]:
    """Start ``python -m module`` and return what it reported."""
    with tempfile.TemporaryDirectory(prefix="mxsettings-bench-") as scratch:
        report = Path(scratch) / "report.jsonl"
        child_env = dict(env)
        child_env[probe.REPORT_ENV] = str(report)
        child_env[probe.MODE_ENV] = mode
        child_env[probe.T0_ENV] = repr(time.monotonic())
        done = subprocess.run(
            [sys.executable, "-m", module],
            cwd=REPO_ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
        events = (
            [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
            if report.exists()
            else []
        )
    errors = [e for e in events if e.get("event") == "error"]
    if done.returncode != 0 or errors or not events:
        raise ChildFailed(
            f"{module} ({mode}) exited with {done.returncode}, reported {events!r}\n{done.stderr[-2000:]}"
        )
    return events


def _field(events: list[dict[str, object]], name: str, key: str) -> float:
    """The number ``key`` of the child's first ``name`` event."""
    for event in events:
        value = event.get(key)
        if event.get("event") == name and isinstance(value, int | float):
            return float(value)
    raise ChildFailed(f"no {key!r} in the {name!r} event of {events!r}")


def _idle(events: list[dict[str, object]], stage: str | None = None) -> tuple[float, dict[str, float]]:
    """The idle resident memory and its parts, as the child reported them (at ``stage``, if given)."""
    for event in events:
        value, parts = event.get("rss_mb"), event.get("parts")
        if (
            event.get("event") == "idle"
            and (stage is None or event.get("stage") == stage)
            and isinstance(value, int | float)
            and isinstance(parts, dict)
        ):
            return float(value), {str(k): float(v) for k, v in parts.items()}
    raise ChildFailed(f"no idle memory{f' at {stage}' if stage else ''} in {events!r}")


def measure_startup(env: dict[str, str], rounds: int) -> Startup:
    """``rounds`` of floor then app (one warm-up round first, not counted)."""
    app: list[float] = []
    floor: list[float] = []
    for index in range(rounds + 1):
        order = (FLOOR, APP) if index % 2 == 0 else (APP, FLOOR)
        for module in order:
            seconds = _field(run_child(module, "startup", env), "painted", "seconds")
            if index:
                (app if module == APP else floor).append(seconds)
    return Startup(app=app, floor=floor)


def measure_memory(env: dict[str, str]) -> Memory:
    floor, floor_parts = _idle(run_child(FLOOR, "memory", env))
    events = run_child(APP, "memory", env)
    app, app_parts = _idle(events, "opened")
    changed, changed_parts = _idle(events, "password-changed")
    return Memory(
        app_mb=app,
        floor_mb=floor,
        opened_seconds=_field(events, "opened", "seconds"),
        opening_stall_ms=_field(events, "opened", "stall_ms"),
        app_parts=app_parts,
        floor_parts=floor_parts,
        after_password_mb=changed,
        after_password_parts=changed_parts,
    )


def scratch_env(config_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["MXSETTINGS_CONFIG_DIR"] = str(config_dir)
    env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM", "offscreen")
    return env
