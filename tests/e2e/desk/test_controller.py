"""The desk's controller against the real mock CRM: the lookup starts in the turn the offer is parsed,
and a wrap-up typed so far is on disk when the desktop stops."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.drafts.drafts import Draft, DraftStore
from agent_desktop.domain.models import ContactState, LookupResult
from agent_desktop.outbox.store import Outbox
from agent_desktop.ui.agent.agent_screen import OFFER_WAITS_FOR_LOOKUP_S
from agent_desktop.ui.shared.redraw_pacer import RedrawPacer
from tests.support.desk_events import AGENT_ID, contact_event, offer_event
from tests.support.loop_turns import LoopTurns


class WatchedCrm(HttpCrm):
    """The real HTTP client, noting when each lookup starts."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(base_url, token)
        self.started: list[str] = []

    async def lookup(self, address: str) -> LookupResult:
        self.started.append(address)
        return await super().lookup(address)


def controller_for(crm: HttpCrm, tmp_path: Path, drafts: DraftStore | None = None) -> DeskController:
    desk = Desk(AGENT_ID)
    return DeskController(desk, None, crm, None, Outbox(tmp_path / "outbox.db"), drafts=drafts)  # type: ignore[arg-type]


async def test_the_crm_lookup_starts_before_anything_else_runs(crm_url: str, tmp_path: Path) -> None:
    crm = WatchedCrm(crm_url, "demo-crm-token")
    controller = controller_for(crm, tmp_path)
    controller.receive(offer_event("c-1", 1))
    await asyncio.sleep(0)  # one turn of the loop: nothing queued behind the event has run yet
    assert crm.started == ["+14155550001"]
    for _ in range(200):
        if controller.desk.lookups["c-1"].done:
            break
        await asyncio.sleep(0.01)
    assert controller.desk.lookups["c-1"].done
    await controller.aclose()
    await crm.aclose()


async def test_a_draft_is_on_disk_as_it_is_typed_and_when_the_desktop_stops(crm_url: str, tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts.db")
    crm = HttpCrm(crm_url, "demo-crm-token")
    controller = controller_for(crm, tmp_path, store)
    controller.receive(contact_event("c-1", ContactState.AFTER_CONTACT_WORK, 1))
    typed = ""
    for char in "Refunded the":  # every key, and nobody waits for typing to settle
        typed += char
        controller.wrap_up.keep_draft("c-1", Draft("Resolved", typed))
        await asyncio.sleep(0)
    for _ in range(100):  # the one write in flight, then the last keys
        if DraftStore(tmp_path / "drafts.db").load().get("c-1") == Draft("Resolved", "Refunded the"):
            break
        await asyncio.sleep(0.01)
    assert DraftStore(tmp_path / "drafts.db").load()["c-1"].notes == "Refunded the"
    controller.wrap_up.keep_draft("c-1", Draft("Resolved", "Refunded the late fee."))
    await controller.aclose()  # stopped before the delay: written on the way out
    assert DraftStore(tmp_path / "drafts.db").load()["c-1"] == Draft("Resolved", "Refunded the late fee.")
    await crm.aclose()


class SilentCrm(HttpCrm):
    """The real client, but the lookup never answers (a CRM that hangs)."""

    async def lookup(self, address: str) -> LookupResult:
        await asyncio.Event().wait()
        raise AssertionError("the hung lookup answered")  # never reached: nothing sets the event


def redraws_of(controller: DeskController, lookups_s: float = OFFER_WAITS_FOR_LOOKUP_S) -> list[tuple[bool, bool]]:
    """Each redraw the screen's pacer makes of the desk's announcements: (the offer is on the desk, its lookup has
    answered). `lookups_s`: how long a frame waits for an offer's caller lookup (the agent screen's)."""
    asked: list[tuple[bool, bool]] = []
    desk = controller.desk

    def draw() -> None:
        asked.append((desk.offer is not None, any(lookup.done for lookup in desk.lookups.values())))
        desk.take_changes()

    RedrawPacer(LoopTurns(), draw, feeds=(desk.feed,), lookups_s=lookups_s)
    return asked


async def test_an_offer_is_drawn_once_with_its_callers_record(crm_url: str, tmp_path: Path) -> None:
    crm = HttpCrm(crm_url, "demo-crm-token")
    controller = controller_for(crm, tmp_path)
    asked = redraws_of(controller, lookups_s=10.0)  # a loaded machine's CRM is not "slow"
    controller.receive(offer_event("c-1", 1))
    for _ in range(500):
        if asked:
            break
        await asyncio.sleep(0.01)
    assert asked[:1] == [(True, True)]  # not the offer alone first: its frame would delay the lookup's answer
    await controller.aclose()
    await crm.aclose()


async def test_a_crm_that_does_not_answer_holds_the_offer_back_a_moment_only(crm_url: str, tmp_path: Path) -> None:
    crm = SilentCrm(crm_url, "demo-crm-token")
    controller = controller_for(crm, tmp_path)
    asked = redraws_of(controller)
    controller.receive(offer_event("c-1", 1))
    await asyncio.sleep(0)
    assert asked == []  # held for the record a moment
    for _ in range(200):
        if asked:
            break
        await asyncio.sleep(0.01)
    assert asked == [(True, False)]  # the offer, its caller still being looked up
    await controller.aclose()
    await crm.aclose()
