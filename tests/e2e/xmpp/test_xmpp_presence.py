"""The XMPP presence backend against a real Prosody on loopback: roster presence, the show mapping, messages."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.adapters.xmpp.directory_file import load_directory_file
from agent_desktop.adapters.xmpp.presence import XmppPresenceDirectory
from agent_desktop.domain.models import Availability, ExpertMessageEvent, PresenceEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from tests.support.narrowing import of_kind
from tests.support.prosody import Prosody, XmppPerson, running_prosody

USERS = {"desk": "desk-pw", "ana": "ana-pw", "ben": "ben-pw", "cleo": "cleo-pw"}
DIRECTORY = """\
[[people]]
jid = "ana@localhost"
name = "Ana Ruiz"
title = "Billing Team Lead"
department = "Billing"
skills = ["billing", "refunds"]
languages = ["en", "es"]
address = "sip:ana.ruiz@example.com"

[[people]]
jid = "ben@localhost"
name = "Ben Okafor"
department = "Fraud"
skills = ["fraud", "billing"]
address = "sip:ben.okafor@example.com"
"""


PresenceItem = PresenceEvent | ExpertMessageEvent | LinkStatus  # what the directory's stream brings


@pytest.fixture
def prosody(tmp_path: Path) -> Iterator[Prosody]:
    with running_prosody(tmp_path / "prosody", USERS) as server:
        yield server


@pytest.fixture
def directory_file(tmp_path: Path) -> Path:
    path = tmp_path / "experts.toml"
    path.write_text(DIRECTORY)
    return path


def desk_directory(prosody: Prosody, directory_file: Path) -> XmppPresenceDirectory:
    return XmppPresenceDirectory(
        prosody.jid("desk"),
        USERS["desk"],
        host=prosody.host,
        port=prosody.port,
        tls="none",
        directory=load_directory_file(directory_file),
        timeout_s=10,
    )


async def next_matching(
    events: AsyncIterator[PresenceItem], predicate: Callable[[Any], bool], timeout_s: float = 5.0
) -> PresenceItem:
    deadline = time.monotonic() + timeout_s
    while True:
        item = await asyncio.wait_for(anext(events), max(0.01, deadline - time.monotonic()))
        if predicate(item):
            return item


async def test_roster_people_with_directory_skills_and_the_show_mapping(prosody: Prosody, directory_file: Path) -> None:
    desk = desk_directory(prosody, directory_file)
    events = desk.events()
    ana = XmppPerson(prosody, "ana")
    try:
        assert isinstance(await next_matching(events, lambda i: isinstance(i, LinkStatus)), LinkStatus)
        people = {e.id: e for e in await desk.list_experts()}
        assert set(people) == {"ana@localhost", "ben@localhost", "cleo@localhost"}
        assert people["ana@localhost"].name == "Ana Ruiz"
        assert people["ana@localhost"].skills == ["billing", "refunds"]
        assert people["ana@localhost"].address == "sip:ana.ruiz@example.com"
        assert people["cleo@localhost"].name == "cleo"
        assert people["cleo@localhost"].skills == []
        assert all(e.presence.availability is Availability.OFFLINE for e in people.values())
        assert [e.id for e in await desk.list_experts(skill="fraud")] == ["ben@localhost"]
        assert [e.id for e in await desk.list_experts("refund")] == ["ana@localhost"]

        def change_of_ana(item: object) -> bool:
            return isinstance(item, PresenceEvent) and item.person_id == "ana@localhost"

        await ana.online()
        event = of_kind(
            await next_matching(
                events, lambda i: change_of_ana(i) and i.presence.availability is not Availability.OFFLINE
            ),
            PresenceEvent,
        )
        assert (event.presence.availability, event.presence.activity) == (Availability.AVAILABLE, "Available")
        assert (await desk.list_experts())[0].id == "ana@localhost"  # free people first
        for show, status, expected in [
            ("dnd", "Presenting [b]Q3[/b]", (Availability.DO_NOT_DISTURB, "DoNotDisturb")),
            ("away", "", (Availability.AWAY, "Away")),
            ("xa", "Gone home", (Availability.AWAY, "OffWork")),
            ("chat", "Ask me", (Availability.AVAILABLE, "Available")),
        ]:
            ana.set(show, status)
            event = of_kind(await next_matching(events, change_of_ana), PresenceEvent)
            assert (event.presence.availability, event.presence.activity) == expected, show
            assert event.presence.status_message == (status or None)
        await ana.offline()
        event = of_kind(await next_matching(events, change_of_ana), PresenceEvent)
        assert event.presence.availability is Availability.OFFLINE
    finally:
        await desk.aclose()


async def test_messages_both_ways(prosody: Prosody, directory_file: Path) -> None:
    desk = desk_directory(prosody, directory_file)
    events = desk.events()
    ben = await XmppPerson(prosody, "ben").online()
    try:
        await next_matching(events, lambda i: isinstance(i, LinkStatus) and i.connected)
        sent = await desk.send_message("ben@localhost", "Customer C-1: disputed charge. Can you take it?")
        assert sent.direction == "outbound"
        assert sent.person_id == "ben@localhost"
        deadline = time.monotonic() + 5
        while not ben.received and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert ben.received == [("desk@localhost", "Customer C-1: disputed charge. Can you take it?")]
        ben.say("desk@localhost", "Sure, send them over")
        reply = of_kind(
            await next_matching(
                events, lambda i: isinstance(i, ExpertMessageEvent) and i.message.direction == "inbound"
            ),
            ExpertMessageEvent,
        )
        assert (reply.message.person_id, reply.message.text, reply.message.sender) == (
            "ben@localhost",
            "Sure, send them over",
            "Ben Okafor",
        )
    finally:
        await ben.offline()
        await desk.aclose()
