"""How the agent can fix a CRM write the CRM refused, and resend it: as it is, attached to a customer
found by search, (an interaction) written unattributed, or with its transcript cut shorter or left out
when the CRM refused its size. Pure: the outbox view offers these, the desk applies them with
`Outbox.retry(key, payload)`."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS, CrmLimits
from agent_desktop.domain.models import CaseCreate
from agent_desktop.outbox.fit import RESERVE_BYTES, fit_interaction, is_marker, size_of, without_transcript
from agent_desktop.outbox.payloads import InteractionBody, InteractionWrite, NoteWrite, OutboxPayload
from agent_desktop.outbox.store import EntryKind, EntryState, OutboxEntry

# Where a stored interaction keeps the `Idempotency-Key` it is sent with, when that is not the entry's own.
SEND_KEY = "idempotency_key"


class Fix(StrEnum):
    RESEND = "resend"  # the same write again (the CRM may have been wrong for a while)
    ATTACH = "attach"  # to a customer the agent finds by search
    UNATTRIBUTED = "unattributed"  # an interaction with no customer (the CRM accepts those)
    CUT = "cut"  # the transcript cut to half of what was refused (within the CRM's limits), a marker between
    NO_TRANSCRIPT = "no_transcript"  # the marker alone: the disposition and notes reach the CRM whatever it takes


# Reduced writes: another body, so another Idempotency-Key (below).
_REDUCING = (Fix.CUT, Fix.NO_TRANSCRIPT)


# Writes that belong to a customer, and so can be moved to another one.
_ATTACHABLE = (EntryKind.INTERACTION, EntryKind.NOTE, EntryKind.CASE_CREATE)


def fixes_for(entry: OutboxEntry) -> list[Fix]:
    """What the outbox view offers for `entry` (nothing for a write that is not failed)."""
    if entry.state is not EntryState.FAILED:
        return []
    fixes = [Fix.RESEND]
    if entry.kind in _ATTACHABLE:
        fixes.append(Fix.ATTACH)
    if isinstance(entry.payload, InteractionWrite):
        fixes.append(Fix.UNATTRIBUTED)
        if any(not is_marker(line.model_dump()) for line in entry.payload.interaction.transcript):
            fixes += _REDUCING
    return fixes


def fixed_payload(
    entry: OutboxEntry, fix: Fix, customer_id: str | None = None, limits: CrmLimits = MOCK_CRM_LIMITS
) -> OutboxPayload | None:
    """The payload to resend `entry` with (None: resend it as it is); `limits` are the CRM's, as declared."""
    if fix is Fix.RESEND:
        return None
    if fix in _REDUCING:
        return _reduced(entry, fix, limits)
    if fix is Fix.ATTACH:
        if not customer_id:
            raise ValueError("attaching needs the customer's id")
        if isinstance(entry.payload, InteractionWrite):
            return entry.payload.model_copy(update={"customer_id": customer_id, "unattributed": False})
        if isinstance(entry.payload, NoteWrite | CaseCreate):
            return entry.payload.model_copy(update={"customer_id": customer_id})
        raise ValueError(f"a {entry.kind.value} belongs to no customer")
    if not isinstance(entry.payload, InteractionWrite):
        raise ValueError(f"a {entry.kind.value} cannot be written unattributed")
    return entry.payload.model_copy(update={"customer_id": None, "unattributed": True})


def _reduced(entry: OutboxEntry, fix: Fix, limits: CrmLimits) -> InteractionWrite:
    """The interaction with less of its transcript, under a key of its own.

    The CRM refused the body it was sent (413, or 422 over a limit), so that write never lands; the reduced
    one is another request, and a CRM that kept the refused body against the entry's key would answer it
    422 ("key reused with another body") or replay the refusal. Its key is derived from the entry's and
    from how many times it was tried, so resending this same reduced write is still stored once."""
    if not isinstance(entry.payload, InteractionWrite):
        raise ValueError(f"a {entry.kind.value} has no transcript")
    interaction = entry.payload.interaction.model_dump(mode="json")
    conversation_id = entry.contact_id or interaction.get("contact_id") or "?"
    if fix is Fix.NO_TRANSCRIPT:
        bare = without_transcript(interaction, conversation_id)
        reduced = fit_interaction(bare, limits, conversation_id=conversation_id)
    else:
        # It fitted the declared limits and was refused all the same: the CRM's real ones are lower. Half of it.
        lines = interaction.get("transcript") or []
        halved = dataclasses.replace(
            limits,
            max_body_bytes=min(limits.max_body_bytes, size_of(interaction) // 2 + RESERVE_BYTES),
            max_transcript_items=min(limits.max_transcript_items, max(3, len(lines) // 2)),
        )
        reduced = fit_interaction(interaction, halved, conversation_id=conversation_id)
    key = f"{entry.key}:{fix.value}-{entry.attempts}"
    body = InteractionBody.model_validate(reduced.interaction)
    return entry.payload.model_copy(update={"interaction": body, SEND_KEY: key})


FIX_KEYS = {Fix.RESEND: "enter", Fix.ATTACH: "f", Fix.UNATTRIBUTED: "u", Fix.CUT: "c", Fix.NO_TRANSCRIPT: "w"}
FIX_WORDS = {
    Fix.RESEND: "resends it as it is",
    Fix.ATTACH: "attaches it to a customer you find",
    Fix.UNATTRIBUTED: "writes it with no customer",
    Fix.CUT: "cuts the transcript to half",
    Fix.NO_TRANSCRIPT: "sends it without the transcript",
}


def fix_hint(entry: OutboxEntry) -> str:
    """One line: the keys that fix `entry`, in words."""
    return " · ".join(f"{FIX_KEYS[fix]} {FIX_WORDS[fix]}" for fix in fixes_for(entry))
