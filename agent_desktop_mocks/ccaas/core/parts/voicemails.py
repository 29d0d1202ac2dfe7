"""Voicemail as routed work: a queued voice caller leaves a message (chosen at the menu, or the queue's
`voicemail_after_s` passed) and hangs up; the contact keeps its place and is offered as any call, each offer counted.
The message is the voice leg's recording and what was recognised of it (call_transcripts/) on a real call, or the
caller's lines at a speaking pace on a simulated one; either is cut at the queue's `voicemail_max_s`."""

from __future__ import annotations

from collections.abc import Sequence

from agent_desktop_mocks.ccaas.core.errors import Conflict
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.wire.routed_work import Voicemail
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact, ContactState
from agent_desktop_pci import mask_pci

WORD_S = 60 / 140  # espeak-ng's `-s 140`, the scripts' voice: a simulated caller says a word in this long
BETWEEN_LINES_S = 1.2


def said_within(lines: Sequence[str], max_s: float) -> tuple[list[str], float, bool]:
    """The lines said at the scripts' pace up to `max_s`: those said (the last one cut at a word), their length, and
    whether the caller went on past `max_s`."""
    kept: list[str] = []
    at = 0.0
    for line in lines:
        words = line.split()
        if not words:
            continue
        start = at + (BETWEEN_LINES_S if kept else 0.0)
        fit = max(0, min(len(words), int((max_s - start) / WORD_S + 1e-9)))
        if fit:
            kept.append(" ".join(words[:fit]))
            at = start + fit * WORD_S
        if fit < len(words) or (fit == 0 and start >= max_s):
            return kept, round(min(at, max_s), 3), True
    return kept, round(at, 3), False


class Voicemails(Part):
    def leave(
        self,
        contact_id: str,
        lines: Sequence[str],
        *,
        seconds: float | None = None,
        cut: bool = False,
        audio: bool = False,
        why: str = "chosen",
        recorded: bool = False,
    ) -> Contact:
        """A queued voice caller leaves a message and hangs up: `lines` what was heard of it, `seconds` its recorded
        length (None: the lines at the scripts' pace); cut at the queue's `voicemail_max_s` either way. A caller on a
        real call (the far end records it) is only taken out of routing here: the voice leg's box records the message
        and leaves it again (`recorded`), with its audio or, refused, without."""
        state = self._state
        contact = self._read.open_contact(contact_id, "voicemail")
        if contact.channel != Channel.VOICE:
            raise Conflict(f"a message is left by a voice caller, not {contact.channel.value}", contact.state)
        if contact.callback is not None or contact.voicemail is not None:
            what = "a callback" if contact.callback is not None else "a message"
            raise Conflict(f"this caller already chose {what}", contact.state)
        max_s = state.queues[contact.queue_id].voicemail_max_s
        if not recorded and seconds is None and state.far_end.records_message(contact, why, max_s):
            # a real caller's message is being recorded: out of routing until it is left, with its audio
            state.index.remove_contact(contact.id)
            state.timers.cancel("voicemail", contact.id)
            return contact
        if seconds is None:
            said, seconds, cut = said_within(lines, max_s)
        else:
            said, cut = list(lines), cut or seconds > max_s
        contact.voicemail = Voicemail(
            number=contact.from_address,
            seconds=min(seconds, max_s),
            transcript=[mask_pci(line) for line in said],
            cut=cut,
            max_s=max_s,
            left_at=state.clock.now(),
            why="waited" if why == "waited" else "chosen",
            audio=audio,
        )
        state.timers.cancel("voicemail", contact.id)
        if recorded and contact.state == ContactState.QUEUED:
            self._floor.enqueue(contact)  # its recording over: routed again, at the place it kept
        state.contact_changed(contact, "voicemail")
        return contact

    def waited_out(self, contact_id: str) -> None:
        """The queue's `voicemail_after_s` passed: a caller still waiting leaves a message (their reason, said)."""
        contact = self._state.contacts.get(contact_id)
        if contact is None or contact.state != ContactState.QUEUED or contact.callback or contact.voicemail:
            return
        self.leave(contact_id, [contact.subject] if contact.subject else [], why="waited")
