"""A search for the agent's attention going wrong (docs/architecture.md, "The agent's attention"): hypothesis drives
the real desk on the in-process mocks through interleavings of offers (voice and chat), the agent's keys (in a
burst or after a pause) opening and closing dialogs, answering offers, writing, ending and wrapping up contacts,
time boxes running out, callers giving up and a contact center slow to answer. After every step, once the desk
has settled (bounded waits on named conditions), what the agent would notice:

1. a pending offer is in front and answerable: its dialog on top, or the desk's card with nothing over it and no
   text box focused — unless the agent sent it back with escape (`Attention.offer_comes_over`); the card shows it
   in any case;
2. the desk is still running and said nothing went wrong in the background;
3. nothing the agent typed into a conversation's composer is lost (or a notice says what became of it);
4. the desk agrees with the contact center: the agent's state, the offer, the contacts in hand;
5. no disposition list is left open about a contact whose wrap-up was saved (by the agent or by its time box);
6. a wrap-up typed right behind `e` in one run of keys — `w enter down enter tab` and the notes, or through ctrl+o's
   disposition list or the field's own (`ctrl+o escal enter`, `enter escal enter`) and the notes — is in that
   contact's wrap-up, with the disposition searched for, while it is wrapped up (or a notice says what became of it);
7. a search typed at once behind the key that opened the disposition list is in its search box;
8. every key was read once the one before it was done (`KeyTurns.let_go`: none read on its time bound).

Keys come at three paces: after a person's pause, in a run posted at once with a typist's timeline, and as one read
of the terminal (its bytes parsed by Textual's own parser and all posted before the desk reads the first, as the
driver posts them: tests/support/terminal_burst.py). Pilot's `press` waits for the desk after each key, so it never
shows what a read does. `test_attention_harness` runs the machine and prints which overlays its examples reached, by
the pace of the step's keys, and how many steps exercised each documented rule (tests/support/attention_rules.py).
`test_the_tour_reaches_each_overlay` walks every overlay at those two paces, the invariants looked at after each step,
so each is reached whatever the random examples drew; `test_the_tour_steps_aside_and_back` walks what steps aside for
a chat and comes back, the wrap-up of the agent's `e` in front of it, and a list closed under an offer: the two tours
exercise every rule at both paces, asserted.

The desk runs on an event loop the machine owns (tests/support/attention_rig.py); every wait is bounded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
from hypothesis import note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from textual.command import CommandPalette

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Channel
from agent_desktop.ui.agent.conversations.end_conversation_dialog import EndConversationDialog
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from agent_desktop.ui.agent.wrap_up.disposition_picker import DispositionPicker
from agent_desktop.ui.shared.overlay_screen import OverlayScreen
from tests.support.attention_rig import START_S, AttentionRig
from tests.support.attention_rules import RULES
from tests.support.hypothesis_profiles import examples
from tests.support.in_process.scenes import accept, go_available, loaded, take, wait_until
from tests.support.narrowing import present

PACES = st.sampled_from(["burst", "pause", "read"])
CHOICES = st.integers(min_value=0, max_value=63)
WORDS = st.sampled_from(["hi", "one moment", "thanks"])
ANSWERS = ("a", "r", "escape")
# The keys that open something over the desk: the app's (they always apply) and the desk's, by their commands.
APP_OPENING_KEYS = ("question_mark", "ctrl+p")
DESK_OPENING_KEYS = (
    ("o", ("show_outbox",)),
    ("d", ("my_day",)),
    ("b", ("schedule_callback",)),
    ("t", ("transfer",)),
    ("n", ("not_ready", "next_not_ready")),
    ("ctrl+o", ("pick_disposition",)),
    ("D", ("dial",)),
)
# The desk's other keys, by the command each is; `w` stands for a wrap-up filled and saved in one run of keys (the
# disposition list opened, the second one picked, ctrl+s).
DESK_KEYS = (
    (("e",), "end_contact"),
    (("w", "enter", "down", "enter", "ctrl+s"), "wrap_up"),
    (("v",), "go_available"),
    (("right_square_bracket",), "next_contact"),
)
# What the agent holds as an example starts: the last two reach rules 4, 5 and 6 in the random examples too.
IN_HAND = (
    "nothing",
    "voice",
    "voice, wrapped up at once",
    "chat",
    "chat, writing",
    "chat, accepted over my day",
    "voice, its list open",
)
MOST_CONTACTS = 4  # callers per example: enough for an offer over a contact in hand, few enough to stay quick
BACKGROUND_FAILURE = "Something went wrong in the background"
# A search typed into a disposition list, and the code it finds (the queue's of the harness's calls and chats: billing).
SEARCHES = {"resol": "Resolved", "escal": "Escalated", "refund": "Refund issued", "callback": "Callback scheduled"}
# The ways to the disposition typed behind `e`: the keys, with the search between them where there is one.
WRAP_UP_WAYS = {
    "the second in the list": (("w", "enter", "down", "enter", "tab"), ()),
    "ctrl+o's list": (("ctrl+o",), ("enter",)),
    "the field's list": (("enter",), ("enter",)),
}
# What the examples must reach, where a key typed in a read went wrong before, by a real burst (one read
# of the terminal) and at a person's pace.
MUST_REACH = ("the wrap-up", "DispositionPicker")
MUST_PACES = ("read", "pause")
# What came in front of the agent in a step, by the pace of the step's keys ("world": a step of the world's, no key),
# over the examples run; and the keys let go on their bound (invariant 8).
REACHED: Counter[tuple[str, str]] = Counter()
LET_GO: Counter[str] = Counter()
# How many steps exercised each documented attention rule (tests/support/attention_rules.py), over the examples run.
EXERCISED: Counter[str] = Counter()
KEY_PACES = ("read", "burst", "on")  # a step's keys read in one burst or one read of the terminal: rule 7


class AttentionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._rig: AttentionRig | None = None
        self.placed = 0
        self.sent_back: set[str] = set()  # offers the agent sent back to the card with escape
        self.typed: dict[str, str] = {}  # contact id → what the agent typed into its composer, in order
        self.wrapped: dict[str, tuple[str, str | None]] = {}  # contact id → the notes (and code) typed behind `e`
        self.searched: str | None = None  # typed behind the key that opened the disposition list, in the same run
        self.pace = "world"  # the pace of the step's keys, for what it reached
        self.time_boxed = False  # a voice wrap-up is time-boxed (20 s)

    @property
    def rig(self) -> AttentionRig:
        """The desk and its mocks, from the first step (`desk_available`) on."""
        assert self._rig is not None, "the machine has not started the desk"
        return self._rig

    # --- start and end ------------------------------------------------------------------------------

    @initialize(
        size=st.sampled_from([(120, 40), (80, 24)]),
        time_boxed=st.booleans(),
        in_hand=st.sampled_from(IN_HAND),
        first=st.tuples(CHOICES, PACES),
    )
    def desk_available(self, size: tuple[int, int], time_boxed: bool, in_hand: str, first: tuple[int, str]) -> None:
        """The agent Available, with a call or a chat in hand (writing in it) or not, so that a few steps reach an
        offer over a contact, its end and its wrap-up; a voice wrap-up time-boxed to 20 s or not. A call may be
        wrapped up at once (`first`: which way, at which pace), so that every run of `ci` types through the wrap-up
        and its lists, whatever else its examples do. A chat may be accepted over my day (it steps aside, rule 4);
        a call ended with its disposition list open, time-boxed, and the box runs out under the palette (rules 5, 6)."""
        self.time_boxed = time_boxed or in_hand == "voice, its list open"
        self._rig = AttentionRig(size)
        self._rig.start()
        self.rig.run(self._available(self.time_boxed, in_hand), START_S)
        choice, pace = first
        if in_hand == "voice, wrapped up at once":
            self._agent("wraps", choice, pace=pace)
        elif in_hand == "voice, its list open":  # ended, its list open, the palette over it; the time box runs out
            self.rig.press("e", pace=pace)
            self._search_dispositions(pace)
            self._time_box_runs_out_under_the_palette(pace)
        elif in_hand == "chat, accepted over my day":
            self.rig.press("d", pace=pace)
            self.rig.run(self._place("chat"))
            # The offer over my day (as good as certain; not asserted, the invariants look at what came instead).
            self.rig.run(self.rig.until(lambda: self._pending_offer_on_top() is not None, limit_s=2.0))
            if (dialog := self._pending_offer_on_top()) is not None:
                self._answer_on_top(dialog, "a", "hello")

    def _time_box_runs_out_under_the_palette(self, pace: str) -> None:
        """The palette opened over the time-boxed wrap-up's disposition list, and the box runs out: the list closes
        under the palette, saying so (rules 5 and 6), the palette stays."""
        rig = self.rig
        rig.press("ctrl+p", pace=pace)
        if rig.run(rig.until(lambda: isinstance(rig.app.screen, CommandPalette), limit_s=3.0)):
            rig.mocks.time.advance(21)

    async def _available(self, time_boxed: bool, in_hand: str) -> None:
        rig = self.rig
        if time_boxed:
            await rig.mocks.set_wrap_up_rule(
                "billing", "voice", mode="time_boxed", timeout_s=20, extension_s=0, default_disposition="Resolved"
            )
        await loaded(rig.pilot)
        await go_available(rig.pilot)
        if in_hand in ("chat", "chat, writing"):
            self.placed += 1
            await take(rig.pilot, rig.mocks, "customer1@example.com", "chat", "Harness chat")
            if in_hand == "chat, writing":
                await rig.pilot.press("i")
                await wait_until(rig.pilot, rig.composer_focused, "the composer")
        elif in_hand.startswith("voice"):  # (a chat accepted over my day: placed once my day is open)
            self.placed += 1
            await rig.mocks.place_call("+14155550001", subject="Harness voice")
            await wait_until(rig.pilot, lambda: rig.desk.offer is not None, "the offer")
            await accept(rig.pilot)

    def teardown(self) -> None:
        if self._rig is not None:
            self._rig.close()

    # --- the steps ----------------------------------------------------------------------------------
    # What a step does is chosen among what applies now (`choice`, modulo their number): the data drawn never depends on
    # the desk's state, which a real app run twice does not reach at the same instant (hypothesis replays the draws).
    # The agent's rules each prefer one kind of act and fall back on any: hypothesis leaves some rules out of an
    # example, never all of the agent. `note` says what each step did, in a failing example's report.

    @rule(channel=st.sampled_from(["voice", "chat"]))
    def a_customer_calls_or_writes(self, channel: str) -> None:
        if self.placed < MOST_CONTACTS:
            note(f"the world: a customer {'calls' if channel == 'voice' else 'writes in a chat'}")
            self.rig.run(self._place(channel))

    @rule(seconds=st.sampled_from([6, 21]))
    def time_passes(self, seconds: int) -> None:
        """At the contact center: an offer's 20 s, a time-boxed wrap-up's 20 s run out."""
        note(f"the world: {seconds} s pass")
        self.rig.mocks.time.advance(seconds)

    @rule(choice=CHOICES)
    def the_world_moves(self, choice: int) -> None:
        """The caller offered hangs up, a customer writes in a chat in hand, the contact center answers late."""
        rig = self.rig
        moves: list[tuple[str, Callable[[], object]]] = []
        if (offered := rig.engine_offered_contact()) is not None:
            moves.append((f"the caller of {offered} hangs up", lambda: rig.run(rig.mocks.caller_gives_up(offered))))
        for contact_id in self._chats_in_hand():
            moves.append((f"the customer writes in {contact_id}", partial(self._customer_writes, contact_id)))
        if not rig.mocks.slow_center.delay_s:
            moves.append(("the contact center answers 0.3 s late from now on", lambda: rig.mocks.slow_down(0.3)))
        name, move = moves[choice % len(moves)] if moves else ("6 s pass", lambda: rig.mocks.time.advance(6))
        note(f"the world: {name}")
        move()

    @rule(choice=CHOICES, pace=PACES)
    def the_agent_opens_something(self, choice: int, pace: str) -> None:
        self._agent("opens", choice, pace=pace)

    @rule(choice=CHOICES, pace=PACES, greeting=st.sampled_from(["", "hello"]))
    def the_agent_answers_the_offer(self, choice: int, pace: str, greeting: str) -> None:
        self._agent("answers", choice, pace=pace, greeting=greeting)

    @rule(choice=CHOICES, pace=PACES)
    def the_agent_closes_something(self, choice: int, pace: str) -> None:
        self._agent("closes", choice, pace=pace)

    @rule(choice=CHOICES, pace=PACES, words=WORDS)
    def the_agent_works_a_contact(self, choice: int, pace: str, words: str) -> None:
        self._agent("works", choice, pace=pace, words=words)

    @precondition(lambda self: self._rig is not None and self._can_wrap_up())
    @rule(choice=CHOICES, pace=PACES)
    def the_agent_wraps_up(self, choice: int, pace: str) -> None:
        """Taken whenever a contact can be wrapped up (the wrap-up and its lists are where a read went wrong)."""
        self._agent("wraps", choice, pace=pace)

    def _can_wrap_up(self) -> bool:
        rig = self.rig
        if not rig.desk_in_front() or rig.typing() or self._pending_offer_on_top() is not None:
            return False
        return rig.applies("pick_disposition") or (rig.applies("end_contact") and self._ends_without_asking())

    def _agent(self, kind: str, choice: int, *, pace: str, words: str = "hi", greeting: str = "") -> None:
        self.searched = None
        self.pace = pace
        acts = self._agent_can(pace, words, greeting)
        kinds = ("works", "wraps") if kind == "works" else (kind,)  # (wrapping a contact up is working it too)
        preferred = [(name, act) for k, name, act in acts if k in kinds] or [(name, act) for _, name, act in acts]
        name, act = preferred[choice % len(preferred)]
        note(f"the agent: {name}")
        act()

    def _agent_can(self, pace: str, words: str, greeting: str) -> list[tuple[str, str, Callable[[], object]]]:
        """What the agent can do now, each by kind: opens, answers, closes, works (a contact, the desk), wraps (a
        contact up)."""
        rig = self.rig

        def press(*keys: str) -> Callable[[], object]:
            return lambda: rig.press(*keys, pace=pace)

        dialog = self._pending_offer_on_top()
        if dialog is not None:  # the offer's own keys, once the agent has seen it
            answer = partial(self._answer_on_top, dialog)
            return [("answers", f"{key} on the offer on top", partial(answer, key, greeting)) for key in ANSWERS]
        escape = ("closes", f"escape ({pace})", press("escape"))
        if not rig.desk_in_front():
            acts = [escape]
            if isinstance(rig.app.screen, EndConversationDialog):
                acts.append(("works", f"ctrl+e: end the chat ({pace})", press("ctrl+e")))
            if self._view_on_top():
                acts += [("opens", f"{key} over the view ({pace})", press(key)) for key in APP_OPENING_KEYS]
            return acts
        if rig.composer_focused():
            acts = [("works", f"writes {words!r} ({pace})", partial(self._write, words, pace))]
            if self.placed < MOST_CONTACTS:
                mid = partial(self._offer_mid_sentence, words)
                acts.append(("works", f"writes {words!r}, an offer comes, goes on", mid))
            return [*acts, ("closes", f"escape: leaves the composer ({pace})", press("escape"))]
        if rig.typing():
            return [escape]
        acts = [("opens", f"{key} ({pace})", press(key)) for key in self._opening_keys()]
        if rig.applies("pick_disposition"):
            acts.append(("wraps", f"ctrl+o, a search typed at once ({pace})", partial(self._search_dispositions, pace)))
        if rig.pending_offer() is not None:
            for key, action in (("a", "accept"), ("r", "reject")):
                if rig.applies(action):
                    acts.append(("answers", f"{key} on the card ({pace})", partial(self._answer, key, greeting, pace)))
        for keys, action in DESK_KEYS:
            if rig.applies(action):
                acts.append(("works", f"{' '.join(keys)} ({pace})", press(*keys)))
        if rig.applies("reply"):
            acts.append(("works", f"i, writes {words!r} ({pace})", partial(self._reply, words, pace)))
        if rig.applies("end_contact") and self._ends_without_asking():
            for way in WRAP_UP_WAYS:
                act = partial(self._end_and_wrap_up, pace, way)
                acts.append(("wraps", f"e, the wrap-up typed behind it through {way} ({pace})", act))
        return acts

    # --- how -----------------------------------------------------------------------------------------

    async def _place(self, channel: str, wait_s: float = 2.0) -> None:
        """A contact placed at the contact center; if it is offered to me, waited for on the desk for `wait_s` (a
        rule's 2 s: another offer may be the one that came; the tour's longer, its next step needs this offer)."""
        self.placed += 1
        address = f"+1415555{self.placed:04d}" if channel == "voice" else f"customer{self.placed}@example.com"
        contact = await self.rig.mocks.place_call(address, channel=channel, subject=f"Harness {channel}")
        offered_here = lambda: (offer := self.rig.desk.offer) is not None and offer.contact.id == contact.id  # noqa: E731
        if self.rig.engine_offer() is not None:
            await self.rig.until(offered_here, limit_s=wait_s)  # as the agent would see it come in

    def _chats_in_hand(self) -> list[str]:
        held = self.rig.desk.held
        return sorted(c for c, h in held.items() if h.phase is Phase.TALKING and h.contact.channel is Channel.CHAT)

    def _customer_writes(self, contact_id: str) -> None:
        self.rig.run(self.rig.mocks.customer_says(contact_id, "Are you still there?"))

    def _pending_offer_on_top(self) -> OfferOver | None:
        dialog = self.rig.offer_on_top()
        offer = self.rig.pending_offer() if dialog is not None else None
        return (
            dialog
            if offer is not None and not present(dialog).missed and present(dialog).offer.id == offer.id
            else None
        )

    def _view_on_top(self) -> bool:
        top = self.rig.app.screen
        return isinstance(top, OverlayScreen) and top.ATTENTION is OverlayKind.VIEW and top in self.rig.over_desk()

    def _opening_keys(self) -> list[str]:
        return [
            *APP_OPENING_KEYS,
            *(key for key, commands in DESK_OPENING_KEYS if any(map(self.rig.applies, commands))),
        ]

    def _answer_on_top(self, dialog: OfferOver, key: str, greeting: str) -> None:
        self.rig.run(self.rig.sees(dialog))
        self._answer(key, greeting, "on")
        if key == "escape":
            self.sent_back.add(dialog.offer.id)

    def _answer(self, key: str, greeting: str, pace: str) -> None:
        offer = self.rig.pending_offer()
        self.rig.press(key, pace=pace)
        if key == "a" and greeting and offer is not None and offer.contact.channel is Channel.CHAT:
            self.rig.type(greeting, pace="on")  # at once, as they greet the customer
            self.typed[offer.contact.id] = self.typed.get(offer.contact.id, "") + greeting

    def _reply(self, words: str, pace: str) -> None:
        self.rig.press("i", pace=pace)
        if self.rig.run(self.rig.until(self.rig.composer_focused, limit_s=3.0)):
            self._write(words, "on")

    def _offer_mid_sentence(self, words: str) -> None:
        """The next contact offered in the middle of a sentence: the rest of it is for the composer."""
        self._write(words, "burst")
        self.rig.run(self.rig.typed_out())
        self.rig.run(self._place("chat" if self.placed % 2 else "voice"))
        self.rig.run(self.rig.until(lambda: self.rig.offer_on_top() is not None, limit_s=2.0))
        self._write(" and more", "on")

    def _ends_without_asking(self) -> bool:
        """The selected contact is talked to and `e` ends it at once (a chat whose customer wrote last asks first)."""
        held, conversation = self.rig.desk.selected(), self.rig.desk.selected_conversation()
        talking = held is not None and held.phase is Phase.TALKING
        return talking and (conversation is None or conversation.customer_waiting_since() is None)

    def _end_and_wrap_up(self, pace: str, way: str) -> None:
        """`e`, then the wrap-up at once: a disposition picked from a list (the second one, or one searched for),
        then the notes."""
        contact_id = present(self.rig.desk.selected_id)  # chosen only with a contact selected
        before, after = WRAP_UP_WAYS[way]
        self.rig.press("e", *before, pace=pace)
        disposition = None
        if after:
            search = sorted(SEARCHES)[int(contact_id.rsplit("-", 1)[-1]) % len(SEARCHES)]
            disposition = SEARCHES[search]
            self.rig.type(search, pace="on")
            self.rig.press(*after, pace="on")
        notes = f"wrapped {contact_id}"
        self.rig.type(notes, pace="on")
        self.wrapped[contact_id] = (notes, disposition)
        REACHED["the wrap-up", pace] += 1

    def _search_dispositions(self, pace: str) -> None:
        """ctrl+o, and a search typed at once: it is the list's (it used to be typed before the list was up)."""
        self.rig.press("ctrl+o", pace=pace)
        self.rig.type("escal", pace="on")
        self.searched = "escal"

    def _write(self, words: str, pace: str) -> None:
        contact_id = self.rig.screen.conversation.composer.contact_id
        self.rig.type(words, pace=pace)
        if contact_id is not None:
            self.typed[contact_id] = self.typed.get(contact_id, "") + words

    # --- after every step --------------------------------------------------------------------------

    @invariant()
    def what_the_agent_would_notice(self) -> None:
        if self.rig is None:
            return
        self.rig_is_running()
        left = self.rig.settled(self._problems)
        let_go = self.rig.app.key_turns.let_go_why
        assert not left, "after the desk settled:\n- " + "\n- ".join(left) + f"\n{self.rig.saw()}\nlet go: {let_go}"
        # 8: no key read on its bound (KeyTurns.LIMIT_S counts only the time the loop was free and a marker did not
        # come back: a handler stuck). Counted as a wall-clock bound until a clean-clone suite, the UI tier at
        # `nice 19` beside the real model, let the search typed behind ctrl+o go before the list was up.
        turns = self.rig.app.key_turns
        LET_GO["keys"] = max(LET_GO["keys"], turns.let_go)
        LET_GO.update(turns.let_go_why)
        assert not turns.let_go_why, f"keys read on their bound, their marker waiting: {turns.let_go_why}"
        pace, self.pace = self.pace, "world"
        REACHED.update((name, pace) for name in self.rig.came_in_front())
        rules = self.rig.rules_exercised()
        EXERCISED.update(rules | ({"7"} if pace in KEY_PACES else set()))
        if self.rig.offer_on_top() is not None:
            REACHED["OfferOver", pace] += 1

    def rig_is_running(self) -> None:
        """Invariant 2: no crash, no failure in the background."""
        app = self.rig.app
        assert app.is_running, f"the desk stopped (return code {app.return_code})"
        assert app.return_code is None, f"the desk stopped (return code {app.return_code})"
        failures = [n for n in app.said if BACKGROUND_FAILURE in n]
        assert not failures, f"the desk said: {failures}\n{self.rig.saw()}"

    def _problems(self) -> list[str]:
        self._look()
        return [
            *self._offer_in_front(),
            *self._nothing_typed_lost(),
            *self._desk_agrees_with_the_contact_center(),
            *self._no_list_left_about_a_saved_wrap_up(),
            *self._wrap_up_typed_behind_e_kept(),
            *self._search_in_the_list(),
        ]

    def _look(self) -> None:
        """Forget what the agent typed into composers that are gone."""
        rig = self.rig
        for contact_id in list(self.typed):
            held = rig.desk.held.get(contact_id)
            if held is not None and held.phase is not Phase.TALKING:
                del self.typed[contact_id]  # ended: its composer is gone with it

    def _offer_in_front(self) -> list[str]:
        """Invariant 1."""
        rig = self.rig
        offer = rig.pending_offer()
        if offer is None:
            return []
        address = shown_phone(offer.contact.from_address)  # as the desk writes a number
        problems = [] if address in rig.card() else [f"the desk's card does not show the offer from {address}"]
        top = rig.offer_on_top()
        if top is not None and top.offer.id == offer.id and not top.missed:
            return problems
        over = rig.over_desk()
        if not over and not rig.typing():
            return problems  # the card is in front
        if offer.id in self.sent_back:
            return problems  # escape: the offer stays on the card, under what was open
        if over and getattr(over[-1], "contact_id", None) == offer.contact.id:
            return problems  # about the offered contact itself (the customer to pick for this caller)
        names = [type(s).__name__ for s in over]
        return [*problems, f"the offer from {address} ({offer.id}) is hidden under {names} (typing {rig.typing()})"]

    def _nothing_typed_lost(self) -> list[str]:
        """Invariant 3."""
        problems = []
        for contact_id, typed in self.typed.items():
            if contact_id not in self.rig.desk.held:
                continue
            draft = self.rig.draft(contact_id)
            if typed not in draft and not any(typed in said for said in self.rig.app.said):
                problems.append(f"typed {typed!r} into {contact_id}'s composer; it holds {draft!r}")
        return problems

    def _desk_agrees_with_the_contact_center(self) -> list[str]:
        """Invariant 4."""
        rig, desk = self.rig, self.rig.desk
        problems = []
        if str(desk.agent_state()) != rig.engine_state():
            problems.append(f"the desk says {desk.agent_state()}, the contact center {rig.engine_state()}")
        offer = desk.offer.id if desk.offer is not None else None
        if offer != rig.engine_offer():
            problems.append(f"the desk's offer {offer}, the contact center's {rig.engine_offer()}")
        in_hand = {c for c, held in desk.held.items() if held.phase is not Phase.TIMED_OUT}
        if in_hand != rig.engine_in_hand():
            problems.append(
                f"in hand on the desk {sorted(in_hand)}, at the contact center {sorted(rig.engine_in_hand())}"
            )
        for contact_id, held in desk.held.items():
            if held.phase is Phase.TIMED_OUT and rig.engine_contact_state(contact_id) != "completed":
                problems.append(f"{contact_id} timed out on the desk, {rig.engine_contact_state(contact_id)} there")
        return problems

    def _no_list_left_about_a_saved_wrap_up(self) -> list[str]:
        """Invariant 5."""
        return [
            f"the disposition list of {screen.contact_id} is open; its wrap-up was saved"
            for screen in self.rig.app.screen_stack
            if isinstance(screen, DispositionPicker)
            and screen.contact_id is not None
            and self.rig.engine_contact_state(screen.contact_id) == "completed"
        ]

    def _wrap_up_typed_behind_e_kept(self) -> list[str]:
        """Invariant 6 (saved since, or the end refused and the call talked on: nothing to check)."""
        problems = []
        for contact_id, (notes, disposition) in self.wrapped.items():
            held = self.rig.desk.held.get(contact_id)
            if held is None or not held.phase.wrapping_up:
                continue
            kept = self.rig.desk.wrap_ups.get(contact_id)
            if any(notes in said for said in self.rig.app.said):
                continue  # said what became of it
            if kept is None or notes not in kept.notes:
                problems.append(f"typed {notes!r} into {contact_id}'s wrap-up behind e; it holds {kept!r}")
            elif disposition is not None and kept.disposition != disposition:
                problems.append(f"searched {contact_id}'s wrap-up for {disposition!r}; it holds {kept!r}")
        return problems

    def _search_in_the_list(self) -> list[str]:
        """Invariant 7: the search typed behind ctrl+o is in the list's search box, while the list is open (saved
        by its time box, it closes with a notice: rule 5)."""
        if self.searched is None:
            return []
        pickers = [s for s in self.rig.app.screen_stack if isinstance(s, DispositionPicker)]
        return [
            f"typed {self.searched!r} behind ctrl+o; the list's search holds {picker.search_box.value!r}"
            for picker in pickers
            if picker.search_box.value != self.searched
        ]


