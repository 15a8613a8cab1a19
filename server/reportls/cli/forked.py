"""One computation of the command line run in a forked copy of the process, on another core, while
the rest of the check goes on; its answer comes back through a pipe as ``marshal`` data.

Used for the checklist's repository scan, the one long computation of a ``reportls check`` that
needs nothing but a folder: it runs beside the report's reading and checks instead of after them.
The child is this very program (``os.fork``, no program is started: nothing from the repository
runs), it only computes and writes its answer, and leaves with ``os._exit`` (no output flushed
twice, no exit handlers).  Forked only where that is safe and cheap: on Linux, while the process
has one thread (git's processes are read without one).  Anywhere else, and whenever the child fails
(killed, a crash, an answer that does not decode), the computation runs here instead, with the same
answer: the fork only ever changes when it is computed.
"""

from __future__ import annotations

import gc
import marshal
import os
import sys
from collections.abc import Callable

MAX_ANSWER = 256 * 1024 * 1024  # bytes: a child's answer beyond this is dropped, and computed here


def _single_threaded() -> bool:
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def can_fork() -> bool:
    """Whether a computation may run in a forked child here (Linux, one thread, not turned off with
    ``REPORTLS_NO_FORK=1``)."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork") and _single_threaded()
            and os.environ.get("REPORTLS_NO_FORK") != "1")


class Forked:
    """``compute()`` started now in a forked child (when ``can_fork``); ``result()`` is its answer.
    ``encode`` turns the answer into ``marshal`` data in the child, ``decode`` back in the parent."""

    def __init__(self, compute: Callable[[], object], encode: Callable[[object], object],
                 decode: Callable[[object], object]) -> None:
        self._compute, self._decode = compute, decode
        self._pid: int | None = None
        self._fd: int | None = None
        self._done = False
        self._answer: object = None
        if not can_fork():
            return
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: compute, answer, leave
            status = 1
            try:
                os.close(read_end)
                # no cyclic collection in the child: a computation of short-lived containers makes
                # no cycles, and a collection there touches (and copies) the parent's objects
                gc.disable()
                data = marshal.dumps(encode(compute()))
                view = memoryview(data)
                while view:
                    view = view[os.write(write_end, view):]
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self._pid, self._fd = pid, read_end

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def result(self) -> object:
        """The answer: the child's, or computed here when there was no child or it failed."""
        if not self._done:
            self._answer = self._from_child() if self._pid is not None else _NONE
            if self._answer is _NONE:
                self._answer = self._compute()
            self._done = True
        return self._answer

    def _from_child(self) -> object:
        chunks, size = [], 0
        try:
            while True:
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_ANSWER:
                    break
                chunks.append(chunk)
        finally:
            os.close(self._fd)
            status = _reap(self._pid)
        if status != 0 or size > MAX_ANSWER:
            return _NONE
        try:
            return self._decode(marshal.loads(b"".join(chunks)))
        except Exception:  # noqa: BLE001 - an answer that does not decode: computed here
            return _NONE


def _reap(pid: int) -> int | None:
    """Wait for the child; its exit status (None when it was not ours to wait for)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status)


_NONE = object()  # no answer from the child
