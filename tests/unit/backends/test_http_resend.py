"""A request cut as it went out (a kept-alive connection the server closed at that moment) is sent once more
when that cannot do anything twice, and reported otherwise (agent_desktop/adapters/http/client.py)."""

from __future__ import annotations

import httpx
import pytest

from agent_desktop.adapters.http.client import HttpBackend
from agent_desktop.domain.errors import BackendError


def backend_whose_first_request_is_cut() -> tuple[HttpBackend, list[str]]:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) == 1:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.Response(200, json={"ok": True})

    backend = HttpBackend("http://127.0.0.1:9", "token")
    backend._client = httpx.AsyncClient(base_url="http://127.0.0.1:9", transport=httpx.MockTransport(answer))
    return backend, seen


@pytest.mark.parametrize(
    ("method", "headers"), [("GET", None), ("PUT", None), ("DELETE", None), ("POST", {"Idempotency-Key": "wrap-1"})]
)
async def test_a_request_that_cannot_do_anything_twice_is_sent_again(
    method: str, headers: dict[str, str] | None
) -> None:
    backend, seen = backend_whose_first_request_is_cut()
    response = await backend._request(method, "/v1/x", headers=headers)
    assert response.json() == {"ok": True}
    assert seen == [method, method]
    await backend.aclose()


async def test_a_write_without_a_key_is_not_sent_again_and_the_agent_is_told() -> None:
    backend, seen = backend_whose_first_request_is_cut()
    with pytest.raises(BackendError) as cut:
        await backend._request("POST", "/v1/contacts/c-1/complete", json={})
    assert seen == ["POST"], "a write that may have been done is not done twice"
    assert cut.value.retryable
    await backend.aclose()
