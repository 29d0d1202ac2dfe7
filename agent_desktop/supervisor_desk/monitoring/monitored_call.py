"""What a supervisor monitoring a call reads on its card (item 4): who is on it, how long, whether the
customer is on hold and for how long in all, whether its recording is paused (`No REC`), how it is being spoken (the
contact center's coaching figures) and the customer's record in a line. A call's sound does not come to the desk, so
this is what there is to watch; said in plain words. Textual-free: the monitor panel draws it."""

from __future__ import annotations

from datetime import datetime

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import CallCoachingEvent, Contact, LookupResult
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.transcripts.call_coaching import SEPARATOR, coaching_words

RECORDING_PAUSED = "No REC: the agent paused this call's recording"
COACHING = "Spoken: "  # the coaching line's lead: the monitor card draws it dim

SOUND = "The call's sound does not come to this desk: w whisper or b barge asks the contact center to put you on it."


def caller_summary(result: LookupResult | None) -> str:
    """The customer in one line, from the CRM's answer: name, tier, language, account, open cases."""
    if result is None or not result.customers:
        return "Customer: not found in the CRM."
    if len(result.customers) > 1 and result.record is None:
        return f"Customer: {len(result.customers)} customers match this number."
    customer = result.record.customer if result.record is not None else result.customers[0]
    parts = [customer.name]
    parts += [b for b in (customer.tier, customer.language and customer.language.upper(), customer.segment) if b]
    if customer.account_number:
        parts.append(f"account {customer.account_number}")
    if result.record is not None:
        open_cases = sum(case.is_open for case in result.record.cases)
        parts.append(f"{open_cases} open case{'s' if open_cases != 1 else ''}" if open_cases else "no open case")
    return "Customer: " + " · ".join(parts)


def call_lines(
    contact: Contact | None,
    agent: str,
    caller: str | None,
    now: datetime,
    *,
    recording_paused: bool = False,
    coaching: CallCoachingEvent | None = None,
) -> list[str]:
    """The card of a monitored call: the agent and the caller, how long, the hold, the recording paused, how it is
    being spoken, the customer, the sound."""
    if contact is None:
        return [f"A call of {agent}'s: no longer on the floor (ended, or not yet seen).", SOUND]
    since = contact.answered_at or contact.entered_queue_at
    length = format_duration((now - since).total_seconds())
    held = contact.hold_seconds(now)
    if contact.state is ContactState.ON_HOLD and contact.held_at is not None:
        state = f"{agent} has the customer on hold for {format_duration((now - contact.held_at).total_seconds())}"
    elif contact.state is ContactState.AFTER_CONTACT_WORK:
        state = f"The call has ended: {agent} is wrapping it up"
    elif contact.state in (ContactState.COMPLETED, ContactState.ABANDONED):
        state = "The call has ended"
    else:
        state = f"{agent} is talking with the customer"
    lines = [
        f"Call from {shown_phone(contact.from_address)} · {contact.queue_name} · {length} since answered",
        state + (f" · on hold {format_duration(held)} in all" if held >= 1 else " · not put on hold"),
    ]
    if recording_paused:
        lines.append(RECORDING_PAUSED)
    if coaching is not None:
        said = coaching_words(coaching, agent="agent", detail=True)
        lines.append(COACHING + SEPARATOR.join(part.text for part in said))
    return [*lines, caller or "Customer: looking them up…", SOUND]
