"""The rig of the stateful attention harness (tests/ui/attention/test_attention_harness.py): the real desk on the in-process
mocks, run on an event loop the harness owns (hypothesis's state machine is not async); keys typed with a person's
timeline; what is in front of the agent and what the contact center holds, read for the harness's invariants.

Every wait here is bounded: a step that cannot finish fails with what the agent saw, it never hangs the suite.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, TextArea
from textual.worker import WorkerState

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Contact, Offer, OfferState
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.plain_text import toast_text
from agent_desktop_mocks.ccaas.api.routers import contacts as contact_routes
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID
from tests.support.attention_rules import count_rules
from tests.support.desk_app import desk_app
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.scenes import scene_settings
from tests.support.scenes.pilot_steps import describe, offer_in_front, text_of
from tests.support.scenes.scenes import FROZEN_TIME
from tests.support.terminal_burst import key_bytes, send_read
from tests.support.typist import Typist

AGENT = DEMO_AGENT_ID
START_S = 30.0  # the desk up, loaded and Available (a busy 2-core machine)
STEP_S = 20.0  # any one step, settling included: past this the example fails, it does not hang
SETTLE_S = 5.0  # for what a step set off to be carried out (the next frame, a worker, the stream)
KEYS_READ_S = 120.0  # the longest a step waits for a busy desk: keys typed in it still to read, its requests (a starved desk is late)
BURST_READ_LATE_S = 2.0  # a key typed on at once may be read this late; later than that, a new run of typing
PAUSE_S = 0.6  # a person's pause between runs of typing: longer than a run's gap (TYPING_RUN_S), kept short


# The desk's workers that carry out a request (a use case, a message sent): the others run as long as the desk
# (its streams, the outbox's sender) or as long as a dialog they opened is open (its flow waits on it).
def carries_out_a_request(group: str) -> bool:
    return group == "actions" or group.startswith("send-")


class SlowContactCenter(InProcessContactCenter):
    """The in-process contact center, answering the desk's requests `delay_s` late when the harness says so."""

    delay_s = 0.0
    accepts_held: asyncio.Event | None = None  # set: an accept is answered once the harness lets it go

    async def _late(self) -> None:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)

    async def set_state(self, *args: Any, **kwargs: Any) -> Any:
        await self._late()
        return await super().set_state(*args, **kwargs)

    async def accept_offer(self, offer_id: str) -> Contact:
        await self._late()
        if self.accepts_held is not None:
            await self.accepts_held.wait()
        return await super().accept_offer(offer_id)

    async def reject_offer(self, offer_id: str) -> None:
        await self._late()
        await super().reject_offer(offer_id)

    async def end_contact(self, contact_id: str) -> Contact:
        await self._late()
        return await super().end_contact(contact_id)

    async def complete_contact(self, contact_id: str, disposition: str) -> Contact:
        await self._late()
        return await super().complete_contact(contact_id, disposition)


class HarnessMocks(InProcessMocks):
    """The scenes' mocks, whose contact center can be slowed."""

    def contact_center(self, agent_id: str = AGENT, capabilities: Any = None) -> InProcessContactCenter:
        self.slow_center = SlowContactCenter(self.ccaas_app, agent_id, capabilities)
        return self.slow_center

    def slow_down(self, seconds: float) -> None:
        self.slow_center.delay_s = seconds

    def hold_accepts(self) -> None:
        """The accepts asked for from now on wait for `answer_accepts` (a contact center slow to answer them)."""
        self.slow_center.accepts_held = asyncio.Event()

    def answer_accepts(self) -> None:
        if (held := self.slow_center.accepts_held) is not None:
            self.slow_center.accepts_held = None
            held.set()

    async def caller_gives_up(self, contact_id: str) -> None:
        """The caller hangs up while offered (`POST /v1/contacts/{id}/abandon`)."""
        await contact_routes.abandon(contact_id, SUPERVISOR, self.engine, self.ccaas_app.state.scope)


class NoticedApp(AgentDesktopApp):
    """The desk, remembering every notice it showed: a toast is gone after a few seconds, a step may take longer."""

    CSS_PATH = str(Path(inspect.getfile(AgentDesktopApp)).with_name(str(AgentDesktopApp.CSS_PATH)))
    said: list[str]

    def notify(self, message: Any, *, title: Any = "", severity: Any = "information", **kwargs: Any) -> None:
        if not hasattr(self, "said"):
            self.said = []
        self.said.append(f"{toast_text(title)}: {toast_text(message)}")
        super().notify(message, title=title, severity=severity, **kwargs)


