"""A request whose headers are too big or too many is refused with 431 (RFC 6585, "Request Header Fields Too
Large") before any route reads it: without a limit the mock servers took an 8 MB header, and 2.3 s over 10,000
headers. httptools, the parser the mocks run on, has no limit of its own (h11's is its 16 KiB); this one is as
nginx's default buffers allow (32 KiB) and counts the bytes as they come, so a header that never ends is cut
off too.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEADER_BYTES = 32 * 1024  # the request line and the headers
MAX_HEADERS = 200
REFUSAL = b"Request header fields too large: at most 200 headers and 32 KiB in all."


class TooLarge(Exception):
    """Raised from the parser's callback: httptools stops parsing the request."""


class LimitedHeadersProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_bytes = 0  # read of the request in progress, until its headers are complete
        self._reading_headers = True
        self._tail = b""  # the last bytes read, for an end of the head split between two reads

    def data_received(self, data: bytes) -> None:
        if self._reading_headers:
            # Only the head counts: a body sent in the same read is the routes' to limit (413).
            end = (self._tail + data).find(b"\r\n\r\n")
            self._header_bytes += len(data) if end < 0 else max(0, end + 4 - len(self._tail))
            self._tail = data[-3:]
            if self._header_bytes > MAX_HEADER_BYTES:
                self._refuse()
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading_headers = True

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(self.headers) >= MAX_HEADERS:
            raise TooLarge
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._reading_headers, self._header_bytes, self._tail = False, 0, b""
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        """The parser stopped: on too many headers, 431 says why; else uvicorn's 400."""
        if self._reading_headers and len(self.headers) >= MAX_HEADERS:
            self._refuse()
        else:
            super().send_400_response(msg)

    def _refuse(self) -> None:
        if self.transport.is_closing():
            return
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(REFUSAL), REFUSAL)
        )
        self.transport.close()
