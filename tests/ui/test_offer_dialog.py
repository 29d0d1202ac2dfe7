"""The offer over what the agent has open (agent_desktop/ui/agent/dialogs/offer_dialog.py), in races a loaded machine
showed in tests/e2e/test_offers_above.py: an offer that goes as it comes (the desk closes its dialog before
Textual has mounted what is in it: the mount raised NoMatches and ended the desktop), and escape pressed as
the dialog appears."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App
from textual.widgets import Static

from agent_desktop.domain.models import Channel, Contact, ContactState, Offer, OfferState
from agent_desktop.ui.agent.dialogs.offer_dialog import OfferDialog
from tests.support.scenes.pilot_steps import wait_until


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


class _Outbox(App[None]):
    """Something open when the offer comes: the dialog goes over it."""

    def compose(self):
        yield Static("outbox")


async def test_escape_as_the_offer_appears_goes_back_to_what_was_open_at_once():
    """Keys within a moment of the offer appearing are the agent's typing, for what was open; escape is
    nobody's typing. Under load a full run pressed escape 0.2 s after the dialog came (it came late): the
    dialog swallowed it as typing and stayed over the outbox."""
    app = _Outbox()
    async with app.run_test() as pilot:
        await app.push_screen(OfferDialog(_offer()))
        await pilot.press("escape")  # at once: well inside the moment keys still count as typing
        await wait_until(pilot, lambda: not isinstance(app.screen, OfferDialog), "the offer to step aside")
        assert not isinstance(app.screen, OfferDialog)


class _Typing(App[None]):
    """A text box the agent is typing in when the offer comes."""

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self):
        from textual.widgets import Input

        yield Input(id="notes")

    def on_input_submitted(self, event) -> None:
        self.submitted.append(event.value)


async def test_keys_typed_as_the_offer_appears_edit_and_send_what_was_being_typed(monkeypatch):
    """Nothing typed is lost: a correction (backspace, an arrow) and the enter that sends, pressed in the moment
    the offer appears, go to the text box underneath, as the letters always did; none answers the offer."""
    from textual.widgets import Input

    import agent_desktop.ui.agent.dialogs.offer_dialog

    # "The moment" made long enough that a loaded machine's slow push of the dialog does not end it before the
    # first key (a full run at the start of its parallel phase took longer than 0.4 s to get there).
    monkeypatch.setattr(agent_desktop.ui.agent.dialogs.offer_dialog, "SETTLE_S", 5.0)
    app = _Typing()
    async with app.run_test() as pilot:
        await pilot.press(*"refund")
        await app.push_screen(OfferDialog(_offer()))
        await pilot.press("x", "backspace", "left", "s", "end", "!", "enter")  # well within the moment of typing
        await wait_until(pilot, lambda: app.submitted, "the text box to send what was typed")
        assert isinstance(app.screen, OfferDialog), "the offer is still up, unanswered"
        assert app.screen_stack[-2].query_one("#notes", Input).value == "refunsd!"
        assert app.submitted == ["refunsd!"]


class _List(App[None]):
    """A list open when the offer comes (the outbox, the help): it does not take letters."""

    def compose(self):
        from textual.widgets import DataTable

        yield DataTable(id="outbox")

    def on_mount(self) -> None:
        self.query_one("#outbox").add_columns("Waiting")


async def test_a_key_the_list_underneath_does_not_take_leaves_the_offer_answerable(monkeypatch):
    """A letter typed as the offer appeared over a list went to the list, bubbled up to the app, which handed it
    back to this dialog as a new key in the same moment of typing, and round again: the desk spun at 100 % of
    a core and `a` never accepted (the shift benchmark hung on it one run in four)."""
    import agent_desktop.ui.agent.dialogs.offer_dialog

    monkeypatch.setattr(agent_desktop.ui.agent.dialogs.offer_dialog, "SETTLE_S", 1.0)  # the first key lands inside it
    answers: list[str | None] = []
    app = _List()
    async with app.run_test() as pilot:
        await app.push_screen(OfferDialog(_offer()), callback=answers.append)
        await pilot.press("x")  # typing, for the list: it does nothing there
        await pilot.pause(1.3)  # the moment of typing is over
        await pilot.press("a")
        await wait_until(pilot, lambda: answers, "the offer to be answered")
        assert answers == ["accept"]
        assert not isinstance(app.screen, OfferDialog)


class _Question(App[None]):
    """A question open when the offer comes (the desk's "End while the customer waits?"): ctrl+e answers it."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def compose(self):
        yield Static("desk")

    async def ask(self) -> None:
        from agent_desktop.ui.agent.dialogs.end_conversation_dialog import EndConversationDialog

        await self.push_screen(EndConversationDialog("Dana", "Charged twice", 12), callback=self.answers.append)


async def test_a_key_of_the_dialog_underneath_pressed_as_the_offer_appears_answers_that_dialog(monkeypatch):
    """ctrl+e (once `y`) pressed in the moment the offer came over "End while the customer waits?" was dropped as typing for a
    dialog with nothing to type in (a run of the tmux demo test: 31 ms after the offer): the chat never ended.
    It is that dialog's key: the offer steps aside (it stays on the desk's card) and the question is answered."""
    import agent_desktop.ui.agent.dialogs.offer_dialog

    monkeypatch.setattr(
        agent_desktop.ui.agent.dialogs.offer_dialog, "SETTLE_S", 5.0
    )  # well inside the moment, loaded or not
    offer_answers: list[str | None] = []
    app = _Question()
    async with app.run_test() as pilot:
        await app.ask()
        await app.push_screen(OfferDialog(_offer()), callback=offer_answers.append)
        await pilot.press("ctrl+e")
        # The offer steps aside, then posts the key to the app for the dialog underneath: a few turns of the loop,
        # one `pause()` was not always enough under four workers.
        await wait_until(pilot, lambda: app.answers, "the question to be answered")
        assert app.answers == [True], "the question answered by its key"
        assert offer_answers == [None], "the offer stepped aside, unanswered"
        assert len(app.screen_stack) == 1
