"""The contacts the supervisor is on, side by side under the floor: each card the live transcript
as the agent sees it (whispers included, read-only: reading it sends the customer no receipt), who is typing,
the read marks, the mode; on a call (whose sound is not the desk's) who is on it, how long, the hold and the
customer's record in a line (supervisor_desk/monitoring/monitored_call.py), its clock moving each second, and what
is said on it as it is heard (its live transcript) with the customer's mood; and the line the supervisor writes a
whisper or a barge message in.

Drawn from `MonitoredContacts` (agent_desktop/supervisor_desk/monitoring/monitored.py), paced by the one pacer
(agent_desktop/ui/shared/redraw_pacer.py) on the model's own feed: a card is drawn again only when its contact
changed; the transcripts use the agent desk's `TranscriptView` (line API: only visible lines are drawn).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from agent_desktop.domain.vocabulary import MonitorMode
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.supervisor_desk.desk import Line
from agent_desktop.supervisor_desk.monitoring.monitored import MAX_SHOWN, MonitoredContact, MonitoredContacts
from agent_desktop.supervisor_desk.monitoring.monitored_call import COACHING, RECORDING_PAUSED, call_lines
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS
from agent_desktop.ui.shared.redraw_pacer import RedrawPacer
from agent_desktop.ui.shared.transcript_view import TranscriptView

# "Monitoring", not "silent": whether the agent is told is the contact center's policy (--announce-monitoring).
MODE_WORDS = {MonitorMode.MONITOR: "monitoring", MonitorMode.WHISPER: "whispering", MonitorMode.BARGE: "barged in"}


class MonitorCard(Vertical):
    """One monitored contact."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawn: tuple[str, str, Content] | None = None  # (title, subtitle, state line) on screen
        self._call_drawn: list[str] | None = None  # the call's lines on screen (who is on it, how long…)

    def compose(self) -> ComposeResult:
        yield TranscriptView(classes="monitor-transcript")
        yield Static(classes="monitor-call")
        yield CallTranscriptView(classes="monitor-call-transcript")
        yield Static(classes="monitor-state")

    def show_call(self, lines: list[str] | None) -> None:
        """A call's card (None: a conversation's, whose transcript shows instead)."""
        call = self.query_one(".monitor-call", Static)
        call.display = lines is not None
        if lines is None or lines == self._call_drawn:
            return  # each line heard draws the card again: these lines move with the clock, once a second
        # Its height is its lines': a layout of the whole screen only when their number or length changed.
        drawn, self._call_drawn = self._call_drawn, list(lines)
        layout = drawn is None or [len(line) for line in drawn] != [len(line) for line in lines]
        call.update(
            Content("\n").join(
                [plain(lines[0], "bold"), *(_call_line(line) for line in lines[1:-1]), plain(lines[-1], "dim italic")]
            ),
            layout=layout,
        )

    def show(
        self,
        monitored: MonitoredContact,
        agent_name: Callable[[str | None], str],
        selected: bool,
        call: list[str] | None = None,
    ) -> None:
        session = monitored.session
        self.set_class(selected, "-selected")
        # A card is a third of the screen (36 columns inside at 120): the mode and the agent on top, the contact
        # below, so neither is cut (a long name loses its end, never the mode or the contact).
        title = f"{MODE_WORDS[session.mode].capitalize()} · {agent_name(session.agent_id)}"
        subtitle = f"{CHANNEL_SYMBOLS[session.channel]} {session.contact_id}"
        conversation = monitored.conversation
        transcript = self.query_one(TranscriptView)
        transcript.display = conversation is not None
        if conversation is not None:
            transcript.show(conversation)
        self.show_call(call if conversation is None else None)
        heard = self.query_one(CallTranscriptView)
        heard.display = monitored.call is not None
        if monitored.call is not None:
            heard.show(monitored.call)
        notes: list[Content] = []
        said = conversation if conversation is not None else monitored.call
        if said is not None and (mood := said.customer_mood()) is not None and mood.worth_saying:
            notes.append(plain(f"mood {mood.words}", "bold" if mood.label == "negative" else ""))
        if conversation is not None and conversation.customer_typing:
            notes.append(plain(f"{conversation.customer_typing} is typing…", "italic $accent"))
        for name, mode in sorted(monitored.others.values()):
            notes.append(plain(f"also {name}: {MODE_WORDS[mode]}", "dim"))
        if conversation is not None and conversation.ended:
            notes.append(plain("the conversation ended", "bold $error"))
        state = Content("   ").join(notes)
        # A new message changes the transcript alone: the borders and the state line are drawn again only when
        # they read differently, and the state line is one row high (no layout pass for its text).
        drawn = self._drawn
        if drawn is None or drawn[0] != title:
            self.border_title = literal_title(title)
        if drawn is None or drawn[1] != subtitle:
            self.border_subtitle = literal_title(subtitle)
        if drawn is None or drawn[2] != state:
            self.query_one(".monitor-state", Static).update(state, layout=False)
        self._drawn = (title, subtitle, state)


