"""An offer that goes as it comes: the desk closes its dialog before Textual has mounted what is in it (seen
under load in tests/e2e/test_offers_above.py, where the dialog's mount then raised NoMatches and ended the
desktop). The desktop must stay up, with nothing over the screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App
from textual.widgets import Static

from desktop.backends.models import Channel, Contact, ContactState, Offer, OfferState
from desktop.ui.screens.offer_dialog import OfferDialog


def _offer() -> Offer:
    now = datetime.now(UTC)
    contact = Contact(id="c-1", channel=Channel.CHAT, queue_id="billing", queue_name="Billing",
                      from_address="gone@example.com", state=ContactState.OFFERED, entered_queue_at=now)
    return Offer(id="o-1", agent_id="agent-001", contact=contact, state=OfferState.PENDING, offered_at=now,
                 expires_at=now + timedelta(seconds=20))  # fmt: skip


class _Desk(App[None]):
    def compose(self):
        yield Static("desk")

    def open_and_close(self) -> None:
        self.push_screen(OfferDialog(_offer()))
        self.pop_screen()  # in the same moment: before the dialog's compose has run


async def test_an_offer_dialog_closed_before_it_was_mounted_leaves_the_desk_up():
    app = _Desk()
    async with app.run_test() as pilot:
        app.call_later(app.open_and_close)
        await pilot.pause(0.2)
        assert app.is_running and app.return_code is None
        assert not isinstance(app.screen, OfferDialog)
        assert str(app.screen.query_one(Static).render()) == "desk"
