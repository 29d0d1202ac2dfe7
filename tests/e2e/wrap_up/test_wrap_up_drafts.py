"""Nothing typed in a wrap-up is lost: not when the form shows another contact and comes back, and not
when the desktop is stopped (or killed) in the middle of a wrap-up."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Select, TextArea

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.drafts.drafts import DraftStore, drafts_path_beside
from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.domain.models import Channel, Contact, ContactState, Queue
from agent_desktop.ui.agent.wrap_up.wrap_up_form import WrapUpForm
from tests.e2e.wrap_up.test_acw_events_replayed import end_and_type_wrap_up
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import desk_app_of
from tests.support.scenes.scenes import SIZE, go_available, scene_app, scene_servers, screen_text, wait_until

QUEUE = Queue(id="billing", name="Billing", dispositions=["Resolved", "Refund issued"])


def contact(contact_id: str, address: str) -> Contact:
    return Contact(
        id=contact_id,
        channel=Channel.CHAT,
        queue_id="billing",
        queue_name="Billing",
        from_address=address,
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=datetime(2026, 11, 20, 14, 0, tzinfo=UTC),
    )


class FormHost(App[None]):
    """The form with a desk behind it, as on the agent screen: drafts go up, the desk keeps them."""

    def __init__(self) -> None:
        super().__init__()
        self.desk = Desk("agent-001")

    def compose(self) -> ComposeResult:
        yield WrapUpForm()

    @on(WrapUpForm.DraftChanged)
    def _kept(self, message: WrapUpForm.DraftChanged) -> None:
        self.desk.wrap_ups.keep(message.contact_id, message.draft)

    def show(self, shown: Contact | None) -> None:
        self.query_one(WrapUpForm).open(
            shown, QUEUE if shown else None, self.desk.wrap_ups.get(shown.id) if shown else None
        )


async def test_switching_between_contacts_in_wrap_up_keeps_each_draft() -> None:
    first, second = contact("c-1", "ann@example.com"), contact("c-2", "bob@example.com")
    app = FormHost()
    async with app.run_test() as pilot:
        form = app.query_one(WrapUpForm)
        select, notes = form.query_one("#disposition", Select), form.query_one("#notes", TextArea)
        # (1) mypy keeps `select.value` the str assigned to it below across show(), which sets it back

        app.show(first)
        select.value = "Refund issued"
        notes.text = "Ann: refunded the late fee."
        await pilot.pause()

        app.show(second)
        await pilot.pause()
        assert notes.text == "", "the second contact starts blank"
        assert select.value is Select.NULL, "the second contact starts blank"  # type: ignore[comparison-overlap]  # (1)
        notes.text = "Bob: half written"
        await pilot.pause()

        app.show(first)
        assert (select.value, notes.text) == ("Refund issued", "Ann: refunded the late fee.")
        app.show(second)
        assert notes.text == "Bob: half written"

        app.desk.wrap_ups.pop("c-1")  # saved to the CRM: the desk forgets it
        app.show(None)
        app.show(first)
        assert notes.text == ""
        assert select.value is Select.NULL  # type: ignore[comparison-overlap]  # (1)


async def test_a_desktop_stopped_mid_wrap_up_finds_the_notes_typed_so_far(tmp_path: Path) -> None:
    with scene_servers(tmp_path / "mocks", frozen=False, customers=20) as servers:
        notes = "Customer wants a callback on Friday"
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact_id = (await end_and_type_wrap_up(pilot, servers, notes))["id"]
            # What a killed desktop leaves: on disk already (the draft is saved shortly after typing stops),
            # with no orderly shutdown.
            store = DraftStore(
                drafts_path_beside(of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.outbox.path)
            )
            await wait_until(
                pilot, lambda: getattr(store.load().get(contact_id), "notes", None) == notes, "the draft on disk"
            )
            on_disk = store.load()
            assert on_disk[contact_id].notes == notes
            assert on_disk[contact_id].disposition
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "the contact picked up again")
            await wait_until(
                pilot, lambda: pilot.app.screen.query_one("#notes", TextArea).text == notes, "the notes back"
            )
            assert pilot.app.screen.query_one("#disposition", Select).value == on_disk[contact_id].disposition
