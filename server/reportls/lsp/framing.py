"""Reading the client's bytes (stdio) into messages: ``Content-Length`` framing that survives
framing errors, replacing pygls's read loop.

pygls's loop never recovers from a wrong ``Content-Length``: one too long swallows the next
message's header, and every later message is glued to a body it cannot parse, so nothing is
answered again until a restart.  Here (``MessageFramer``) a body is handed over as soon as it is a
complete JSON object, even before its declared length has arrived (a client waiting for the answer
sends nothing more); what follows a framing error is skipped up to the next ``Content-Length:``
header; a body that is not JSON becomes a ``Frame`` with a problem, which the protocol answers with
ParseError (``ReportProtocol.parse_error``).  ``serve_stdio`` is pygls's ``start_io`` with this
reader; the framer itself does no I/O.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportls.lsp.protocol import ReportProtocol

log = logging.getLogger("reportls")
HEADER = re.compile(rb"Content-Length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n", re.IGNORECASE)
HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:[^\r\n]*\r?\n")  # another header (Content-Type)
OTHER_HEADERS = re.compile(rb"(?:[!-9;-~]+[ \t]*:[^\r\n]*\r?\n)*")
END_OF_HEADERS = re.compile(rb"\r?\n")
BODY_HEADER = re.compile(rb"Content-Length[ \t]*:[ \t]*\d+[ \t]*\r?\n", re.IGNORECASE)
HEADER_REACH = 64  # a header cut by the end of the last read is searched again
READ_SIZE = 65536


@dataclass(frozen=True, slots=True)
class Frame:
    """One thing read: a decoded JSON ``message``, else the ``problem`` of a body that is not JSON."""

    message: Any = None
    problem: str | None = None


class MessageFramer:
    """``Content-Length`` framing, fed with bytes as they come; no I/O.

    * A body is a message once it is a complete JSON object, even if fewer bytes than declared have
      come: only whitespace could follow it in a valid body, and the client may be waiting for the
      answer.  A declared length that runs into the next header is cut there.
    * After a framing error (a wrong or missing length, bytes where a header belongs) everything up
      to the next ``Content-Length:`` header is skipped, and logged.
    * A body that is not JSON (nor JSON cut short by the next header) is a ``Frame`` with a problem."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.length: int | None = None  # the body being read, after its headers
        self.scanned = 0  # bytes of the partial body already searched for a header

    def feed(self, data: bytes) -> list[Frame]:
        self.buffer += data
        frames: list[Frame] = []
        while True:
            if self.length is None and not self._headers():
                return frames
            frame = self._body()
            if frame is None:
                return frames
            frames.append(frame)

    def pending(self) -> int:
        """Bytes read but not (yet) a message."""
        return len(self.buffer)

    def _headers(self) -> bool:
        """Read one header block; False when it is not complete yet.  A block that is wrong (no
        empty line after it, a length that is not a number) is skipped, and the next one read."""
        while True:
            m = HEADER.search(self.buffer)
            if m is None:
                keep = len(b"Content-Length:") + 24  # a header's beginning may be at the end
                self._skip(max(0, len(self.buffer) - keep), quiet=not self.buffer[:-keep].strip())
                return False
            line, value = bytes(m.group(0)), bytes(m.group(1))  # before the buffer moves
            # other headers before Content-Length (Content-Type) are no framing error
            self._skip(m.start(), quiet=OTHER_HEADERS.fullmatch(self.buffer, 0, m.start()) is not None)
            end = self._end_of_headers(len(line))
            if end is None:
                return False
            if end < 0:
                log.warning("framing error: no empty line after %r; looking for the next header", line)
                self._skip(len(line))
            elif not value.isdigit():
                log.warning("framing error: Content-Length %.40r; looking for the next header", value)
                self._skip(end)
            else:
                del self.buffer[:end]
                self.length, self.scanned = int(value), 0
                return True

    def _end_of_headers(self, pos: int) -> int | None:
        """Where the header block that goes on at ``pos`` ends (after its empty line); None when
        that is not read yet, -1 when a line that is no header comes first."""
        while True:
            if (blank := END_OF_HEADERS.match(self.buffer, pos)) is not None:
                return blank.end()
            other = HEADER_LINE.match(self.buffer, pos)
            if other is not None and not HEADER.match(self.buffer, pos):
                pos = other.end()
                continue
            if b"\n" not in self.buffer[pos:] and len(self.buffer) - pos < 1024:
                return None  # the block goes on in bytes not read yet
            return -1

    def _skip(self, n: int, quiet: bool = False) -> None:
        if n <= 0:
            return
        junk = bytes(self.buffer[:n])
        if junk.strip() and not quiet:
            log.warning("framing error: %d bytes skipped before the next header: %.80r", n, junk)
        del self.buffer[:n]

    def _body(self) -> Frame | None:
        length = self.length
        have = min(len(self.buffer), length)
        complete = have == length
        if complete:
            body = bytes(self.buffer[:length])
            try:
                return self._take(length, json.loads(body))
            except ValueError:  # JSONDecodeError, UnicodeDecodeError: framed wrong, or not JSON
                pass
        # a Content-Length line with a number that starts inside a body: no JSON text has one (the
        # raw line break cannot be in a string, the name cannot be outside one): the body is broken
        header = BODY_HEADER.search(self.buffer, max(0, self.scanned - HEADER_REACH), length + HEADER_REACH)
        if header is not None and header.start() >= length:
            header = None
        self.scanned = have
        closed = self.buffer[max(0, have - 64) : have].rstrip().endswith((b"}", b"]"))  # an object may end here
        if not (complete or header is not None or closed):
            return None
        body = bytes(self.buffer[:length])
        message, used = _leading_json(body)
        if used:
            rest = body[used:].lstrip()
            if not rest:
                if complete:
                    return self._take(length, message)
                log.warning("framing error: Content-Length %d, but the message ended after %d bytes", length, used)
                return self._take(used, message)
            if _header_start(rest):
                log.warning("framing error: Content-Length %d runs into the next message; cut at %d", length, used)
                return self._take(used, message)
        if header is not None:
            del self.buffer[: header.start()]
            self.length = None
            return Frame(problem=f"a body that is not JSON, cut short by the next header: {_clip(body[:header.start()], 80)}")
        if not complete:
            return None
        self._take(length, None)
        return Frame(problem=f"a body that is not JSON: {_clip(body, 80)}")

    def _take(self, n: int, message) -> Frame:
        del self.buffer[:n]
        self.length = None
        return Frame(message=message)


