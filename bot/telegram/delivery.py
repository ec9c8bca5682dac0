"""Getting messages to Telegram exactly once, within its flood limits.

- RetryingRequest retries only a request that certainly never reached Telegram (the
  connection was refused or never opened). A 5xx or a read timeout may come after Telegram
  has delivered the message: retrying would send it twice, so those are not retried.
- FloodLimits keeps to Telegram's limits on *messages* (30 a second overall, 1 a second
  per private chat, 20 a minute per group), with sliding windows. Chat actions ("typing"),
  callback answers and file downloads are not messages and never wait for the budget.
  A 429 (retry_after) means the request was refused, so it is waited out and retried.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

RETRY_DELAYS = (0.5, 1.0, 2.0)
# Requests that certainly did not take effect when they fail with these.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries, with a short backoff, only what never reached Telegram."""

    async def do_request(self, url: str, method: str, request_data: Any = None, **kwargs: Any):
        """Send the request; retry a refused or unopened connection, nothing else."""
        for attempt, delay in enumerate((*RETRY_DELAYS, None)):
            try:
                return await super().do_request(url, method, request_data, **kwargs)
            except (TimedOut, NetworkError) as exc:
                if delay is None or not isinstance(exc.__cause__, _NOT_SENT):
                    raise
                log.warning(
                    "%s on %s before sending, retry %d",
                    type(exc.__cause__).__name__,
                    url.rsplit("/", 1)[-1],
                    attempt + 1,
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover


class SlidingWindow:
    """At most `limit` requests in any `seconds`-long window (async; waits its turn).

    A request counts from when it is let through until its answer came back, and its time in
    the window is when the answer came: Telegram received it before that, so the window seen
    by Telegram is never fuller than this one, however slow the network.
    """

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.seconds = seconds
        self._clock = clock
        self._done: collections.deque[float] = collections.deque()
        self._in_flight = 0
        self._lock = asyncio.Lock()

    def _wait(self) -> float:
        now = self._clock()
        while self._done and now - self._done[0] >= self.seconds:
            self._done.popleft()
        if len(self._done) + self._in_flight < self.limit:
            return 0.0
        if not self._done:
            return 0.01  # all in flight: wait for one to finish
        return max(0.001, self.seconds - (now - self._done[0]))

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a place in the window for the duration of one request."""
        async with self._lock:  # first come, first served
            while (wait := self._wait()) > 0:
                await asyncio.sleep(wait)
            self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._done.append(self._clock())

    @property
    def idle(self) -> bool:
        """True when nothing is in flight or within the window (the window can be dropped)."""
        return not self._in_flight and (
            not self._done or self._clock() - self._done[-1] >= self.seconds
        )


MARGIN = 1.02  # windows a little longer than Telegram's
MESSAGE_PREFIXES = ("send", "edit", "copy", "forward", "stopPoll")


def counts_as_message(endpoint: str) -> bool:
    """True for the requests Telegram's message limits count ("typing" is not one)."""
    return endpoint.startswith(MESSAGE_PREFIXES) and endpoint != "sendChatAction"


class FloodLimits(BaseRateLimiter[int]):
    """Telegram's message limits as sliding windows; 429s waited out and retried."""

    def __init__(
        self,
        overall: tuple[int, float] = (30, 1.0),
        per_chat: tuple[int, float] = (3, 3.0),  # 1 a second, a short burst allowed
        per_group: tuple[int, float] = (20, 60.0),
        max_retries: int = 3,
    ) -> None:
        self._overall_rule = (overall[0], overall[1] * MARGIN)
        self._chat_rule = (per_chat[0], per_chat[1] * MARGIN)
        self._group_rule = (per_group[0], per_group[1] * MARGIN)
        self._max_retries = max_retries
        self._overall = SlidingWindow(*self._overall_rule)
        self._chats: dict[int, SlidingWindow] = {}
        self._retry_after = asyncio.Event()
        self._retry_after.set()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def _chat_window(self, chat_id: int) -> SlidingWindow:
        window = self._chats.get(chat_id)
        if window is None:
            if len(self._chats) > 10_000:  # forget chats that are quiet
                self._chats = {c: w for c, w in self._chats.items() if not w.idle}
            rule = self._group_rule if chat_id < 0 else self._chat_rule
            window = self._chats[chat_id] = SlidingWindow(*rule)
        return window

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the message budget (messages only), send, and wait out a 429."""
        max_retries = rate_limit_args or self._max_retries
        chat_id = data.get("chat_id")
        try:
            chat_id = int(chat_id) if chat_id is not None else None
        except (TypeError, ValueError):
            chat_id = None
        for attempt in range(max_retries + 1):
            await self._retry_after.wait()
            try:
                if not counts_as_message(endpoint):
                    return await callback(*args, **kwargs)
                async with contextlib.AsyncExitStack() as windows:
                    if chat_id is not None:
                        await windows.enter_async_context(self._chat_window(chat_id).slot())
                    await windows.enter_async_context(self._overall.slot())
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == max_retries:
                    raise
                sleep = exc.retry_after
                seconds = sleep.total_seconds() if hasattr(sleep, "total_seconds") else sleep
                log.info("rate limit hit on %s, retrying after %.1f s", endpoint, seconds)
                self._retry_after.clear()
                try:
                    await asyncio.sleep(float(seconds) + 0.1)
                finally:
                    self._retry_after.set()
        raise AssertionError("unreachable")  # pragma: no cover
