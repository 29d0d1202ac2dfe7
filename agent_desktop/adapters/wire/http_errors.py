"""An HTTP answer or transport failure turned into a BackendError (the HTTP clients' side of errors.py)."""

from __future__ import annotations

import socket

import httpx

from agent_desktop.domain.errors import RETRY_AFTER_MAX_S, BackendError


def raise_for_status(backend: str, response: httpx.Response) -> None:
    if response.is_success:
        return
    detail: object = response.reason_phrase
    state = None
    body = json_body(response)
    if isinstance(body, dict):
        detail = body.get("detail", detail)
        state = body.get("state") if isinstance(body.get("state"), str) else None
    if isinstance(detail, list):  # FastAPI validation errors
        detail = "; ".join(
            f"{'.'.join(str(p) for p in _list(item.get('loc'))[1:])}: {item.get('msg')}"
            for item in detail
            if isinstance(item, dict)
        )
    if response.status_code == 429:
        detail = rate_limited(retry_after_s(response))
    raise BackendError(backend, f"{response.status_code} {one_line(str(detail))}", response.status_code, state)


def json_body(response: httpx.Response) -> object:
    """The answer's JSON (an error's body, read to say what went wrong), or None where it is not JSON (or is
    JSON no reader should walk: nested a thousand deep raises RecursionError, not ValueError)."""
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def not_json(backend: str, response: httpx.Response) -> BackendError:
    """What the answer was instead of JSON, in words; no status, so the outbox keeps the write and retries it."""
    if is_html(response):
        return BackendError(backend, f"{backend} answered an HTML page, not JSON: maintenance?")
    kind = content_kind(response)
    return BackendError(
        backend, f"{backend} answered something that is not JSON ({kind}, {len(response.content):,} bytes)"
    )


def content_kind(response: httpx.Response) -> str:
    """The answer's content type in a few words (`text/html`), cut where a server's is longer than any real one."""
    return one_line(response.headers.get("Content-Type", "").partition(";")[0].strip(), 60) or "no content type"


def is_html(response: httpx.Response) -> bool:
    """A web page, not an API's answer: said so by its content type, or by its first character."""
    if not response.content:
        return False
    return "html" in response.headers.get("Content-Type", "").lower() or response.content.lstrip()[:1] == b"<"


def one_line(text: str, most: int = 300) -> str:
    """A vendor's words for a status line: one line, not endless, and text a terminal can write."""
    line = " ".join(text.split())
    line = line.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate becomes "?"
    return line if len(line) <= most else line[: most - 1] + "…"


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def retry_after_s(response: httpx.Response) -> float | None:
    """`Retry-After` in seconds (the delay form; an HTTP date is not read), at most RETRY_AFTER_MAX_S, or None."""
    try:
        wait = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    if wait != wait:  # NaN
        return None
    return min(max(0.0, wait), RETRY_AFTER_MAX_S)


def rate_limited(wait: float | None) -> str:
    """A 429 in words: the wait the desk read from `Retry-After` (`retry_after_s`: `retry after 30 s`), never the
    header as written (a server's 5,000 nines made a status line of 5,000 characters)."""
    return "rate limited" if wait is None else f"rate limited, retry after {wait:g} s"


def transport_error(backend: str, error: httpx.HTTPError) -> BackendError:
    return BackendError(backend, f"cannot reach {backend} ({describe_transport_error(error)})")


def describe_transport_error(error: httpx.HTTPError) -> str:
    """What went wrong on the way, in the words an agent or an admin would use."""
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        causes = _causes(error)
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return "refused"
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return "unknown host"
        if any(isinstance(cause, TimeoutError) for cause in causes):
            return "timed out"
        return f"cannot connect ({error or type(error).__name__})"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the server closed the connection"
    return type(error).__name__


def _causes(error: BaseException) -> list[BaseException]:
    """The chain under an httpx error (anyio wraps the OSError that says what happened)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