def reached_by_pace() -> str:
    """What came in front of the agent in a step, one line an overlay: how many steps reached it at each pace."""
    paces = ("read", "burst", "pause", "on", "world")
    names = sorted({name for name, _ in REACHED}, key=lambda name: -sum(REACHED[name, p] for p in paces))
    lines = [f"{'in front after a step':<28}" + "".join(f"{pace:>7}" for pace in paces)]
    lines += [f"{name:<28}" + "".join(f"{REACHED[name, pace]:>7}" for pace in paces) for name in names]
    return "\n".join(lines)


def exercised() -> str:
    """How many steps exercised each documented rule, one line a rule."""
    return "\n".join(f"rule {rule:<3}{EXERCISED[rule]:>6}  {words}" for rule, words in RULES.items())


def test_attention_harness() -> None:
    """The machine's examples; then what they reached, in front of the agent after a step, by the pace of the step's
    keys, and how many steps exercised each rule (printed; `-s` shows it)."""
    REACHED.clear()
    LET_GO.clear()
    EXERCISED.clear()
    run_state_machine_as_test(AttentionMachine, settings=settings(max_examples=examples(16), stateful_step_count=15))
    print(f"\n{reached_by_pace()}\n{exercised()}\nkeys let go on their bound (most in an example): {LET_GO['keys']}")
    print("where they waited:", {why: n for why, n in LET_GO.items() if why != "keys"})
    # What the random examples reach is the fixed seed's luck, and the seed is drawn from this machine's source (an
    # edit of the class draws other examples: one that added a line here reached the wrap-up once, and no disposition
    # list). So the tours below hold each overlay and each rule to both paces, asserted; the examples are counted.
    missing = [name for name in MUST_REACH if not any(n for (reached, _), n in REACHED.items() if reached == name)]
    if missing:
        print(f"the examples did not reach {missing} (the tours do)")
    if unexercised := [rule for rule in RULES if not EXERCISED[rule]]:
        print(f"the examples did not exercise rules {unexercised} (the tours do)")
    assert EXERCISED["7"], f"no step's keys were read in a burst:\n{exercised()}"


