"""Twilio's Messages resource as documented (docs/vendors/twilio-messaging.md), on the Twilio-shaped mock: a `To`
not in E.164 is 21211, a body over 1,600 characters 21617, a recipient who opted out 21610 (the test credentials'
magic numbers, each with its code); `undelivered` and `failed` are reached with their error codes; `DateSent>`
filters by the date sent, which a message still queued has not. Every request is checked against Twilio's pinned
spec; time is a knob (the mock's messaging clock), never a wait."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.twilio.messaging.message_fates import FAILED_TO, UNDELIVERED_TO
from agent_desktop_mocks.twilio.settings import DEMO_ACCOUNT_SID, DEMO_API_KEY_SECRET, DEMO_API_KEY_SID
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.protocol_rigs.twilio import twilio_floor

MESSAGES = f"/2010-04-01/Accounts/{DEMO_ACCOUNT_SID}/Messages"
FROM = "+15005550006"
TO = "+15125550100"


@asynccontextmanager
async def messages_api(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, ManualClock]]:
    """The Messages resource of a Twilio-shaped mock whose messaging runs on a clock the test steps."""
    settings = MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=10, simulator=False, fresh=True)
    async with twilio_floor(settings) as floor:
        clock = ManualClock(datetime.now(UTC))
        floor.twilio_app.state.messaging.clock = clock
        async with httpx.AsyncClient(
            base_url=floor.twilio_url,
            auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET),
            transport=TwilioContractTransport(),
            timeout=5,
        ) as twilio:
            yield twilio, clock


async def _send(twilio: httpx.AsyncClient, to: str, body: str = "Your refund is on its way.") -> httpx.Response:
    return await twilio.post(f"{MESSAGES}.json", data={"To": to, "From": FROM, "Body": body})


async def _listed(twilio: httpx.AsyncClient, **filters: str) -> list[dict[str, Any]]:
    answer = await twilio.get(f"{MESSAGES}.json", params={"To": TO, "From": FROM, **filters})
    answer.raise_for_status()
    messages: list[dict[str, Any]] = answer.json()["messages"]
    return messages


async def test_a_to_not_in_e164_is_refused_with_21211(tmp_path: Path) -> None:
    async with messages_api(tmp_path) as (twilio, _):
        for written in ("(512) 555-0100", "5125550100", "+1 512 555 0100", "12"):
            refused = await _send(twilio, written)
            assert (refused.status_code, refused.json()["code"]) == (400, 21211), written
        assert (await _send(twilio, TO)).status_code == 201


async def test_a_body_over_1600_characters_is_refused_with_21617_not_cut(tmp_path: Path) -> None:
    async with messages_api(tmp_path) as (twilio, _):
        refused = await _send(twilio, TO, "x" * 1601)
        assert (refused.status_code, refused.json()["code"]) == (400, 21617)
        assert await _listed(twilio) == [], "nothing was sent"
        taken = await _send(twilio, TO, "x" * 1600)
        assert taken.status_code == 201
        assert len(taken.json()["body"]) == 1600


async def test_the_test_credentials_magic_numbers_are_refused_with_their_codes(tmp_path: Path) -> None:
    async with messages_api(tmp_path) as (twilio, _):
        codes = {}
        for to in ("+15005550001", "+15005550002", "+15005550003", "+15005550004", "+15005550009"):
            refused = await _send(twilio, to)
            codes[to] = (refused.status_code, refused.json()["code"])
        assert codes == {
            "+15005550001": (400, 21211),
            "+15005550002": (400, 21612),
            "+15005550003": (400, 21408),
            "+15005550004": (400, 21610),
            "+15005550009": (400, 21614),
        }


async def test_undelivered_and_failed_are_reached_with_their_error_codes(tmp_path: Path) -> None:
    async with messages_api(tmp_path) as (twilio, clock):
        sids = {to: (await _send(twilio, to)).json()["sid"] for to in (UNDELIVERED_TO, FAILED_TO, TO)}

        async def seen() -> dict[str, tuple[str, int | None, bool]]:
            found = {}
            for to, sid in sids.items():
                message = (await twilio.get(f"{MESSAGES}/{sid}.json")).json()
                found[to] = (message["status"], message["error_code"], message["date_sent"] is not None)
            return found

        assert await seen() == dict.fromkeys(sids, ("queued", None, False))
        clock.advance_to(1.2)
        assert await seen() == {
            UNDELIVERED_TO: ("sent", None, True),
            FAILED_TO: ("failed", 30001, False),
            TO: ("sent", None, True),
        }
        clock.advance_to(2.2)
        assert await seen() == {
            UNDELIVERED_TO: ("undelivered", 30003, True),
            FAILED_TO: ("failed", 30001, False),
            TO: ("delivered", None, True),
        }


async def test_date_sent_after_leaves_out_what_is_not_sent_yet_and_what_was_sent_before(tmp_path: Path) -> None:
    async with messages_api(tmp_path) as (twilio, clock):
        first = (await _send(twilio, TO, "The first")).json()["sid"]
        clock.advance_to(1.2)  # sent
        later = (clock.now() + timedelta(seconds=5)).isoformat().replace("+00:00", "Z")
        clock.advance_to(10.0)
        queued = (await _send(twilio, TO, "The second")).json()["sid"]
        assert [m["sid"] for m in await _listed(twilio)] == [queued, first], "no filter: both, newest first"
        assert [m["sid"] for m in await _listed(twilio, **{"DateSent>": later})] == [], (
            "the first was sent before; the second has no date_sent while queued"
        )
        clock.advance_to(11.2)
        assert [m["sid"] for m in await _listed(twilio, **{"DateSent>": later})] == [queued]
        earlier = (clock.now() - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
        assert {m["sid"] for m in await _listed(twilio, **{"DateSent>": earlier})} == {queued, first}
