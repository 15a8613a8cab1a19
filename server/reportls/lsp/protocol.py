"""The protocol layer under ``server.py``: how each JSON-RPC message is read, answered or refused,
and when the process ends, to the LSP spec where pygls 2.x is not.  Handlers never see any of it.

Owns:

* **Answering what the framing could not read** (``parse_error``): the bytes are read and framed
  in ``framing.py``; a body that is not JSON is answered here with ParseError (-32700, id null).
* **Reading messages, in one place** (``ReportProtocol.handle_message``).  pygls structures a message
  inside the JSON decoder's ``object_hook``; when a request's params do not fit their type (a
  position given as a string, ``textDocument`` missing) the exception ends in its read loop, which
  only logs it: no answer, the editor waits forever.  Here the decoder hands over plain JSON and
  every message is structured before dispatch: malformed params of any request (LSP or custom) are
  answered with InvalidParams (-32602), of a notification logged and dropped; a malformed envelope
  gets InvalidRequest (-32600), and so does JSON that is not an object (id null: LSP has no
  batches); a client's unreadable answer to one of our requests fails that
  request instead of leaving it pending.  Numbers, strings and booleans are checked, not coerced
  (cattrs would turn ``"3"`` into 3 and ``1.5`` into 1).  A custom request's params type is declared
  with ``declare_params`` when it is registered.
* **The lifecycle**: until an ``initialize`` has been read and handled, every request gets
  ServerNotInitialized (-32002) and notifications but ``exit`` are dropped; after ``shutdown`` every
  request but ``exit`` gets InvalidRequest (pygls drops them unanswered) and notifications are
  dropped; ``exit`` ends the process with 0 after ``shutdown``, else 1 (pygls computes that code,
  then swallows its own ``SystemExit``: the process always ended with 0).  End of stdin ends the
  server too, with the same code.
* **The parent-process watchdog**: ``initialize``'s ``processId`` is polled (``watch_parent``); when
  that process is gone the server exits, even if another process still holds the pipe.
* **The position encoding**: UTF-8 whenever the client offers it, else UTF-16 (``prefer_utf8``).
* **One copy of each document**: pygls's own text buffer is bypassed (see ``ReportProtocol``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from lsprotocol import types as t
from pygls.exceptions import JsonRpcInternalError
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage, LanguageServerProtocol
from pygls.protocol import lsp_method

log = logging.getLogger("reportls")
_DROP = object()  # a capability left out of initialize's params (``_lenient_capabilities``)
POLL_SECONDS = 1.0  # how often the watchdog looks for the client's process


@attrs.define
class TextDocumentParams:
    """``{"textDocument": {"uri": ...}}``: the params of a custom request about one document."""

    text_document: t.TextDocumentIdentifier


class ReportProtocol(LanguageServerProtocol):
    """pygls's protocol, answering every request (module docstring) and without its own copy of
    every open document.

    pygls keeps a second buffer per document and edits it on each didChange before our handler
    runs; nothing here reads it, and when it fails (a didChange for a document that is not open)
    our handler never runs and the user gets an "Error in server" pop-up.  The ``Workspace`` is the
    one way in for text."""

    def __init__(self, server, converter: cattrs.Converter):
        super().__init__(server, converter)
        _check_primitives(converter)
        self.custom_params: dict[str, type] = {}  # custom method -> its params type
        self.initialize_received = False  # before it, requests get ServerNotInitialized
        self.exit_code: int | None = None  # set by ``exit``
        self.watchdog: threading.Thread | None = None

    def declare_params(self, method: str, params_type: type) -> None:
        """The params type of a custom (non-LSP) method, checked like an LSP method's."""
        self.custom_params[method] = params_type

    def exit_status(self) -> int:
        """The process's exit code: ``exit``'s, else 0 after ``shutdown`` and 1 without."""
        if self.exit_code is not None:
            return self.exit_code
        return 0 if self._shutdown else 1

    # reading -----------------------------------------------------------------------------------
    def structure_message(self, data: dict[str, Any]):
        """The JSON decoder's object hook, called for every object in a message, nested ones too:
        it keeps plain JSON (``handle_message`` structures the whole message, and can answer)."""
        return data

    def handle_message(self, message) -> None:
        if isinstance(message, dict):
            message = self._read(message)
        elif not hasattr(message, "jsonrpc"):  # a JSON array (a batch), a number: not LSP
            self._refuse(True, None, t.ErrorCodes.InvalidRequest,
                         f"not a JSON-RPC message (LSP has no batches): {_clip(message)}")
            return
        if message is not None:
            super().handle_message(message)

    def _read(self, data: dict[str, Any]):
        """The typed message for ``data``, or None when it has been answered or dropped here."""
        if "method" not in data:
            return self._read_response(data)
        method, msg_id, is_request = data["method"], data.get("id"), "id" in data
        if is_request and not _valid_id(msg_id):  # JSON-RPC: answered with a null id
            return self._refuse(True, None, t.ErrorCodes.InvalidRequest, f"invalid request id {_clip(msg_id, 40)}")
        if not isinstance(method, str) or data.get("jsonrpc") != self.VERSION:
            return self._refuse(is_request, msg_id, t.ErrorCodes.InvalidRequest,
                                f"not a JSON-RPC {self.VERSION} message: {_clip(data)}")
        if not self.initialize_received and method not in (t.INITIALIZE, t.EXIT):
            if is_request:
                return self._refuse(True, msg_id, t.ErrorCodes.ServerNotInitialized,
                                    f"{method}: the server is not initialized yet; initialize comes first")
            log.info("%s before initialize, dropped", method)
            return None
        if self._shutdown and method != t.EXIT:
            if is_request:
                return self._refuse(True, msg_id, t.ErrorCodes.InvalidRequest,
                                    f"{method}: the server is shut down; only exit is accepted")
            log.info("%s after shutdown, dropped", method)
            return None
        message_type = self.get_message_type(method)
        params_type = None if message_type is not None else self.custom_params.get(method)
        try:
            if message_type is not None:
                try:
                    return self._converter.structure(data, message_type)
                except Exception:  # noqa: BLE001 - an initialize may still fit without what is not understood
                    if method != t.INITIALIZE or not isinstance(data.get("params"), dict):
                        raise
                    lenient = {**data, "params": self._lenient_capabilities(data["params"])}
                    return self._converter.structure(lenient, message_type)
            if params_type is None:  # an undeclared method: pygls's generic message, params as is
                return self._converter.structure(data, JsonRPCRequestMessage if is_request else JsonRPCNotification)
            params = self._converter.structure(data.get("params"), params_type)
            if is_request:
                return JsonRPCRequestMessage(id=msg_id, method=method, jsonrpc=self.VERSION, params=params)
            return JsonRPCNotification(method=method, jsonrpc=self.VERSION, params=params)
        except Exception as e:  # noqa: BLE001 - whatever the converter raises, the params do not fit
            problem = describe_error(e, "$" if params_type is None else "$.params")
            if is_request:
                return self._refuse(True, msg_id, t.ErrorCodes.InvalidParams, f"{method}: invalid params: {problem}")
            log.warning("%s with invalid params, dropped: %s", method, problem)
            return None

    def _lenient_capabilities(self, params: dict[str, Any]) -> dict[str, Any]:
        """``initialize``'s params with the client capabilities this lsprotocol cannot read left out
        (a newer client's value, ``hover.contentFormat: ["html"]``): the client is served with what
        is understood, as if it had not declared the rest.  Walks down to the smallest part that
        does not fit and drops only that; logged."""
        caps = params.get("capabilities")
        if not isinstance(caps, dict):
            return params
        dropped: list[str] = []

        def fits(value: dict) -> bool:
            try:
                self._converter.structure(value, t.ClientCapabilities)
                return True
            except Exception:  # noqa: BLE001 - whatever the converter raises: it does not fit
                return False

        def keep(path: list[str], value: object) -> object:
            """``value`` at ``path`` inside the capabilities, without the parts that do not fit."""

            def nest(v: object) -> dict:
                for key in reversed(path):
                    v = {key: v}
                return v  # type: ignore[return-value]

            if fits(nest(value)):
                return value
            if isinstance(value, dict):
                kept = {k: v for k, v in ((k, keep([*path, k], v)) for k, v in value.items()) if v is not _DROP}
                if fits(nest(kept)):
                    return kept
            elif isinstance(value, list):
                kept_items = [v for v in value if fits(nest([v]))]
                if fits(nest(kept_items)):
                    dropped.extend(f"{'.'.join(path)}: {v!r}" for v in value if v not in kept_items)
                    return kept_items
            dropped.append(".".join(path))
            return _DROP

        if fits(caps):
            return params
        kept = {k: v for k, v in ((k, keep([k], v)) for k, v in caps.items()) if v is not _DROP}
        log.warning("initialize: client capabilities not understood, ignored: %s", ", ".join(dropped))
        return {**params, "capabilities": kept}

    def _read_response(self, data: dict[str, Any]):
        """A client's answer to one of our requests; an unreadable one fails that request."""
        if "id" not in data:
            log.warning("neither a request, a notification nor a response, dropped: %s", _clip(data))
            return None
        msg_id = data["id"]
        result_type = self._result_types.pop(msg_id, None) if _valid_id(msg_id) else None
        response_type = t.ResponseErrorMessage if "error" in data else (result_type or JsonRPCResponseMessage)
        try:
            return self._converter.structure(data, response_type)
        except Exception as e:  # noqa: BLE001
            problem = describe_error(e, "$")
            log.warning("unreadable response to request %r: %s", msg_id, problem)
            if (future := self._request_futures.pop(msg_id, None)) is not None and not future.done():
                future.set_exception(JsonRpcInternalError(f"unreadable response: {problem}"))
            return None

    def parse_error(self, problem: str) -> None:
        """A body that is not JSON: ParseError, with a null id (nobody can tell which request it was)."""
        self._refuse(True, None, t.ErrorCodes.ParseError, f"parse error: {problem}")

    def _refuse(self, answer: bool, msg_id, code: t.ErrorCodes, message: str) -> None:
        """Log why a message is refused, and answer it with an error if it is a request."""
        log.warning("%s", message)
        if answer:  # plain JSON: lsprotocol's ResponseErrorMessage leaves out a null id
            self._send_data({"jsonrpc": self.VERSION, "id": msg_id, "error": {"code": int(code), "message": message}})

    # lifecycle ---------------------------------------------------------------------------------
    @lsp_method(t.INITIALIZE)
    def lsp_initialize(self, params: t.InitializeParams):
        self.initialize_received = True  # a readable initialize: from now on requests are served
        prefer_utf8(params.capabilities)
        result = yield from super().lsp_initialize(params)
        if self.watchdog is None:
            pid = params.process_id
            self.watchdog = watch_parent(pid, lambda: self._client_gone(pid))
        return result

    def _client_gone(self, pid: int) -> None:
        """From the watchdog's thread.  ``os._exit``: the read loop's thread is blocked reading stdin
        (still open: another process holds the pipe), and a normal exit waits for it."""
        log.warning("the client (process %s) is gone: exiting", pid)
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(self.exit_status())

    @lsp_method(t.EXIT)
    def lsp_exit(self, *args):
        """pygls's exit (user handler, close stdout, ``sys.exit``), keeping the code for ``main``:
        pygls's ``start_io`` swallows the ``SystemExit``."""
        self.exit_code = 0 if self._shutdown else 1
        yield from super().lsp_exit(*args)

    # one copy of each document -----------------------------------------------------------------
    @lsp_method(t.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: t.DidOpenTextDocumentParams):
        if (handler := self.fm.features.get(t.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(t.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: t.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(t.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(t.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: t.DidCloseTextDocumentParams):
        if (handler := self.fm.features.get(t.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


def prefer_utf8(capabilities: t.ClientCapabilities) -> None:
    """UTF-8 positions whenever the client offers them (no UTF-16 counting then), else UTF-16: the
    client's offered encodings are put in that order before pygls takes the first it supports."""
    general = capabilities.general
    offered = list(general.position_encodings or []) if general else []
    if any(getattr(e, "value", e) == "utf-8" for e in offered):
        general.position_encodings = sorted(offered, key=lambda e: getattr(e, "value", e) != "utf-8")


def _valid_id(msg_id: object) -> bool:
    return isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool)


def _clip(data: object, limit: int = 200) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[:limit] + "..."


def describe_error(error: BaseException, path: str) -> str:
    """What does not fit, with JSON paths in the protocol's camelCase (``$.params.textDocument``)."""
    if isinstance(error, cattrs.BaseValidationError):
        lines = cattrs.transform_error(error, path=path)
    else:
        lines = [f"{error} @ {path}"]
    camel = []
    for line in lines:
        what, at, where = line.rpartition(" @ ")
        camel.append(what + at + re.sub(r"_([a-z])", lambda m: m.group(1).upper(), where) if at else line)
    text = "; ".join(camel)
    return text if len(text) <= 500 else text[:500] + "..."


def _check_primitives(converter: cattrs.Converter) -> None:
    """Numbers, strings and booleans as the spec types them: cattrs's default hooks call ``int()``,
    ``str()``, ``bool()`` on whatever comes (``"3"`` -> 3, ``1.5`` -> 1, ``{}`` -> ``"{}"``)."""

    def strict(kind: type, accepted: tuple[type, ...]):
        def hook(value, cls):
            if not isinstance(value, accepted) or (kind is not bool and isinstance(value, bool)):
                raise TypeError(f"expected {kind.__name__}, got {type(value).__name__} {_clip(value, 40)}")
            # the hook also serves subclasses: int and str enums (DiagnosticSeverity, MarkupKind)
            return value if cls is kind else cls(value)

        return hook

    converter.register_structure_hook(int, strict(int, (int,)))
    converter.register_structure_hook(float, strict(float, (int, float)))
    converter.register_structure_hook(str, strict(str, (str,)))
    converter.register_structure_hook(bool, strict(bool, (bool,)))


# the parent-process watchdog ---------------------------------------------------------------------
def watch_parent(pid: object, on_gone: Callable[[], None], interval: float = POLL_SECONDS) -> threading.Thread | None:
    """Call ``on_gone`` (from a daemon thread) once process ``pid`` has ended.  Nothing is watched
    (None) without a pid, for our own, or for one not found at the start: a client in another PID
    namespace (outside a container, say) sends a pid that means nothing here."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0 or pid == os.getpid():
        return None
    alive = _windows_probe(pid) if sys.platform == "win32" else _posix_probe(pid)
    if alive is None:
        log.warning("processId %s: no such process here; the client's process is not watched", pid)
        return None

    def run() -> None:
        while True:
            time.sleep(interval)
            if not alive():
                break
        on_gone()

    thread = threading.Thread(target=run, name="reportls-parent-watchdog", daemon=True)
    thread.start()
    return thread


def _posix_probe(pid: int) -> Callable[[], bool] | None:
    def alive() -> bool:
        try:
            os.kill(pid, 0)  # signal 0: nothing is sent, only checked
        except ProcessLookupError:
            return False
        except PermissionError:  # it exists, another user's
            return True
        except OSError:  # unknown: never exit on a doubt
            return True
        return not _zombie(pid)

    return alive if alive() else None


def _zombie(pid: int) -> bool:
    """A process that has ended but is not reaped yet still answers ``kill(pid, 0)`` (Linux: its
    state in /proc is Z or X)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    state = stat[stat.rfind(b")") + 2:stat.rfind(b")") + 3]
    return state in (b"Z", b"X")


def _windows_probe(pid: int) -> Callable[[], bool] | None:  # pragma: no cover - Windows only
    """A handle to the process, held open (its pid cannot be reused meanwhile), signalled once it
    ends.  ``os.kill(pid, 0)`` must not be used on Windows: it terminates the process."""
    import ctypes
    from ctypes import wintypes

    synchronize, wait_object_0 = 0x00100000, 0
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.WaitForSingleObject.argtypes = (wintypes.HANDLE, wintypes.DWORD)
    kernel32.WaitForSingleObject.restype = wintypes.DWORD
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:  # gone already, or not ours to open
        return None
    return lambda: kernel32.WaitForSingleObject(handle, 0) != wait_object_0
