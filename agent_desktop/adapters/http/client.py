"""The one long-lived httpx client each HTTP backend keeps, with explicit timeouts."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from functools import cache
from typing import Any, TypeVar, overload

import httpx
from httpx_sse import ServerSentEvent
from pydantic import BaseModel, TypeAdapter, ValidationError

from agent_desktop.adapters.wire.answer_json import AnswerTooLarge, answer_json, send_bounded, too_large, unreadable
from agent_desktop.adapters.wire.event_json import Unreadable
from agent_desktop.adapters.wire.http_errors import is_html, not_json, raise_for_status, retry_after_s, transport_error
from agent_desktop.adapters.wire.lone_surrogates import repaired
from agent_desktop.adapters.wire.stream import resilient_stream
from agent_desktop.domain.center_clock import CenterClock
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.streams.link_status import LinkStatus

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every https client: building one loads the whole CA bundle, and start-up
    builds four clients, plus three more for the access check (`desktop_start_to_interactive`, bench_desktop)."""
    return httpx.create_ssl_context()


# The connection broke while the request went out or before its answer came: most often a kept-alive
# connection the server closed at that moment (its idle timeout shorter than ours). Not a timeout.
CUT_AS_SENT = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def may_send_again(method: str, headers: Any) -> bool:
    """Whether a request cut as it was sent may be sent once more without doing anything twice: a method
    HTTP makes idempotent, or a write under an idempotency key (the server does it once whatever the count)."""
    return method.upper() in IDEMPOTENT or bool(headers and "Idempotency-Key" in headers)


class HttpBackend:
    """Base of the HTTP backends: requests that raise `BackendError`, never httpx errors."""

    name = "backend"

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_s: float = 5.0,
        heartbeat_timeout_s: float = 35.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`heartbeat_timeout_s`: a stream (`_stream`) silent this long, not even a heartbeat, is counted as lost;
        `transport`: httpx's own unless a test puts one under the client."""
        self.base_url = base_url.rstrip("/")
        self._heartbeat_timeout_s = heartbeat_timeout_s
        self.center_clock = CenterClock()  # the server's clock, read from each answer's `Date`
        self._client = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "agent-desktop"},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0)),
            # plain http (the mocks, a sidecar on loopback) has no TLS to verify: no CA bundle to load then
            verify=_tls() if base_url.lower().startswith("https:") else False,
            transport=transport,
        )

    rate_limit_wait_s = 0.0
    """A 429 whose `Retry-After` is at most this is waited out once, then sent again (nothing was done, so
    sending again is safe); a longer one is a retryable BackendError. 0: never wait."""

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if "json" in kwargs:  # text read from a backend (a transcript) may hold one: httpx cannot encode it
            kwargs["json"] = repaired(kwargs["json"])
        clock = self.center_clock
        for attempt in range(2):
            try:
                response = await send_bounded(self._client, method, path, **kwargs)
                clock.heard_header(response.headers.get("date"), clock.monotonic())
            except AnswerTooLarge:
                raise too_large(self.name, f"the {self.name}") from None
            except CUT_AS_SENT as error:
                if attempt == 0 and may_send_again(method, kwargs.get("headers")):
                    continue  # a kept-alive connection the server closed as this went out on it: once more
                raise transport_error(self.name, error) from error
            except httpx.HTTPError as error:
                raise transport_error(self.name, error) from error
            except httpx.InvalidURL as error:  # an id from a backend that no URL can hold (a control character)
                raise BackendError(self.name, f"cannot ask for that id: {error}", status=400) from error
            wait = retry_after_s(response) if response.status_code == 429 and attempt == 0 else None
            if wait is None or wait > self.rate_limit_wait_s:
                break
            await asyncio.sleep(wait)
        raise_for_status(self.name, response)
        if is_html(response):  # a maintenance page served as 200: every caller reads JSON from the answer
            raise not_json(self.name, response)
        return response

    async def check_access(self) -> object:
        """One authenticated read: BackendError (with its status) if the backend refuses this client."""
        raise NotImplementedError

    async def _get_json(self, path: str, **kwargs: Any) -> Any:
        return repaired(answer_json(self.name, await self._request("GET", path, **kwargs)))

    def _model(self, model: type[M], response: httpx.Response) -> M:
        """The answer read as `model` (within answer_json's bounds)."""
        return self._as(model, answer_json(self.name, response))

    @overload
    def _as(self, kind: type[M], value: object) -> M: ...
    @overload
    def _as(self, kind: TypeAdapter[T], value: object) -> T: ...
    def _as(self, kind: type[M] | TypeAdapter[T], value: object) -> M | T:
        """JSON read as a model (or a TypeAdapter's type); one that is not is a BackendError naming the first
        field that is wrong, never a ValidationError reaching the desk."""
        try:
            return kind.validate_python(value) if isinstance(kind, TypeAdapter) else kind.model_validate(value)
        except ValidationError as error:
            what = "list" if isinstance(kind, TypeAdapter) else kind.__name__
            raise unreadable(self.name, f"the {self.name}", what, error) from None

    def _stream(
        self,
        path: str,
        parse: Callable[[ServerSentEvent], T | Unreadable | None],
        resync: Callable[[], Awaitable[Iterable[T]]] | None = None,
    ) -> AsyncIterator[T | LinkStatus]:
        """A server-sent event stream of this backend that reconnects by itself (stream.py)."""
        return resilient_stream(
            self._client,
            path,
            backend=self.name,
            parse=parse,
            resync=resync,
            heartbeat_timeout_s=self._heartbeat_timeout_s,
        )

    async def aclose(self) -> None:
        await self._client.aclose()