# The tour: each overlay the agent opens (the wrap-up and its disposition list first), at a pace, with every invariant
# looked at after each step, as an example of the machine's would. The random examples above reach some overlays at
# some paces only (eight examples of fifteen steps in `ci`); the tour makes sure each is reached by a real burst (one
# read of the terminal) and at a person's pace, for the price of two short examples.
TOUR_OPENS = ("?", "ctrl+p", "o", "d", "b", "t", "n")
TOUR_REACHES = (
    "HelpScreen",
    "CommandPalette",
    "OutboxView",
    "MyDayView",
    "CallbackDialog",
    "TransferDialog",
    "ReasonPicker",
)


TOUR_OFFER_S = 15.0  # the tour's wait for the offer it placed (a loaded desk took more than 2 s to show it)


def _step(machine: AttentionMachine, kind: str, name: str, pace: str) -> None:
    """The agent's act called `name` (its start), of those it can do now, at `pace`; then the invariants."""
    machine.searched = None
    machine.pace = pace
    acts = {act_name: act for k, act_name, act in machine._agent_can(pace, "hi", "") if k == kind}
    act = next((act for act_name, act in acts.items() if act_name.startswith(name)), None)
    assert act is not None, f"the agent cannot {name!r} ({kind}) now; it can: {sorted(acts)}"
    act()
    machine.what_the_agent_would_notice()


