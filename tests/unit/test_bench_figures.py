"""The arithmetic behind ``make bench``: where memory is mapped, what counts as concurrent or repeated, and
how a missed goal shows in docs/performance.md. The measuring itself needs Synapse and a keyring and runs
only in ``make bench``."""

from __future__ import annotations

import pytest

from bench import probe
from bench.flows import _overlapped, _repeated
from bench.run import Figure, render
from bench.startup import ChildFailed, Memory, Startup, _idle
from tests.harness.fault_proxy import Exchange


def test_the_mapped_parts_add_up_to_the_resident_total() -> None:
    total = probe.rss_mb()
    parts = probe.rss_parts()
    assert set(parts) <= {name for name, _ in probe.RSS_PARTS} | {probe.OTHER_PART}
    assert parts["anonymous (Python objects, Qt's allocations)"] > 1
    assert parts["Python interpreter and its extensions"] > 0
    # Read a moment apart, from two files of /proc: close, not equal.
    assert abs(sum(parts.values()) - total) < 0.1 * total


def test_the_extra_memory_is_listed_largest_first_with_parts_only_one_side_has() -> None:
    memory = Memory(
        app_mb=100,
        floor_mb=60,
        opened_seconds=0.5,
        opening_stall_ms=10,
        app_parts={"anonymous": 30, "cryptography": 7, "Qt": 20},
        floor_parts={"anonymous": 10, "Qt": 18, "gone": 1},
    )
    assert memory.extra_by_part() == [("anonymous", 20), ("cryptography", 7), ("Qt", 2), ("gone", -1)]


def exchange(method: str, target: str, started: float, finished: float) -> Exchange:
    return Exchange(method=method, target=target, started=started, finished=finished, status=200, fault=None)


def test_requests_overlap_only_when_all_were_in_flight_at_one_moment() -> None:
    together = [
        exchange("GET", "/a", 0.0, 1.0),
        exchange("GET", "/b", 0.1, 1.1),
        exchange("GET", "/c", 0.2, 0.9),
    ]
    assert _overlapped(together)
    one_after_another = [exchange("GET", "/a", 0.0, 1.0), exchange("GET", "/b", 1.2, 2.0)]
    assert not _overlapped(one_after_another)
    assert not _overlapped([])


def test_only_a_get_of_the_same_target_twice_is_a_repeat() -> None:
    seen = [
        exchange("POST", "/3pid/add", 0, 1),
        exchange("POST", "/3pid/add", 1, 2),  # a UIA retry: the same POST again is expected
        exchange("GET", "/3pid", 2, 3),
        exchange("GET", "/3pid?x=1", 3, 4),
        exchange("GET", "/3pid", 4, 5),
    ]
    assert _repeated(seen) == ["/3pid"]


def test_a_missed_goal_is_marked_in_the_written_table() -> None:
    table = render(
        [
            Figure("memory", "+41 MB", "<= floor + 40 MB", met=False),
            Figure("stall", "9 ms", "<= 50 ms", met=True),
        ],
        ["a note"],
    )
    assert "| memory | +41 MB | <= floor + 40 MB | **no** |" in table
    assert "| stall | 9 ms | <= 50 ms | yes |" in table
    assert "- a note" in table


def test_start_up_is_judged_round_by_round() -> None:
    # A slow stretch of the machine hits the floor's middle runs and the app's late ones: the overall
    # medians would say 1.5x, each round says 1.2x.
    result = Startup(app=[0.24, 0.24, 0.36, 0.36, 0.36], floor=[0.20, 0.20, 0.30, 0.30, 0.30])
    assert result.app_median / result.floor_median == 1.2
    assert round(result.ratio_median, 6) == 1.2
    skewed = Startup(app=[0.24, 0.36, 0.36, 0.36, 0.24], floor=[0.20, 0.20, 0.20, 0.30, 0.30])
    assert round(skewed.app_median / skewed.floor_median, 6) == 1.8
    assert round(skewed.ratio_median, 6) == 1.2


def test_each_idle_measurement_is_read_at_its_own_stage() -> None:
    events: list[dict[str, object]] = [
        {"event": "opened", "seconds": 0.5},
        {"event": "idle", "stage": "opened", "rss_mb": 100.0, "parts": {"anonymous": 30.0}},
        {"event": "idle", "stage": "password-changed", "rss_mb": 113.0, "parts": {"anonymous": 43.0}},
    ]
    assert _idle(events, "opened") == (100.0, {"anonymous": 30.0})
    assert _idle(events, "password-changed") == (113.0, {"anonymous": 43.0})
    assert _idle(events) == (100.0, {"anonymous": 30.0})  # the floor reports one, without a stage
    with pytest.raises(ChildFailed, match="no idle memory at closed"):
        _idle(events, "closed")
