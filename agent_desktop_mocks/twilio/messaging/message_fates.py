"""What becomes of an SMS sent through the Twilio mock's Messages resource, by its `To` (docs/vendors/twilio-messaging.md).

Refused at once (400): a `To` that is not E.164 (21211); a body over 1,600 characters (21617); and the `To` magic
numbers of Twilio's test credentials, each with its documented code (+15005550004 is the recipient who opted out:
21610). Taken (201) and then not delivered: two numbers of the fictional 555-01xx range the mock chooses (guessed:
Twilio documents no number that ends `undelivered` or `failed`; its test credentials send no status at all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
BODY_MAX_CHARS = 1600

# Twilio's test credentials, "Test inputs for SMS", the `To` table: number → (code, message).
REFUSED_RECIPIENTS: dict[str, tuple[int, str]] = {
    "+15005550001": (21211, "Invalid 'To' Phone Number: this phone number is invalid."),
    "+15005550002": (21612, "Twilio cannot route to this number."),
    "+15005550003": (21408, "Your account doesn't have the international permissions necessary to SMS this number."),
    "+15005550004": (21610, "Attempt to send to unsubscribed recipient"),
    "+15005550009": (21614, "This number is incapable of receiving SMS messages."),
}


@dataclass(frozen=True)
class Fate:
    """A message that leaves the queue but is not delivered: `status` once it would have been, with its error."""

    status: str  # undelivered (after `sent`: the carrier's receipt says no) or failed (never sent)
    error_code: int
    error_message: str


UNDELIVERED_TO = "+12025550198"
FAILED_TO = "+12025550199"
FATES: dict[str, Fate] = {
    UNDELIVERED_TO: Fate("undelivered", 30003, "Unreachable destination handset"),
    FAILED_TO: Fate("failed", 30001, "Queue overflow"),
}


def refusal(to: str, body: str) -> tuple[int, str] | None:
    """Why Twilio refuses this message at once, as (code, message); None: it is taken."""
    if not E164.match(to):
        return 21211, f"Invalid 'To' Phone Number: {to} is not in E.164 format"
    if len(body) > BODY_MAX_CHARS:
        return 21617, "The concatenated message body exceeds the 1600 character limit"
    return REFUSED_RECIPIENTS.get(to)


def status_of(to: str, engine_status: str) -> tuple[str, Fate | None]:
    """The Twilio status of a message the mock CCaaS moves queued → sent → delivered, with its fate if it has one."""
    fate = FATES.get(to)
    if fate is None or engine_status == "queued":
        return engine_status, None
    if fate.status == "failed":
        return "failed", fate
    return ("sent", None) if engine_status == "sent" else ("undelivered", fate)
