"""Headers too big or too many get 431 (RFC 6585) from the mock servers, at once: an 8 MB header was taken whole
and 10,000 headers took 2.3 s (agent_desktop_mocks/common/http/header_limits.py). Raw sockets: a client library would
not send some of these."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest

ANSWER_WITHIN_S = 2.0  # a refusal comes before the rest is read (or at once after it)


def send(url: str, head: bytes, *, more: bytes = b"") -> tuple[bytes, float]:
    """Send a request's head, then `more` of its headers as far as the server takes them; the status line it
    answered and how long that took."""
    parts = urlsplit(url)
    began = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(head)
        try:
            for start in range(0, len(more), 65536):
                conn.sendall(more[start : start + 65536])
            conn.sendall(b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused and closed before the rest was sent
        answer = b""
        while b"\r\n" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0], time.monotonic() - began


def head(url: str) -> bytes:
    return b"GET /healthz HTTP/1.1\r\nHost: %s\r\n" % urlsplit(url).netloc.encode()


@pytest.mark.parametrize(
    "more",
    [b"X-Big: " + b"a" * 8_000_000 + b"\r\n", b"".join(b"X-%d: 1\r\n" % n for n in range(10_000))],
    ids=["an 8 MB header", "10,000 headers"],
)
def test_headers_too_big_or_too_many_are_refused_with_431(shared_ccaas_url: str, more: bytes) -> None:
    status, took = send(shared_ccaas_url, head(shared_ccaas_url), more=more)
    assert status == b"HTTP/1.1 431 Request Header Fields Too Large", status
    assert took < ANSWER_WITHIN_S, f"answered after {took:.2f} s"


def test_a_request_with_ordinary_headers_is_served(shared_ccaas_url: str) -> None:
    ordinary = b"".join(b"X-Trace-%d: %s\r\n" % (n, b"b" * 100) for n in range(40))
    status, _ = send(shared_ccaas_url, head(shared_ccaas_url), more=ordinary)
    assert status.startswith(b"HTTP/1.1 200"), status