def _clip(data: bytes, limit: int) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[:limit] + "..."


def _header_start(rest: bytes) -> bool:
    """``rest`` is (the beginning of) a ``Content-Length`` header."""
    head = rest[: len(b"Content-Length")].lower()
    return b"content-length".startswith(head)


def _leading_json(body: bytes) -> tuple[Any, int]:
    """The JSON object or array the body starts with and its length in bytes, else (None, 0).
    Invalid UTF-8 in it is not JSON."""
    text = body.decode("utf-8", "surrogateescape")  # one character per undecodable byte
    start = len(text) - len(text.lstrip())
    try:
        value, end = _DECODER.raw_decode(text, start)
    except ValueError:
        return None, 0
    if not isinstance(value, (dict, list)):
        return None, 0
    used = len(text[:end].encode("utf-8", "surrogateescape"))
    try:
        return json.loads(body[:used]), used
    except ValueError:
        return None, 0


_DECODER = json.JSONDecoder()


def serve_stdio(server, stdin=None, stdout=None) -> None:
    """pygls's ``start_io``, reading with ``MessageFramer``: until ``exit``, or the end of stdin."""
    from pygls.io_ import StdoutWriter

    server._stop_event = stop = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    try:
        asyncio.run(read_messages(stop, stdin or sys.stdin.buffer, server.protocol))
    except BrokenPipeError:
        log.error("the client's pipe is closed: shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()


async def read_messages(stop: threading.Event, stdin, protocol: ReportProtocol) -> None:
    """Read ``stdin`` in a daemon thread (never joined: a blocked read must not hold up ``exit``),
    frame it, and hand each message to the protocol in the event loop."""
    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue[bytes] = asyncio.Queue()
    try:  # the file descriptor itself: a daemon thread blocked inside a buffered reader holds its
        fd = stdin.fileno()  # lock, and the interpreter aborts at exit (Fatal Python error)
        read = functools.partial(os.read, fd)
    except (AttributeError, OSError, ValueError):  # io.BytesIO and the like
        read = getattr(stdin, "read1", stdin.read)

    def reader() -> None:
        while True:
            try:
                data = read(READ_SIZE)
            except (OSError, ValueError):  # closed
                data = b""
            try:
                loop.call_soon_threadsafe(chunks.put_nowait, data)
            except RuntimeError:  # the loop has ended (exit): nobody reads any more
                return
            if not data:
                return

    threading.Thread(target=reader, name="reportls-stdin", daemon=True).start()
    framer = MessageFramer()
    while not stop.is_set():
        data = await chunks.get()
        if not data:
            if framer.pending():
                log.warning("end of input inside a message (%d bytes unread)", framer.pending())
            return
        try:
            frames = framer.feed(data)
        except Exception:  # noqa: BLE001 - never: but the server must read on
            log.exception("framing failed; %d bytes dropped", framer.pending())
            framer = MessageFramer()
            continue
        for frame in frames:
            if frame.problem is not None:
                protocol.parse_error(frame.problem)
                continue
            try:
                protocol.handle_message(frame.message)
            except Exception:  # noqa: BLE001 - as pygls: log, and read on
                log.exception("unable to handle a message")
