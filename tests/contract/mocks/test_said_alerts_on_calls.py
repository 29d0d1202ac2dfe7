"""Alerts from what is said, on calls: each final line a caller says is read against the contact center's rules as a
message is, and raises one alert per call and cause to the supervisor stream; a line still being heard (interim)
raises none. On the in-process mock (its real engine and scheduler), time stepped."""

from __future__ import annotations

from typing import Any

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