class AttentionRig:
    """The desk and its mocks in a folder of their own, on a loop of their own. `run` carries out a coroutine on
    that loop, in the one context the app's run was entered in (Textual sets context variables on entering
    `run_test` and resets them on leaving: entered and left from different contexts, the reset fails)."""

    def __init__(self, size: tuple[int, int], *, desks: tuple[str, ...] = ("agent",)) -> None:
        """`desks`: the agent's alone, or the supervisor's beside it as in the demo (f2 switches)."""
        self.size = size
        self.desks = desks
        self.loop = asyncio.new_event_loop()
        self.context = contextvars.copy_context()
        self.folder = tempfile.TemporaryDirectory(prefix="attention-")
        self._mocks: HarnessMocks | None = None
        self._app: NoticedApp | None = None
        self._running: Any = None
        self._pilot: Pilot[None] | None = None
        self._typist: Typist | None = None
        self._read: list[str] | None = None  # the bytes of a read being typed (pace "read")
        self.reads = 0  # reads of the terminal sent to the desk
        self._came: list[str] = []  # the screens that came in front since last asked (by their class)
        self._rules: set[str] = (
            set()
        )  # the attention rules exercised since last asked (tests/support/attention_rules.py)

    # What `start` made: a rig is used once started.

    @property
    def mocks(self) -> HarnessMocks:
        assert self._mocks is not None, "the rig is not started"
        return self._mocks

    @property
    def app(self) -> NoticedApp:
        assert self._app is not None, "the rig is not started"
        return self._app

    @property
    def pilot(self) -> Pilot[None]:
        assert self._pilot is not None, "the rig is not started"
        return self._pilot

    @property
    def typist(self) -> Typist:
        assert self._typist is not None, "the rig is not started"
        return self._typist

    # --- the loop ----------------------------------------------------------------------------------

    def run(self, work: Coroutine[Any, Any, Any], limit_s: float = STEP_S) -> Any:
        self.send_read()  # the keys of a read under way are typed before anything else happens

        async def bounded() -> Any:
            try:
                async with asyncio.timeout(limit_s):
                    return await work
            except TimeoutError:
                raise AssertionError(f"a step was not done in {limit_s:.0f} s; the desk: {self.busy()}") from None

        return self.loop.run_until_complete(self.loop.create_task(bounded(), context=self.context))

    def start(self) -> None:
        """The mocks (in this rig's own folder) and the desk on them, up to its first screen."""
        self._mocks = HarnessMocks(scene_settings(Path(self.folder.name) / "mocks", customers=60), start=FROZEN_TIME)
        backends = self.mocks.backends(supervisor="supervisor" in self.desks)
        self._app = desk_app(app_class=NoticedApp, backends=backends, clock=self.mocks.clock.now, desks=self.desks)
        self.app.said = []
        running = self.app.run_test(size=self.size)
        # Entered without a timeout around it: a timeout's task would set Textual's context in a copy. (Textual
        # shuts the app down itself if it fails to start: there is then nothing to leave.)
        self._pilot = self.loop.run_until_complete(self.loop.create_task(running.__aenter__(), context=self.context))
        self._running = running
        self._typist = Typist(self.pilot)
        self.app.screen_change_signal.subscribe(self.app, self._screen_changed)
        count_rules(self.screen.front.attention, lambda rules: self._rules.update(rules))

    def close(self) -> None:
        """The app, the mocks, the loop and the folder closed, each even if the one before failed; the first
        error raised after all of them."""
        errors: list[BaseException] = []
        for close in (self._close_app, self._close_mocks, self._close_loop, self.folder.cleanup):
            try:
                close()
            except BaseException as error:  # noqa: BLE001 (the others still close)
                errors.append(error)
        if errors:
            raise errors[0]

    def _close_app(self) -> None:
        if self._running is None:
            return
        running, self._running = self._running, None
        exit_task = self.loop.create_task(running.__aexit__(None, None, None), context=self.context)
        self.loop.run_until_complete(asyncio.wait([exit_task], timeout=STEP_S))
        if not exit_task.done():
            exit_task.cancel()
            self.loop.run_until_complete(asyncio.wait([exit_task]))
            raise AssertionError(f"the desk did not close within {STEP_S:.0f} s")
        exit_task.result()

    def _close_mocks(self) -> None:
        if self._mocks is not None:
            self.loop.run_until_complete(self._mocks.aclose())

    def _close_loop(self) -> None:
        try:
            pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.wait(pending, timeout=5.0))
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        finally:
            self.loop.close()

    # --- keys ------------------------------------------------------------------------------------

    def press(self, *keys: str, pace: str) -> None:
        """Keys by name, posted at once as a terminal sends them. `pace`: "pause" — after a person's pause;
        "burst" — typed on from the last key (read late on a busy machine), or a new run if that was long ago; "read" —
        one read of the terminal, its bytes parsed by Textual's own parser and every key posted before the desk reads
        the first (tests/support/terminal_burst.py), sent when the step's keys are all typed; "on" — typed on from the
        last key, however long ago the desk read it (in the same read, after "read")."""
        self._pace(pace)
        for key in keys:
            if self._read is not None:
                self._read.append(key_bytes(key))
            else:
                self.typist.press(key)

    def type(self, text: str, *, pace: str) -> None:
        self._pace(pace)
        if self._read is not None:
            self._read.append(text)
            return
        for character in text:
            self.typist.type(character)

    def _pace(self, pace: str) -> None:
        if pace == "on" and self._read is not None:
            return  # the same read
        self.send_read()
        if pace == "read":
            self._read = []
            return
        at = self.typist.at
        if pace == "pause":
            self.typist.pause(PAUSE_S)
        elif pace == "burst" and (at is None or time.monotonic() - at > BURST_READ_LATE_S):
            self.typist.pause(0.0)  # a new run, now
        # "on": typed on from the last key, whenever the desk reads it

    def send_read(self) -> None:
        """The read being typed (pace "read"), to the desk as the terminal's one read."""
        if self._read is None:
            return
        data, self._read = "".join(self._read), None
        if data:
            self.reads += 1
            send_read(self.app, data)
            self.typist.at = time.monotonic()  # what is typed on from here follows it

    async def sees(self, dialog: OfferOver) -> None:
        """The agent sees `dialog` once it was painted, and pauses before their next key."""
        if not await self.until(lambda: dialog.shown_at <= time.monotonic()):
            raise AssertionError(f"{dialog!r} was never painted")
        self.typist.pause(PAUSE_S)

    async def typed_out(self) -> None:
        """Until the person has typed the keys posted (the typist stamps a key after a pause later than now): what
        happens next, happens after them, as on a terminal, where a key arrives when it is typed."""
        at = self._typist.at if self._typist is not None else None
        while at is not None and time.monotonic() < at:
            await self.pilot.pause()
            await asyncio.sleep(min(0.05, max(0.0, at - time.monotonic())))

    def _screen_changed(self, screen: Screen[Any]) -> None:
        self._came.append(type(screen).__name__)

    def rules_exercised(self) -> set[str]:
        """The attention rules the events told to the model exercised since last asked."""
        rules, self._rules = self._rules, set()
        return rules

    def came_in_front(self) -> list[str]:
        """The screens (by class) that came in front since last asked, the desk's own left out: what a step reached,
        even what it opened and closed again in one run of keys."""
        came, self._came = self._came, []
        return [name for name in came if name != type(self.screen).__name__]

    # --- settling ---------------------------------------------------------------------------------

    def busy(self) -> list[str]:
        """What the desk is still doing: the requests its workers are carrying out, the keys still to be read."""
        keys = ["keys of the terminal still to be read"] if self.app.key_turns.busy else []
        return keys + [
            f"worker {w.name!r} ({w.group}) still running"
            for w in self.app.workers
            if carries_out_a_request(w.group) and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]

    async def settle(self, problems: Callable[[], list[str]], limit_s: float = SETTLE_S) -> list[str]:
        """Let the desk work until it is idle and `problems()` finds none (looked at twice, a turn apart), or
        `limit_s` has passed since the desk was last busy (`busy`: keys of the terminal still to be read, a request
        still carried out), `KEYS_READ_S` at most: what is still wrong then. A busy desk is late, not wrong: starved
        of CPU (the UI tier at `nice 19` beside the real model), it read a burst's last keys more than five seconds
        after they were typed, and a wrap-up's save ran longer than five seconds after the last key; a bound counted
        from the typing found the list open, the notes unread, the save still running. A key held for good is
        `KeyTurns.let_go`'s to say (the harness fails on it), a request that never ends `KEYS_READ_S`'s."""
        await self.typed_out()
        started = last_busy = time.monotonic()
        while True:
            await self.pilot.pause()
            busy = self.busy()
            found = busy + problems()
            if not found:
                await self.pilot.pause()
                busy = self.busy()
                found = busy + problems()
                if not found:
                    return []
            now = time.monotonic()
            if busy:
                last_busy = now
            if now - last_busy > limit_s or now - started > KEYS_READ_S:
                return found
            await asyncio.sleep(0.02)

    def settled(self, problems: Callable[[], list[str]]) -> list[str]:
        """`settle` run to its own end: its bound (up to `KEYS_READ_S` for a starved desk's keys) is the one that
        says what is wrong, never the step's (a step's 20 s cut a settle still waiting for keys, saying nothing)."""
        left: list[str] = self.run(self.settle(problems), limit_s=KEYS_READ_S + STEP_S)
        return left

    async def until(self, condition: Callable[[], bool], limit_s: float = SETTLE_S) -> bool:
        deadline = time.monotonic() + limit_s
        while not condition():
            if time.monotonic() > deadline:
                return False
            await self.pilot.pause()
        return True

    # --- what the agent sees -----------------------------------------------------------------------

    @property
    def screen(self) -> AgentScreen:
        screen = self.app.get_screen("agent")
        assert isinstance(screen, AgentScreen)
        return screen

    @property
    def desk(self) -> Desk:
        return self.screen.desk

    def over_desk(self) -> list[Screen[Any]]:
        stack = self.app.screen_stack
        return stack[stack.index(self.screen) + 1 :] if self.screen in stack else []

    def desk_in_front(self) -> bool:
        """The desk's screen on top, nothing over it (not even an offer over its composer)."""
        return self.app.screen is self.screen and offer_in_front(self.app) is None

    def typing(self) -> bool:
        """The desk's focus takes letters: a text box, or a select's list open."""
        focused = self.screen.focused
        if isinstance(focused, Input | TextArea):
            return True
        return focused is not None and any(isinstance(n, Select) and n.expanded for n in focused.ancestors_with_self)

    def composer_focused(self) -> bool:
        return self.desk_in_front() and getattr(self.screen.focused, "id", None) == "composer"

    def offer_on_top(self) -> OfferOver | None:
        """The offer over what is open, on the screen in front (the desk's or one over it)."""
        return (
            offer_in_front(self.app) if self.app.screen is self.screen or self.app.screen in self.over_desk() else None
        )

    def pending_offer(self) -> Offer | None:
        offer = self.desk.offer
        return offer if offer is not None and offer.state is OfferState.PENDING else None

    def card(self) -> str:
        return text_of(self.screen.query_one("#offer"))

    def applies(self, action: str) -> bool:
        """The desk's command applies now (what its footer, palette and bindings read)."""
        return bool(self.screen.check_action(action, ()))

    def draft(self, contact_id: str) -> str:
        """What the composer holds for a conversation: the composer itself if it shows it, else its kept draft."""
        composer = self.screen.conversation.composer
        if composer.contact_id == contact_id:
            return composer.text
        return self.desk.conversations.composer.get(contact_id, "")

    def saw(self) -> str:
        """What the agent saw, for a failure's message."""
        stack = [type(s).__name__ for s in self.app.screen_stack]
        notices = self.app.said[-8:]
        return f"screens {stack}; focused {self.screen.focused!r}\n{describe(self.pilot)}\nlast notices {notices}"

    # --- the contact center --------------------------------------------------------------------------

    def engine_state(self) -> str:
        return str(self.mocks.engine.read.agent(AGENT).state)

    def engine_in_hand(self) -> set[str]:
        return {c.id for c in self.mocks.engine.read.contacts_in_hand(AGENT) if str(c.state) != "completed"}

    def engine_offer(self) -> str | None:
        pending = self.mocks.engine.read.pending_offers(AGENT)
        return pending[0].id if pending else None

    def engine_offered_contact(self) -> str | None:
        pending = self.mocks.engine.read.pending_offers(AGENT)
        return pending[0].contact.id if pending else None

    def engine_contact_state(self, contact_id: str) -> str:
        return str(self.mocks.engine.read.contact(contact_id).state)
