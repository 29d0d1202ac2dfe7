"""What the mock's caller on a call says: their call's script, the intent's scripts taken in turn, or, for a caller the
virtual agent handed over (bot_calls.py), the lines they had not yet said to it, so they go on where they were."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from agent_desktop_mocks.ccaas.core.wire.schemas import Contact
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript, CallScripts


class CallerScripts:
    def __init__(self, scripts: Callable[[], CallScripts]) -> None:
        """`scripts`: the voice leg's table as it is when a caller is made (a test sets the leg's own script)."""
        self.scripts = scripts
        self._nth: Counter[tuple[str | None, str]] = Counter()
        self._going_on: dict[str, CallScript] = {}

    def goes_on(self, contact_id: str, script: CallScript) -> None:
        """The caller of `contact_id` says `script` when their call rings a softphone (what is left of theirs)."""
        self._going_on[contact_id] = script

    def forget(self, contact_id: str) -> None:
        """The contact is over: a caller handed over who never rang a softphone says nothing more."""
        self._going_on.pop(contact_id, None)

    def for_caller(self, contact: Contact) -> CallScript:
        """What the caller of `contact` says, once (a second ask is the next caller's of the intent)."""
        going_on = self._going_on.pop(contact.id, None)
        if going_on is not None:
            return going_on
        intent = contact.attached.intent if contact.attached else None
        language = contact.attached.language if contact.attached else None
        script = self.scripts().for_call(
            intent, contact.queue_id, self._nth[intent, contact.queue_id], language=language
        )
        self._nth[intent, contact.queue_id] += 1
        return script
