"""Every command of the agent's desk in one table: its key, label, description and when it applies.

The screen's key bindings, the footer, the command palette and the help screen are all derived from this
table, and `enabled` is the only place that decides whether a key applies now: they cannot disagree (`when`
says in words what `applies` checks, for the help screen's "not now"). A command that does not apply is left
out of the footer and the palette (there is no room for all of them); it comes back the moment it applies.
A command the backends cannot serve (`served` reads `Desk.capabilities` and `Desk.crm_capabilities`: no
accept/reject, no hold on this channel, no orders in this CRM) never applies, and the help says why instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal

from agent_desktop.agent_desk.contacts import Phase, call_on_the_line
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.voice.call_media import LinkState
from agent_desktop.agent_desk.wrap_up import wrap_up_rules
from agent_desktop.domain.capabilities import ChannelCapabilities
from agent_desktop.domain.vocabulary import AWAY, IN_HAND, TALKING, AgentState, Channel, ConsultState, ContactState


@dataclass(frozen=True)
class Where:
    """What the desk does not know but a key depends on: where the keyboard focus is."""

    experts_list: bool = False  # the experts list has focus: its keys (message, skill) apply
    composer: bool = False  # the conversation's composer has focus
    one_pane: bool = False  # a narrow or short terminal: the panes beside the contacts show one at a time


@dataclass(frozen=True)
class Command:
    action: str  # the screen's action, with its arguments: "customer_tab(1)"
    key: str
    label: str
    description: str
    applies: Callable[[Desk, Where], bool]
    show: bool = True  # in the footer and the palette
    key_display: str | None = None
    priority: bool = False  # works even where the focused widget would take the key (typing notes)
    when: str = ""  # when it applies, for the help screen's "not now": "a contact is offered"
    # Whether the backends can serve it at all (their capabilities); `unserved` says why not, in words.
    served: Callable[[Desk], bool] | None = None
    unserved: str = ""
    # The binding's id, what `[keymap]` in the configuration remaps (README.md): "desk." and the action's name
    # unless given. Rows that share a key by design (h holds or resumes) share the id, so they move together.
    id: str = ""
    # Who carries it out: the controller's use case of the same name ("controller"), the flow of the same name
    # among the screen's dialogs, which asks the agent first ("dialog"), or the screen itself ("screen").
    by: Literal["controller", "dialog", "screen"] = "screen"
    # Kept in the footer before the others when the line is short of room (80 columns): the keys of a contact in
    # progress, and f6, the only way to the other panes there.
    first: bool = False
    # Words a person might type in the command palette for it besides its label ("break" for Not ready).
    words: tuple[str, ...] = ()
    palette: bool = False  # in the palette though not in the footer (`show` False: the footer has no room)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", f"desk.{self.name}")

    @property
    def name(self) -> str:
        """The action's name without arguments (what `check_action` is asked about)."""
        return self.action.split("(", 1)[0]


def _talking(desk: Desk) -> bool:
    held = desk.selected()
    return held is not None and held.contact.state in TALKING


def _talking_without_consult(desk: Desk, state: ContactState | None = None) -> bool:
    contact = desk.selected_contact()
    return _talking(desk) and contact is not None and contact.consult is None and state in (None, contact.state)


def _channel_can(desk: Desk) -> ChannelCapabilities:
    """What the contact center can do on the selected contact's channel."""
    contact = desk.selected_contact()
    return desk.capabilities.channel(contact.channel) if contact is not None else ChannelCapabilities()


def _softphone_call(desk: Desk) -> bool:
    """The selected contact is connected or on hold with a call on the softphone that is up."""
    return _talking(desk) and desk.softphone.live_call(desk.selected_id) is not None


def _recording_call(desk: Desk) -> bool:
    """The selected contact is a call connected or on hold (its recording paused by the agent or not)."""
    contact = desk.selected_contact()
    return _talking(desk) and contact is not None and contact.channel is Channel.VOICE and contact.voicemail is None


NO_RECORDING_PAUSE = "this contact center cannot pause a call's recording"
NO_DIALLING = "this contact center does not place calls for the agent"
NO_COLLEAGUE_CALLS = "this contact center does not call colleagues of the directory for the agent"
NO_PLAYER = "a message is played by the desk's own softphone, from a contact center that keeps its recording"


def _may_dial(desk: Desk) -> bool:
    """Signed in, no offer waiting, no call connected (one on hold may wait while another is placed)."""
    state = desk.agent_state()
    if state is None or state is AgentState.OFFLINE or desk.offer is not None:
        return False
    return call_on_the_line(desk.held.values()) is None  # a message in hand is no call: its caller may be called back


def _voicemail_in_hand(desk: Desk) -> bool:
    contact = desk.selected_contact()
    return _talking(desk) and contact is not None and contact.voicemail is not None and _may_dial(desk)


def _offer_decision(desk: Desk) -> bool:
    return desk.capabilities.offer_decision


