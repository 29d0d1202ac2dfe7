"""`agent-desktop demo --ccaas twilio`: the demo's Twilio settings are the Twilio-shaped mock's demo account
(the desktop does not import the mocks, so the two are written twice and compared here), and the demo's
servers — the mocks, the Twilio-shaped mock and the event relay in a process of its own — carry an event from
the floor to the desk's Twilio backend, then stop, leaving nothing listening."""

from __future__ import annotations

import asyncio
import inspect
import socket
from pathlib import Path

from agent_desktop.app import demo
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.cli import build_parser
from agent_desktop.domain.models import AgentState, AgentStateEvent
from agent_desktop_mocks.twilio import settings as twilio_mock
from agent_desktop_mocks.twilio.sids import Sids
from tests.support.narrowing import of_kind, present


def test_the_demo_settings_are_the_mocks_demo_account() -> None:
    assert demo.DEMO_TWILIO_ACCOUNT_SID == twilio_mock.DEMO_ACCOUNT_SID
    assert demo.DEMO_TWILIO_AUTH_TOKEN == twilio_mock.DEMO_AUTH_TOKEN
    assert demo.DEMO_TWILIO_API_KEY_SID == twilio_mock.DEMO_API_KEY_SID
    assert demo.DEMO_TWILIO_API_KEY_SECRET == twilio_mock.DEMO_API_KEY_SECRET
    assert demo.DEMO_TWILIO_WORKSPACE_SID == twilio_mock.DEMO_WORKSPACE_SID
    assert Sids(twilio_mock.DEMO_WORKSPACE_SID).of("WK", "agent-001") == demo.DEMO_TWILIO_WORKER_SID
    settings = demo.demo_settings("http://a", "http://b", "http://c", twilio_url="http://d", relay_url="http://e")
    assert settings.ccaas.kind == "twilio"
    assert present(settings.ccaas.model_extra)["worker_sid"] == demo.DEMO_TWILIO_WORKER_SID
    assert build_parser().parse_args(["demo", "--ccaas", "twilio", "--crm", "zendesk"]).ccaas == "twilio"


def _listening(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, int(port))) == 0


def test_the_twilio_demo_servers_carry_an_event_to_the_desk_then_stop(tmp_path: Path) -> None:
    with demo.demo_servers(agents=2, queues=3, zendesk=True, twilio=True, data_dir=tmp_path / "demo") as servers:
        assert servers.twilio_url
        assert servers.relay_url
        assert servers.zendesk_url
        backends = build_backends(servers.settings())
        contact_center = backends.contact_center
        assert type(contact_center).__name__ == "TwilioContactCenter"

        async def shift() -> AgentStateEvent:
            agent = await contact_center.get_agent()
            queues = {q.name: q for q in await contact_center.list_queues()}  # the floor's codes and ACW, told the desk
            assert "Sale closed" in queues["Sales"].dispositions
            assert "Resolved" not in queues["Sales"].dispositions
            assert all(q.acw_timeout_s for q in queues.values()), queues
            capacity = agent.capacity  # voice, chat and SMS (Twilio Conversations), no email
            assert (capacity["voice"], capacity["email"]) == (1, 0), capacity
            assert capacity["chat"] >= 1, capacity
            assert capacity["sms"] >= 1, capacity
            events = contact_center.events()
            first = asyncio.ensure_future(anext(events))
            await asyncio.sleep(0.5)  # the stream is open and resynced
            await contact_center.set_state(AgentState.AVAILABLE)
            try:
                while True:  # the resync's snapshot (no event id), then the callback relayed (numbered by the relay)
                    event = await asyncio.wait_for(first, 10)
                    relayed = isinstance(event, AgentStateEvent) and event.event_id is not None
                    if relayed and of_kind(event, AgentStateEvent).agent.state in (
                        AgentState.AVAILABLE,
                        AgentState.OFFERED,  # a call waits
                    ):
                        return of_kind(event, AgentStateEvent)
                    first = asyncio.ensure_future(anext(events))
            finally:
                assert inspect.isasyncgen(events)  # the client's stream, a generator to close
                await events.aclose()
                await backends.aclose()

        assert asyncio.run(shift()).agent.id == demo.DEMO_TWILIO_WORKER_SID
        urls = [servers.ccaas_url, servers.twilio_url, servers.relay_url]
    assert not [url for url in urls if _listening(url)]
