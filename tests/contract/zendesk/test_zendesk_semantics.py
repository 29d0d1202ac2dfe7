"""The Zendesk-shaped mock does what Zendesk's documentation says, not only what its schema allows:
each test is one row of docs/vendors/zendesk.md. Every exchange is checked against the fragment too.

- Create Or Update User *updates* the user with that email or external id (name, phone, external id).
- Create User refuses an email another user has (422, "is already being used by another user").
- Search matches a number written another way only with a leading `*` (Talk Partner Edition).
- Search lags new users (Search API: "up to a few minutes"); direct reads (show, show_many) do not.
- 429 carries the wait left in the minute as Retry-After, on the clock the test steps.
- A user's `user_fields` hold the account's checkbox fields (consent here) and Update User writes them.
- Update Ticket has its own limits: 100 a minute per account, 30 updates per 10 minutes per user per ticket.
- A starred phone search finds the same number in E.164; search serves 1,000 results at most (page 11 of 100:
  422); a query of a thousand words is answered, never a server error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.schemas import Customer
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, ZendeskMockSettings
from tests.contract.zendesk_contract import ContractTransport
from tests.support.stepped_clock import SteppedClock

BILLY: dict[str, Any] = {"id": 4, "email": "billy.smith3@example.com", "phone": "+15125550100"}  # seed 7's caller 3


async def _client(tmp_path: Path, clock: SteppedClock, **options: Any) -> httpx.AsyncClient:
    settings = MockSettings(data_dir=tmp_path, seed=7, customers=60, simulator=False, fresh=True)
    app = create_app(settings, ZendeskMockSettings(**options), clock=clock)
    return httpx.AsyncClient(
        base_url="http://zendesk.test",
        transport=ContractTransport(httpx.ASGITransport(app=app)),
        auth=(f"{DEMO_ZENDESK_EMAIL}/token", DEMO_ZENDESK_TOKEN),
    )


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
async def zendesk(tmp_path: Path, clock: SteppedClock) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(tmp_path, clock) as client:
        yield client


async def _ids(zendesk: httpx.AsyncClient, query: str) -> list[int]:
    answer = await zendesk.get("/api/v2/search", params={"query": query})
    assert answer.status_code == 200
    return [result["id"] for result in answer.json()["results"]]


async def test_create_or_update_updates_the_user_who_has_that_email(zendesk: httpx.AsyncClient) -> None:
    sent = {"name": "Somebody Else", "email": BILLY["email"], "phone": "+12125550199", "external_id": "new-caller-1"}
    answer = await zendesk.post("/api/v2/users/create_or_update", json={"user": sent})
    assert answer.status_code == 200, "an existing user: updated, not created"
    user = (await zendesk.get(f"/api/v2/users/{BILLY['id']}")).json()["user"]
    assert (user["name"], user["phone"], user["external_id"]) == ("Somebody Else", "+12125550199", "new-caller-1")
    assert user["email"] == BILLY["email"]
    by_key = await zendesk.post(
        "/api/v2/users/create_or_update", json={"user": {"name": "Again", "external_id": "NEW-CALLER-1"}}
    )
    assert by_key.status_code == 200, "matched on external id, any case"
    assert by_key.json()["user"]["id"] == BILLY["id"], "matched on external id, any case"


async def test_create_user_refuses_an_email_another_user_has(zendesk: httpx.AsyncClient) -> None:
    sent = {"name": "B Smith", "email": BILLY["email"].upper(), "phone": "+12125550199"}
    answer = await zendesk.post("/api/v2/users", json={"user": sent})
    assert answer.status_code == 422
    assert answer.json()["details"]["email"] == [
        {
            "description": f"Email: {BILLY['email'].upper()} is already being used by another user",
            "error": "DuplicateValue",
        }
    ]
    user = (await zendesk.get(f"/api/v2/users/{BILLY['id']}")).json()["user"]
    assert (user["name"], user["phone"], user["external_id"]) == ("Billy Smith", BILLY["phone"], "cus-000004")


async def test_search_finds_another_written_form_only_with_a_leading_star(
    zendesk: httpx.AsyncClient, clock: SteppedClock
) -> None:
    made = await zendesk.post("/api/v2/users", json={"user": {"name": "Rosa Park", "phone": "(415) 555-0199"}})
    assert made.json()["user"]["phone"] == "(415) 555-0199", "kept as written"
    clock.step(ZendeskMockSettings().search_lag_s + 1)
    rosa = made.json()["user"]["id"]
    assert await _ids(zendesk, "role:end-user phone:14155550199") == [], "E.164's digits: not as it is written"
    assert await _ids(zendesk, "role:end-user phone:4155550199") == [rosa], "guessed: the same digits match"
    assert await _ids(zendesk, "role:end-user phone:+1 (415) 555-0199") == []
    assert await _ids(zendesk, "role:end-user phone:*4155550199") == [rosa]
    assert await _ids(zendesk, "role:end-user phone:15125550100") == [BILLY["id"]], "stored +15125550100: same digits"
    assert await _ids(zendesk, "role:end-user phone:*5125550100") == [BILLY["id"]]


async def test_search_lags_a_new_user_and_direct_reads_do_not(zendesk: httpx.AsyncClient, clock: SteppedClock) -> None:
    made = await zendesk.post(
        "/api/v2/users", json={"user": {"name": "Ana Diaz", "phone": "+14155550142", "external_id": "k-1"}}
    )
    ana = made.json()["user"]["id"]
    clock.step(60)
    assert await _ids(zendesk, "role:end-user phone:*4155550142") == [], "a minute later: not indexed yet"
    users = (await zendesk.get("/api/v2/users/search", params={"query": "Ana Diaz"})).json()["users"]
    assert users == []
    assert (await zendesk.get(f"/api/v2/users/{ana}")).status_code == 200
    many = (await zendesk.get("/api/v2/users/show_many", params={"external_ids": "K-1"})).json()["users"]
    assert [u["id"] for u in many] == [ana]
    assert [
        u["id"] for u in (await zendesk.get("/api/v2/users/show_many", params={"ids": f"{ana},4"})).json()["users"]
    ] == [ana, 4]
    clock.step(ZendeskMockSettings().search_lag_s)
    assert await _ids(zendesk, "role:end-user phone:*4155550142") == [ana]


async def test_a_rate_limit_asks_for_the_rest_of_the_minute(tmp_path: Path, clock: SteppedClock) -> None:
    async with await _client(tmp_path, clock, rate_limit=2) as zendesk:
        assert (await zendesk.get("/api/v2/users/4")).status_code == 200
        clock.step(15)
        assert (await zendesk.get("/api/v2/users/4")).status_code == 200
        limited = await zendesk.get("/api/v2/users/4")
        assert limited.status_code == 429
        assert 44 <= int(limited.headers["Retry-After"]) <= 45
        clock.step(int(limited.headers["Retry-After"]))
        assert (await zendesk.get("/api/v2/users/4")).status_code == 200


async def test_user_fields_hold_the_accounts_consent_checkboxes(zendesk: httpx.AsyncClient) -> None:
    before = (await zendesk.get(f"/api/v2/users/{BILLY['id']}")).json()["user"]["user_fields"]
    assert {"marketing_opt_in", "sms_opt_in", "recording_opt_in"} <= set(before)
    changed = await zendesk.put(
        f"/api/v2/users/{BILLY['id']}", json={"user": {"user_fields": {"sms_opt_in": False, "no_such_field": True}}}
    )
    assert changed.status_code == 200
    assert changed.json()["user"]["user_fields"]["sms_opt_in"] is False
    assert "no_such_field" not in changed.json()["user"]["user_fields"], "guessed: only the account's fields kept"
    after = (await zendesk.get(f"/api/v2/users/{BILLY['id']}")).json()["user"]["user_fields"]
    assert after == {**before, "sms_opt_in": False}
    not_a_checkbox = await zendesk.put(
        f"/api/v2/users/{BILLY['id']}", json={"user": {"user_fields": {"sms_opt_in": "no"}}}
    )
    assert not_a_checkbox.status_code == 422


async def _new_ticket(zendesk: httpx.AsyncClient) -> int:
    made = await zendesk.post("/api/v2/tickets", json={"ticket": {"comment": {"body": "Hello"}, "requester_id": 4}})
    return int(made.json()["ticket"]["id"])


async def _update(zendesk: httpx.AsyncClient, ticket_id: int) -> httpx.Response:
    return await zendesk.put(f"/api/v2/tickets/{ticket_id}", json={"ticket": {"additional_tags": ["seen"]}})


async def test_update_ticket_allows_30_updates_per_ticket_in_10_minutes(
    zendesk: httpx.AsyncClient, clock: SteppedClock
) -> None:
    one, two = await _new_ticket(zendesk), await _new_ticket(zendesk)
    assert [(await _update(zendesk, one)).status_code for _ in range(30)] == [200] * 30
    clock.step(120)
    limited = await _update(zendesk, one)
    assert limited.status_code == 429, "the 10 minutes' rest"
    assert 470 <= int(limited.headers["Retry-After"]) <= 480, "the 10 minutes' rest"
    assert (await _update(zendesk, two)).status_code == 200, "another ticket has its own 30"
    clock.step(int(limited.headers["Retry-After"]))
    assert (await _update(zendesk, one)).status_code == 200


async def test_update_ticket_allows_100_a_minute_per_account(tmp_path: Path, clock: SteppedClock) -> None:
    async with await _client(tmp_path, clock, ticket_updates_per_ticket=None) as zendesk:
        tickets = [await _new_ticket(zendesk) for _ in range(2)]
        assert {(await _update(zendesk, tickets[n % 2])).status_code for n in range(100)} == {200}
        clock.step(20)
        limited = await _update(zendesk, tickets[0])
        assert limited.status_code == 429
        assert 35 <= int(limited.headers["Retry-After"]) <= 40
        assert (await zendesk.get("/api/v2/users/4")).status_code == 200, "other endpoints are not counted here"
        clock.step(int(limited.headers["Retry-After"]))
        assert (await _update(zendesk, tickets[1])).status_code == 200


async def test_a_starred_search_finds_the_same_number_written_in_e164(
    zendesk: httpx.AsyncClient, clock: SteppedClock
) -> None:
    made = await zendesk.post("/api/v2/users", json={"user": {"name": "Rosa Park", "phone": "(415) 555-0117"}})
    rosa = made.json()["user"]["id"]
    clock.step(ZendeskMockSettings().search_lag_s + 1)
    assert await _ids(zendesk, "role:end-user phone:*+14155550117") == [rosa], "normalised: the same number"
    assert await _ids(zendesk, "role:end-user phone:*14155550117") == [rosa], "the country code's digits too"
    assert await _ids(zendesk, "role:end-user phone:*+14155550118") == []


def _plant_users_ending_0117(tmp_path: Path, how_many: int) -> None:
    with sqlite_utils.Database(tmp_path / "crm.db") as db:
        for n in range(how_many):
            phone = f"({200 + n % 700}) {556 + n // 700}-0117"
            store.insert_customer(db, Customer(id=f"cus-{5_000 + n:06d}", name=f"Planted {n}", phones=[phone]))
        db.conn.commit()


async def test_search_serves_at_most_1000_results_and_refuses_a_page_past_them(
    tmp_path: Path, zendesk: httpx.AsyncClient
) -> None:
    _plant_users_ending_0117(tmp_path, 1_050)
    pages = [await zendesk.get("/api/v2/search", params={"query": "phone:*0117", "page": n}) for n in (10, 11)]
    assert pages[0].status_code == 200
    assert len(pages[0].json()["results"]) == 100
    assert pages[0].json()["next_page"] is None, "the thousandth result is the last served"
    assert pages[1].status_code == 422, "page 11 at 100 a page: past the 1,000"
    assert "1,000 results" in pages[1].json()["description"]


async def test_a_thousand_word_query_is_answered_not_a_server_error(zendesk: httpx.AsyncClient) -> None:
    words = " ".join(f"word{n}" for n in range(1_100))
    for path in ("/api/v2/search", "/api/v2/users/search"):
        answer = await zendesk.get(path, params={"query": words})
        assert answer.status_code == 200, path
        assert answer.json()["count"] == 0, path
    assert [
        u["id"]
        for u in (await zendesk.get("/api/v2/users/search", params={"query": "billy smith " * 30})).json()["users"]
    ] == [BILLY["id"]], "repeated words: still every word of the name"
