"""What the Twilio contact center does and does not serve, as the desk's command table reads it (docs/vendors.md,
docs/vendors/twilio-taskrouter.md)."""

from __future__ import annotations

from agent_desktop.adapters.twilio.transfer.flex_transfer import INVITE_TARGETS
from agent_desktop.domain.capabilities import ChannelCapabilities, ContactCenterCapabilities
from agent_desktop.domain.vocabulary import Channel

# Decided by the platform: accept/reject yes; voice hold through the call's Voice conference (the customer's
# participant), none for a conversation (Conversations has no hold); blind transfer to a TaskQueue or a Worker: a
# conversation by a Flex Interactions channel Invite (an address is not a Flex invite target), a call by `<Enqueue>`
# into a new task the account's workflow routes (an address would need a `<Dial>` leg outside TaskRouter: not
# offered); no consult (voice: Twilio's warm transfer holds the customer in the conference and adds the target's leg
# to it — a new task's `call` instruction dialling `<Conference>`, or the conference's Participants API to the
# target's contact_uri — and a cancel removes that leg and unholds the customer: not built yet, and the shaped mock
# models no third leg in a conference; chat and SMS: Flex's messaging transfers doc says warm transfer "isn't
# available yet", and a second Invite would put the consulted agent in the customer's conversation
# with no way to withdraw it: docs/backends.md); no email (Email in Flex is a Conversations channel the desk's
# Conversations client does not read: subject, threading, HTML); Conversations has no REST typing indicator, and
# keeps the agent's read horizon (`LastReadMessageIndex`).
TWILIO_CAPABILITIES = ContactCenterCapabilities(
    offer_decision=True,
    native_next_state=False,
    queue_priority=False,
    monitor=False,
    # No response-time policy in TaskRouter or Flex, and no wrap-up mode (a task waits in `wrapping` until completed;
    # the desk's own `acw_timeouts` stay as they were): docs/vendors/twilio-taskrouter.md.
    sla_clocks=False,
    wrap_up_rules=False,
    # The agent's own day would need Worker Statistics and the workspace's Events, which the shaped mock does not
    # serve (docs/vendors/twilio-taskrouter.md): off, so no key offers it.
    my_day=False,
    # A callback an agent owns needs a task held until a time and then reserved for one worker: TaskRouter has
    # neither a delayed task nor a deadline on a worker's preference (docs/vendors.md): off.
    owned_callbacks=False,
    # An Activity has no maximum length and pauses every channel (Workers' per-channel capacity is set apart from
    # it): docs/vendors/twilio-taskrouter.md.
    break_limits=False,
    # A Worker's Reservation waits for accept (or a Workflow's instruction); TaskRouter has no auto-accept of its
    # own per channel: docs/vendors.md.
    auto_accept=False,
    # No snooze of a conversation until a time and no message scheduled on a conversation (Message Scheduling is
    # Programmable Messaging's, and is not cancelled by a reply): docs/vendors/twilio-conversations.md. Off (the
    # default), so `z` and ctrl+f are refused, saying why.
    conversation_waits=False,
    # TaskRouter and Flex have no flag an agent raises to a supervisor, nor a broadcast to agents (Flex's "raise
    # hand" is a Flex UI plug-in, not an API): docs/vendors.md. Explicit, though off is the default.
    flags=False,
    broadcasts=False,
    # TaskRouter routes; it keeps no forecast, schedule or shift (Twilio's WFM is Flex's partner add-on, outside the
    # API): docs/vendors/twilio-taskrouter.md. Off: no gap chart, no schedule in my day.
    workforce=False,
    channels={
        Channel.VOICE: ChannelCapabilities(
            hold=True, consult=False, transfer_to=INVITE_TARGETS, typing=False, read_marks=False
        ),
        Channel.CHAT: ChannelCapabilities(
            hold=False, consult=False, transfer_to=INVITE_TARGETS, typing=False, read_marks=True
        ),
        Channel.SMS: ChannelCapabilities(
            hold=False, consult=False, transfer_to=INVITE_TARGETS, typing=False, read_marks=True
        ),
    },
)
