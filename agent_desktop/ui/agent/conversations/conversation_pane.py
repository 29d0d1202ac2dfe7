"""The workspace of the selected chat, SMS or email: its transcript, who is typing, the inactivity
countdown (red in its last minute), and the composer with its count against the channel's limit."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agent_desktop.agent_desk.conversations.composer_limits import count
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import Channel, MonitorMode
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui import agent as agent_ui
from agent_desktop.ui.agent.conversations.composer import NOTE, REPLY, Composer
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.transcript_view import TranscriptView

if TYPE_CHECKING:
    from agent_desktop.assist.suggestion import Suggestion
    from agent_desktop.domain.knowledge.models import ArticleHints
    from agent_desktop.ui.agent.suggestions.suggestion_area import SuggestionKeys
    from agent_desktop.ui.lines.widget_options import WidgetOptions

ENDED_WORDS = {
    "agent_ended": "ended by you",
    "customer_left": "the customer left",
    "customer_inactive": "ended: the customer was inactive",
    "abandoned": "abandoned",
    "transferred_out": "transferred",
}
CHANNEL_WORDS = {Channel.CHAT: "Chat", Channel.SMS: "SMS", Channel.EMAIL: "Email"}
SUPERVISOR_WORDS = {
    MonitorMode.MONITOR: "monitoring",
    MonitorMode.WHISPER: "whispering to you",
    MonitorMode.BARGE: "in the conversation",
}


def countdown(conversation: ConversationState, now: datetime) -> Content:
    """The line under the pane's border: idle time and the inactivity countdown, or how it ended."""
    if conversation.ended:
        return literal_title(ENDED_WORDS.get(conversation.ended_reason or "", conversation.ended_reason), "bold $error")
    left = conversation.seconds_left(now)
    idle = conversation.idle_seconds(now)
    parts: list[Content] = []
    if idle is not None:
        parts.append(literal_title(f"idle {format_duration(idle)}", "dim"))
    if left is not None:
        style = "bold $error" if left <= 60 else "$warning" if left <= 180 else ""
        parts.append(literal_title(f"ends in {format_duration(left)} if nobody writes", style))
    return Content(" · ").join(parts) if parts else Content("")


