"""A customer's SMS that opts them out of SMS: one of the carriers' opt-out keywords, alone.

Twilio handles "STOP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE, OPTOUT, and CANCEL" by default on long codes
(docs/vendors/twilio-messaging.md) and refuses later sends to the number with 21610; the desk reads the same words
in an SMS conversation so that the CRM hears of it at once, not at the next send. Only the keyword alone counts
(a case-insensitive single word, spaces and trailing punctuation aside): "stop calling me at work" is a sentence,
not an opt-out, as the carriers read it.

An opt-in word alone (START, UNSTOP, YES) makes Twilio send to the number again; the desk does not take it as consent
in the CRM (docs/vendors/twilio-messaging.md): consent withdrawn stays withdrawn until someone restores it on the
customer's record, and the agent is told why."""

from __future__ import annotations

OPT_OUT_KEYWORDS = frozenset({"STOP", "UNSUBSCRIBE", "END", "QUIT", "STOPALL", "REVOKE", "OPTOUT", "CANCEL"})
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP", "YES"})


def _word(text: str) -> str:
    return text.strip().rstrip(".!").strip().upper()


def is_opt_out(text: str) -> bool:
    return _word(text) in OPT_OUT_KEYWORDS


def is_opt_in(text: str) -> bool:
    return _word(text) in OPT_IN_KEYWORDS
