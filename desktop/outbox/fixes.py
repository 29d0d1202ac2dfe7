"""How the agent can fix a CRM write the CRM refused, and resend it: as it is, attached to a customer
found by search, or (an interaction) written unattributed. Pure: the outbox view offers these, the
desk applies them with `Outbox.retry(key, payload)`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from desktop.outbox.store import EntryKind, EntryState, OutboxEntry


class Fix(StrEnum):
    RESEND = "resend"  # the same write again (the CRM may have been wrong for a while)
    ATTACH = "attach"  # to a customer the agent finds by search
    UNATTRIBUTED = "unattributed"  # an interaction with no customer (the CRM accepts those)


# Writes that belong to a customer, and so can be moved to another one.
_ATTACHABLE = (EntryKind.INTERACTION, EntryKind.NOTE, EntryKind.CASE_CREATE)


def fixes_for(entry: OutboxEntry) -> list[Fix]:
    """What the outbox view offers for `entry` (nothing for a write that is not failed)."""
    if entry.state is not EntryState.FAILED:
        return []
    fixes = [Fix.RESEND]
    if entry.kind in _ATTACHABLE:
        fixes.append(Fix.ATTACH)
    if entry.kind is EntryKind.INTERACTION:
        fixes.append(Fix.UNATTRIBUTED)
    return fixes


def fixed_payload(entry: OutboxEntry, fix: Fix, customer_id: str | None = None) -> dict[str, Any] | None:
    """The payload to resend `entry` with (None: resend it as it is)."""
    if fix is Fix.RESEND:
        return None
    if fix is Fix.ATTACH:
        if not customer_id:
            raise ValueError("attaching needs the customer's id")
        if entry.kind is EntryKind.INTERACTION:
            return {**entry.payload, "customer_id": customer_id, "unattributed": False}
        return {**entry.payload, "customer_id": customer_id}
    if entry.kind is not EntryKind.INTERACTION:
        raise ValueError(f"a {entry.kind.value} cannot be written unattributed")
    return {**entry.payload, "customer_id": None, "unattributed": True}


FIX_KEYS = {Fix.RESEND: "enter", Fix.ATTACH: "f", Fix.UNATTRIBUTED: "u"}
FIX_WORDS = {
    Fix.RESEND: "resends it as it is",
    Fix.ATTACH: "attaches it to a customer you find",
    Fix.UNATTRIBUTED: "writes it with no customer",
}


def fix_hint(entry: OutboxEntry) -> str:
    """One line: the keys that fix `entry`, in words."""
    return " · ".join(f"{FIX_KEYS[fix]} {FIX_WORDS[fix]}" for fix in fixes_for(entry))
