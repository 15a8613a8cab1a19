"""Protocol behaviour of the real ``reportls serve`` to the LSP spec (issue 19): InvalidParams for
malformed params, InvalidRequest after ``shutdown``, ``exit``'s exit code, the parent-process
watchdog and the end of stdin; framing faults (issue 23): a wrong ``Content-Length``, a body that
is not JSON, bytes between messages, requests before ``initialize``.

Spoken in raw JSON-RPC over the process's pipes: pytest-lsp cannot send malformed params, and it
hides when and how the server process ends.  Every wait has a timeout: a hang fails, never blocks.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import passing_answers
from tests.reportgen import make_report

TIMEOUT = 15  # seconds for one answer; generous for a loaded 2-core CI runner
EXIT_TIMEOUT = 10  # seconds for the process to end once it should


class RawServer:
    """One ``reportls serve`` process and a minimal client: Content-Length framing, a reader thread,
    server-to-client requests answered with null, notifications kept in ``notifications``."""

    def __init__(self) -> None:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen([sys.executable, "-m", "reportls", "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.incoming: queue.Queue = queue.Queue()
        self.notifications: list[dict] = []
        self.ids = itertools.count(1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                length = None
                while (line := out.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if not line or length is None:
                    break
                self.incoming.put(json.loads(out.read(length)))
        finally:
            self.incoming.put(None)  # the server's stdout has ended

    def send(self, message: dict) -> None:
        self.write(frame(message))

    def write(self, data: bytes) -> None:
        """Bytes as they are, framing faults included."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method: str, params=None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, **({} if params is None else {"params": params})})

    def request(self, method: str, params=None, **extra) -> dict:
        """Send a request; the whole response message (``result`` or ``error``)."""
        msg_id = next(self.ids)
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, **({} if params is None else {"params": params}),
                   **extra})
        return self.response(msg_id)

    def response(self, msg_id) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                message = self.incoming.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no answer to request {msg_id} within {TIMEOUT} s\n{self.log()}")
            if message is None:
                pytest.fail(f"the server ended before answering request {msg_id}\n{self.log()}")
            if "method" not in message:
                if message.get("id") == msg_id:
                    return message
            elif "id" in message:  # a request from the server: what an editor does, accept it
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            else:
                self.notifications.append(message)

    def initialize(self, root: Path | None = None, process_id: int | None = None) -> dict:
        result = self.request("initialize", {
            "processId": process_id, "capabilities": {},
            "rootUri": root.as_uri() if root else None,
            "initializationOptions": {"reportls": {"debounceMs": 0}},
        })
        assert "result" in result, result
        self.notify("initialized", {})
        return result

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                              "text": path.read_text()}})
        return uri

    def wait(self, timeout: float = EXIT_TIMEOUT) -> int:
        """The exit code; fails if the process is still running after ``timeout`` seconds."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the server is still running after {timeout} s\n{self.log()}")

    def running_after(self, seconds: float) -> bool:
        try:
            self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            return True
        return False

    def log(self) -> str:
        self.stderr.seek(0)
        return "server stderr (tail):\n" + self.stderr.read().decode(errors="replace")[-3000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(EXIT_TIMEOUT)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        self.stderr.close()


def frame(message: dict, length_error: int = 0) -> bytes:
    """``message`` framed, its Content-Length off by ``length_error`` bytes."""
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) + length_error) + body


@pytest.fixture
def raw():
    server = RawServer()
    yield server
    server.close()


def error_code(response: dict) -> int | None:
    return response.get("error", {}).get("code")


def symbols_of(raw: RawServer, uri: str) -> list:
    """A valid request on the open report: its outline (31 questions, so never empty)."""
    response = raw.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert "result" in response, response
    return response["result"]


INVALID_PARAMS = -32602
INVALID_REQUEST = -32600
POSITION = {"line": 0, "character": 0}
RANGE = {"start": POSITION, "end": POSITION}

MALFORMED = {
    "hover, position as a string": ("textDocument/hover", lambda uri: {"textDocument": {"uri": uri}, "position": "3:4"}),
    "hover, line as a string": ("textDocument/hover",
                                lambda uri: {"textDocument": {"uri": uri}, "position": {"line": "3", "character": 0}}),
    "completion, textDocument missing": ("textDocument/completion", lambda uri: {"position": POSITION}),
    "codeAction, range as a list": ("textDocument/codeAction", lambda uri: {
        "textDocument": {"uri": uri}, "range": [0, 0, 1, 1], "context": {"diagnostics": []}}),
    "definition, no params at all": ("textDocument/definition", lambda uri: None),
    "questionStatus, garbage": ("reportls/questionStatus", lambda uri: "garbage"),
    "questionStatus, position missing": ("reportls/questionStatus", lambda uri: {"textDocument": {"uri": uri}}),
    "handinPreview, uri a number": ("reportls/handinPreview", lambda uri: {"textDocument": {"uri": 42}}),
}


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """One initialized server with the report open, shared by the malformed-params cases: each
    case also checks that the ones before it left the server answering."""
    root = tmp_path_factory.mktemp("ws")
    (root / "reports").mkdir()
    (root / "reports" / "README.md").write_text(make_report(passing_answers()))
    server = RawServer()
    server.initialize(root)
    uri = server.open(root / "reports" / "README.md")
    yield server, uri, symbols_of(server, uri)
    server.close()


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_params_get_invalid_params_and_the_server_goes_on(session, case):
    raw, uri, symbols = session
    method, params = MALFORMED[case]
    response = raw.request(method, params(uri))
    assert error_code(response) == INVALID_PARAMS, response
    assert method in response["error"]["message"]
    assert symbols_of(raw, uri) == symbols  # still answering, and the same
    assert raw.proc.poll() is None
    errors = [n for n in raw.notifications if n["method"] == "window/showMessage"]
    assert errors == []  # no "Error in server" pop-up either


def test_invalid_params_name_the_field_in_camel_case(raw, workspace):
    raw.initialize(workspace)
    response = raw.request("textDocument/hover", {"position": POSITION})
    assert error_code(response) == INVALID_PARAMS
    assert "$.params.textDocument" in response["error"]["message"], response


def test_malformed_notifications_are_dropped_without_an_answer(raw, workspace):
    raw.initialize(workspace)
    path = workspace / "reports" / "README.md"
    raw.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "version": "one"}})
    raw.notify("textDocument/didChange", {"textDocument": {"uri": path.as_uri()}, "contentChanges": "x"})
    raw.notify("workspace/didChangeWatchedFiles", None)
    uri = raw.open(path)
    assert len(symbols_of(raw, uri)) > 0
    answers = []
    with contextlib.suppress(queue.Empty):
        while (message := raw.incoming.get_nowait()) is not None:
            answers += [message] if "id" in message and "method" not in message else []
    assert answers == []  # nothing may answer a notification


def test_a_request_with_an_invalid_id_is_an_invalid_request(raw, workspace):
    raw.initialize(workspace)
    raw.send({"jsonrpc": "2.0", "id": [1], "method": "textDocument/hover", "params": {}})
    response = raw.response(None)  # JSON-RPC: answered with a null id
    assert error_code(response) == INVALID_REQUEST


def test_requests_after_shutdown_are_invalid_requests(raw, workspace):
    raw.initialize(workspace)
    uri = raw.open(workspace / "reports" / "README.md")
    response = raw.request("shutdown")
    assert "error" not in response and response["result"] is None
    for method, params in [("textDocument/documentSymbol", {"textDocument": {"uri": uri}}),
                           ("reportls/questionStatus", {"textDocument": {"uri": uri}, "position": POSITION}),
                           ("textDocument/hover", "malformed too"), ("shutdown", None)]:
        response = raw.request(method, params)
        assert error_code(response) == INVALID_REQUEST, (method, response)
    raw.notify("exit")
    assert raw.wait() == 0


@pytest.mark.parametrize(("shutdown", "code"), [(True, 0), (False, 1)], ids=["after shutdown", "without shutdown"])
def test_exit_code(raw, workspace, shutdown, code):
    """LSP: ``exit`` ends the process with 0 after ``shutdown``, else 1; stdin stays open."""
    raw.initialize(workspace)
    if shutdown:
        assert raw.request("shutdown")["result"] is None
    raw.notify("exit")
    assert raw.wait() == code


def test_end_of_stdin_ends_the_server(raw, workspace):
    raw.initialize(workspace)
    raw.open(workspace / "reports" / "README.md")
    raw.proc.stdin.close()
    assert raw.wait() == 1  # no shutdown first: an abnormal end


def test_watchdog_exits_when_the_client_process_is_gone(raw, workspace):
    """The editor is killed while another process (here: this test) still holds the pipe open."""
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)"])
    try:
        raw.initialize(workspace, process_id=editor.pid)
        uri = raw.open(workspace / "reports" / "README.md")
        assert raw.running_after(1.5)  # more than one poll: a live client keeps it running
        assert len(symbols_of(raw, uri)) > 0
        editor.kill()
        editor.wait(EXIT_TIMEOUT)  # reaped: gone, not a zombie
        start = time.monotonic()
        assert raw.wait(8) == 1
        assert time.monotonic() - start < 8
    finally:
        if editor.poll() is None:
            editor.kill()
            editor.wait(EXIT_TIMEOUT)
    assert "is gone" in raw.log()


def test_watchdog_ignores_a_process_id_not_found_at_initialize(raw, workspace):
    """A pid from another PID namespace (a client outside a container) means nothing here: the
    server must not exit at once because no such process is visible."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(EXIT_TIMEOUT)
    raw.initialize(workspace, process_id=gone.pid)
    uri = raw.open(workspace / "reports" / "README.md")
    assert raw.running_after(1.5)
    assert len(symbols_of(raw, uri)) > 0


