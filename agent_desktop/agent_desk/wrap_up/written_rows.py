"""The CRM outbox as the agent's outbox view shows it: one row a write, in words, with the fixes a refused one
offers. The view draws these and hands back a row's key and the fix chosen; it never reads the outbox itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent_desktop.outbox.fixes import Fix, fix_hint, fixes_for
from agent_desktop.outbox.store import EntryState, OutboxEntry

WriteState = Literal["pending", "sent", "failed"]
FixName = Literal["resend", "attach", "unattributed", "cut", "no_transcript"]


@dataclass(frozen=True)
class WrittenRow:
    key: str
    contact_id: str | None
    state: WriteState
    saved_at: datetime
    what: str  # the kind of write, in words ("interaction", "follow up")
    label: str  # whose and what ("+14155550101 · Resolved")
    tries: int
    result: str  # the CRM's id for it once written, else why it is not yet
    detail: str  # the lines under the table for the row highlighted
    fixes: tuple[FixName, ...]  # what a refused write offers ("resend", "attach"...): none for another
    fix_hint: str  # the keys that fix it, in words ("" unless refused)


def written_row(entry: OutboxEntry) -> WrittenRow:
    hint = fix_hint(entry) if entry.state is EntryState.FAILED else ""
    why = entry.last_error if entry.state is not EntryState.SENT else f"stored as {entry.result_id}"
    if entry.state is EntryState.FAILED:
        why = f"The CRM refused it: {why}\n{hint}"
    return WrittenRow(
        key=entry.key,
        contact_id=entry.contact_id,
        state=STATES[entry.state],
        saved_at=entry.created_at,
        what=entry.kind.value.replace("_", " "),
        label=entry.label,
        tries=entry.attempts,
        result=entry.result_id or entry.last_error or "",
        detail=f"{entry.key}\n{why or ''}",
        fixes=tuple(FIX_NAMES[fix] for fix in fixes_for(entry)),
        fix_hint=hint,
    )


def fix_named(name: FixName) -> Fix:
    return Fix(name)


# (A held write, a transfer's record not made yet, is never listed.)
STATES: dict[EntryState, WriteState] = {
    EntryState.PENDING: "pending",
    EntryState.HELD: "pending",
    EntryState.SENT: "sent",
    EntryState.FAILED: "failed",
}
FIX_NAMES: dict[Fix, FixName] = {
    Fix.RESEND: "resend",
    Fix.ATTACH: "attach",
    Fix.UNATTRIBUTED: "unattributed",
    Fix.CUT: "cut",
    Fix.NO_TRANSCRIPT: "no_transcript",
}
