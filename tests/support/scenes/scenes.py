"""Reproducible scenes of the desktop against the real mock servers, driven by keys only.

Used by the end-to-end Pilot test, the snapshot tests and `make screenshots`:
the servers run on loopback with a frozen clock, a fixed seed and no
simulator, so every run shows the same screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.app.backend_factory import build_backends, supervisors_crm
from agent_desktop.app.config import HttpCcaasConfig
from agent_desktop.app.demo import DEMO_RELAY_SECRET, DEMO_TWILIO_AUTH_TOKEN, demo_settings, twilio_queue_settings
from agent_desktop.services import Backends, utc_now
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.core.wire.schemas import BreakLimit
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.tables.ivr import CrmDirectory
from agent_desktop_mocks.ccaas.tables.seed import shipped as shipped_floor
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.demo_people import Caller, callers
from agent_desktop_mocks.presence.app import create_app as create_presence
from agent_desktop_mocks.twilio.app import create_app as create_twilio
from agent_desktop_mocks.zendesk.app import create_app as create_zendesk
from agent_desktop_mocks.zendesk.settings import ZendeskMockSettings
from agent_desktop_relay.app import create_app as create_relay
from agent_desktop_relay.settings import RelaySettings
from tests.support.desk_app import desk_app
from tests.support.scenes.journey_scenes import JOURNEY_STEPS, journey_flow_until
from tests.support.scenes.pilot_steps import (
    accept,
    agent_screen,
    back_to_contacts,
    card_text,
    customer_text,
    end_and_fill_wrap_up,
    go_available,
    screen_text,
    steady_cursors,
    text_of,
    type_burst,
    wait_until,
)
from tests.support.seeded_crm import create_crm
from tests.support.typist import looks_first

# The Pilot steps the tests take from here, with the scenes (defined in pilot_steps.py).
__all__ = [
    "accept",
    "back_to_contacts",
    "card_text",
    "customer_text",
    "end_and_fill_wrap_up",
    "go_available",
    "screen_text",
    "steady_cursors",
    "text_of",
    "type_burst",
    "wait_until",
]

FROZEN_TIME = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
SIZE = (120, 40)


@dataclass(frozen=True)
class SceneServers:
    ccaas_url: str
    crm_url: str
    presence_url: str
    settings: MockSettings
    zendesk_url: str | None = None  # the CRM's data in Zendesk's shape too: the desk's CRM is the Zendesk backend
    twilio_url: str | None = None  # the floor in TaskRouter's shape too: the desk's CCaaS is the Twilio backend
    relay_url: str | None = None  # the Twilio event relay the Twilio-shaped mock's callbacks go to

    @classmethod
    def at(cls, urls: Sequence[str], settings: MockSettings) -> SceneServers:
        """The three servers serving at `urls`: the CCaaS's, the CRM's and the presence's, in that order."""
        ccaas_url, crm_url, presence_url = urls
        return cls(ccaas_url, crm_url, presence_url, settings=settings)

    def backends(
        self, *, supervisor: bool = False, outbox_path: Path | None = None, clock: Callable[[], datetime] | None = None
    ) -> Backends:
        """`clock`: the supervisor console's (the time of its floor snapshots), if not the real one."""
        # The desk's own files (outbox, drafts) beside the mocks' data, never in the user's data folder: a scene
        # or test must not find another run's drafts (contact ids repeat across fresh mocks) or counts.
        # The outbox creates its folder (0700).
        outbox = outbox_path or self.settings.data_dir / "desk" / "outbox.db"
        settings = demo_settings(
            self.ccaas_url,
            self.crm_url,
            self.presence_url,
            outbox_path=outbox,
            zendesk_url=self.zendesk_url,
            twilio_url=self.twilio_url,
            relay_url=self.relay_url,
            twilio_queue_settings=twilio_queue_settings(self.ccaas_url) if self.twilio_url else None,
        )
        # A supervisor's desk as the demo builds it (`build_backends(..., supervisor=True)`): its CRM with the
        # supervisor's token, or the CRM refuses its supervision records (403). With a clock, only the console is
        # built here instead, on that clock; the CRM is the supervisor's all the same.
        crm_settings = supervisors_crm(settings) if supervisor else settings
        backends = build_backends(crm_settings, supervisor=supervisor and clock is None)
        if supervisor and clock is not None:
            assert isinstance(settings.ccaas, HttpCcaasConfig)  # the demo's settings: the HTTP backend
            backends.supervisor = HttpSupervisorConsole(
                self.ccaas_url,
                settings.supervisor.token,
                timeout_s=settings.ccaas.timeout_s,
                heartbeat_timeout_s=settings.heartbeat_timeout_s,
                clock=clock,
            )
        return backends

    def caller(self, index: int) -> Caller:
        return callers(self.settings.seed, self.settings.customers)[index]

    def place_call(
        self, from_address: str, queue_id: str = "billing", channel: str = "voice", subject: str | None = None
    ) -> dict[str, Any]:
        """A customer calls: the contact enters a queue (the supervisor API stands in for the phone network)."""
        body: dict[str, str] = {"queue_id": queue_id, "channel": channel, "from_address": from_address}
        if subject:
            body["subject"] = subject
        response = httpx.post(
            f"{self.ccaas_url}/v1/contacts",
            json=body,
            headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
            timeout=5,
        )
        response.raise_for_status()
        contact: dict[str, Any] = response.json()
        return contact

    # What a scene does beside the desk (tests/support/scenes/scene_recordings.py records each of these steps): as a
    # customer, the phone network or the CRM's other users would.

    def add_customer(self, name: str, phones: list[str], tier: str, language: str) -> dict[str, Any]:
        body = {"name": name, "phones": phones, "emails": [], "tier": tier, "language": language}
        response = httpx.post(
            f"{self.crm_url}/v1/customers", json=body, headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, timeout=5
        )
        response.raise_for_status()
        customer: dict[str, Any] = response.json()
        return customer

    def account_number(self, phone: str) -> str:
        """The account of the customer with this phone number (what a caller keys in at the IVR)."""
        response = httpx.get(
            f"{self.crm_url}/v1/customers/lookup",
            params={"phone": phone},
            headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"},
            timeout=5,
        )
        response.raise_for_status()
        account: str = response.json()["customers"][0]["account_number"]
        return account

    def as_supervisor(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """A request to the contact center with the supervisor's token (the IVR, a queue's settings)."""
        response = httpx.request(
            method,
            f"{self.ccaas_url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
            timeout=5,
        )
        response.raise_for_status()
        answer: dict[str, Any] | None = response.json() if response.content else None
        return answer


@contextmanager
def scene_servers(
    data_dir: Path,
    *,
    frozen: bool = True,
    seed: int = 42,
    customers: int = 300,
    speed: float = 1.0,
    time_scale: float = 1.0,
    offer_timeout_s: float = 20.0,
    zendesk: bool = False,
    twilio: bool = False,
    break_limits: dict[str, BreakLimit] | None = None,
    adherence_tolerance_s: float = 60.0,
    call_transcripts: bool = False,
) -> Iterator[SceneServers]:
    """The three mock servers of a scene; `time_scale` runs the mock's timers faster (MockSettings), and
    `offer_timeout_s` is in the mock's seconds (20 × time_scale keeps 20 s of real time to accept).
    `zendesk`: the Zendesk-shaped mock too, over the CRM's data, and the desk's CRM on the Zendesk backend.
    `twilio`: the Twilio-shaped mock over the CCaaS's engine and the Twilio event relay (the demo account's
    auth token and reader token), and the desk's contact center on the Twilio backend.
    `break_limits`: the floor's not-ready reasons' limits instead of floor.toml's (a break that runs over soon).
    `adherence_tolerance_s`: how long an agent may be out of adherence before the supervisor is told.
    `call_transcripts`: the mock's callers and agents speak on connected calls (off: its timers run on the real clock,
    so a screenshot of a call would show whatever had been said by the time it was taken)."""
    floor = shipped_floor()
    if break_limits is not None:
        floor = floor.model_copy(update={"break_limits": break_limits})
    settings = MockSettings(
        data_dir=data_dir,
        seed=seed,
        customers=customers,
        experts=30,
        simulator=False,
        frozen_time=FROZEN_TIME if frozen else None,
        speed=speed,
        time_scale=time_scale,
        offer_timeout_s=offer_timeout_s,
        fresh=True,
        floor=floor,
        adherence_tolerance_s=adherence_tolerance_s,
        call_transcripts=call_transcripts,
    )
    ccaas = create_ccaas(settings)
    apps = [ccaas, create_crm(settings), create_presence(settings)]
    if zendesk:  # the CRM's database is fresh already: the Zendesk mock opens the same one
        apps.append(create_zendesk(settings.model_copy(update={"fresh": False}), ZendeskMockSettings()))
    if twilio:
        apps.append(create_twilio(ccaas))
        apps.append(create_relay(RelaySettings(auth_token=DEMO_TWILIO_AUTH_TOKEN, secret=DEMO_RELAY_SECRET)))
    running = serve_in_thread(apps)
    ccaas.state.directory = CrmDirectory(running.urls[1], DEMO_CRM_TOKEN)  # the IVR identifies callers, as in the demo
    twilio_url = relay_url = None
    if twilio:
        twilio_url, relay_url = running.urls[-2:]
        # The relay's port is known only now: the workspace's Event Callback URL is set as an admin would.
        state = apps[-2].state.twilio
        state.settings = state.settings.model_copy(update={"event_callback_url": f"{relay_url}/twilio/events"})
    try:
        ccaas_url, crm_url, presence_url = running.urls[:3]
        yield SceneServers(
            ccaas_url,
            crm_url,
            presence_url,
            settings=settings,
            zendesk_url=running.urls[3] if zendesk else None,
            twilio_url=twilio_url,
            relay_url=relay_url,
        )
    finally:
        running.stop()


def scene_app(servers: SceneServers, *, frozen: bool = True) -> AgentDesktopApp:
    return desk_app(servers.backends(), clock=(lambda: FROZEN_TIME) if frozen else utc_now)


# --- the agent flow, step by step ------------------------------------------------

OFFER_CALLER = 3  # a seeded customer with history
OFFER_SUBJECT = "Charged twice for November"


async def receive_offer(pilot: Pilot[None], servers: SceneServers) -> Caller:
    caller = servers.caller(OFFER_CALLER)
    digits = caller.phone_e164[2:]
    servers.place_call(f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", subject=OFFER_SUBJECT)
    await wait_until(pilot, lambda: OFFER_SUBJECT in screen_text(pilot, "#offer"), "the offer")
    await wait_until(pilot, lambda: caller.name in customer_text(pilot), "the screen pop")
    await pilot.pause(0.1)
    return caller


SHARED_LINE = "+1 808 555 0079"  # two customers share it: the agent picks (scene "picker")
NEW_CALLER = "+1 212 555 0042"  # nobody's number (scene "new-caller")
MASKED_NOTES = "Paid the balance with card 4111 1111 1111 1111, CVV 123; order 12345678901234 refunded."


def add_shared_line_customers(servers: SceneServers) -> None:
    for name, account_tier in (("Sam Rivera", "Gold"), ("Sam Rivera Jr.", "Standard")):
        servers.add_customer(name, [SHARED_LINE], account_tier, "es")


async def pop_scene(pilot: Pilot[None], servers: SceneServers, step: str) -> None:
    """The screen-pop scenes: 'picker' (several matches, p pressed) and 'new-caller' (no match, p pressed)."""
    steady_cursors(pilot)
    await wait_until(pilot, lambda: pilot.app.screen.query_one("#expert-table", DataTable).row_count > 0, "the experts")
    await wait_until(pilot, lambda: bool(agent_screen(pilot).desk.queues), "the queues")
    await go_available(pilot)
    if step == "picker":
        add_shared_line_customers(servers)
        servers.place_call("(808) 555-0079", subject="Question about my bill")
        await wait_until(pilot, lambda: "customers match" in customer_text(pilot), "the choice")
        await looks_first(pilot)  # `p` for the offered caller, the offer in sight on the card
        await pilot.press("p")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#picker-options")), "the picker")
    else:
        servers.place_call(NEW_CALLER, subject="First time caller")
        await wait_until(pilot, lambda: "New caller" in customer_text(pilot), "the new-caller card")
        await accept(pilot)
        await pilot.press("p")
        await type_burst(pilot, "Ada Lovelace")
    steady_cursors(pilot)
    await pilot.pause(0.2)


async def agent_flow_until(pilot: Pilot[None], servers: SceneServers, step: str) -> None:
    """Drive the desktop to one of: 'available', 'offer', 'connected', 'wrap-up', 'wrap-up-masked',
    a routing step ('chats-on-hold', 'consult') or a screen-pop scene ('picker', 'new-caller')."""
    if step in ROUTING_STEPS:
        await routing_flow_until(pilot, servers, step)
        return
    if step in ("picker", "new-caller"):
        await pop_scene(pilot, servers, step)
        return
    if step in JOURNEY_STEPS:
        await journey_flow_until(pilot, servers, step)
        return
    steady_cursors(pilot)
    # Everything the first screen loads must be there before anything is captured.
    await wait_until(pilot, lambda: pilot.app.screen.query_one("#expert-table", DataTable).row_count > 0, "the experts")
    await wait_until(pilot, lambda: bool(agent_screen(pilot).desk.queues), "the queues")
    await go_available(pilot)
    if step == "available":
        return
    await receive_offer(pilot, servers)
    if step == "offer":
        return
    await accept(pilot)
    if step == "connected":
        return
    if step == "wrap-up-masked":
        await end_and_fill_wrap_up(pilot, MASKED_NOTES, burst=True)
        return
    await end_and_fill_wrap_up(pilot, "Refunded the duplicate charge; customer happy.", burst=True)


# --- routing: several chats at once, hold, consult ---------------------------------

ROUTING_STEPS = ("chats-on-hold", "transfer-dialog", "consult")
CHAT_CALLERS = (5, 6, 7)


async def _take_chat(pilot: Pilot[None], servers: SceneServers, index: int, subject: str) -> None:
    caller = servers.caller(index)
    servers.place_call(caller.email, channel="chat", subject=subject)
    await wait_until(pilot, lambda: subject in screen_text(pilot, "#offer"), f"the chat offer {subject!r}")
    await pilot.press("a")
    await wait_until(
        pilot,
        lambda: (
            any(h.contact.from_address == caller.email for h in agent_screen(pilot).desk.held.values())
            and "s left" not in screen_text(pilot, "#offer")
        ),
        "the chat in hand",
    )
    await back_to_contacts(pilot)


async def routing_flow_until(pilot: Pilot[None], servers: SceneServers, step: str) -> None:
    """'chats-on-hold': three chats in hand, the first on hold, the second selected;
    'transfer-dialog': the transfer dialog on the experts, set to consult;
    'consult': a call whose consult leg to a free expert has connected."""
    await agent_flow_until(pilot, servers, "available")
    if step == "chats-on-hold":
        for index, subject in zip(
            CHAT_CALLERS, ("Router keeps rebooting", "Upgrade my plan", "Where is my refund?"), strict=True
        ):
            await _take_chat(pilot, servers, index, subject)
        await pilot.press("left_square_bracket", "left_square_bracket", "h")
        await wait_until(pilot, lambda: "On hold" in screen_text(pilot, "#contacts"), "the first chat on hold")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: servers.caller(CHAT_CALLERS[1]).name in customer_text(pilot), "the second card")
        return
    await receive_offer(pilot, servers)
    await accept(pilot)
    await pilot.press("t")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
    await pilot.press("3", "c")
    if step == "transfer-dialog":
        await pilot.pause(0.2)
        return
    await pilot.press("enter")
    await wait_until(pilot, lambda: "connected" in screen_text(pilot, "#contact-detail"), "the consult answered")
