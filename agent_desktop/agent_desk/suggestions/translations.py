"""Translation both ways on a written contact, where an assistant's model is configured (docs/assist.md).

The customer's language is the contact center's (the IVR's, on the contact), else a guess from their latest words
(`guess_language`). Where it is not the agent's (`[assist] agent_language`), each customer message is
translated into the agent's as it comes, the original kept (the transcript shows either, a key toggles them); the
agent's reply is translated into the customer's before it goes, and shown in both languages under the composer
(enter again sends it). A model that is off, slow (`TRANSLATE_WITHIN_S`) or gives no translation never blocks the
original: the message is shown as written, and the reply's preview says enter sends it as written. Its tokens are the
assistant's, counted in the suggestions' ledger (the status line's figures) on the contact; a day's allowance spent
asks no more translations, as it asks no more suggestions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.suggestions.reply_suggestions import ReplySuggestions
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.assist.prompt import Masking
from agent_desktop.assist.translation import Translated, translate
from agent_desktop.domain.formats.languages import guess_language, language_code
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.transcripts.conversation import ConversationState

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand

TRANSLATED_BACK = 20  # a conversation's newest customer messages translated when it is first read


class TranslationDesk(DeskNotices, Protocol):
    """The desk as the translations read it (desk/model.py's Desk): the contacts in hand and their conversations."""

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def conversations(self) -> ConversationsInHand: ...


class Translations(DeskUseCase[TranslationDesk]):
    def __init__(self, controller: UseCaseHost[TranslationDesk], suggestions: ReplySuggestions) -> None:
        super().__init__(controller)
        port = self.ports.assist
        self.model = port.model
        self.agent_language = port.agent_language
        self.masking = Masking(port.mask_contact_details)
        self.suggestions = suggestions  # whose ledger counts the tokens, and whose figures the status line shows
        self._asked: set[tuple[str, str]] = set()  # (contact id, item id) whose translation was asked for

    def language_of(self, conversation: ConversationState) -> str | None:
        """The customer's language where it is not the agent's (None: nothing to translate, or not known yet)."""
        contact_id = conversation.contact_id
        held = self.desk.held.get(contact_id)
        attached = held.contact.attached if held is not None else None
        said = [i.text for i in conversation.items if i.role is ParticipantRole.CUSTOMER and i.kind == "message"]
        # Not the CRM card's language: it is the one the customer prefers to be called in, not the one they write
        # in now (the demo's cards say Spanish for customers who write English in emails, as many bilingual
        # customers do; only some of their chats are in Spanish).
        language = language_code(attached.language if attached is not None else None) or guess_language(
            said[-1:]  # their latest words: an opening line in English may be a form's
        )
        return language if language is not None and language != self.agent_language else None

    def after_customer_message(self, contact_id: str) -> None:
        """The customer wrote (or the conversation was read): each of their messages not yet translated is."""
        conversation = self.desk.conversations.get(contact_id)
        if conversation is None or not self.model.capabilities.replies:
            return
        if conversation.language is None:  # (asked again at each message until known)
            conversation.language = self.language_of(conversation)
        language = conversation.language
        if language is None:
            return
        customer = [i for i in conversation.items if i.role is ParticipantRole.CUSTOMER and i.kind == "message"]
        for at, item in enumerate(customer):
            if at < len(customer) - TRANSLATED_BACK or (contact_id, item.id) in self._asked:
                continue
            if guess_language([item.text]) == self.agent_language:
                continue  # a line in the agent's own language (an IVR's or a form's) is read as it is
            self._asked.add((contact_id, item.id))
            earlier = [i.text for i in customer[:at]]
            self._spawn(self._translate_message(contact_id, item.id, item.text, language, earlier))

    async def _translate_message(
        self, contact_id: str, item_id: str, text: str, language: str, earlier: list[str]
    ) -> None:
        done = await translate(
            self.model,
            text,
            language,
            self.agent_language,
            masking=self.masking,
            earlier=earlier,
            ledger=self.suggestions.ledger,
            contact_id=contact_id,
        )
        self.suggestions.told(None)  # its tokens on the status line
        conversation = self.desk.conversations.get(contact_id)
        if conversation is not None:
            conversation.translated(item_id, done.text, done.why)
            self.desk.conversations.translation_changed(contact_id)

    async def reply(self, contact_id: str, text: str) -> Translated | None:
        """The agent's reply in the customer's language, or why not; None where the conversation is not translated."""
        conversation = self.desk.conversations.get(contact_id)
        language = conversation.language if conversation is not None else None
        if conversation is None or language is None:
            return None
        self.desk.conversations.translating_reply(contact_id, text)
        done = await translate(
            self.model,
            text,
            self.agent_language,
            language,
            masking=self.masking,
            earlier=conversation.sent_texts(),
            ledger=self.suggestions.ledger,
            contact_id=contact_id,
        )
        self.suggestions.told(None)
        self.desk.conversations.reply_translated(contact_id, done)
        return done

    def toggle_original(self, contact_id: str) -> None:
        conversation = self.desk.conversations.get(contact_id)
        if conversation is not None and conversation.language is not None:
            conversation.toggle_original()
            self.desk.conversations.translation_changed(contact_id)

    def forget(self, contact_id: str) -> None:
        self._asked = {asked for asked in self._asked if asked[0] != contact_id}
