"""The hostile-backend harness driving the desk itself, not one adapter at a time: the app's own agent
and outbox sessions over every backend of a floor, all through one storm transport that hypothesis plans (types,
nesting, encodings, sizes, HTML for JSON, paging loops, foreign hosts, 429s, slow answers, cuts: live.py). A call
is taken, its wrap-up saved as the storm starts, the storm lasts while the desk's streams, lookups and outbox meet
it, then the vendor heals (tests/support/hostile/desk_storm.py says what must hold).

Two floors: the mock contact center with the mock CRM, and Twilio (its REST API and the event relay) with Zendesk;
the presence server on both. Servers start once per floor; each example is a new desk on them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.http.presence import HttpPresenceDirectory
from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.outbox.store import Outbox
from agent_desktop.services import Backends
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import (
    DEMO_AGENT_ID,
    DEMO_AGENT_TOKEN,
    DEMO_CRM_TOKEN,
    DEMO_PRESENCE_TOKEN,
    DEMO_SUPERVISOR_TOKEN,
)
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.crm.faults import FaultState
from agent_desktop_mocks.presence.app import create_app as create_presence
from agent_desktop_mocks.twilio.app import create_app as create_twilio
from agent_desktop_mocks.twilio.settings import DEMO_AUTH_TOKEN
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN
from agent_desktop_relay.app import create_app as create_relay
from agent_desktop_relay.settings import RelaySettings
from tests.support.hostile.desk_storm import Floor, tidy_up, wrap_up_in_a_storm
from tests.support.hostile.live import storm_plans
from tests.support.hypothesis_profiles import examples
from tests.support.protocol_rigs.contact_center import rig_settings
from tests.support.protocol_rigs.crm import ZendeskRig, _stored_interactions, _zendesk_app
from tests.support.protocol_rigs.twilio import RELAY_SECRET, TwilioFloor

TIMEOUT_S = 1.0  # the desk's read timeout: a slow answer beyond it is a timeout (nobody waits for it)


def _caller(ccaas_url: str) -> Callable[[str], None]:
    def place_call(subject: str) -> None:
        body = {"queue_id": "billing", "channel": "voice", "from_address": "(512) 555-0100", "subject": subject}
        httpx.post(
            f"{ccaas_url}/v1/contacts",
            json=body,
            headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
            timeout=10,
        ).raise_for_status()

    return place_call


@pytest.fixture(scope="module")
def mock_floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    folder = tmp_path_factory.mktemp("mock-floor")
    config = rig_settings(folder)
    running = serve_in_thread([create_ccaas(config), create_crm(config), create_presence(config)])
    ccaas, crm, presence = running.urls

    def backends(transport: httpx.AsyncBaseTransport, outbox: Path) -> Backends:
        return Backends(
            HttpContactCenter(
                ccaas,
                DEMO_AGENT_TOKEN,
                DEMO_AGENT_ID,
                timeout_s=TIMEOUT_S,
                heartbeat_timeout_s=5.0,
                transport=transport,
            ),
            HttpCrm(
                crm,
                DEMO_CRM_TOKEN,
                timeout_s=TIMEOUT_S,
                write_timeout_s=TIMEOUT_S,
                rate_limit_wait_s=0.05,
                transport=transport,
            ),
            HttpPresenceDirectory(presence, DEMO_PRESENCE_TOKEN, timeout_s=TIMEOUT_S, transport=transport),
            Outbox(outbox),
        )

    try:
        yield Floor(
            DEMO_AGENT_ID,
            [ccaas, crm, presence],
            TIMEOUT_S,
            backends,
            _caller(ccaas),
            lambda contact_id: _stored_interactions(folder / "crm.db", contact_id),
            lambda: tidy_up(HttpContactCenter(ccaas, DEMO_AGENT_TOKEN, DEMO_AGENT_ID)),
            folder,
        )
    finally:
        running.stop()


@pytest.fixture(scope="module")
def twilio_zendesk_floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    folder = tmp_path_factory.mktemp("twilio-floor")
    config = rig_settings(folder)
    ccaas = create_ccaas(config)
    twilio = create_twilio(ccaas)
    relay = create_relay(RelaySettings(auth_token=DEMO_AUTH_TOKEN, secret=RELAY_SECRET, heartbeat_s=2.0))
    running = serve_in_thread([ccaas, twilio, relay, _zendesk_app(config, FaultState()), create_presence(config)])
    ccaas_url, twilio_url, relay_url, zendesk_url, presence_url = running.urls
    state = twilio.state.twilio
    state.settings = state.settings.model_copy(update={"event_callback_url": f"{relay_url}/twilio/events"})
    floor = TwilioFloor(running, ccaas_url, twilio_url, relay_url, twilio, relay)

    def center(transport: Any = None) -> TwilioContactCenter:
        options = {"rate_limit_wait_s": 0.05, "timeout_s": TIMEOUT_S}
        return TwilioContactCenter(
            floor.config(DEMO_AGENT_ID, **options),
            transport=transport,
            relay_transport=transport,
            heartbeat_timeout_s=5.0,
        )

    def backends(transport: httpx.AsyncBaseTransport, outbox: Path) -> Backends:
        return Backends(
            center(transport),
            ZendeskCrm(
                zendesk_url,
                DEMO_ZENDESK_EMAIL,
                DEMO_ZENDESK_TOKEN,
                timeout_s=TIMEOUT_S,
                write_timeout_s=TIMEOUT_S,
                rate_limit_wait_s=0.05,
                transport=transport,
            ),
            HttpPresenceDirectory(presence_url, DEMO_PRESENCE_TOKEN, timeout_s=TIMEOUT_S, transport=transport),
            Outbox(outbox),
        )

    try:
        yield Floor(
            DEMO_AGENT_ID,
            [twilio_url, relay_url, zendesk_url, presence_url],
            TIMEOUT_S,
            backends,
            _caller(ccaas_url),
            ZendeskRig.written_in(folder / "crm.db"),
            lambda: tidy_up(center()),
            folder,
        )
    finally:
        running.stop()


def _scene(floor: Floor, plan: list[Any]) -> None:
    outcome = asyncio.run(wrap_up_in_a_storm(floor, plan))
    outcome.check()


@settings(max_examples=examples(6))
@given(plan=storm_plans())
def test_the_mock_floors_desk_outlives_any_storm_and_keeps_the_wrap_up(mock_floor: Floor, plan: list[Any]) -> None:
    _scene(mock_floor, plan)


@settings(max_examples=examples(6))
@given(plan=storm_plans())
def test_the_twilio_zendesk_desk_outlives_any_storm_and_keeps_the_wrap_up(
    twilio_zendesk_floor: Floor, plan: list[Any]
) -> None:
    _scene(twilio_zendesk_floor, plan)