def _can_hold(desk: Desk) -> bool:
    return _channel_can(desk).hold


def _can_transfer(desk: Desk) -> bool:
    can = _channel_can(desk)
    return bool(can.transfer_to) or can.consult


NO_SOFTPHONE = "no softphone is configured ([softphone] in the configuration, docs/voice.md)"
NO_DECISION = "this contact center takes no accept or reject: it connects offers itself"
NO_HOLD = "this contact center has no hold on the selected contact's channel"
NO_TRANSFER = "this contact center cannot transfer the selected contact's channel"


def _consult_state(desk: Desk) -> ConsultState | None:
    contact = desk.selected_contact()
    return contact.consult.state if contact is not None and contact.consult is not None else None


# Shown with nothing in hand or offered, these states lag the contact center's by its next event (`_not_ready`).
_LAGGING = frozenset({AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK})


def _go_available(desk: Desk, _: Where) -> bool:
    # With contacts in hand, Available drops a requested next state and clears Missed (after an offer was
    # rejected or missed, the busy agent gets no more offers until they say so). With nothing in hand or
    # offered while the state still says Offered, Busy or After contact work, the shown state lags the
    # contact center's: `v` then is Available, whatever the contact center says next.
    state = desk.agent_state()
    held_or_lagging = desk.offer is None and (desk.has_contacts_in_hand() or state in _LAGGING)
    return held_or_lagging or state in AWAY | {AgentState.OFFLINE}


def _not_ready(desk: Desk, _: Where) -> bool:
    # Nothing in hand, nothing offered, not Not ready already. The shown state may lag the contact center by
    # its next event (a moment in-process, seconds on a real platform): Busy or After contact work just after
    # the last contact was saved, Offered just after an offer was rejected; `n` then is a break, not a key
    # that does nothing. And an offer already on the desk while the state still says Available: not a break
    # (the contact center refuses one while an offer waits; r rejects it first).
    state = desk.agent_state()
    return (
        not desk.has_contacts_in_hand()
        and desk.offer is None
        and state is not None
        and state is not AgentState.NOT_READY
    )


def _record_shown(desk: Desk, _: Where) -> bool:
    lookup = desk.popped_lookup()
    return lookup is not None and lookup.record is not None


def _tab_filled(number: int, desk: Desk) -> bool:
    """Tabs 3 (orders) and 4 (account and billing) are there only if the CRM holds them."""
    crm = desk.crm_capabilities
    return {3: crm.orders, 4: crm.billing}.get(number, True)


def _pick_applies(desk: Desk, _: Where) -> bool:
    lookup = desk.popped_lookup()
    done = lookup is not None and lookup.done and lookup.record is None and lookup.error is None
    return done and lookup is not None and lookup.colleague is None  # a colleague's call: no customer to pick


def _several(desk: Desk, _: Where) -> bool:
    return len(desk.held) > 1


def _written_in_hand(desk: Desk, _: Where) -> bool:
    """A chat, SMS or email in hand (what the awaiting-reply filter sorts), or the filter on (to turn it off)."""
    return desk.awaiting_only or bool(desk.conversations)


def _conversation(desk: Desk, _: Where) -> bool:
    return desk.selected_conversation() is not None


def _conversation_going_on(desk: Desk, _: Where) -> bool:
    """The selected contact is a chat, SMS or email being talked (connected): what may be snoozed or answered later."""
    conversation, contact = desk.selected_conversation(), desk.selected_contact()
    return (
        conversation is not None
        and not conversation.ended
        and contact is not None
        and contact.state is ContactState.CONNECTED
    )


def _later_in_hand(desk: Desk, _: Where) -> bool:
    """A chat, SMS or email in hand (what the snoozed-and-later filter sorts), or the filter on (to turn it off)."""
    return desk.later_only or bool(desk.conversations)


NO_WAITS = "this contact center keeps no snooze or scheduled reply (docs/vendors/ says what it has instead)"


NO_ASSIST = "no assistant model is configured ([assist] in the configuration, docs/assist.md)"
NO_SUGGESTIONS = "no assistant model is configured and this CRM keeps no knowledge base"


def _assisted(desk: Desk) -> bool:
    return desk.conversations.suggests_replies


def _writable(desk: Desk, _: Where) -> bool:
    conversation = desk.selected_conversation()
    return conversation is not None and not conversation.ended


def _suggests(desk: Desk) -> bool:
    return desk.conversations.suggests


def _suggestion_shown(desk: Desk, _: Where) -> bool:
    conversations = desk.conversations
    return desk.selected_id is not None and (
        desk.selected_id in conversations.suggestions or desk.selected_id in conversations.articles
    )


def _suggestion_written(desk: Desk, where: Where) -> bool:
    """A suggestion with text to put in an open conversation's composer (not one still empty, nor one that failed)."""
    suggestion = desk.conversations.suggestions.get(desk.selected_id or "")
    return _writable(desk, where) and suggestion is not None and bool(suggestion.text)


