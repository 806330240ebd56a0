"""The rate-limit countdown as plain arithmetic over a clock, so it is testable without waiting.

The TaskRunner asks ``seconds_left`` to show and ``until_next_change`` to schedule its next wake-up exactly
when the shown number drops; a fixed one-second tick would drift and sometimes show a number twice.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

Clock = Callable[[], float]

# A timer firing a hair early must not show the same whole second twice.
_EPSILON = 1e-3


class Countdown:
    """Whole seconds left until a deadline on a monotonic clock."""

    def __init__(self, seconds: float, *, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._deadline = clock() + max(0.0, seconds)

    def extend(self, seconds: float) -> None:
        """Wait at least ``seconds`` from now; a later deadline already set is kept."""
        self._deadline = max(self._deadline, self._clock() + max(0.0, seconds))

    @property
    def remaining(self) -> float:
        return max(0.0, self._deadline - self._clock())

    @property
    def seconds_left(self) -> int:
        """Rounded up: "1 second" is shown until the wait is really over."""
        return max(0, math.ceil(self.remaining - _EPSILON))

    @property
    def finished(self) -> bool:
        return self.seconds_left == 0

    def until_next_change(self) -> float:
        """Seconds until ``seconds_left`` drops by one (0 when finished)."""
        left = self.seconds_left
        if left == 0:
            return 0.0
        return max(0.0, self.remaining - (left - 1))
