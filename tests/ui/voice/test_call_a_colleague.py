"""A call to a colleague from the experts' directory, on the desk (docs/voice.md "A call to a colleague"): `C` on a
colleague in the experts list calls them; one who is busy, or whom the contact center cannot ring (no softphone), is
refused in words and the search typed stays; a free one with a softphone is a contact in hand with its own row (their
name, `internal`), wrapped up and written to the CRM with no customer made of them. A contact center that calls no
colleagues never offers the key, and the help says why."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from agent_desktop.agent_desk.commands import Where, enabled, why_not
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Expert
from agent_desktop.domain.vocabulary import Availability
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.voice.contact_uri import parse_contact_uri
from agent_desktop_mocks.crm.store import unattributed_interactions
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen, customer_text, screen_text

IN_THE_LIST = Where(experts_list=True)


def said(pilot: Pilot[None]) -> str:
    return "\n".join(notification.message for notification in notifications(pilot.app))


def someone(pilot: Pilot[None], *availabilities: Availability, besides: tuple[str, ...] = ()) -> Expert:
    experts = agent_screen(pilot).desk.directory.experts.values()
    return next(e for e in experts if e.presence.availability in availabilities and e.id not in besides)


async def find_and_call(pilot: Pilot[None], expert: Expert) -> None:
    """The colleague searched for by name in the experts list, the cursor on them, and `C`."""
    await pilot.press("slash")
    search = pilot.app.screen.query_one("#expert-search", Input)
    search.value = expert.name
    directory = agent_screen(pilot).desk.directory
    await wait_until(pilot, lambda: list(directory.experts) == [expert.id], "the search's answer")
    await pilot.press("enter")  # from the search into the results, on the first
    highlighted = agent_screen(pilot).experts.highlighted
    await wait_until(pilot, lambda: (found := highlighted()) is not None and found.id == expert.id, "their row")
    await wait_until(pilot, lambda: enabled(agent_screen(pilot).desk, IN_THE_LIST)["call_colleague"], "C")
    pilot.app.clear_notifications()
    await pilot.press("C")


async def test_c_calls_a_free_colleague_and_refuses_a_busy_one_or_one_without_a_softphone(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("n", "enter")  # signed in, Not ready: a call may be placed
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: "Not ready" in screen_text(pilot, "#agent-status"), "Not ready")
        await wait_until(pilot, lambda: len(desk.directory.experts) > 3, "the directory")
        free = Availability.AVAILABLE, Availability.AVAILABLE_IDLE
        busy, colleague = someone(pilot, Availability.BUSY), someone(pilot, *free)
        unreachable = someone(pilot, *free, besides=(colleague.id,))
        assert colleague.address is not None
        registry = mocks.ccaas_app.state.colleague_softphones
        registry.register(colleague.address, parse_contact_uri("sip:colleague@127.0.0.1:5090"), mocks.clock.now())

        await find_and_call(pilot, busy)
        await wait_until(pilot, lambda: f"{busy.name} is busy" in said(pilot), "the busy colleague refused")
        assert desk.held == {}, "nothing was placed"
        assert pilot.app.screen.query_one("#expert-search", Input).value == busy.name, "the search typed stays"

        await find_and_call(pilot, unreachable)
        no_softphone = f"{unreachable.name} has no softphone registered with the contact center"
        await wait_until(pilot, lambda: no_softphone in said(pilot), "the contact center's refusal")
        assert desk.held == {}

        await find_and_call(pilot, colleague)
        await wait_until(pilot, lambda: len(desk.held) == 1, "the call in hand")
        ((contact_id, held),) = desk.held.items()
        assert (held.contact.colleague, held.contact.from_address) == (colleague.name, colleague.address)
        await wait_until(pilot, lambda: colleague.name[:14] in screen_text(pilot, "#contacts"), "the call's row")
        row = pilot.app.screen.query_one("#contacts", DataTable).render_line(1).text  # as drawn, at 120 columns
        assert " internal " in row, f"the word whole: {row!r}"
        assert "Connected" in row, row
        await wait_until(pilot, lambda: f"Colleague {colleague.name}" in customer_text(pilot), "the card")
        assert "New caller" not in customer_text(pilot), "no customer to create of a colleague"
        assert not enabled(desk, Where())["pick_customer"], "no customer to pick"
        await pilot.press("escape")  # back to the contacts
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: not desk.held, "the call wrapped up")
        crm = mocks.crm_app.state.crm.db
        await wait_until(pilot, lambda: unattributed_interactions(crm, contact_id, 5), "the CRM's record")
        (written,) = unattributed_interactions(crm, contact_id, 5)
        assert written.summary is not None
        assert written.summary.startswith(f"Internal call with {colleague.name} · "), written.summary
        assert written.agent_id == "agent-001"


async def test_a_contact_center_that_calls_no_colleagues_offers_no_key_and_says_why(mocks: InProcessMocks) -> None:
    narrower = ContactCenterCapabilities(flags=True, broadcasts=True, quality=True, place_calls=True)
    app: AgentDesktopApp = desk_app(mocks.backends(capabilities=narrower), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("n", "enter")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: "Not ready" in screen_text(pilot, "#agent-status"), "Not ready")
        assert not enabled(desk, IN_THE_LIST)["call_colleague"]
        assert why_not("call_colleague", desk) == (
            "this contact center does not call colleagues of the directory for the agent"
        )
