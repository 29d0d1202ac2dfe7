"""A backend's refusal in an agent's words, with what to do next: never "409 contact is after_contact_work".

The HTTP clients' `BackendError` messages start with the status and carry the backend's own text (a state's
wire name, a method and path, a Twilio SID), which suits the desk's log, not a person on a call. The agent's
notice is built from the refusal's kind alone (its status, and for a 409 the state that forbids it) in words
this module owns; the backend's text goes to the log. Only the desk's own transport sentences ("cannot reach
contact center (refused)"), which carry no status, are shown as written, with any method, path or SID cut.
"""

from __future__ import annotations

import logging
import re

from agent_desktop.domain.errors import BackendError, NotServed
from agent_desktop.domain.formats.opaque_ids import without_addresses

log = logging.getLogger(__name__)

_STATUS = re.compile(r"^\s*(\d{3})\b")

# A 409's state: the contact's (or the offer's) as the contact center names it, and what the agent does now.
STATE_WORDS = {
    "after_contact_work": "This contact is already in wrap-up: finish it with ctrl+s.",
    "completed": "This contact is already finished: there is nothing more to do on it.",
    "abandoned": "The customer left before this contact was done: there is nothing more to do on it.",
    "queued": "This contact is back in its queue, no longer in your hands.",
    "offered": "This contact is still an offer: accept it with a first.",
    "on_hold": "This contact is on hold: take it off hold with h first.",
    "connected": "This contact is still going on: end it with e first.",
    "expired": "This offer ran out of time: it went back to its queue.",
    "cancelled": "This offer was withdrawn (the customer may have left).",
    "accepted": "This offer is already accepted: the contact is in your hands.",
    "rejected": "This offer was already rejected.",
    "closed": "This conversation has ended: nothing more can be sent on it.",
    "not_in_hand": "This contact is no longer in your hands: nothing more to do on it.",
}
# A 409 about the agent rather than a contact: the contact center's own sentence, recognised by a phrase.
PHRASE_WORDS = (
    ("agent has a pending offer", "You have an offer waiting: accept it with a or reject it with r first."),
    (
        "agent has a contact in hand",
        "You still hold a contact: finish it first, or press n to be Not ready once it is done.",
    ),
    ("consult is in progress", "A consult is going on: complete it with k or cancel it with x first."),
    ("in no conference", "This call is not connected any more: there is nothing to hold or transfer."),
    ("time-boxed", "This wrap-up ends at its deadline: it cannot be finished early."),
    ("no more extensions", "No more time can be added to this wrap-up."),
    ("cannot be extended", "No more time can be added to this wrap-up."),
)
FAILED = "The {backend} failed on its side: try again in a moment, and tell your supervisor if it goes on."
REFUSED = "The {backend} refused that: try again, and tell your supervisor if it goes on."
NO_ANSWER = "The {backend} did not answer: try again in a moment."
SLOW_DOWN = "The {backend} asks the desk to slow down: try again in {wait}."
STATUS_WORDS = {
    400: "The {backend} did not accept that: check what you entered and try again.",
    401: "The {backend} no longer accepts this desk's sign-in: sign in again.",
    403: "Your sign-in may not do that at the {backend}: ask your supervisor.",
    404: "This is no longer at the {backend} (it may have ended or moved): nothing more to do on it.",
    409: "Not possible in this contact's state now: look at the contact and try again.",
    413: "Too long for the {backend}: shorten it and try again.",
    422: "The {backend} did not accept that: check what you entered and try again.",
    429: SLOW_DOWN.replace("{wait}", "a moment"),
    501: "The {backend} does not do that.",
}


def refusal_words(error: BackendError) -> str:
    """What the agent reads for `error`: one or two sentences of the desk's own, no status, path or SID."""
    if isinstance(error, NotServed):
        return error.message  # the stand-in's own sentence, written for an agent
    status = error.status if error.status is not None else _leading_status(error.message)
    backend = error.backend or "contact center"
    if status is None:
        return _cleaned(error.message) or NO_ANSWER.format(backend=backend)
    if status == 409:
        return _conflict_words(error)
    if status == 429 and error.retry_after_s:
        return SLOW_DOWN.format(backend=backend, wait=f"{error.retry_after_s:g} s")
    words = STATUS_WORDS.get(status) or (FAILED if status >= 500 else REFUSED)
    return words.format(backend=backend)


def input_refusal_words(error: BackendError) -> str:
    """`refusal_words`, but for what the agent typed being refused (400, 422) the rule it broke is said too, as the
    backend wrote it (without its status, path or SID; shown literally): `E.164: + then 8 to 15 digits` is what
    the agent corrects in a form."""
    status = error.status if error.status is not None else _leading_status(error.message)
    if status not in (400, 422) or isinstance(error, NotServed):
        return refusal_words(error)
    found = _STATUS.match(error.message or "")
    rule = _cleaned((error.message or "")[found.end() :] if found else error.message).strip(" :—-")
    words = refusal_words(error)
    return f"{words} ({rule})" if rule else words


def logged_refusal(error: BackendError, title: str, *, typed: bool = False) -> str:
    """`refusal_words` (`typed`: `input_refusal_words`), with the backend's own text written to the desk's log
    (quoted: it is someone else's)."""
    log.warning("%s refused by the %s: %r", title, error.backend, error.message)
    return input_refusal_words(error) if typed else refusal_words(error)


def _conflict_words(error: BackendError) -> str:
    detail = (error.message or "").lower()
    for phrase, words in PHRASE_WORDS:
        if phrase in detail:
            return words
    if error.state is not None and error.state in STATE_WORDS:
        return STATE_WORDS[error.state]
    return STATUS_WORDS[409]


def _leading_status(message: str | None) -> int | None:
    found = _STATUS.match(message or "")
    return int(found.group(1)) if found else None


def _cleaned(message: str | None) -> str:
    return " ".join(without_addresses(message or "").split())