def _call_line(line: str) -> Content:
    """A paused recording in the warning colour and in words (`No REC`, as the agents table has it); how the call is
    spoken, dim; what needs attention in it said in its words."""
    if line.startswith(RECORDING_PAUSED):
        return plain(line, "bold $warning")
    return plain(line, "dim" if line.startswith(COACHING) else "")


class MonitorPanel(Vertical):
    """Hidden while the supervisor is on no contact. Draws itself from the supervisor's desk when the contacts
    monitored announce a change (one redraw per burst), and hands the whisper or barge line typed in it to the
    controller's monitoring use cases."""

    class Drawn(Message):
        """The contacts monitored were drawn again: the keys that act on them may apply now, or no longer."""

    class LineClosed(Message):
        """The whisper or barge line was sent or cancelled: the keyboard goes back to the floor."""

    def __init__(self, controller: SupervisorController, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.controller = controller
        self.desk = controller.desk
        self.pacer = RedrawPacer(self, self.redraw, feeds=(self.desk.monitored.feed,))

    def on_unmount(self) -> None:
        self.pacer.stop()

    def redraw(self) -> None:
        """The cards whose contacts changed since the last redraw: the pacer's."""
        if not self.is_mounted:
            return
        if changes := self.desk.monitored.take_changes():
            self.show(self.desk.monitored, changes.order, changes.contacts, self.desk.agent_name, self.controller.now())
        self.post_message(self.Drawn())

    def open_line(self, kind: str) -> None:
        """Whisper or barge: a line to type on a chat, SMS or email; on a call, the mode the desk sets."""
        opened = self.desk.open_line(kind)
        if isinstance(opened, Line):
            self.ask(opened.prompt)
        elif opened is not None:
            self.run_worker(self.controller.monitoring.join(*opened), group="supervisor-monitor-actions")

    @on(Input.Submitted, "#monitor-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close_line(event.value)

    def close_line(self, text: str) -> None:
        """Enter sends what was typed (nothing, when empty); escape closes the line with nothing sent."""
        said = self.desk.close_line(text)
        self.close_input()
        if said is not None:
            self.run_worker(self.controller.monitoring.say(*said), group="supervisor-monitor-actions")
        self.post_message(self.LineClosed())

    def compose(self) -> ComposeResult:
        with Horizontal(id="monitor-cards"):
            for index in range(MAX_SHOWN):
                yield MonitorCard(id=f"monitor-card-{index}")
        yield Input(id="monitor-input")

    def on_mount(self) -> None:
        self.display = False
        self.query_one("#monitor-input", Input).display = False
        self._shown: list[str | None] = [None] * MAX_SHOWN
        self._title = ""
        self.set_interval(1.0, self._tick_calls)

    def _call(self, monitored: MonitoredContact, now: datetime) -> list[str] | None:
        if monitored.conversation is not None:
            return None
        floor = self.desk.floor
        contact = floor.contact_in_hand(monitored.contact_id)
        return call_lines(
            contact,
            self.desk.agent_name(monitored.session.agent_id),
            monitored.caller,
            now,
            recording_paused=monitored.contact_id in floor.recording_paused,
            coaching=floor.coaching.get(monitored.contact_id),
        )

    def _tick_calls(self) -> None:
        """A call's clock moves: its card's lines again, each second (a conversation's card waits for news)."""
        if not self.display:
            return
        now = self.controller.now()
        for index, monitored in enumerate(self.desk.monitored.shown()[:MAX_SHOWN]):
            if monitored.conversation is None:
                self.query_one(f"#monitor-card-{index}", MonitorCard).show_call(self._call(monitored, now))

    def show(
        self,
        model: MonitoredContacts,
        order: bool,
        changed: set[str],
        agent_name: Callable[[str | None], str],
        now: datetime,
    ) -> None:
        """Draw the cards whose contact changed (all of them when the set or the selection changed)."""
        shown = model.shown()
        self.display = bool(shown)
        for index in range(MAX_SHOWN):
            card = self.query_one(f"#monitor-card-{index}", MonitorCard)
            monitored = shown[index] if index < len(shown) else None
            card.display = monitored is not None
            contact_id = monitored.contact_id if monitored else None
            if monitored is not None and (order or contact_id in changed or self._shown[index] != contact_id):
                card.show(monitored, agent_name, contact_id == model.selected, self._call(monitored, now))
            self._shown[index] = contact_id
        current = model.current()
        take = " · T take over" if current is not None and current.call is not None else ""  # a call's
        phone = f" · {model.phone}" if take and model.phone else ""  # where a call taken over rings
        title = (
            f"Monitoring {len(model.contacts)} contact{'s' if len(model.contacts) != 1 else ''} · "
            f"w whisper · b barge · m mode{take} · l leave · ] next{phone}"
        )
        if title != self._title:  # setting a border title repaints the whole panel
            self._title = title
            self.border_title = literal_title(title)

    def ask(self, placeholder: str) -> None:
        field = self.query_one("#monitor-input", Input)
        field.placeholder = placeholder
        field.value = ""
        field.display = True
        field.focus()

    def close_input(self) -> None:
        field = self.query_one("#monitor-input", Input)
        field.display = False
        field.value = ""
