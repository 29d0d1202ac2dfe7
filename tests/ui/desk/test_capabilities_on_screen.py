"""The desk on backends that can do less: the mocks in-process, configured as a platform with no accept/reject
(offers are connected by the platform, as Amazon Connect's auto-accept or a softphone does), no native next
state (Twilio), no typing or read marks on chat, and a CRM with no orders (Zendesk). The footer, the palette,
the help's "now" and the card offer none of it; the keys pressed anyway do nothing harmful, and the desk
never asks the contact center for a call it said it cannot serve (`refused_calls`).
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from textual.pilot import Pilot

from agent_desktop.domain.capabilities import ChannelCapabilities, ContactCenterCapabilities, CrmCapabilities
from agent_desktop.domain.models import Channel
from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from agent_desktop.ui.agent.reason_picker import ReasonPicker
from agent_desktop.ui.keys.key_help import help_sections
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.mocks import InProcessMocks
from tests.support.narrowing import of_kind
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import (
    customer_text,
    go_available,
    in_front,
    screen_text,
    shows_connected,
    wait_until,
)

SIZE = (120, 40)
TEXT = (Channel.CHAT, Channel.SMS)
NARROW = ContactCenterCapabilities(
    offer_decision=False,
    native_next_state=False,
    channels=MappingProxyType(
        {
            c: ChannelCapabilities(typing=False, read_marks=False) if c in TEXT else ChannelCapabilities()
            for c in Channel
        }
    ),
)
NO_ORDERS = CrmCapabilities(orders=False)


def shown_keys(pilot: Pilot[None]) -> set[str]:
    return {key.key for key in pilot.app.screen.query_one(KeyFooter).shown()}


def palette(pilot: Pilot[None]) -> set[str]:
    return set(palette_titles(pilot.app))


def help_now(pilot: Pilot[None]) -> set[str]:
    return {row.label for section in help_sections(pilot.app.screen) for row in section.rows if row.applies}


def tab_labels(pilot: Pilot[None]) -> list[str]:
    return [tab.title for tab in pilot.app.screen.query_one("#customer-tabs", CardTabs).tabs.values()]


def transcript(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


def errors(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in notifications(pilot.app) if n.severity == "error"]


async def test_a_backend_without_offer_decision_typing_or_orders_is_not_offered_them(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    backends = mocks.backends(capabilities=NARROW, crm_capabilities=NO_ORDERS)
    center = of_kind(backends.contact_center, InProcessContactCenter)
    try:
        async with desk_app(backends, clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await mocks.place_call(caller.email, channel="chat", subject="No decision here")
            await wait_until(pilot, lambda: "No decision here" in screen_text(pilot, "#offer"), "the offer")
            await wait_until(pilot, lambda: caller.name in customer_text(pilot), "the card popped")

            # An offer, but nothing to decide: neither in the footer, the palette nor the help's "now".
            assert not {"a", "r"} & shown_keys(pilot)
            assert not {"Accept", "Reject"} & palette(pilot)
            assert not {"Accept", "Reject"} & help_now(pilot)
            accept = next(r for s in help_sections(pilot.app.screen) for r in s.rows if r.label == "Accept")
            assert "connects offers itself" in accept.why_not, "the help says why, not when"
            # The card has no Orders tab (the CRM has none); the account stays.
            labels = tab_labels(pilot)
            assert not any("Orders" in label for label in labels)
            assert any("Account" in label for label in labels)

            await pilot.press("a", "r", "3")  # pressed anyway: nothing happens, nothing breaks
            await pilot.pause(0.2)
            assert "No decision here" in screen_text(pilot, "#offer"), "the offer is still there"
            assert (center.refused_calls, errors(pilot)) == ([], [])

            # The platform connects it (auto-accept, a softphone): the desk follows.
            chat = await mocks.connect_offer()
            await wait_until(pilot, lambda: shows_connected(pilot), "the chat connected")
            await pilot.press("3")
            await pilot.pause(0.1)
            assert pilot.app.screen.query_one("#customer-tabs", CardTabs).active != "orders"

            # The agent reads and writes: no typing indicator nor read mark is asked of the contact center.
            await mocks.customer_says(chat.id, "Hello?")
            await wait_until(pilot, lambda: "Hello?" in transcript(pilot), "the customer's line")
            await pilot.press("i", *"Hi, one moment")
            await pilot.pause(0.2)
            assert center.refused_calls == [], "no typing, no read mark sent"
            assert not errors(pilot)
    finally:
        await mocks.aclose()


async def test_the_desk_keeps_the_next_state_when_the_contact_center_has_none(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    backends = mocks.backends(capabilities=NARROW)
    center = of_kind(backends.contact_center, InProcessContactCenter)
    try:
        async with desk_app(backends, clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await mocks.place_call("+12125550101", subject="Next state call")
            await wait_until(pilot, lambda: "Next state call" in screen_text(pilot, "#offer"), "the offer")
            await mocks.connect_offer()
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "the call connected")

            await pilot.press("n")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reason picker")
            reasons = in_front(pilot, ReasonPicker).reasons
            assert reasons == mocks.engine.read.agent("agent-001").not_ready_reasons, "the catalog's reasons"
            await pilot.press(*["down"] * reasons.index("Lunch"), "enter")

            def status() -> str:
                return screen_text(pilot, "#agent-status")

            await wait_until(pilot, lambda: "next: Not ready — Lunch" in status(), "the next state kept on the desk")
            assert mocks.engine.read.agent("agent-001").next_state is None, "the contact center was not asked"

            await pilot.press("e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter", "down", "enter", "ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact completed")
            await wait_until(pilot, lambda: "● Not ready — Lunch" in status(), "Not ready, set by the desk")
            assert "next:" not in status()
            agent = mocks.engine.read.agent("agent-001")
            assert (agent.state, agent.reason) == ("not_ready", "Lunch")
            assert center.refused_calls == []
    finally:
        await mocks.aclose()