def _translated(desk: Desk, _: Where) -> bool:
    """The selected conversation's customer writes in another language than the agent's (translation both ways)."""
    conversation = desk.selected_conversation()
    return conversation is not None and conversation.language is not None


def _in_hand_selected(desk: Desk, _: Where) -> bool:
    """A contact in the agent's hands is selected (connected, on hold or wrapping up): there is a contact to ask of."""
    return desk.selected_id is not None and desk.selected_id in desk.held


def _wrapping_up(desk: Desk, _: Where) -> bool:
    return desk.wrap_up() is not None


def _flaggable(desk: Desk, _: Where) -> bool:
    contact = desk.selected_contact()
    return contact is not None and contact.state in IN_HAND


def _can_extend(desk: Desk, _: Where) -> bool:
    held = desk.wrap_up()
    if held is None or held.phase is not Phase.WRAP_UP or held.contact.acw_deadline is None:
        return False
    return wrap_up_rules.extensions_left(desk.wrap_up_rule(held.contact), held.contact) > 0


COMMANDS: tuple[Command, ...] = (
    Command(
        "go_available",
        "v",
        "Available",
        "Go Available to receive contacts (on a contact: drop the next state, take more contacts)",
        _go_available,
        when="you are Offline, Not ready or Missed, or hold contacts with no offer pending",
        by="controller",
    ),
    # Same key, two commands: the one for the other situation does not apply (contacts in hand or not).
    Command(
        "not_ready",
        "n",
        "Not ready",
        "Go Not ready, with a reason",
        _not_ready,
        when="you hold no contacts and are Offline, Available or Missed",
        by="dialog",
    ),
    Command(
        "next_not_ready",
        "n",
        "Next state",
        "Go Not ready once the contacts in hand are done",
        lambda desk, _: desk.has_contacts_in_hand(),
        when="you hold a contact (Not ready once it is done)",
        id="desk.not_ready",
        by="dialog",
    ),
    # The screen's: a chat, SMS or email accepted puts the agent in its composer
    # (agent_desktop/ui/agent/offers/write_on_accept.py).
    Command(
        "accept",
        "a",
        "Accept",
        "Accept the offered contact (a chat, SMS or email: you write in it at once)",
        lambda desk, _: desk.offer is not None,
        when="a contact is offered",
        served=_offer_decision,
        unserved=NO_DECISION,
        first=True,
    ),
    Command(
        "reject",
        "r",
        "Reject",
        "Reject the offered contact: it goes back to the queue",
        lambda desk, _: desk.offer is not None,
        when="a contact is offered",
        served=_offer_decision,
        unserved=NO_DECISION,
        by="controller",
        first=True,
    ),
    # An offer the queue auto-accepts counts down on its card; this key stops it (the offer then waits).
    Command(
        "stop_auto_accept",
        "space",
        "Stop auto-accept",
        "Stop the offer's auto-accept: it waits for a or r",
        lambda desk, _: desk.auto_accept.running(desk.offer),
        when="an offer counts down to its auto-accept",
        served=lambda desk: desk.capabilities.auto_accept,
        unserved="this contact center auto-accepts nothing",
        key_display="space",
        by="controller",
        first=True,
    ),
    Command(
        "toggle_mute",
        "M",
        "Mute",
        "Mute the selected call's microphone on the softphone, or unmute it",
        lambda desk, _: _softphone_call(desk),
        when="the selected call is on the softphone",
        served=lambda desk: desk.softphone_capabilities.mute,
        unserved=NO_SOFTPHONE,
        id="desk.mute",
        words=("unmute", "microphone", "silence"),
    ),
    Command(
        "toggle_recording",
        "P",
        "Pause rec",
        "Pause the selected call's recording while card data is read out (silence is recorded, never the words), "
        "or resume it",
        lambda desk, _: _recording_call(desk),
        when="the selected contact is a call connected or on hold",
        served=lambda desk: desk.capabilities.recording_pause,
        unserved=NO_RECORDING_PAUSE,
        id="desk.recording",
        by="controller",
        words=("resume recording", "record", "card", "pci", "payment"),
    ),
    Command(
        "keypad",
        "number_sign",
        "Keypad",
        "Send keypad tones (DTMF) to the selected call: a payment line, an IVR",
        lambda desk, _: _softphone_call(desk),
        when="the selected call is on the softphone",
        served=lambda desk: desk.softphone_capabilities.dtmf,
        unserved=NO_SOFTPHONE,
        key_display="#",
        by="dialog",
        words=("dtmf", "tones", "digits", "ivr"),
    ),
    Command(
        "dial",
        "D",
        "Dial",
        "Place a call: a number typed or the card's, from a caller ID of your queue (enter dials, escape keeps it)",
        lambda desk, _: _may_dial(desk),
        when="you are signed in, with no offer waiting and no call connected",
        served=lambda desk: desk.capabilities.place_calls,
        unserved=NO_DIALLING,
        by="dialog",
        words=("call", "outbound", "phone", "number", "dial pad"),
    ),
    Command(
        "call_back",
        "B",
        "Call back",
        "Call back the caller of the voicemail in hand, from its queue's caller ID",
        lambda desk, _: _voicemail_in_hand(desk),
        when="a voicemail is in hand, with no call connected",
        served=lambda desk: desk.capabilities.place_calls,
        unserved=NO_DIALLING,
        id="desk.call_back",
        by="controller",
        words=("voicemail", "message", "return call", "phone"),
    ),
    Command(
        "play_message",
        "L",
        "Play message",
        "Play the voicemail in hand through your softphone; again stops it",
        lambda desk, _: _voicemail_in_hand(desk),
        when="a voicemail is in hand, with no call connected",
        served=lambda desk: desk.capabilities.voicemail_audio and desk.softphone_capabilities.play,
        unserved=NO_PLAYER,
        id="desk.play_message",
        by="controller",
        words=("voicemail", "message", "listen", "play", "recording"),
    ),
    Command(
        "reconnect_softphone",
        "R",
        "Reconnect phone",
        "Open a new link to the softphone after it was lost (the desk's own is started again)",
        lambda desk, _: desk.softphone.link is LinkState.LOST,
        when="the softphone's link was lost",
        served=lambda desk: desk.softphone_capabilities.sound,
        unserved=NO_SOFTPHONE,
        by="screen",
        first=True,
        words=("softphone", "sound", "restart phone"),
    ),
    Command(
        "end_contact",
        "e",
        "End",
        "End the current contact and start after-contact work",
        lambda desk, _: _talking_without_consult(desk),
        when="the selected contact is connected or on hold, with no consult",
        by="dialog",
        first=True,
    ),
    # During a consult the customer's hold belongs to it: x and k apply, not h (nor t: k hands the contact to
    # the consulted party, x returns to the customer first).
    Command(
        "hold",
        "h",
        "Hold",
        "Put the selected contact on hold",
        lambda desk, _: _talking_without_consult(desk, ContactState.CONNECTED),
        when="the selected contact is connected, with no consult",
        served=_can_hold,
        unserved=NO_HOLD,
        by="controller",
        first=True,
    ),
    Command(
        "resume",
        "h",
        "Resume",
        "Take the selected contact off hold",
        lambda desk, _: _talking_without_consult(desk, ContactState.ON_HOLD),
        when="the selected contact is on hold, with no consult",
        served=_can_hold,
        unserved=NO_HOLD,
        id="desk.hold",
        by="controller",
        first=True,
    ),
    Command(
        "transfer",
        "t",
        "Transfer",
        "Transfer the selected contact to a queue, an agent or an expert",
        lambda desk, _: _talking_without_consult(desk),
        when="the selected contact is connected or on hold, with no consult",
        served=_can_transfer,
        unserved=NO_TRANSFER,
        by="dialog",
        first=True,
    ),
    Command(
        "complete_consult",
        "k",
        "Complete transfer",
        "Hand the contact to the consulted party",
        lambda desk, _: _consult_state(desk) == ConsultState.CONNECTED,
        when="the consulted party has answered",
        by="controller",
        first=True,
    ),
    Command(
        "cancel_consult",
        "x",
        "Cancel consult",
        "End the consult leg and return to the customer",
        lambda desk, _: _consult_state(desk) is not None,
        when="a consult is ringing or connected",
        by="controller",
        first=True,
    ),
    Command(
        "next_contact",
        "right_square_bracket",
        "Switch",
        "Select the next contact in hand",
        _several,
        when="you hold two contacts or more",
    ),
    Command(
        "previous_contact",
        "left_square_bracket",
        "Previous contact",
        "Select the previous contact in hand",
        _several,
        show=False,
        when="you hold two contacts or more",
    ),
    Command(
        "awaiting_filter",
        "A",
        "Awaiting",
        "Show only the conversations awaiting our reply (and the selected one); again: every contact",
        _written_in_hand,
        when="you hold a chat, SMS or email",
    ),
    # Snooze and send later, held by the contact center: z snoozes the selected conversation (z again on
    # a snoozed one wakes it), ctrl+f schedules the composer's reply (or takes a scheduled one back), Z filters.
    Command(
        "snooze",
        "z",
        "Snooze",
        "Snooze the selected conversation until a time (1 hour, tomorrow 09:00, or typed); a customer's message "
        "wakes it, a thanks after your reply does not; on a snoozed one: wake it",
        _conversation_going_on,
        when="a chat, SMS or email is selected and connected",
        served=lambda desk: desk.capabilities.conversation_waits,
        unserved=NO_WAITS,
        by="dialog",
    ),
    Command(
        "send_later",
        "ctrl+f",
        "Send later",
        "Schedule the composer's reply for a time; cancelled if the customer writes first (the text comes back "
        "to the composer); with one scheduled: take it back",
        _conversation_going_on,
        priority=True,
        when="a chat, SMS or email is selected and connected",
        served=lambda desk: desk.capabilities.conversation_waits,
        unserved=NO_WAITS,
        by="dialog",
    ),
    Command(
        "later_filter",
        "Z",
        "Snoozed",
        "Show only the conversations snoozed or with a reply scheduled (and the selected one); again: every contact",
        _later_in_hand,
        when="you hold a chat, SMS or email",
        served=lambda desk: desk.capabilities.conversation_waits,
        unserved=NO_WAITS,
        show=False,
        palette=True,
    ),
    # The same from inside the composer, where [ and ] are typed: ctrl+pagedown / ctrl+pageup, as a browser's tabs.
    Command(
        "next_contact",
        "ctrl+pagedown",
        "Switch",
        "Select the next contact in hand",
        _several,
        show=False,
        priority=True,
        when="you hold two contacts or more",
        id="desk.next_contact_alt",
    ),
    Command(
        "previous_contact",
        "ctrl+pageup",
        "Previous contact",
        "Select the previous contact in hand",
        _several,
        show=False,
        priority=True,
        when="you hold two contacts or more",
        id="desk.previous_contact_alt",
    ),
    # The selected chat, SMS or email: i writes in it (escape leaves), ctrl+t switches reply and private note.
    Command(
        "reply",
        "i",
        "Reply",
        "Write in the selected conversation (enter sends, ^j new line, escape leaves)",
        lambda desk, where: _conversation(desk, where) and not where.composer,
        when="a chat, SMS or email is selected and you are not writing in it",
    ),
    # The composer's own keys act first where it has focus; these rows put them in the footer and the palette.
    Command(
        "send_reply",
        "enter",
        "Send",
        "Send the composer's text (a private note is kept, never sent)",
        lambda desk, where: where.composer and _conversation(desk, where),
        key_display="⏎",
        when="you are writing in the composer (i)",
    ),
    # An email or SMS waits a few seconds before it leaves (held_sends.py): ctrl+z, undo as in any editor, takes the
    # latest back to the composer, from the composer too; where nothing waits, the composer's own undo has the key.
    Command(
        "undo_send",
        "ctrl+z",
        "Undo send",
        "Take back the email or SMS still waiting to leave: its text goes back to the composer, whole",
        lambda desk, _: bool(desk.held_sends.of(desk.selected_id or "")),
        priority=True,
        when='an email or SMS you sent is still waiting to leave ("sending in 3 s")',
        first=True,
    ),
    Command(
        "new_line",
        "ctrl+j",
        "New line",
        "A new line in the composer (also alt+enter)",
        lambda desk, where: where.composer and _conversation(desk, where),
        when="you are writing in the composer (i)",
    ),
    Command(
        "leave_composer",
        "escape",
        "Leave",
        "Back to the contacts list (the draft is kept)",
        lambda _, where: where.composer,
        when="you are writing in the composer (i)",
        first=True,  # the only way back to the desk's keys: kept when send later, f2 and f6 leave no room
    ),
    Command(
        "note_mode",
        "ctrl+t",
        "Reply/note",
        "Switch the composer between a reply and a private note (never sent)",
        _conversation,
        priority=True,
        when="a chat, SMS or email is selected",
    ),
    # Translation both ways (agent_desk/suggestions/translations.py): the messages as written in the customer's
    # language, or translated into the agent's (from the composer too: an f-key types nothing).
    Command(
        "toggle_original",
        "f4",
        "Original",
        "Show the conversation's messages as written, in the customer's language, or translated into yours",
        _translated,
        priority=True,
        served=_assisted,
        unserved=NO_ASSIST,
        when="the selected conversation's customer writes in another language",
    ),
    Command(
        "quick_responses",
        "ctrl+r",
        "Quick reply",
        "One of the team's quick responses, filled in for this customer (enter inserts, ctrl+s sends)",
        # while writing (the footer has no room for it everywhere): i, then ctrl+r
        lambda desk, where: where.composer and (c := desk.selected_conversation()) is not None and not c.ended,
        priority=True,
        when="you are writing in an open conversation's composer (i)",
    ),
    # The knowledge base, from the composer too: the passage that answers goes into the reply, never sent by itself.
    Command(
        "knowledge",
        "ctrl+l",
        "Knowledge",
        "Search the knowledge base, from what the customer last wrote: enter "
        "puts the matching passage in your reply (l its link), or shows the article on a call",
        lambda _, __: True,
        priority=True,
        served=lambda desk: desk.crm_capabilities.knowledge,
        unserved="this CRM keeps no knowledge base",
        show=False,
        palette=True,
    ),  # the footer has no room for it
    # The assistant's suggested reply (reply_suggestions.py), where a model is configured: into the composer to edit,
    # never sent by itself; discarded; asked for again from the conversation as it is now.
    Command(
        "use_suggestion",
        "ctrl+n",
        "Use suggestion",
        "Put the assistant's suggested reply in the composer, to edit before you send it",
        _suggestion_written,
        served=_assisted,
        unserved=NO_ASSIST,
        when="the assistant has written a suggested reply",
    ),
    Command(
        "discard_suggestion",
        "f8",
        "Discard",
        "Discard the suggested reply, or the articles suggested for the customer's message",
        _suggestion_shown,
        served=_suggests,
        unserved=NO_SUGGESTIONS,
        by="controller",
        when="a suggested reply or articles are shown",
    ),
    Command(
        "suggest_again",
        "f9",
        "Suggest",
        "Ask the assistant for a suggested reply to the conversation as it is now",
        _writable,
        served=_assisted,
        unserved=NO_ASSIST,
        by="controller",
        show=False,
        palette=True,
        when="a chat, SMS or email in hand is selected",
    ),
    # The ask box (agent_desk/suggestions/ask_box.py): the agent's own question, answered with its articles cited;
    # enter on a cited article puts its passage in the reply, never sent by itself.
    Command(
        "ask_assistant",
        "f7",
        "Ask",
        "Ask the assistant about the contact in hand: the answer streams with the articles it cites; "
        "enter on one puts its passage in your reply",
        _in_hand_selected,
        served=_assisted,
        unserved=NO_ASSIST,
        show=False,
        palette=True,
        when="a contact in hand is selected",
    ),
    # The transcript scrolls from inside the composer too (the composer's own pageup/pagedown move its cursor);
    # ctrl+up/down for terminals that keep shift+pageup for their own scrollback.
    Command(
        "transcript_page(-1)",
        "shift+pageup",
        "Scroll",
        "Scroll the transcript up a page (also ctrl+up), from the composer too",
        _conversation,
        key_display="⇧PgUp/Dn",
        priority=True,
        when="a conversation is open (i)",
        id="desk.transcript_up",
    ),
    Command(
        "transcript_page(1)",
        "shift+pagedown",
        "Scroll",
        "Scroll the transcript down a page (also ctrl+down)",
        _conversation,
        show=False,
        priority=True,
        when="a conversation is open (i)",
        id="desk.transcript_down",
    ),
    Command(
        "transcript_page(-1)",
        "ctrl+up",
        "Scroll",
        "Scroll the transcript up a page",
        _conversation,
        show=False,
        priority=True,
        when="a conversation is open (i)",
        id="desk.transcript_up_alt",
    ),
    Command(
        "transcript_page(1)",
        "ctrl+down",
        "Scroll",
        "Scroll the transcript down a page",
        _conversation,
        show=False,
        priority=True,
        when="a conversation is open (i)",
        id="desk.transcript_down_alt",
    ),
    Command(
        "older_messages",
        "ctrl+u",
        "Older",
        "Load older messages of the selected conversation",
        lambda desk, _: (c := desk.selected_conversation()) is not None and c.has_more,
        show=False,
        when="the selected conversation has older messages",
    ),
    Command(
        "wrap_up",
        "w",
        "Wrap-up",
        "Go to the disposition and notes",
        _wrapping_up,
        when="a contact is in after-contact work",
    ),
    Command(
        "submit_wrap_up",
        "ctrl+s",
        "Save wrap-up",
        "Write the wrap-up to the CRM and complete",
        _wrapping_up,
        priority=True,
        when="a contact is in after-contact work",
        first=True,
    ),
    # The disposition from its categories by typing part of it; more time where the queue's rule allows.
    Command(
        "pick_disposition",
        "ctrl+o",
        "Outcome",
        "Pick the disposition from its categories, typing part of it",
        _wrapping_up,
        priority=True,
        when="a contact is in after-contact work",
    ),
    Command(
        "extend_wrap_up",
        "ctrl+g",
        "More time",
        "Ask for more wrap-up time, as the queue's rule allows",
        _can_extend,
        priority=True,
        when="a time-boxed wrap-up has an extension left",
        served=lambda desk: desk.capabilities.wrap_up_rules,
        unserved="this contact center grants no wrap-up time",
        by="controller",
    ),
    # `/` still works in the experts list (the panel's own key); the footer keeps room for the list's keys there.
    Command(
        "find_expert",
        "slash",
        "Find expert",
        "Search the experts by name, skill or department",
        lambda _, where: not where.experts_list,
        when="the experts list does not have the cursor",
    ),
    Command(
        "skill_filter",
        "s",
        "Skill",
        "Filter the experts by a skill (the contact's skills first)",
        lambda _, where: where.experts_list,
        when="the experts list has the cursor",
        by="dialog",
    ),
    Command(
        "call_colleague",
        "C",
        "Call",
        "Call the highlighted colleague at their softphone, if they are free: a contact in hand, internal",
        lambda desk, where: where.experts_list and _may_dial(desk),
        when="the experts list has the cursor, you are signed in, with no offer waiting and no call connected",
        served=lambda desk: desk.capabilities.internal_calls,
        unserved=NO_COLLEAGUE_CALLS,
        words=("colleague", "internal call", "expert", "phone"),
    ),
    Command(
        "message_expert",
        "m",
        "Message",
        "Send the highlighted expert an escalation message",
        lambda _, where: where.experts_list,
        when="the experts list has the cursor",
        by="dialog",
    ),
    Command(
        "next_pane",
        "f6",
        "Pane",
        "The next pane beside the contacts: card, conversation, wrap-up, experts "
        "(a narrow or short terminal shows one at a time)",
        lambda _, where: where.one_pane,
        priority=True,
        when="the terminal is narrow or short (one pane at a time)",
        first=True,
    ),
    Command(
        "focus_contacts",
        "escape",
        "Contacts",
        "Back to the contacts list",
        lambda _, __: True,
        show=False,
        id="desk.leave_composer",
    ),
    # The screen pop's tabs and the CRM write-back.
    Command(
        "customer_tab(1)",
        "1",
        "Tabs",
        "Card tabs: cases, history, orders, account, profile (arrows scroll)",
        _record_shown,
        key_display="1-5",
        when="the caller's CRM record is on the card",
        id="desk.card_tab_1",
    ),
    *(
        Command(
            f"customer_tab({n})",
            str(n),
            "Card tab",
            f"Card tab {n}",
            _record_shown,
            show=False,
            when="the caller's CRM record is on the card",
            served=partial(_tab_filled, n),
            unserved="this CRM has nothing for the tab",
            id=f"desk.card_tab_{n}",
        )
        for n in range(2, 6)
    ),
    Command(
        "pick_customer",
        "p",
        "Pick",
        "Pick among several matching customers, or fill in a new caller",
        _pick_applies,
        when="the lookup found several customers or none",
        by="dialog",
    ),
    Command(
        "find_customer",
        "f",
        "Find customer",
        "Search the CRM by name, phone, email or account (a withheld caller)",
        lambda desk, _: (lookup := desk.popped_lookup()) is not None and lookup.done and lookup.record is None,
        when="the lookup found no single customer",
        served=lambda desk: desk.crm_capabilities.search_customers,
        unserved="this CRM cannot be searched",
        by="dialog",
    ),
    Command(
        "case",
        "c",
        "Case",
        "Open a case from this contact, or link it to an open case",
        lambda desk, where: _record_shown(desk, where) and desk.popped_contact_id() is not None,
        when="the caller's CRM record is on the card",
        served=lambda desk: desk.crm_capabilities.cases,
        unserved="this CRM keeps no cases",
        by="dialog",
    ),
    Command("show_outbox", "o", "Outbox", "CRM writes pending, sent and failed", lambda _, __: True, by="dialog"),
    # The agent's own figures for today, from the contact center's records.
    Command(
        "my_day",
        "d",
        "My day",
        "Your day so far: contacts by channel, handle and wrap-up times, answer rate, "
        "missed offers, time in each state, today's contacts",
        lambda _, __: True,
        served=lambda desk: desk.capabilities.my_day,
        unserved="this contact center keeps no day for the agent",
        by="dialog",
    ),
    # A callback the agent owns, from the contact selected (in hand or in its wrap-up).
    Command(
        "schedule_callback",
        "b",
        "Callback",
        "Schedule a callback you own with the selected contact's "
        "customer: date, time, time zone and a note; offered to you when due",
        lambda desk, _: desk.selected_contact() is not None,
        when="a contact is selected (in hand or wrapping up)",
        served=lambda desk: desk.capabilities.owned_callbacks,
        unserved="this contact center schedules no callbacks for an agent",
        by="dialog",
    ),
    # The follow-up the contact needs, after its wrap-up: an SMS or email the customer's consent allows.
    Command(
        "follow_up",
        "u",
        "Follow-up",
        "Send the customer of the contact just wrapped up an SMS or email "
        "confirming it, from a template (only where their consent for the channel allows)",
        lambda desk, _: desk.last_wrapped is not None,
        when="a contact of a known customer was wrapped up",
        served=lambda desk: bool(desk.follow_up_channels),
        unserved="this contact center sends no follow-ups",
        by="dialog",
    ),
    # Help from the supervisor, a flag with a line, then its private thread (their answers ring the bell).
    Command(
        "flag",
        "exclamation_mark",
        "Flag",
        "Ask your supervisor for help on the selected contact: a flag with "
        "a line; then its private thread, to read their answers and reply",
        _flaggable,
        key_display="!",
        when="a contact is in hand (connected, on hold or in wrap-up)",
        served=lambda desk: desk.capabilities.flags,
        unserved="this contact center keeps no flags for supervisors",
        by="dialog",
    ),
    # The customer's id, account, case, phone or last message to the clipboard (OSC 52).
    Command(
        "copy",
        "Y",
        "Copy",
        "Copy the customer's id, account or case number, phone or last message to the clipboard",
        lambda desk, _: desk.selected_contact() is not None or _record_shown(desk, _),
        when="a contact is selected",
        show=False,
        palette=True,
    ),
)

