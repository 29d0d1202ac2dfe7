"""The agent screen's conversation area: the selected chat, SMS or email in the experts' place, drawn from the
desk, with its composer's and transcript's messages handed to the controller's conversation use cases, and
quick responses. The screen tells it when the selection or the conversation changed (`show_selected`); what the
screen owns (the pane shown, the focus on the composer) it asks for with a message (`ReplyWith`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from textual import on, work
from textual.message import Message

from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.domain.formats.languages import language_name
from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.models import Contact
from agent_desktop.domain.pci import mask_pci
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui import agent as agent_ui
from agent_desktop.ui.agent.conversations.composer import NOTE, REPLY, Composer
from agent_desktop.ui.agent.conversations.conversation_pane import ConversationPane
from agent_desktop.ui.keys.key_display import key_shown
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop.writing_aids.quick_responses import QuickResponse, placeholder_values

if TYPE_CHECKING:
    from agent_desktop.ui.agent.suggestions.suggestion_area import SuggestionKeys
    from agent_desktop.ui.lines.widget_options import WidgetOptions


class DeskConversation(ConversationPane):
    class ReplyWith(Message):
        """Into the selected conversation's composer (the screen brings its pane and the focus), with `text`."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        controller: DeskController,
        clock: Callable[[], datetime],
        quick_responses: list[QuickResponse],
        **kwargs: Unpack[WidgetOptions],
    ) -> None:
        super().__init__(**kwargs)
        self.controller = controller
        self.desk = controller.desk
        self.clock = clock
        self.quick_responses = quick_responses

    def show_selected(self) -> None:
        """The selected chat, SMS or email (or none: the pane is emptied, its places kept for those in hand)."""
        desk = self.desk
        conversation = desk.selected_conversation()
        if conversation is None:
            self.show(None, None, "", self.clock())
            self.forget_places(desk.conversations)  # (after: the view keeps the last's)
            return
        contact_id = conversation.contact_id
        now = self.clock()
        self.show(
            desk.selected_contact(),
            conversation,
            desk.conversations.composer.get(contact_id, ""),
            now,
            note=contact_id in desk.conversations.note_mode,
            given_back=desk.conversations.given_back.get(contact_id, 0),
        )
        self._show_waiting(now)
        self.show_selected_suggestion()
        self.show_reply_translation(self._reply_translation_said(contact_id))
        self.forget_places(desk.conversations)
        if self.display and conversation.unread and self.transcript.following:
            # In front of the agent now: the customer's messages are read (their "seen" receipt follows).
            # Scrolled up to older lines, the agent has not seen them: they stay unread until the end.
            self.controller.conversation.mark_read(conversation.contact_id)

    def show_selected_suggestion(self) -> None:
        """The selected conversation's suggested reply, else its suggested articles, above the composer."""
        contact_id = self.desk.selected_id or ""
        conversations = self.desk.conversations
        self.show_suggestion(
            conversations.suggestions.get(contact_id), conversations.articles.get(contact_id), self._suggestion_keys()
        )

    def tick(self, contact: Contact | None, conversation: ConversationState | None, now: datetime) -> None:
        super().tick(contact, conversation, now)
        self._show_waiting(now)

    def _show_waiting(self, now: datetime) -> None:
        """The selected conversation's messages waiting to leave, counting down with the key that takes one back."""
        desk = self.desk
        held = desk.held_sends.of(desk.selected_id or "")
        if not held and not self._mounted_parts:
            return
        key = key_shown(self.app, "desk.undo_send", "ctrl+z")
        name = desk.agent.name if desk.agent is not None else "You"
        self.transcript.show_waiting(
            [(name, mask_pci(h.text), f"sending in {h.left_s(now)} s — {key} undo") for h in held]
        )

    def send_due(self) -> None:
        """An email or SMS that waited its time leaves now, whichever conversation is in front (the screen's tick)."""
        self.controller.conversation.send_due()

    def undo_send(self, then: Callable[[], None]) -> None:
        """The selected conversation's latest message waiting to leave comes back to the composer, before what was
        typed since (read from the composer itself: its last keys may not have reached the desk yet); `then`, once
        it is there (the screen brings the agent into the composer)."""
        contact_id = self.desk.selected_id
        if contact_id is None:
            return
        if self.composer.contact_id == contact_id:
            self.controller.conversation.keep_composer(contact_id, self.composer.text)
        if self.controller.conversation.undo_send(contact_id):
            self.show_selected()  # in the composer now, before the next key lands there
            then()

    # --- the transcript's and the composer's messages ------------------------------------

    @on(TranscriptView.ReachedEnd)
    def _reached_end(self, message: TranscriptView.ReachedEnd) -> None:
        conversation = self.desk.selected_conversation()
        if conversation is not None and conversation.contact_id == message.contact_id and conversation.unread:
            self.controller.conversation.mark_read(message.contact_id)

    @on(TranscriptView.NeedOlder)
    def _need_older(self, message: TranscriptView.NeedOlder) -> None:
        self.run_worker(self.controller.conversation.load_older(message.contact_id), group="actions")

    @on(Composer.Edited)
    def _edited(self, message: Composer.Edited) -> None:
        # A draft shown again on switching is not typing: only a change the agent made says "typing". The composer's
        # text now, not the message's: the desk may have put text back in it since (a message undone).
        composer = self.composer
        text = composer.text if composer.contact_id == message.contact_id else message.text
        asked = self.desk.conversations.reply_translations.get(message.contact_id)
        if asked is not None and asked[0] != text:  # edited after its translation: enter translates it again
            self.desk.conversations.drop_reply_translation(message.contact_id)
        if (
            self.controller.conversation.keep_composer(message.contact_id, text)
            and message.mode == REPLY
            and message.text
        ):
            self.controller.conversation.typed(message.contact_id)

    @on(Composer.Submitted)
    def _submitted(self, message: Composer.Submitted) -> None:
        contact_id, text = message.contact_id, message.text
        if message.mode == REPLY and self._held_for_translation(contact_id, text):
            return
        self.controller.conversation.keep_composer(contact_id, "")
        if message.mode == NOTE:
            self.controller.conversation.add_note(contact_id, text)
        else:
            self.send_text(contact_id, text)

    # --- translation both ways: the reply shown in the customer's language before it goes -----------

    def _held_for_translation(self, contact_id: str, text: str) -> bool:
        """Enter on a reply in a translated conversation: the first asks for its translation and keeps the text in
        the composer (shown in both languages); the next, on the same text, sends the translation, or the text as
        written where the model gave none. True while the reply stays in the composer."""
        conversations = self.desk.conversations
        conversation = conversations.get(contact_id)
        if conversation is None or conversation.language is None:
            return False
        asked = conversations.reply_translations.get(contact_id)
        if asked is not None and asked[0] == text and asked[1] is not None:
            conversations.drop_reply_translation(contact_id)
            if asked[1].text is not None:
                conversations.sending_translated(contact_id, asked[1].text, text)
                self.controller.conversation.keep_composer(contact_id, "")
                self.send_text(contact_id, asked[1].text)
                return True
            return False  # no translation: sent as written
        self.controller.conversation.keep_composer(contact_id, text)
        self.composer.open(contact_id, text)  # stays, to read in both languages
        if asked is None or asked[0] != text:
            self.run_worker(self.controller.translations.reply(contact_id, text), group=f"translate-{contact_id}")
        return True

    def _reply_translation_said(self, contact_id: str) -> str | None:
        conversation = self.desk.conversations.get(contact_id)
        asked = self.desk.conversations.reply_translations.get(contact_id)
        if conversation is None or conversation.language is None or asked is None:
            return None
        language = language_name(conversation.language)
        done = asked[1]
        if done is None:
            return f"Translating your reply into {language}…"
        if done.text is None:
            return f"Not translated: {done.why} Enter sends your reply as written."
        return f"In {language}: {done.text} (enter sends it; an edit translates again)"

    def toggle_original(self) -> None:
        """The selected conversation's messages as written (the customer's language) or translated (the agent's)."""
        if (contact_id := self.desk.selected_id) is not None:
            self.controller.translations.toggle_original(contact_id)

    def send_text(self, contact_id: str, text: str) -> None:
        """Send `text` in a conversation (the composer's Enter; quick responses' "send" too): a chat at once, an email
        or SMS after the desk's undo time; refused, it comes back to the composer."""
        if not self.controller.conversation.send_or_hold(contact_id, text):
            self.run_worker(self.controller.conversation.send(contact_id, text), group=f"send-{contact_id}")

    # --- keys ------------------------------------------------------------------------------

    def toggle_note_mode(self) -> None:
        """Reply or private note, for the selected conversation only (each keeps its own)."""
        if (conversation := self.desk.selected_conversation()) is not None:
            contact_id = conversation.contact_id
            self.desk.conversations.set_note_mode(contact_id, contact_id not in self.desk.conversations.note_mode)
            self.show_selected()

    def load_older(self) -> None:
        if (conversation := self.desk.selected_conversation()) is not None:
            self.run_worker(self.controller.conversation.load_older(conversation.contact_id), group="actions")

    def transcript_page(self, step: int) -> None:
        """A page up or down in the selected conversation's transcript, wherever the focus is."""
        if self.desk.selected_conversation() is not None:
            self.transcript.action_page(step)

    # --- the knowledge base: a passage into the reply, or an article read on a call -------------

    @work(group="knowledge", exclusive=True)
    async def open_knowledge(self) -> None:
        desk, lookup = self.desk, self.controller.knowledge
        conversation = desk.selected_conversation()
        writing = conversation is not None and not conversation.ended

        dialog = agent_ui.KnowledgeSearch(lookup.search, lookup.article, lookup.suggested_query(), writing=writing)
        text = await self.app.push_screen_wait(dialog)
        if text and conversation is not None and desk.selected_id == conversation.contact_id:
            self.post_message(self.ReplyWith(text))  # into the composer to edit: never sent by itself

    # --- the ask box: the agent's question to the assistant, a cited passage into the reply -------

    @work(group="ask-box", exclusive=True)
    async def open_ask_box(self) -> None:
        desk, asks = self.desk, self.controller.ask_box
        contact_id = desk.selected_id
        if contact_id is None or contact_id not in desk.held:
            return
        conversation = desk.selected_conversation()
        writing = conversation is not None and not conversation.ended
        dialog = agent_ui.AskBox(
            lambda question, changed: asks.ask(contact_id, question, changed),
            lambda: asks.cancel(contact_id),
            writing=writing,
        )
        dialog.contact_id = contact_id
        text = await self.app.push_screen_wait(dialog)
        asks.cancel(contact_id)  # closed while it wrote: its request is closed too
        if text and conversation is not None and desk.selected_id == contact_id:
            self.post_message(self.ReplyWith(text))  # into the composer to edit: never sent by itself

    # --- the assistant's suggested reply -----------------------------------------------------

    def _suggestion_keys(self) -> SuggestionKeys:
        app = self.app
        return agent_ui.SuggestionKeys(
            key_shown(app, "desk.use_suggestion", "ctrl+n"),
            key_shown(app, "desk.discard_suggestion", "f8"),
            key_shown(app, "desk.suggest_again", "f9"),
            key_shown(app, "desk.knowledge", "ctrl+l"),
        )

    def use_suggestion(self) -> None:
        """The selected conversation's suggested reply into its composer, at the cursor (what was typed stays), to
        edit: never sent by itself."""
        contact_id = self.desk.selected_id
        if contact_id is not None and (text := self.controller.suggestions.taken(contact_id)):
            self.post_message(self.ReplyWith(text))

    # --- quick responses, in the selected conversation ----------------------------------

    @work(group="quick-responses", exclusive=True)
    async def open_quick_responses(self) -> None:
        desk = self.desk
        contact = desk.selected_contact()
        if contact is None or desk.selected_conversation() is None:
            return
        lookup = desk.lookups.get(contact.id)
        values = placeholder_values(lookup.record if lookup else None, desk.agent, contact)

        picker = agent_ui.QuickResponsePicker(self.quick_responses, values, contact.channel, contact.queue_id)
        choice = await self.app.push_screen_wait(picker)
        if choice is None or desk.selected_id != contact.id:
            return
        if choice.send_now:
            self.send_text(contact.id, choice.text)
        else:  # filled from the CRM (a name): into the editor as it will be shown, never with a bidi override
            self.post_message(self.ReplyWith(strip_controls(choice.text)))
