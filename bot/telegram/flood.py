"""Per-member flood limit: at most N questions in a sliding window of S seconds."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class FloodLimiter:
    """Counts each member's recent questions; warns once per window when over the limit."""

    def __init__(
        self, messages: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.messages = messages
        self.seconds = seconds
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._warned_at: dict[int, float] = {}

    def check(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, warn): whether to answer, and whether to send the friendly warning."""
        now = self._clock()
        recent = self._recent.setdefault(user_id, deque())
        while recent and now - recent[0] >= self.seconds:
            recent.popleft()
        if len(recent) < self.messages:
            recent.append(now)
            return True, False
        # Warn once per window, so a burst gets one reply, not one per message.
        warned = self._warned_at.get(user_id)
        warn = warned is None or now - warned >= self.seconds
        if warn:
            self._warned_at[user_id] = now
        return False, warn

    def wait_seconds(self, user_id: int) -> int:
        """Seconds until this member may ask again (at least 1)."""
        recent = self._recent.get(user_id)
        if not recent:
            return 1
        return max(1, round(self.seconds - (self._clock() - recent[0])))
