"""What to tell the agent about a CRM write, from the state its outbox entry is in *now* (not the
state it had when it was queued: the sender may have written it, or the CRM refused it, since)."""

from __future__ import annotations

from agent_desktop.outbox.store import EntryState, OutboxEntry

FIX_HINT = "Press o to fix it and send it again."


def wrap_up_outcome(entry: OutboxEntry) -> tuple[str, str]:
    """(message, notification severity) for a saved wrap-up's CRM write."""
    if entry.state is EntryState.SENT:
        return f"Wrap-up saved and written to the CRM ({entry.result_id}).", "information"
    if entry.state is EntryState.FAILED:
        return f"Wrap-up saved, but the CRM refused it: {entry.last_error}. {FIX_HINT}", "error"
    if entry.attempts:
        return (
            f"Wrap-up saved; the CRM has not taken it yet ({entry.last_error}). It is sent again until it does "
            "(o shows the outbox).",
            "warning",
        )
    return "Wrap-up saved; it is on its way to the CRM (o shows the outbox).", "information"


def refused_outcome(entry: OutboxEntry) -> str:
    """The words for a write the CRM refused after the wrap-up was closed."""
    return f"The CRM refused {entry.kind.value.replace('_', ' ')} “{entry.label}”: {entry.last_error}. {FIX_HINT}"
