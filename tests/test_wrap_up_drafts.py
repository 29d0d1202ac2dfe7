"""Nothing typed in a wrap-up is lost when the form shows another contact and comes back."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult
from textual.widgets import Select, TextArea

from desktop.backends.models import Channel, Contact, ContactState, Queue
from desktop.ui.widgets.wrap_up_form import WrapUpForm

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
    def compose(self) -> ComposeResult:
        yield WrapUpForm()


async def test_switching_between_contacts_in_wrap_up_keeps_each_draft():
    first, second = contact("c-1", "ann@example.com"), contact("c-2", "bob@example.com")
    async with FormHost().run_test() as pilot:
        form = pilot.app.query_one(WrapUpForm)
        select, notes = form.query_one("#disposition", Select), form.query_one("#notes", TextArea)

        form.open(first, QUEUE)
        select.value = "Refund issued"
        notes.text = "Ann: refunded the late fee."

        form.open(second, QUEUE)
        assert notes.text == "" and select.value is Select.NULL, "the second contact starts blank"
        notes.text = "Bob: half written"

        form.open(first, QUEUE)
        assert (select.value, notes.text) == ("Refund issued", "Ann: refunded the late fee.")
        form.open(second, QUEUE)
        assert notes.text == "Bob: half written"

        form.forget("c-1")  # saved to the CRM
        form.open(None, None)
        form.open(first, QUEUE)
        assert notes.text == "" and select.value is Select.NULL
