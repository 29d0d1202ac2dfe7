"""Which parts of each outbox write are free text a person typed: masked (agent_desktop.domain.pci) before the
write is stored, so a card number never reaches the outbox file, let alone the CRM. A transcript is masked
as a conversation, each party's messages as one text: a number split over two messages is masked in both;
the customer's, after their previous interaction's (`agent_desktop.outbox.wrap_up`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent_desktop.domain.pci import mask_continuing, mask_messages, mask_pci

CUSTOMER = "customer"  # a transcript line's role (ParticipantRole.CUSTOMER)

# Paths into the payload, per kind of write (`EntryKind` values; the store imports this module).
# Ids, addresses and timestamps are not free text; a kind not listed has none.
# "*" is every item of a list (a transcript's messages, the private notes).
FREE_TEXT: dict[str, tuple[tuple[str, ...], ...]] = {
    "interaction": (
        ("interaction", "notes"),
        ("interaction", "summary"),
        ("interaction", "private_notes", "*"),
        ("new_customer", "name"),  # "New caller <address>": the address is the caller's own words on email
    ),
    "note": (("text",),),
    "case_create": (("subject",),),
    "evaluation": (("comments",),),  # the supervisor's comments (masked by the contact center too)
    "follow_up": (("body",),),  # the follow-up's text, filled from a template (masked by the dialog too)
}


def masked_payload(kind: str, payload: dict[str, Any], earlier_customer: Sequence[str] = ()) -> dict[str, Any]:
    """A copy of `payload` with its free text masked (the caller's dict is left as it was). `earlier_customer`:
    the customer's lines of their previous interaction, as stored (`masked_transcript`)."""
    result = payload  # _masked copies a dict along a path as a dict
    for path in FREE_TEXT.get(kind, ()):
        result = _masked(result, path)
    interaction = result.get("interaction") if kind == "interaction" else None
    if isinstance(interaction, dict) and isinstance(interaction.get("transcript"), list):
        transcript = masked_transcript(interaction["transcript"], earlier_customer)
        result = {**result, "interaction": {**interaction, "transcript": transcript}}
    return result


def masked_transcript(lines: list[Any], earlier_customer: Sequence[str] = ()) -> list[Any]:
    """A transcript's lines (`{"role", "text", ...}`) with each party's messages masked as one conversation.
    The customer's go on from `earlier_customer` (their previous interaction's lines: a chat, then its email
    follow-up, land in one CRM), and their last line may not end in a number a next interaction could finish."""
    by_role: dict[Any, list[int]] = {}
    for position, line in enumerate(lines):
        if isinstance(line, dict) and isinstance(line.get("text"), str):
            by_role.setdefault(line.get("role"), []).append(position)
    result = list(lines)
    for role, positions in by_role.items():
        texts = [lines[at]["text"] for at in positions]
        masked = mask_continuing(earlier_customer, texts) if role == CUSTOMER else mask_messages(texts)
        for at, was, now in zip(positions, texts, masked, strict=True):
            if now != was:
                result[at] = {**lines[at], "text": now}
    return result


def _masked(value: Any, path: tuple[str, ...]) -> Any:
    """`value` with the text at `path` masked, copied along the path only."""
    if not path:
        return mask_pci(value) if isinstance(value, str) else value
    key, rest = path[0], path[1:]
    if key == "*":
        return [_masked(item, rest) for item in value] if isinstance(value, list) else value
    if not isinstance(value, dict) or key not in value:
        return value
    return {**value, key: _masked(value[key], rest)}