# What a person types in the palette for a command besides its label ("break" found nothing).
WORDS: dict[str, tuple[str, ...]] = {
    "go_available": ("ready", "back", "online", "log in", "start"),
    "not_ready": ("break", "lunch", "pause", "away", "aux", "meeting", "training"),
    "next_not_ready": ("break", "lunch", "pause", "away", "aux", "after this contact"),
    "accept": ("answer", "pick up", "take"),
    "snooze": ("remind", "later", "pending", "wake", "defer", "park"),
    "send_later": ("schedule", "scheduled message", "delay send", "send at", "later"),
    "later_filter": ("snoozed", "scheduled", "pending", "filter"),
    "awaiting_filter": ("awaiting reply", "unanswered", "filter", "needs reply", "customer wrote last"),
    "reject": ("decline", "refuse", "skip"),
    "use_suggestion": ("assistant", "ai", "copilot", "draft", "insert suggestion"),
    "discard_suggestion": ("assistant", "ai", "dismiss suggestion", "dismiss articles"),
    "suggest_again": ("assistant", "ai", "copilot", "suggest reply", "regenerate"),
    "ask_assistant": ("assistant", "ai", "copilot", "question", "query", "ask ai", "articles"),
    "toggle_original": ("translate", "translation", "language", "as written"),
    "stop_auto_accept": ("wait", "hold on", "pause", "auto accept", "cancel"),
    "end_contact": ("hang up", "close", "finish", "disconnect"),
    "hold": ("wait", "pause"),
    "resume": ("unhold", "continue", "back to the customer"),
    "transfer": ("forward", "escalate", "hand over", "queue", "colleague"),
    "complete_consult": ("handover", "finish transfer", "warm transfer"),
    "cancel_consult": ("back to the customer", "abort"),
    "reply": ("write", "answer", "compose", "message", "type"),
    "undo_send": ("unsend", "take back", "recall", "cancel sending", "stop the email", "stop the sms"),
    "note_mode": ("private", "internal", "note"),
    "quick_responses": ("canned", "template", "macro", "snippet"),
    "knowledge": ("article", "kb", "faq", "how to", "search", "answer"),
    "wrap_up": ("disposition", "notes", "acw", "after call work"),
    "submit_wrap_up": ("save", "disposition", "done", "complete", "finish"),
    "pick_disposition": ("disposition", "code", "category", "wrap-up code", "search"),
    "extend_wrap_up": ("extend", "more time", "acw", "extension"),
    "find_expert": ("search", "colleague", "help", "ask", "directory"),
    "message_expert": ("escalate", "ask", "chat with an expert"),
    "customer_tab": ("history", "orders", "account", "billing", "profile", "cases"),
    "pick_customer": ("choose", "match", "new caller"),
    "find_customer": ("search", "lookup", "crm", "who"),
    "case": ("ticket", "issue"),
    "show_outbox": ("crm", "sent", "failed", "writes", "queue"),
    "follow_up": ("sms", "text", "email", "confirmation", "consent", "cpaas", "message the customer"),
    "schedule_callback": ("call back", "ring back", "appointment", "later", "follow up"),
    "flag": ("help", "supervisor", "raise hand", "escalate", "manager", "team lead"),
    "my_day": ("today", "stats", "statistics", "figures", "performance", "report", "handle time", "kpi"),
    "next_pane": ("panel", "window", "card", "experts", "conversation"),
    "copy": ("clipboard", "yank", "customer id", "account number", "case number", "phone", "message", "osc 52"),
}
COMMANDS = tuple(replace(command, words=command.words or WORDS.get(command.name, ())) for command in COMMANDS)

_BY_NAME: dict[str, list[Command]] = {}
for _command in COMMANDS:
    _BY_NAME.setdefault(_command.name, []).append(_command)


def _served(command: Command, desk: Desk) -> bool:
    return command.served is None or command.served(desk)


def enabled(desk: Desk, where: Where) -> dict[str, bool]:
    """Whether each command applies now, by action name: the backends serve it and the desk is in its case."""
    return {
        name: any(_served(c, desk) and c.applies(desk, where) for c in commands) for name, commands in _BY_NAME.items()
    }


def command_named(name: str) -> Command | None:
    commands = _BY_NAME.get(name)
    return commands[0] if commands else None


def why_not(name: str, desk: Desk | None = None) -> str | None:
    """Why a command that does not apply now does not: when it would (the help screen and a key pressed in
    vain say it), or that the backends cannot serve it. None for a command not in the table."""
    commands = _BY_NAME.get(name)
    if not commands:
        return None
    if desk is not None and not any(_served(c, desk) for c in commands):
        return commands[0].unserved or "not with these backends"
    whens = list(dict.fromkeys(c.when for c in commands if c.when))
    return f"only when {' or '.join(whens)}" if whens else "not here now"