class ConversationPane(Vertical):
    """Hidden until a conversation is selected; its parts (a TextArea with its eight component styles, the
    transcript's line view) are mounted when the first one is drawn, not at start-up, where composing and
    styling them (and the new-caller form's fields) was CPU spent before the desk's first frame
    (`desktop_start_to_interactive`; timeline_startup shows the steps)."""

    def compose(self) -> ComposeResult:
        return iter(())  # the parts: `mount_parts`, on first use

    def __init__(self, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self._shown_contact: str | None = None
        self._shown_given_back = 0  # how often the desk had put text back in the shown composer, when last drawn
        self._shown_line: tuple[object, ...] | None = None
        self._shown_count: tuple[object, ...] | None = None  # what the count line says, when last drawn
        self._conversation: ConversationState | None = None
        self._mounted_parts = False

    def mount_parts(self) -> None:
        """Mount the pane's parts if they are not yet: they can be queried at once, as composed ones."""
        if not self._mounted_parts:
            self._mounted_parts = True
            self._transcript, self._composer = TranscriptView(id="transcript"), Composer(id="composer")
            self._typing, self._subject, self._count = (
                Static(id="typing"),
                Static(id="reply-subject"),
                Static(id="composer-count"),
            )
            self._suggestion = agent_ui.SuggestionArea(id="suggestion")  # the assistant's: loaded with the parts
            self._reply_translation = Static(id="reply-translation")  # the reply in the customer's language
            self._reply_translation.display = False
            self.mount_all(
                [
                    self._transcript,
                    self._typing,
                    self._suggestion,
                    self._subject,
                    self._composer,
                    self._reply_translation,
                    self._count,
                ]
            )

    @property
    def composer(self) -> Composer:
        self.mount_parts()
        return self._composer

    @property
    def transcript(self) -> TranscriptView:
        self.mount_parts()
        return self._transcript

    def show_suggestion(
        self, suggestion: Suggestion | None, articles: ArticleHints | None, keys: SuggestionKeys
    ) -> None:
        """The assistant's suggested reply for the shown conversation, else its suggested articles (neither: the
        area hidden)."""
        if self._mounted_parts:
            self._suggestion.show(suggestion, articles, keys)

    def show_reply_translation(self, said: str | None) -> None:
        """Under the composer, the agent's reply in the customer's language before it goes (None: hidden)."""
        if not self._mounted_parts:
            return
        shown = self._reply_translation
        shown.display = said is not None
        if said is not None:
            shown.update(plain(said, "italic $accent"))

    def forget_places(self, keep: Collection[str]) -> None:
        """The transcript forgets where the agent left conversations no longer on the desk (none kept before
        the parts are mounted)."""
        if self._mounted_parts:
            self.transcript.forget_places(keep)

    def show(
        self,
        contact: Contact | None,
        conversation: ConversationState | None,
        draft: str,
        now: datetime,
        *,
        note: bool = False,
        given_back: int = 0,
    ) -> None:
        """Draw the selected conversation; a different one also opens its own draft in the composer, in its
        own mode (`note`: a private note, else a reply), and so does the same one when the desk put text back in it
        (`given_back` moved: a message undone, or refused)."""
        if contact is None and not self._mounted_parts:
            self._conversation = conversation
            return  # nothing drawn yet, nothing to clear
        composer = self.composer
        contact_id = contact.id if contact else None
        self._conversation = conversation
        if contact_id != self._shown_contact or given_back != self._shown_given_back:
            self._shown_contact, self._shown_given_back = contact_id, given_back
            composer.open(contact_id, draft)
        mode = NOTE if note else REPLY
        if composer.mode != mode:
            composer.set_mode(mode)
        self._show_count()
        self.transcript.show(conversation)
        self.tick(contact, conversation, now)

    def tick(self, contact: Contact | None, conversation: ConversationState | None, now: datetime) -> None:
        """Titles, typing and the countdown (each second, and on every change)."""
        if contact is None or conversation is None:
            return
        name = conversation.customer_name or shown_phone(contact.from_address)
        heading = f"{CHANNEL_WORDS.get(contact.channel, '')} · {name}"  # the customer's name: through literal_title
        if (mood := conversation.customer_mood()) is not None and mood.worth_saying:
            heading += f" · mood {mood.words}"
        typing = conversation.customer_typing
        # Scrolled up to older lines: what came since is not read yet, and the agent is told it is there.
        below = 0 if self.transcript.following else conversation.unread
        supervisors = tuple(sorted(conversation.supervisors.values()))
        line = (
            heading,
            typing,
            conversation.subject,
            countdown(conversation, now).plain,
            conversation.ended,
            below,
            supervisors,
        )
        if line == self._shown_line:
            return
        self._shown_line = line
        self.border_title = literal_title(heading)
        self.border_subtitle = Content.assemble(countdown(conversation, now))
        notes = []
        if below:
            notes.append(plain(f"↓ {below} new message{'s' if below != 1 else ''} below (end)", "bold $warning"))
        if typing:
            notes.append(plain(f"{typing} is typing…", "italic $accent"))  # the customer's name: literal
        for name, mode in supervisors:  # Shown only as far as the contact center tells the agent
            notes.append(plain(f"● {name}: {SUPERVISOR_WORDS[mode]}", "bold magenta"))
        self._typing.update(Content("   ").join(notes), layout=False)  # one line, always (.tcss): no layout pass
        subject = self._subject
        subject.display = contact.channel is Channel.EMAIL
        if conversation.subject:
            subject.update(Content.assemble(("Subject: ", "bold"), plain(_reply_subject(conversation.subject))))

    def _show_count(self) -> None:
        composer = self.composer
        conversation = self._conversation
        channel = conversation.channel if conversation else Channel.CHAT
        limits = conversation.info.limits if conversation and conversation.info else None
        counted = count(composer.text, channel, limits)
        shown = (composer.mode, counted)
        if shown == self._shown_count:
            return  # the same words: a repaint would widen the next frame to this side of the screen
        self._shown_count = shown
        parts: list[Content | tuple[str, str]] = []
        if composer.mode == NOTE:
            parts.append(("Private note: never sent to the customer · ", "bold $warning"))
        parts.append((f"{counted.chars:,} / {counted.max_chars:,}", "bold $error" if counted.over else "dim"))
        if counted.segments is not None:
            parts.append(
                (f" · {counted.segments} SMS segment{'s' if counted.segments != 1 else ''} ({counted.encoding})", "dim")
            )
        parts.append(("   enter sends · ^j newline · ^r quick reply", "dim"))
        self._count.update(Content.assemble(*parts), layout=False)  # one line, always (.tcss): each key typed

    def on_composer_edited(self, _: Composer.Edited) -> None:
        self._show_count()  # the message goes on up to the screen


def _reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
