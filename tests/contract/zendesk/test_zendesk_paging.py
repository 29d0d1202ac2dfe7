"""Zendesk's `next_page` links as a broken or hostile Zendesk could send them: to the page itself, back
to an earlier one, onward forever, to another host (which would receive the API token), or not a link at all.

Searched (hypothesis) over every read the desk pages through and over the wrap-up's write: each call ends (a
bounded number of requests), answers or is refused in words, and no request ever leaves the configured host.
The links are rewritten between the backend and the contract transport, so what reaches the Zendesk-shaped
mock and what it answers are still checked against the fragment.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.zendesk.crm import MOST_PAGES, ZendeskCrm
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Channel, InteractionCreate
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, ZendeskMockSettings
from tests.contract.zendesk_contract import ContractTransport
from tests.support.hypothesis_profiles import examples

BASE = "http://zendesk.test"
BILLY, BILLY_PHONE, BILLY_EMAIL = "4", "+15125550100", "billy.smith3@example.com"
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FOREIGN = [
    "https://evil.test/api/v2/users/search?page=2",
    "http://zendesk.test:8443/api/v2/users/search?page=2",
    "//evil.test/api/v2/users/search",
    "http://zendesk.test@evil.test/api/v2/users/search",
    "https://zendesk.test/api/v2/users/search?page=2",
    "http://zendesk.test.evil.test/api/v2/users/search",
]
BROKEN: list[Any] = [7, ["x"], {"url": BASE}, True]
FOLLOWED_FOREVER = 500  # far past any bound the backend should keep to


class FollowedForever(Exception):
    pass


class HostileLinks(httpx.AsyncBaseTransport):
    """From the `from_answer`-th answer on, each page's `next_page` is replaced by `link(request)`; a request
    to any other host than zendesk.test is answered here (an empty page) and kept in `foreign`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, link: Callable[[httpx.Request], Any], from_answer: int) -> None:
        self.inner, self.link, self.from_answer = inner, link, from_answer
        self.sent = 0
        self.foreign: list[tuple[str, bool]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        if self.sent > FOLLOWED_FOREVER:
            raise FollowedForever(f"{self.sent} requests: the links are followed forever")
        if request.url.scheme != "http" or request.url.host != "zendesk.test" or request.url.port is not None:
            self.foreign.append((str(request.url), "authorization" in request.headers))
            return httpx.Response(
                200, json={"users": [], "results": [], "tickets": [], "comments": [], "next_page": None}
            )
        answer = await self.inner.handle_async_request(request)
        if self.sent <= self.from_answer:
            return answer
        body = json.loads(await answer.aread())
        if not isinstance(body, dict) or "next_page" not in body:
            return answer
        body["next_page"] = self.link(request)
        return httpx.Response(answer.status_code, json=body)


def _link(kind: str, foreign: str, broken: Any) -> Callable[[httpx.Request], Any]:
    first: list[str] = []

    def link(request: httpx.Request) -> Any:
        first.append(str(request.url))
        if kind == "itself":
            return str(request.url)
        if kind == "back":
            return first[0]
        if kind == "onward":  # a new page each time, on the right host: an endless chain
            return str(request.url.copy_set_param("page", int(request.url.params.get("page", "1")) + 1))
        if kind == "foreign":
            return foreign
        return broken

    return link


def _wrap_up(customer_id: str) -> InteractionCreate:
    return InteractionCreate(
        customer_id=customer_id,
        contact_id="c-41",
        channel=Channel.VOICE,
        agent_id="agent-001",
        queue_id="billing",
        answered_at=AT,
        ended_at=AT,
        disposition="Resolved",
        notes="Refunded.",
    )


CALLS: dict[str, Callable[[ZendeskCrm], Awaitable[Any]]] = {
    "pop by phone": lambda crm: crm.lookup(BILLY_PHONE),
    "pop by email": lambda crm: crm.lookup(BILLY_EMAIL),
    "search": lambda crm: crm.search_customers("smith"),
    "record": lambda crm: crm.customer_record(BILLY),
    "history": lambda crm: crm.list_interactions(BILLY),
    "past conversation": lambda crm: crm.interaction("1:c1"),
    "wrap-up": lambda crm: crm.log_interaction(_wrap_up(BILLY), "wrap-41"),
}
WORDS = (
    "pages that lead back to one already read",
    "a next page on another host",
    "a next-page link that is not",
    f"more than {MOST_PAGES} pages",
)


async def _call_through(folder: Path, call: str, link: Callable[[httpx.Request], Any], from_answer: int) -> None:
    app = create_app(
        MockSettings(data_dir=folder, seed=7, customers=60, simulator=False, fresh=True), ZendeskMockSettings()
    )
    hostile = HostileLinks(ContractTransport(httpx.ASGITransport(app=app)), link, from_answer)
    crm = ZendeskCrm(BASE, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=hostile)
    try:
        await asyncio.wait_for(CALLS[call](crm), 60)  # a backstop: the bound is the requests counted below
    except BackendError as error:
        assert error.retryable or not any(w in error.message for w in WORDS), error.message
    finally:
        await crm.aclose()
    assert hostile.foreign == [], "a request left for another host, with the API token"
    # the history reads five tickets' comments side by side: each read has its own bound
    assert hostile.sent <= 7 * (MOST_PAGES + 1), f"{hostile.sent} requests for one {call}"


@settings(max_examples=examples(30))
@given(
    st.sampled_from(sorted(CALLS)),
    st.sampled_from(["itself", "back", "onward", "foreign", "broken"]),
    st.sampled_from(FOREIGN),
    st.sampled_from(BROKEN),
    st.integers(0, 3),
)
def test_no_next_page_is_followed_forever_or_off_the_configured_host(
    call: str, kind: str, foreign: str, broken: Any, from_answer: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_call_through(Path(folder), call, _link(kind, foreign, broken), from_answer))


@pytest.mark.parametrize("kind", ["itself", "foreign"])
async def test_a_pop_through_a_looping_or_foreign_link_is_refused_in_words(kind: str, tmp_path: Path) -> None:
    app = create_app(
        MockSettings(data_dir=tmp_path, seed=7, customers=60, simulator=False, fresh=True), ZendeskMockSettings()
    )
    hostile = HostileLinks(ContractTransport(httpx.ASGITransport(app=app)), _link(kind, FOREIGN[0], None), 0)
    crm = ZendeskCrm(BASE, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=hostile)
    with pytest.raises(BackendError) as refused:
        await crm.lookup(BILLY_PHONE)
    said = {
        "itself": "502 Zendesk sent pages that lead back to one already read: the list stopped",
        "foreign": "502 Zendesk sent a next page on another host (evil.test): not followed, the credentials go only to zendesk.test",
    }[kind]
    assert (refused.value.message, refused.value.retryable) == (said, True)
    assert hostile.foreign == []
    assert hostile.sent <= 3
    await crm.aclose()