# framing faults (issue 23) -------------------------------------------------------------------------
PARSE_ERROR = -32700
SERVER_NOT_INITIALIZED = -32002


def request(msg_id: int, method: str, params=None) -> dict:
    return {"jsonrpc": "2.0", "id": msg_id, "method": method, **({} if params is None else {"params": params})}


def _opened(raw: RawServer, workspace: Path) -> tuple[str, list]:
    raw.initialize(workspace)
    uri = raw.open(workspace / "reports" / "README.md")
    return uri, symbols_of(raw, uri)


def test_a_content_length_longer_than_its_body_is_answered_at_once(raw, workspace):
    """The client sends one message with a length 40 bytes too long, and waits for its answer."""
    uri, symbols = _opened(raw, workspace)
    raw.write(frame(request(100, "textDocument/documentSymbol", {"textDocument": {"uri": uri}}), length_error=40))
    assert raw.response(100)["result"] == symbols
    for _ in range(3):  # and everything after it, as before
        assert symbols_of(raw, uri) == symbols
    assert "framing error: Content-Length" in raw.log()


def test_a_content_length_longer_than_its_body_does_not_swallow_the_next_message(raw, workspace):
    """Both in one write: the declared length runs into the next message's header."""
    uri, symbols = _opened(raw, workspace)
    params = {"textDocument": {"uri": uri}}
    raw.write(frame(request(100, "textDocument/documentSymbol", params), length_error=10)
              + frame(request(101, "textDocument/documentSymbol", params), length_error=300)
              + frame(request(102, "textDocument/documentSymbol", params)))
    assert [raw.response(n)["result"] for n in (100, 101, 102)] == [symbols] * 3
    assert symbols_of(raw, uri) == symbols


