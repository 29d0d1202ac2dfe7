"""The desk's part that holds the chats, SMS and emails in hand: each one's conversation (conversations.py), what
the agent typed in its composer and has not sent, whether that composer writes a private note, and what a previous
run left of both. It applies the conversation events and the contact center's answers, and marks what changed in
the desk's one `DeskChanges`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from agent_desktop.agent_desk.changes import CustomerWrote, DeskChanges, Effect, LoadConversation
from agent_desktop.domain.models import (
    Contact,
    Conversation,
    ConversationEvent,
    MessageEvent,
    MonitorEvent,
    ScheduledReplyEvent,
    SnoozeEvent,
    TranscriptItem,
    TranscriptLine,
    TranscriptPage,
)
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.transcripts.conversation import ConversationState, PrivateNote

if TYPE_CHECKING:
    from agent_desktop.assist.suggestion import Suggestion
    from agent_desktop.assist.translation import Translated
    from agent_desktop.domain.knowledge.models import ArticleHints


class ConversationsInHand(dict[str, ConversationState]):
    """The conversations in hand by contact id."""

    def __init__(
        self,
        changes: Callable[[], DeskChanges],
        stored_composer: Mapping[str, str] | None = None,
        stored_notes: Mapping[str, Iterable[PrivateNote]] | None = None,
    ) -> None:
        super().__init__()
        self._changes = changes  # the desk's: marks a change and returns what to mark it in
        self.composer: dict[str, str] = {}  # contact id → what the agent typed and has not sent
        self.note_mode: set[str] = set()  # conversations whose composer writes a private note, not a reply
        # How often the desk put text back in a composer (a message undone or refused): the composer shows it then.
        self.given_back: dict[str, int] = {}
        self._stored_composer = dict(stored_composer or {})
        self._stored_notes = {cid: list(notes) for cid, notes in (stored_notes or {}).items()}
        # The assistant's suggested reply shown beside each composer (streaming, done or failed), where the desk has
        # an assistant (`suggests_replies`: each customer message then asks for one).
        self.suggests_replies = False
        self.suggestions: dict[str, Suggestion] = {}
        # Without a model, the knowledge base's articles for the customer's last message (`suggests_articles`: where
        # the CRM keeps one), shown in the same place.
        self.suggests_articles = False
        self.articles: dict[str, ArticleHints] = {}
        # Translation both ways (suggestions/translations.py): the agent's reply in the customer's language shown under
        # the composer before it goes, by contact id: (the reply as typed, its translation; None while it is asked for).
        self.reply_translations: dict[str, tuple[str, Translated | None]] = {}
        # The agent's words as they wrote them, by the translated text about to be sent (kept with the message sent).
        self.originals: dict[str, dict[str, str]] = {}

    def release(self, contact_id: str) -> None:
        """The contact left the agent's hands: its conversation, composer, mode and suggestion go with it."""
        if self.pop(contact_id, None) is not None:
            self._changes().conversations.add(contact_id)
        self.composer.pop(contact_id, None)
        self.note_mode.discard(contact_id)
        self.given_back.pop(contact_id, None)
        self.suggestions.pop(contact_id, None)
        self.articles.pop(contact_id, None)
        self.reply_translations.pop(contact_id, None)
        self.originals.pop(contact_id, None)

    def translation_changed(self, contact_id: str) -> None:
        """A message's translation came (or none), or the agent toggled originals: its transcript is drawn again."""
        if contact_id in self:
            self._changes().conversations.add(contact_id)

    def translating_reply(self, contact_id: str, text: str) -> None:
        self.reply_translations[contact_id] = (text, None)
        self.translation_changed(contact_id)

    def reply_translated(self, contact_id: str, done: Translated) -> None:
        """The reply's translation (or why none) under the composer, if the agent has not typed another meanwhile."""
        asked = self.reply_translations.get(contact_id)
        if asked is not None and asked[0] == done.original:
            self.reply_translations[contact_id] = (done.original, done)
            self.translation_changed(contact_id)

    def drop_reply_translation(self, contact_id: str) -> None:
        if self.reply_translations.pop(contact_id, None) is not None:
            self.translation_changed(contact_id)

    def sending_translated(self, contact_id: str, text: str, original: str) -> None:
        """`text`, the translation of the agent's `original`, is about to be sent: the original goes with it."""
        self.originals.setdefault(contact_id, {})[text] = original

    def sent_original(self, contact_id: str, text: str, item_id: str) -> None:
        """The message `text` was sent as `item_id`: the agent's own words, where it was a translation, kept with it."""
        original = self.originals.get(contact_id, {}).pop(text, None)
        conversation = self.get(contact_id)
        if original is not None and conversation is not None:
            conversation.translated(item_id, original)
            self.translation_changed(contact_id)

    def show_suggestion(self, suggestion: Suggestion) -> bool:
        """A suggestion began or moved on (a piece, done, failed): shown with its conversation while that is in hand
        and open; a cancelled one is taken off. False: there is nothing to show it with (it can be dropped)."""
        contact_id = suggestion.contact_id
        conversation = self.get(contact_id)
        if conversation is None or conversation.ended:
            return False
        if suggestion.state == "cancelled":
            if self.suggestions.get(contact_id) is not suggestion:
                return True
            del self.suggestions[contact_id]
        else:
            self.suggestions[contact_id] = suggestion
        self._changes().suggestions.add(contact_id)
        return True

    def drop_suggestion(self, contact_id: str) -> None:
        """The agent put the suggestion in the composer, or discarded it: taken off."""
        if self.suggestions.pop(contact_id, None) is not None:
            self._changes().suggestions.add(contact_id)

    def show_articles(self, hints: ArticleHints) -> None:
        """The articles found for the customer's last message, shown with its conversation while that is open."""
        conversation = self.get(hints.contact_id)
        if conversation is not None and not conversation.ended and self.articles.get(hints.contact_id) != hints:
            self.articles[hints.contact_id] = hints
            self._changes().suggestions.add(hints.contact_id)

    def drop_articles(self, contact_id: str) -> None:
        """Dismissed by the agent, or nothing found for a newer message: taken off."""
        if self.articles.pop(contact_id, None) is not None:
            self._changes().suggestions.add(contact_id)

    @property
    def suggests(self) -> bool:
        """Whether a customer's message asks for something: a reply from the model, or articles."""
        return self.suggests_replies or self.suggests_articles

    def open(self, contact: Contact) -> LoadConversation:
        conversation = ConversationState(contact.id, contact.channel)
        conversation.notes = self._stored_notes.pop(contact.id, [])
        self[contact.id] = conversation
        if contact.id in self._stored_composer:  # typed before the desktop was stopped
            self.composer[contact.id] = self._stored_composer.pop(contact.id)
        self._changes().conversations.add(contact.id)
        return LoadConversation(contact.id)

    def apply(self, event: ConversationEvent) -> list[Effect]:
        """A conversation event: applied if its contact is in hand (one offered is read when accepted)."""
        conversation = self.get(event.contact_id)
        if conversation is None or not conversation.apply(event):
            return []
        changes = self._changes()
        if isinstance(event, MessageEvent) and event.item.kind == "whisper":
            changes.ring = True  # a supervisor's whisper: the bell, as for an offer
        changes.conversations.add(event.contact_id)
        if isinstance(event, MessageEvent | SnoozeEvent | ScheduledReplyEvent) or conversation.ended:
            changes.contacts.add(event.contact_id)  # its unread count, idle time, countdown, snoozed or later marks
        if conversation.ended and (suggestion := self.suggestions.pop(event.contact_id, None)) is not None:
            suggestion.cancel()  # nothing can be sent in it any more
        if conversation.ended:
            self.articles.pop(event.contact_id, None)
        customer_wrote = (
            isinstance(event, MessageEvent)
            and event.item.role is ParticipantRole.CUSTOMER
            and event.item.kind == "message"
            and not conversation.ended
        )
        return [CustomerWrote(event.contact_id)] if customer_wrote and self.suggests else []

    def apply_monitor(self, event: MonitorEvent) -> list[Effect]:
        """A supervisor on one of the agent's conversations: shown on its pane, kept for the CRM."""
        conversation = self.get(event.contact_id)
        if conversation is not None and conversation.apply_monitor(event):
            self._changes().conversations.add(event.contact_id)
        return []

    def loaded(
        self,
        contact_id: str,
        info: Conversation | None,
        page: TranscriptPage | None,
        *,
        newest: bool = True,
        filling_gap: bool = False,
    ) -> list[Effect]:
        """The contact center's answer to a (re)read, to a request for older items or to fill a hole. The first read
        of a conversation whose customer wrote last (a chat just accepted) asks for a suggested reply or articles, as
        a customer message arriving does."""
        conversation = self.get(contact_id)
        if conversation is None:
            return []  # it left the desk meanwhile
        if info is not None:
            conversation.set_info(info)
        if page is not None:
            conversation.merge_page(page, newest=newest, filling_gap=filling_gap)
        changes = self._changes()
        changes.conversations.add(contact_id)
        changes.contacts.add(contact_id)
        messages = [item for item in conversation.items if item.kind == "message"]
        customer_last = bool(messages) and messages[-1].role is ParticipantRole.CUSTOMER
        asked = contact_id in self.suggestions or contact_id in self.articles
        if newest and customer_last and self.suggests and not asked:
            return [] if conversation.ended else [CustomerWrote(contact_id)]
        return []

    def sent(self, contact_id: str, item: TranscriptItem) -> None:
        conversation = self.get(contact_id)
        if conversation is None:
            return
        awaited = conversation.awaiting_reply
        if conversation.sent(item):
            self._changes().conversations.add(contact_id)
        if awaited != conversation.awaiting_reply:
            self._changes().contacts.add(contact_id)  # its awaiting-reply mark, and the list's count

    def waiting_on_us(self) -> list[str]:
        """The conversations in hand snoozed or with a reply scheduled, in the order they came."""
        return [cid for cid, conversation in self.items() if conversation.snoozed or conversation.reply_scheduled]

    def awaiting_reply(self) -> list[str]:
        """The conversations in hand awaiting our reply (the customer wrote last), in the order they came."""
        return [contact_id for contact_id, conversation in self.items() if conversation.awaiting_reply]

    def mark_read(self, contact_id: str) -> str | None:
        """The agent has the conversation in front of them: unread goes to zero now; the item id to
        tell the contact center, or None if nothing new was shown."""
        conversation = self.get(contact_id)
        item_id = conversation.mark_read_locally() if conversation is not None else None
        if item_id is not None:
            changes = self._changes()
            changes.contacts.add(contact_id)
            changes.conversations.add(contact_id)
        return item_id

    def set_composer(self, contact_id: str, text: str) -> bool:
        """What the agent has typed and not sent; True if it differs from what was kept."""
        if self.composer.get(contact_id, "") == text:
            return False
        if text:
            self.composer[contact_id] = text
        else:
            self.composer.pop(contact_id, None)
        return True

    def gave_back(self, contact_id: str) -> None:
        """The desk set the composer's text (`set_composer`) rather than the agent's typing: it is shown again."""
        self.given_back[contact_id] = self.given_back.get(contact_id, 0) + 1
        self._changes().conversations.add(contact_id)

    def set_note_mode(self, contact_id: str, note: bool) -> None:
        """Each conversation keeps its own mode: a note begun in one never turns another's reply private
        (nor a remark meant to be private in this one into a reply)."""
        if contact_id in self:
            if note:
                self.note_mode.add(contact_id)
            else:
                self.note_mode.discard(contact_id)
            self._changes().conversations.add(contact_id)

    def add_note(self, contact_id: str, text: str, at: datetime) -> PrivateNote | None:
        conversation = self.get(contact_id)
        if conversation is None:
            return None
        note = conversation.add_note(text, at)
        self._changes().conversations.add(contact_id)
        return note

    def transcript(self, contact_id: str) -> list[TranscriptItem]:
        """The conversation's items known on the desk, oldest first (customer card data masked): what a
        wrap-up writes to the CRM."""
        conversation = self.get(contact_id)
        return list(conversation.items) if conversation else []

    def private_notes(self, contact_id: str) -> list[PrivateNote]:
        conversation = self.get(contact_id)
        return list(conversation.notes) if conversation else []

    def for_the_crm(self, contact_id: str) -> tuple[list[TranscriptLine], list[str]]:
        """What the CRM keeps of a conversation at wrap-up: its messages and the agent's private notes
        (the outbox masks both); nothing for a call (a call's lines are its call transcript's: call_transcript.py)."""
        conversation = self.get(contact_id)
        lines = [
            TranscriptLine(
                role=item.role.value, name=item.display_name, text=_both_texts(conversation, item), at=item.created_at
            )
            for item in self.transcript(contact_id)
            if item.kind != "whisper"  # the customer never saw it: it goes with the private notes
        ]
        notes = [note.text for note in self.private_notes(contact_id)]
        if conversation is not None:  # Who supervised it and when, and what they whispered
            notes += conversation.supervision
            notes += [
                f"Whisper from {w.display_name} at {w.created_at:%H:%M:%S}: {w.text}" for w in conversation.whispers()
            ]
        return lines, notes


def _both_texts(conversation: ConversationState | None, item: TranscriptItem) -> str:
    """A message as the CRM keeps it: as the customer read it (or wrote it), and where it was translated, the
    other party's language under it."""
    other = conversation.translations.get(item.id) if conversation is not None else None
    if other is None or conversation is None or conversation.language is None:
        return item.text
    if item.role is ParticipantRole.CUSTOMER:
        return f"{item.text}\n[translated for the agent] {other}"
    return f"{item.text}\n[the agent wrote, before translation] {other}"
