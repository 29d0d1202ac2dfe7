"""The desk's part that holds the contacts' wrap-ups: what the agent typed so far for each contact in hand (a
`Draft`: disposition and notes), the drafts a previous run left (taken when their contact is in hand again), and
what the wrap-up form says of each (saved, completing, refused). It marks the desk's one `DeskChanges`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.domain.changes import Severity
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.writing_aids.summary import draft_summary

NOTES_KEPT = "Your notes are kept: the assistant's draft came after you began writing."


class WrapUps(dict[str, Draft]):
    """Each contact's wrap-up typed so far, by contact id; `status` what the form says of it."""

    def __init__(self, changes: Callable[[], DeskChanges], stored: Mapping[str, Draft] | None = None) -> None:
        super().__init__()
        self._changes = changes  # the desk's: marks a change and returns what to mark it in
        self._stored = dict(stored or {})  # from a previous run: taken when their contact is in hand
        self.status: dict[str, tuple[str, Severity]] = {}
        # Where the desk has an assistant: the wrap-ups it is to draft (a written contact entering wrap-up with no
        # notes typed), and each draft it replaced the rules' with (before, after), until the form has shown it.
        self.drafts_by_model = False
        self._to_draft: list[str] = []
        self.redrafted: dict[str, tuple[Draft, Draft]] = {}

    def take_stored(self, contact_id: str) -> None:
        if contact_id in self._stored:
            self[contact_id] = self._stored.pop(contact_id)

    def keep(self, contact_id: str, draft: Draft) -> bool:
        """What the agent typed for a contact's wrap-up; True if it differs from what was kept."""
        if self.get(contact_id, Draft()) == draft:
            return False
        self[contact_id] = draft
        return True

    def draft_from(self, contact_id: str, conversation: ConversationState | None, running: str = "") -> None:
        """A contact entering wrap-up with no notes typed: notes drafted from its conversation, said so on the
        wrap-up, for the agent to read and edit (nothing reaches the CRM before ctrl+s). The assistant's running
        summary, where it kept one (`running`, a call's too), is the draft in the rules' place."""
        draft = self.get(contact_id, Draft())
        if draft.notes.strip() or (conversation is None and not running):
            return
        if running:
            self[contact_id] = Draft(draft.disposition, running)
            self.say(contact_id, "Notes from the assistant's running summary: read and edit them before ctrl+s.")
        elif conversation is not None and (summary := draft_summary(conversation.items)):
            self[contact_id] = Draft(draft.disposition, summary)
            self.say(contact_id, "Notes drafted from the conversation: read and edit them before ctrl+s.")
        if self.drafts_by_model and conversation is not None:
            self._to_draft.append(contact_id)

    def take_to_draft(self) -> list[str]:
        """The wrap-ups the assistant is to draft now (each once)."""
        taken, self._to_draft = self._to_draft, []
        return taken

    def model_drafted(self, contact_id: str, before: Draft, after: Draft, said: str) -> None:
        """The assistant's draft (or the rules', `said` saying why): it replaces `before`, what the desk held when it
        asked, only if that is still what the desk holds; what the agent typed since is never replaced."""
        if self.get(contact_id, Draft()) != before:
            self.say(contact_id, NOTES_KEPT)
            return
        if after != before:
            self[contact_id] = after
            self.redrafted[contact_id] = (before, after)
        self.say(contact_id, said)

    def say(self, contact_id: str, text: str, level: Severity = "information") -> None:
        """What the wrap-up form says of the contact's wrap-up."""
        self.status[contact_id] = (text, level)
        self._changes().wrap_up = True
