"""Who opted out of SMS from the Twilio number, as Twilio keeps it (docs/vendors/twilio-messaging.md, "Opt-out").

Twilio handles the standard opt-out words on a long code by default: a customer who texts one of them to a Twilio
number gets no more messages from that number (a later send is refused with 21610, "Attempt to send to unsubscribed
recipient") until they text an opt-in word back (Advanced Opt-Out:
https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out; Proxy's "Opt-out keywords" page says the same of
every Twilio number). A keyword counts only as the whole message, any case, spaces around it aside ("stop calling me"
is a sentence, not an opt-out). Kept per customer and Twilio number: another number of the account still sends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Twilio's default opt-out words for long codes (Advanced Opt-Out, "By default, Twilio handles …").
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
# Its default opt-in words: after one, Twilio sends to the customer again.
OPT_IN = frozenset({"START", "UNSTOP", "YES"})
UNSUBSCRIBED = (21610, "Attempt to send to unsubscribed recipient")


def keyword(body: str) -> str | None:
    """The opt-out or opt-in keyword the whole message is (trimmed, any case), else None."""
    word = body.strip().upper()
    return word if word in OPT_OUT or word in OPT_IN else None


@dataclass
class OptOuts:
    """(customer, Twilio number) pairs Twilio sends nothing between."""

    pairs: set[tuple[str, str]] = field(default_factory=set)

    def heard(self, customer: str, number: str, body: str) -> None:
        """A customer's inbound SMS to the Twilio number: a keyword opts them out of it, or back in."""
        word = keyword(body)
        if word in OPT_OUT:
            self.pairs.add((customer, number))
        elif word in OPT_IN:
            self.pairs.discard((customer, number))

    def refuses(self, to: str, sender: str) -> bool:
        return (to, sender) in self.pairs
