"""What a contact's wrap-up may do under its queue's rule for the channel: Genesys's four after-contact-work
modes (optional, discretionary, time-boxed, time-boxed with no early exit) with Amazon Connect's per-channel
timeout, the extensions, and the default disposition a wrap-up that runs out is saved with. No I/O, no terminal.

Where the contact center gives no rule (or declares `wrap_up_rules` off), the desk does what it did before: a
disposition is needed, a timed-out contact stays on the desk until the agent saves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.models import Contact, Queue, WrapUpRule

TIMEOUT_DISPOSITION = "ACW timeout"  # what the contact center completes a timed-out wrap-up with, unless told
MODE_WORDS = {
    "optional": "optional",
    "discretionary": "no time limit",
    "time_boxed": "time-boxed",
    "time_boxed_no_early_exit": "time-boxed, no early exit",
}


def rule_for(queue: Queue | None, contact: Contact, capabilities: ContactCenterCapabilities) -> WrapUpRule | None:
    if queue is None or not capabilities.wrap_up_rules:
        return None
    return queue.wrap_up.get(contact.channel)


def timed(rule: WrapUpRule | None) -> bool:
    return rule is not None and rule.mode.startswith("time_boxed")


def default_disposition(rule: WrapUpRule | None) -> str:
    return (rule.default_disposition if rule is not None else None) or TIMEOUT_DISPOSITION


def saves_on_timeout(rule: WrapUpRule | None) -> bool:
    """A time-boxed wrap-up that runs out is saved by the desk with what was typed; with no rule it waits."""
    return timed(rule)


def on_timeout(rule: WrapUpRule | None, draft: Draft | None) -> tuple[str, str]:
    """The disposition and notes a wrap-up that ran out is saved with: the code the agent chose, else the
    default; the notes as typed."""
    draft = draft or Draft()
    return draft.disposition or default_disposition(rule), draft.notes


def timed_out_words(disposition: str, notes: str, closed_as: str | None) -> str:
    """What the agent is told of a wrap-up saved because its time ran out: what the CRM gets, notes or none, and the
    contact center's own code where it closed the contact with another (its default for a wrap-up that ran out)."""
    said = f"Wrap-up time ran out: saved to the CRM as {disposition}, " + (
        "with your notes." if notes.strip() else "with no notes (none were typed)."
    )
    if closed_as and closed_as != disposition:
        said += f" The contact center closed the contact as {closed_as}."
    return said


@dataclass(frozen=True)
class SaveDecision:
    disposition: str | None  # None: not saved now
    why_not: str = ""


def on_save(rule: WrapUpRule | None, chosen: str | None, contact: Contact, now: datetime) -> SaveDecision:
    """What ctrl+s does: save with the chosen code; an optional wrap-up without one takes the default; a
    time-boxed wrap-up with no early exit is saved by itself when its time is up (nothing typed is lost)."""
    if rule is not None and rule.mode == "time_boxed_no_early_exit":
        deadline = contact.acw_deadline
        if deadline is not None and now < deadline:
            left = format_duration((deadline - now).total_seconds(), "short")
            return SaveDecision(None, f"No early exit: what you typed is saved by itself in {left}.")
    if chosen:
        return SaveDecision(chosen)
    if rule is not None and rule.mode == "optional":
        return SaveDecision(default_disposition(rule))
    return SaveDecision(None, "Choose a disposition first.")


def extensions_left(rule: WrapUpRule | None, contact: Contact) -> int:
    if not timed(rule) or rule is None or not rule.extension_s:
        return 0
    return max(0, rule.max_extensions - contact.acw_extensions)


def granted_words(rule: WrapUpRule | None, contact: Contact) -> str:
    """What the form says of an extension granted: how much, and once the queue allows no more, that it was the last
    (the key then leaves the footer: said, so the agent does not look for it)."""
    more = (
        f"{format_duration(rule.extension_s, 'short')} more granted"
        if rule is not None and rule.extension_s
        else ("More time granted")
    )
    if extensions_left(rule, contact) > 0:
        return f"{more}."
    return f"{more}: the last the queue allows."


def can_extend(rule: WrapUpRule | None, contact: Contact, now: datetime) -> bool:
    """More time may be asked for: a time-boxed wrap-up still running, with an extension left."""
    deadline = contact.acw_deadline
    return deadline is not None and now < deadline and extensions_left(rule, contact) > 0


@dataclass(frozen=True)
class Countdown:
    text: str
    level: str  # "ok", "near" (the last quarter or ten seconds) or "due"


def countdown(rule: WrapUpRule | None, contact: Contact, now: datetime) -> Countdown | None:
    """The wrap-up's countdown line, None for a wrap-up with no deadline."""
    deadline = contact.acw_deadline
    if deadline is None:
        return None
    left = max(0.0, (deadline - now).total_seconds())
    total = rule.timeout_s if rule is not None and rule.timeout_s else None
    near = left <= 10 or (total is not None and left * 4 <= total)
    words = f"closes in {format_duration(left, 'short')}"
    if rule is not None:
        default = default_disposition(rule)
        words += f" · then saved as {default}"
        more = extensions_left(rule, contact)
        if more:
            words += f" · +{format_duration(rule.extension_s, 'short')} on request ({more} left)"
    return Countdown(words, "due" if left <= 0 else "near" if near else "ok")