def test_a_body_that_is_not_json_gets_a_parse_error(raw, workspace):
    uri, symbols = _opened(raw, workspace)
    raw.write(b"Content-Length: 22\r\n\r\n{\"jsonrpc\": \"2.0\", \"id")  # cut short, and nothing follows
    raw.write(b"Content-Length: 9\r\n\r\nnot json!")
    raw.write(b"Content-Length: 11\r\n\r\n{\"a\": \"\xff\xfe\"}")  # not UTF-8
    for _ in range(3):
        response = raw.response(None)
        assert error_code(response) == PARSE_ERROR and response["id"] is None, response
    assert symbols_of(raw, uri) == symbols
    assert raw.proc.poll() is None


def test_a_content_length_shorter_than_its_body_then_the_next_message(raw, workspace):
    uri, symbols = _opened(raw, workspace)
    raw.write(frame(request(100, "textDocument/documentSymbol", {"textDocument": {"uri": uri}}), length_error=-12)
              + frame(request(101, "textDocument/documentSymbol", {"textDocument": {"uri": uri}})))
    response = raw.response(None)  # the first 12 bytes short: not JSON; request 100 is lost
    assert error_code(response) == PARSE_ERROR
    assert raw.response(101)["result"] == symbols


def test_bytes_between_messages_and_a_bad_length_are_skipped(raw, workspace):
    uri, symbols = _opened(raw, workspace)
    params = {"textDocument": {"uri": uri}}
    raw.write(b"\r\nsome noise\r\n" + frame(request(100, "textDocument/documentSymbol", params))
              + b"Content-Length: many\r\n\r\n{}" + frame(request(101, "textDocument/documentSymbol", params))
              + b"Content-Length: 5\r\nX-Other: 1\r\n" + frame(request(102, "textDocument/documentSymbol", params)))
    assert [raw.response(n)["result"] for n in (100, 101, 102)] == [symbols] * 3