def _keys(machine: AttentionMachine, pace: str, *keys: str) -> None:
    machine.pace = pace
    machine.rig.press(*keys, pace=pace)
    machine.what_the_agent_would_notice()


@pytest.mark.parametrize("pace", MUST_PACES)
def test_the_tour_reaches_each_overlay(pace: str) -> None:
    """A call in hand: each overlay opened and closed, an offer over one, then the call wrapped up behind `e` each way
    (the disposition list opened over the first wrap-up too), each saved, the next call taken."""
    REACHED.clear()
    machine = AttentionMachine()
    try:
        machine.desk_available((120, 40), time_boxed=False, in_hand="voice", first=(0, pace))
        machine.what_the_agent_would_notice()
        for key in TOUR_OPENS:
            _step(machine, "opens", f"{ {'?': 'question_mark'}.get(key, key) } (", pace)
            _step(machine, "closes", "escape", pace)
        for n, way in enumerate(WRAP_UP_WAYS):
            if n:
                machine.rig.run(machine._place("voice", wait_s=TOUR_OFFER_S))
                _step(machine, "answers", "a on the card", pace)
            _step(machine, "wraps", f"e, the wrap-up typed behind it through {way}", pace)
            if n == 0:  # out of the notes, and the disposition list opened with a search typed at once
                _step(machine, "closes", "escape", pace)
                _step(machine, "wraps", "ctrl+o, a search typed at once", pace)
                _step(machine, "closes", "escape", pace)
            _keys(machine, pace, "ctrl+s")
        _step(machine, "opens", "d (", pace)  # nothing in hand: an offer comes over My day, and is answered on it
        machine.rig.run(machine._place("voice", wait_s=TOUR_OFFER_S))
        machine.what_the_agent_would_notice()
        _step(machine, "answers", "a on the offer on top", pace)
    finally:
        machine.teardown()
    print(f"\n{reached_by_pace()}")
    missing = [name for name in (*MUST_REACH, *TOUR_REACHES) if not REACHED[name, pace]]
    if not REACHED["OfferOver", "world"]:
        missing.append("OfferOver (the world's)")
    assert not missing, f"the tour at {pace} never reached {missing}:\n{reached_by_pace()}"


