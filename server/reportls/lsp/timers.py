"""The server's timers and background jobs: one pending call on the event loop (``Timer``: the
publish debounce, the hand-in completion) and one job in a worker thread (``Job``: git, the
checklist scan, image headers).  Starting replaces, cancelling forgets: the cancel logic is
written once, here."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Timer:
    """At most one pending ``loop.call_later``."""

    __slots__ = ("_handle",)

    def __init__(self) -> None:
        self._handle: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        return self._handle is not None

    @property
    def handle(self) -> asyncio.TimerHandle | None:
        """The pending call (its ``when()``), None when nothing is pending."""
        return self._handle

    def start(self, delay_s: float, fn: Callable[..., object], *args: object) -> None:
        """Call ``fn(*args)`` after ``delay_s`` seconds, replacing any call still pending."""
        self.cancel()
        self._handle = asyncio.get_running_loop().call_later(delay_s, self._fire, fn, args)

    def _fire(self, fn: Callable[..., object], args: tuple) -> None:
        self._handle = None
        fn(*args)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


class Job:
    """At most one worker-thread job at a time (``run_in_executor``), and when the last one was
    started (the loop's clock), for work done at most every so often."""

    __slots__ = ("future", "started")

    def __init__(self) -> None:
        self.future: asyncio.Future | None = None
        self.started = -1e9

    @property
    def running(self) -> bool:
        return self.future is not None

    def recent(self, interval_s: float) -> bool:
        """Was a job started less than ``interval_s`` ago?"""
        return asyncio.get_running_loop().time() - self.started < interval_s

    def start(self, work: Callable[..., object], *args: object,
              done: Callable[[asyncio.Future], None]) -> asyncio.Future:
        """Run ``work(*args)`` in a worker thread; ``done(future)`` runs on the loop afterwards."""
        loop = asyncio.get_running_loop()
        self.started = loop.time()
        future = self.future = loop.run_in_executor(None, work, *args)

        def finished(f: asyncio.Future) -> None:
            self.future = None
            done(f)

        future.add_done_callback(finished)
        return future