def test_a_message_in_many_small_writes(raw, workspace):
    uri, symbols = _opened(raw, workspace)
    data = frame(request(100, "textDocument/documentSymbol", {"textDocument": {"uri": uri}}))
    for i in range(0, len(data), 7):
        raw.write(data[i : i + 7])
        time.sleep(0.002)
    assert raw.response(100)["result"] == symbols


def test_requests_before_initialize_are_not_initialized(raw, workspace):
    path = workspace / "reports" / "README.md"
    response = raw.request("textDocument/documentSymbol", {"textDocument": {"uri": path.as_uri()}})
    assert error_code(response) == SERVER_NOT_INITIALIZED, response
    assert error_code(raw.request("shutdown")) == SERVER_NOT_INITIALIZED
    assert error_code(raw.request("reportls/questionStatus", "garbage")) == SERVER_NOT_INITIALIZED
    raw.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "markdown",
                                                         "version": 1, "text": "dropped"}})
    # then initialize works, and the document "opened" before it is not open
    raw.initialize(workspace)
    text = raw.request("workspace/executeCommand", {"command": "reportls.documentText", "arguments": [path.as_uri()]})
    assert "result" in text and text["result"] is None, text
    uri = raw.open(path)
    assert len(symbols_of(raw, uri)) > 0


def test_exit_before_initialize_ends_the_server(raw):
    raw.notify("exit")
    assert raw.wait() == 1


def test_an_unreadable_initialize_leaves_the_server_not_initialized(raw, workspace):
    response = raw.request("initialize", {"processId": "me", "capabilities": {}})
    assert error_code(response) == INVALID_PARAMS
    assert error_code(raw.request("shutdown")) == SERVER_NOT_INITIALIZED
    _opened(raw, workspace)  # a good one then works


def test_capabilities_a_client_declares_beyond_the_protocol_are_ignored(raw, workspace):
    """A newer client's values (a hover format "html", an unknown encoding kind in a list, a
    capability of the wrong shape) do not refuse initialize: the rest is understood."""
    response = raw.request("initialize", {"processId": None, "rootUri": workspace.as_uri(), "capabilities": {
        "general": {"positionEncodings": ["utf-32", "utf-8"]},
        "textDocument": {"hover": {"contentFormat": ["html", "plaintext"]},
                         "completion": {"completionItem": {"snippetSupport": "yes"}}},
        "window": {"workDoneProgress": True}}})
    assert "result" in response, response
    assert response["result"]["capabilities"]["positionEncoding"] == "utf-8"
    raw.notify("initialized", {})
    uri = raw.open(workspace / "reports" / "README.md")
    hover = raw.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}})
    assert "error" not in hover
    assert "not understood" in raw.log()


@pytest.mark.parametrize("body", [b"[]", b"[{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"shutdown\"}]", b"42", b"\"x\""])
def test_json_that_is_not_an_object_is_an_invalid_request(raw, workspace, body):
    uri, symbols = _opened(raw, workspace)
    raw.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    response = raw.response(None)
    assert error_code(response) == INVALID_REQUEST and response["id"] is None, response
    assert symbols_of(raw, uri) == symbols


@pytest.mark.parametrize("header", [b"content-length: %d\n\n", b"Content-Length:%d\r\n\r\n",
                                    b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: %d\r\n\r\n"],
                         ids=["lower case, LF", "no space", "Content-Type first"])
def test_header_variants_are_read(raw, workspace, header):
    uri, symbols = _opened(raw, workspace)
    body = json.dumps(request(100, "textDocument/documentSymbol", {"textDocument": {"uri": uri}})).encode()
    raw.write(header % len(body) + body)
    assert raw.response(100)["result"] == symbols


def test_an_empty_body_gets_a_parse_error(raw, workspace):
    uri, symbols = _opened(raw, workspace)
    raw.write(b"Content-Length: 0\r\n\r\n")
    assert error_code(raw.response(None)) == PARSE_ERROR
    assert symbols_of(raw, uri) == symbols