# The second tour: what steps aside for a chat accepted over my day and comes back, the wrap-up of the agent's `e`
# in front of it meanwhile (found in tmux: my day came back over the wrap-up when the accept was answered, and the
# notes typed next went to it), and the disposition list closed by its time box under an offer. With the first tour,
# every documented rule is exercised at both paces (rule 7 by the keys of one read).
TOUR_RULES = ("1", "2", "3", "4", "4e", "5", "6", "8")


@pytest.mark.parametrize("pace", MUST_PACES)
def test_the_tour_steps_aside_and_back(pace: str) -> None:
    """A chat answered in hand; my day open and a second chat accepted over it (my day steps aside); back on the
    contacts by the mouse, the first chat ended with `e` and wrapped up behind it (my day stays aside), saved (my day
    comes back); then, time-boxed, the second chat's disposition list open under an offer when the box runs out."""
    EXERCISED.clear()
    machine = AttentionMachine()
    try:
        machine.desk_available((120, 40), time_boxed=False, in_hand="chat, writing", first=(0, pace))
        rig = machine.rig
        first = present(rig.desk.selected_id)
        rig.type("hi", pace=pace)  # answered: `e` ends it without asking
        _keys(machine, "on", "enter")
        _keys(machine, pace, "escape")
        _step(machine, "opens", "d (", pace)  # my day, and a chat offered over it, accepted: my day steps aside
        rig.run(machine._place("chat"))
        machine.what_the_agent_would_notice()
        _step(machine, "answers", "a on the offer on top", pace)
        assert rig.over_desk() == [], f"my day stepped aside\n{rig.saw()}"
        assert rig.composer_focused(), rig.saw()
        rig.run(rig.pilot.click("#contacts"))  # back on the contacts (no escape: my day stays aside)
        if rig.desk.selected_id != first:
            _keys(machine, pace, "left_square_bracket")
        assert rig.desk.selected_id == first, rig.saw()
        _step(machine, "wraps", "e, the wrap-up typed behind it through ctrl+o's list", pace)
        assert rig.over_desk() == [], f"the wrap-up of e in front\n{rig.saw()}"
        _keys(machine, pace, "ctrl+s")  # saved: my day comes back
        assert type(rig.app.screen).__name__ == "MyDayView", f"my day back\n{rig.saw()}"
        _keys(machine, pace, "escape")
        # The second chat wrapped up, time-boxed, its disposition list open, an offer over it; the time box runs out
        # (and the offer's 20 s): the list closes under the offer, saying why.
        rule = {"mode": "time_boxed", "timeout_s": 20, "extension_s": 0, "default_disposition": "Resolved"}
        rig.run(rig.mocks.set_wrap_up_rule("billing", "chat", **rule))
        _keys(machine, pace, "e")
        if isinstance(rig.app.screen, EndConversationDialog):
            _keys(machine, pace, "ctrl+e")
        _keys(machine, pace, "ctrl+o")
        rig.run(machine._place("chat"))
        machine.what_the_agent_would_notice()
        rig.mocks.time.advance(21)
        machine.what_the_agent_would_notice()
    finally:
        machine.teardown()
    print(f"\n{exercised()}")
    missing = [rule for rule in TOUR_RULES if not EXERCISED[rule]]
    assert not missing, f"the tour at {pace} never exercised rules {missing}:\n{exercised()}"
