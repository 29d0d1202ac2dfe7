"""Alerts from what is said, on calls: each final line a caller says is read against the contact center's rules as a
message is, and raises one alert per call and cause to the supervisor stream; a line still being heard (interim)
raises none; a call silent for the rules' seconds, the caller not on hold, raises one too. On the in-process mock (its
real engine and scheduler), time stepped."""

from __future__ import annotations

from typing import Any

import httpx

from agent_desktop_mocks.ccaas.said_alerts.schemas import SaidAlertRules
from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC
from tests.contract.mocks.test_call_transcription import connected_call, mocks  # noqa: F401 (mocks: a fixture)
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks


def said_alerts(mocks: InProcessMocks) -> list[tuple[list[str], dict[str, Any]]]:  # noqa: F811
    published: list[tuple[list[str], dict[str, Any]]] = []
    mocks.ccaas_app.state.event_log.add_listener(
        lambda topics, type_, data: published.append((topics, data)) if type_ == "said_alert" else None
    )
    return published


async def test_a_listed_phrase_a_caller_says_raises_one_alert(mocks: InProcessMocks) -> None:  # noqa: F811
    mocks.ccaas_app.state.said_alerts.set_rules(SUPERVISOR, SaidAlertRules(words=["money back", "tired"]))
    published = said_alerts(mocks)
    contact_id = await connected_call(mocks, "billing_inquiry")
    mocks.time.advance(90)  # the whole script said
    alerts = [data["alert"] for _, data in published]
    assert [a["cause"] for a in alerts if a["cause"] == "words"] == ["words"], alerts
    (words,) = [a for a in alerts if a["cause"] == "words"]
    assert (words["contact_id"], words["channel"], words["words"]) == (contact_id, "voice", ["money back"])
    assert words["text"] == "This is the second time it has happened. It is ridiculous, I want my money back."
    assert words["agent_name"] == "Alex Morgan"
    assert all(topics == [SUPERVISOR_TOPIC] for topics, _ in published)


def silences(published: list[tuple[list[str], dict[str, Any]]]) -> list[dict[str, Any]]:
    return [data["alert"] for _, data in published if data["alert"]["cause"] == "silence"]


async def test_a_call_gone_silent_raises_one_silence_alert_with_what_was_said_before(
    mocks: InProcessMocks,  # noqa: F811
) -> None:
    published = said_alerts(mocks)
    contact_id = await connected_call(mocks, "tech_support")  # the technician tests the line: 40 s of nothing
    mocks.time.advance(25)
    assert silences(published) == []
    mocks.time.advance(60)
    (silence,) = silences(published)
    assert (silence["contact_id"], silence["channel"], silence["silent_s"]) == (contact_id, "voice", 30)
    assert silence["text"] == "I am sorry about that. Let me run a test on your line."
    assert silence["agent_name"] == "Alex Morgan"
    mocks.time.advance(300)  # the script said to its end, and the call still up: the mock does not hear that
    assert len(silences(published)) == 1


async def test_pauses_between_lines_and_the_end_of_the_script_are_not_silences(
    mocks: InProcessMocks,  # noqa: F811
) -> None:
    published = said_alerts(mocks)
    await connected_call(mocks, "billing_inquiry")  # lines a second or two apart, then nothing more scripted
    mocks.time.advance(600)
    assert silences(published) == []


async def test_hold_is_not_silence_and_the_silence_is_heard_again_after_it(mocks: InProcessMocks) -> None:  # noqa: F811
    published = said_alerts(mocks)
    contact_id = await connected_call(mocks, "tech_support")
    mocks.engine.contacts.hold(contact_id)
    mocks.time.advance(120)  # on hold: the caller hears music, and the agent may look things up
    assert silences(published) == []
    mocks.engine.contacts.resume(contact_id)
    mocks.time.advance(120)
    assert [a["contact_id"] for a in silences(published)] == [contact_id]


async def test_a_calls_alerts_are_listed_while_the_caller_is_there_as_the_stream_told_them(
    mocks: InProcessMocks,  # noqa: F811
) -> None:
    """`GET /v1/said-alerts` (what a supervisor's desk reads again after a reconnection) lists the alerts a call raised
    while the caller is on it, as the stream pushed them; it answered [] for every call (it looked for a chat)."""
    mocks.ccaas_app.state.said_alerts.set_rules(SUPERVISOR, SaidAlertRules(words=["money back"]))
    published = said_alerts(mocks)
    contact_id = await connected_call(mocks, "billing_inquiry")
    mocks.time.advance(90)
    pushed = [data["alert"]["id"] for _, data in published]
    assert pushed, "the call raised alerts on the stream"
    headers = {"Authorization": "Bearer demo-supervisor-token"}
    transport = httpx.ASGITransport(app=mocks.ccaas_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ccaas", headers=headers) as client:
        listed = (await client.get("/v1/said-alerts")).json()
        assert [(a["id"], a["contact_id"], a["channel"]) for a in listed] == [(i, contact_id, "voice") for i in pushed]
        mocks.engine.contacts.hold(contact_id)
        assert len((await client.get("/v1/said-alerts")).json()) == len(pushed), "on hold, the caller is still there"
        mocks.engine.contacts.resume(contact_id)
        mocks.engine.contacts.end(contact_id)  # the agent wraps up: the caller is gone, as the desk drops them
        assert (await client.get("/v1/said-alerts")).json() == []
