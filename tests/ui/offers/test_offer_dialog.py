"""The offer over what the agent has open (agent_desktop/ui/agent/offers/offer_over.py), in races a loaded machine
showed in tests/e2e/attention/test_offers_above.py: an offer that goes as it comes (the desk closes its dialog before
Textual has mounted what is in it: the mount raised NoMatches and ended the desktop), and escape pressed as
the dialog appears."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from agent_desktop.domain.models import Channel, Contact, ContactState, Offer, OfferState
from agent_desktop.ui.agent.front_of_desk import FrontOfDesk
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import offer_in_front, wait_until
from tests.support.typist import Typist


def _offer() -> Offer:
    now = datetime.now(UTC)
    contact = Contact(
        id="c-1",
        channel=Channel.CHAT,
        queue_id="billing",
        queue_name="Billing",
        from_address="gone@example.com",
        state=ContactState.OFFERED,
        entered_queue_at=now,
    )
    return Offer(
        id="o-1",
        agent_id="agent-001",
        contact=contact,
        state=OfferState.PENDING,
        offered_at=now,
        expires_at=now + timedelta(seconds=20),
    )


class _Routed(App[None]):
    """An app whose keys go through the attention model's routing, as the desk app's do (its `on_event`)."""

    def on_mount(self) -> None:
        self.front = FrontOfDesk(self)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and await self.front.route_key(event):
            return
        await super().on_event(event)


async def _put_up(pilot: Pilot[None], box: OfferOver) -> None:
    """The offer over what is open, as the desk puts it up (its front, on the screen in front), once mounted."""
    of_kind(pilot.app, _Routed).front.show_offer(box)
    await wait_until(pilot, lambda: (up := offer_in_front(pilot.app)) is not None and up.is_mounted, "the offer up")


def _offered(answers: list[str | None]) -> OfferOver:
    dialog = OfferOver(_offer())
    dialog.answered = lambda _dialog, action: answers.append(action)
    return dialog


class _Desk(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("desk")

    def on_mount(self) -> None:
        self.front = FrontOfDesk(self)

    def open_and_close(self) -> None:
        self.front.show_offer(OfferOver(_offer()))
        self.front.close_offer()  # in the same moment: before the offer's compose has run


async def test_an_offer_dialog_closed_before_it_was_mounted_leaves_the_desk_up() -> None:
    app = _Desk()
    async with app.run_test() as pilot:
        app.call_later(app.open_and_close)
        await pilot.pause(0.2)
        assert app.is_running
        assert app.return_code is None
        assert offer_in_front(app) is None
        assert str(app.screen.query_one(Static).render()) == "desk"


class _Outbox(_Routed):
    """Something open when the offer comes: the dialog goes over it."""

    def compose(self) -> ComposeResult:
        yield Static("outbox")


async def test_escape_as_the_offer_appears_goes_back_to_what_was_open_at_once() -> None:
    """Escape is nobody's typing: even in a run of keys that began before the offer came, it sends the offer back
    to the card at once. Under load a full run pressed escape 0.2 s after the dialog came (it came late): the
    dialog swallowed it as typing and stayed over the outbox."""
    app = _Outbox()
    async with app.run_test() as pilot:
        typist = Typist(pilot)
        typist.type("x")  # a run of typing, under way as the offer comes
        await _put_up(pilot, OfferOver(_offer()))
        typist.press("escape")
        await wait_until(pilot, lambda: offer_in_front(app) is None, "the offer to step aside")


class _Typing(_Routed):
    """A text box the agent is typing in when the offer comes."""

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="notes")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submitted.append(event.value)


async def test_keys_typed_as_the_offer_appears_edit_and_send_what_was_being_typed() -> None:
    """Nothing typed is lost: a correction (backspace, an arrow) and the enter that sends, in the run of typing
    the offer came up in, go to the text box underneath, as the letters do; none answers the offer. The run is
    judged by when the keys were typed, so a busy machine reads it the same."""
    app = _Typing()
    answers: list[str | None] = []
    async with app.run_test() as pilot:
        await pilot.pause()  # the text box focused
        typist = Typist(pilot)
        typist.type("refund")
        await _put_up(pilot, _offered(answers))
        typist.press("x", "backspace", "left", "s", "end", "!", "enter")  # the same run of typing
        await wait_until(pilot, lambda: app.submitted, "the text box to send what was typed")
        assert offer_in_front(app) is not None, "the offer is still up, unanswered"
        assert app.screen.query_one("#notes", Input).value == "refunsd!"
        assert app.submitted == ["refunsd!"]
        assert answers == []


class _List(_Routed):
    """A list open when the offer comes (the outbox, the help): it does not take letters."""

    def compose(self) -> ComposeResult:
        yield DataTable(id="outbox")

    def on_mount(self) -> None:
        self.query_one("#outbox", DataTable).add_columns("Waiting")


async def test_a_key_the_list_underneath_does_not_take_leaves_the_offer_answerable() -> None:
    """A letter typed as the offer appeared over a list went to the list, bubbled up to the app, which handed it
    back to this dialog as a new key in the same moment of typing, and round again: the desk spun at 100 % of
    a core and `a` never accepted (the shift benchmark hung on it one run in four)."""
    answers: list[str | None] = []
    app = _List()
    async with app.run_test() as pilot:
        typist = Typist(pilot)
        typist.type("o")  # the run the offer comes up in
        dialog = _offered(answers)
        await _put_up(pilot, dialog)
        typist.type("x")  # typing, for the list: it does nothing there
        await wait_until(pilot, lambda: dialog.shown_at < time.monotonic(), "the offer in sight")
        typist.pause()  # the agent looks at the offer
        typist.type("a")
        await wait_until(pilot, lambda: answers, "the offer to be answered")
        assert answers == ["accept"]
        await wait_until(pilot, lambda: offer_in_front(app) is None, "the offer closed")


class _Question(_Routed):
    """A question open when the offer comes (the desk's "End while the customer waits?"): ctrl+e answers it."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Static("desk")

    async def ask(self) -> None:
        from agent_desktop.ui.agent.conversations.end_conversation_dialog import EndConversationDialog

        await self.push_screen(EndConversationDialog("Dana", "Charged twice", 12), callback=self.answers.append)


async def test_a_key_of_the_dialog_underneath_pressed_as_the_offer_appears_answers_that_dialog() -> None:
    """ctrl+e (once `y`) pressed in the moment the offer came over "End while the customer waits?" was dropped as
    typing for a dialog with nothing to type in (a run of the tmux demo test: 31 ms after the offer): the chat
    never ended. It is that dialog's key, in the run the offer came up in: the question is answered under the
    offer, which stays up, unanswered, over the desk."""
    offer_answers: list[str | None] = []
    app = _Question()
    async with app.run_test() as pilot:
        typist = Typist(pilot)
        typist.press("e")  # the key that asked the question, in the same run
        await app.ask()
        await _put_up(pilot, _offered(offer_answers))
        typist.press("ctrl+e")
        await wait_until(pilot, lambda: app.answers, "the question to be answered")
        assert app.answers == [True], "the question answered by its key"
        assert offer_answers == [], "the offer unanswered"
        await wait_until(pilot, lambda: len(app.screen_stack) == 1, "the question closed under the offer")
        assert offer_in_front(app) is not None, "the offer still up, over the desk"
