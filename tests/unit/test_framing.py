"""``lsp.framing.MessageFramer``: Content-Length framing fed byte chunks, and how it recovers from framing faults."""

import json

import pytest

from reportls.lsp.framing import Frame, MessageFramer


def frame(obj, length_error: int = 0) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) + length_error) + body


def feed_all(*chunks: bytes) -> list[Frame]:
    framer = MessageFramer()
    return [f for chunk in chunks for f in framer.feed(chunk)]


def messages(frames):
    return [f.message if f.problem is None else "parse error" for f in frames]


def test_messages_and_other_headers():
    data = frame({"id": 1}) + b"Content-Length: 8\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{\"id\":2}"
    assert messages(feed_all(data)) == [{"id": 1}, {"id": 2}]
    assert messages(feed_all(*[data[i : i + 1] for i in range(len(data))])) == [{"id": 1}, {"id": 2}]


def test_a_length_too_long_gives_the_message_as_soon_as_it_is_complete():
    framer = MessageFramer()
    assert messages(framer.feed(frame({"id": 1}, 40))) == [{"id": 1}]  # nothing more need come
    assert messages(framer.feed(frame({"id": 2}))) == [{"id": 2}]
    assert framer.pending() == 0


def test_a_length_too_long_is_cut_at_the_next_header():
    data = frame({"id": 1}, 3) + frame({"id": 2}, 500) + frame({"id": 3})
    assert messages(feed_all(data)) == [{"id": 1}, {"id": 2}, {"id": 3}]


def test_bodies_that_are_not_json():
    got = feed_all(b"Content-Length: 5\r\n\r\nnot json" + frame({"id": 3}))
    assert messages(got) == ["parse error", {"id": 3}]
    assert got[0].problem == "a body that is not JSON: b'not j'"
    # cut short and too long: the next header ends it
    got = feed_all(b"Content-Length: 50\r\n\r\n{\"id\": 9, \"x\": [1," + frame({"id": 3}))
    assert messages(got) == ["parse error", {"id": 3}]
    assert got[0].problem.startswith("a body that is not JSON, cut short by the next header")
    assert messages(feed_all(b"Content-Length: 10\r\n\r\n{\"a\":\"\xff\xfe\"}")) == ["parse error"]  # not UTF-8
    assert messages(feed_all(b"Content-Length: 3\r\n\r\n123")) == [123]  # JSON, though not a message


def test_a_length_one_byte_too_long_does_not_eat_the_next_header():
    assert messages(feed_all(b"Content-Length: 12\r\n\r\n{\"a\":1} xyz" + frame({"id": 3}))) == ["parse error", {"id": 3}]


@pytest.mark.parametrize("junk", [b"garbage\r\n", b"\r\n\r\n", b"Content-Length: abc\r\n\r\n{}", b"}}}"])
def test_junk_before_a_header_is_skipped(junk):
    assert messages(feed_all(junk + frame({"id": 1}))) == [{"id": 1}]


def test_a_header_like_text_inside_a_string_is_text():
    obj = {"text": "Content-Length: 5\r\n\r\n" * 200}
    data = frame(obj)
    assert messages(feed_all(*[data[i : i + 100] for i in range(0, len(data), 100)])) == [obj]


def test_many_bad_headers_in_one_read():
    data = b"Content-Length: x\r\n" * 20000 + b"\r\n" + frame({"id": 1})
    assert messages(feed_all(data)) == [{"id": 1}]


def test_a_header_before_content_length_is_no_framing_error(caplog):
    data = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}"
    assert messages(feed_all(data)) == [{}]
    assert "framing error" not in caplog.text
    assert messages(feed_all(b"junk\r\n" + data)) == [{}]
    assert "framing error: 63 bytes skipped before the next header: b'junk\\r\\nContent-Type:" in caplog.text
