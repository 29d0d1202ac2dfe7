"""The CCaaS events' JSON (publisher.py) is byte for byte what the envelope models of sse_events.py dump: a client
parsing the stream, or resuming from the stored log, sees those models whatever the strings in the records hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_desktop_mocks.ccaas.core.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from agent_desktop_mocks.ccaas.core.wire.routed_work import Callback
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    Agent,
    AgentState,
    AttachedData,
    Channel,
    Consult,
    Contact,
    ContactState,
    NextState,
    Offer,
    OfferState,
    Target,
)
from agent_desktop_mocks.ccaas.shell.publisher import Publisher
from agent_desktop_mocks.ccaas.shell.sse_events import AgentStateEvent, ContactEvent, OfferClosedEvent, OfferEvent
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database

AT = datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=UTC)
HOSTILE = ["plain", 'a "quoted", \\ back,"state":"x"', ',"state":', "ünïcödé ✓ \n\t", '{"contact":null}']


def contact(text: str, *, full: bool) -> Contact:
    return Contact(
        id=f"c-{text}",
        channel=Channel.CHAT,
        queue_id="billing",
        queue_name=text,
        from_address=text,
        subject=text if full else None,
        state=ContactState.OFFERED,
        agent_id=f"a-{text}",
        entered_queue_at=AT,
        offered_at=AT + timedelta(seconds=1) if full else None,
        answered_at=AT.replace(microsecond=0) if full else None,
        priority=2,
        hold_s=1.5,
        transfer_path=[f"queue:{text}"] if full else [],
        handled_by=[f"a-{text}"] if full else [],
        consult=Consult(target=Target(kind="agent", id=text), state="ringing", started_at=AT) if full else None,
        attached=AttachedData(account_number=text, intent=text, menu_path=[text], vip=True) if full else None,
        callback=Callback(number=text, reason=text, requested_at=AT, max_attempts=3) if full else None,
        ewt_s=12.25 if full else None,
    )


def agent(text: str) -> Agent:
    return Agent(
        id=f"a-{text}",
        name=text,
        state=AgentState.NOT_READY,
        reason=text,
        state_since=AT,
        skills=[text],
        not_ready_reasons=[text],
        proficiency={text: 3},
        next_state=NextState(state=AgentState.OFFLINE, reason=text),
        idle_since=AT,
    )


def offer(of: Contact, text: str, state: OfferState) -> Offer:
    return Offer(
        id=f"o-{text}",
        agent_id=f"a-{text}",
        contact=of,
        state=state,
        offered_at=AT,
        expires_at=AT + timedelta(seconds=15),
    )


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("text", HOSTILE)
def test_each_event_is_stored_as_its_envelope_model_dumps_it(tmp_path: Path, text: str, full: bool) -> None:
    log = EventLog(open_database(tmp_path, "log", fresh=True), Clock())
    copy = contact(text, full=full)
    made = offer(copy, text, OfferState.PENDING)
    closed = offer(copy.model_copy(update={"state": ContactState.QUEUED}), text, OfferState.REJECTED)
    events: list[DomainEvent] = [
        AgentStateChanged(agent=agent(text)),
        ContactChanged(kind="offered", contact=copy),
        OfferMade(offer=made),
        OfferClosed(offer=closed),
    ]
    expected = [
        AgentStateEvent(agent=agent(text)).model_dump_json(),
        ContactEvent(contact=copy).model_dump_json(),
        OfferEvent(offer=made).model_dump_json(),
        OfferClosedEvent(offer=closed).model_dump_json(),
    ]

    Publisher(log).write(events)

    assert [data for _, data in log.stored("supervisor", None, 0)] == expected
