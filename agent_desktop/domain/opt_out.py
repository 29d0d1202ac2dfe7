"""A customer's SMS that opts them out of SMS: one of the carriers' opt-out keywords, alone.

Twilio handles "STOP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE, OPTOUT, and CANCEL" by default on long codes
(docs/vendors/twilio-messaging.md) and refuses later sends to the number with 21610; the desk reads the same words
in an SMS conversation so that the CRM hears of it at once, not at the next send. Only the keyword alone counts
(a case-insensitive single word, spaces and trailing punctuation aside): "stop calling me at work" is a sentence,
not an opt-out, as the carriers read it."""

from __future__ import annotations

OPT_OUT_KEYWORDS = frozenset({"STOP", "UNSUBSCRIBE", "END", "QUIT", "STOPALL", "REVOKE", "OPTOUT", "CANCEL"})


def is_opt_out(text: str) -> bool:
    return text.strip().rstrip(".!").strip().upper() in OPT_OUT_KEYWORDS
