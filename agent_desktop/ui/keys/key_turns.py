"""The keys of one read of the terminal, read one at a time: the next once the last has done what it does.

A terminal hands a fast typist's burst (or a paste) to the desk in one read, and Textual's driver posts every key in
it to the app at once. Textual hands each to the widget with the focus as the app reads it, and that widget reads it
in its own turn, later: by then the keys behind it have been handed out too, to wherever the cursor was before. So
`e ctrl+o escal enter Notes` typed the notes into the disposition list's search, because the enter that picks and
closes it (the search box's, through a message to the list) came after them; and letters typed before the list was
mounted got "does nothing in this dialog". Bindings run as the key is read (key_turn.py), but what a widget does
with a key, a message it posts, a screen mounting or closing and the answer its opener gets all happen in other
turns.

So a key from the terminal (or a paste) that sets off work in later turns waits here until that work is done: it
went through every widget it bubbled through, and what it set off in the widgets of the cursor's path has been
carried out — a list's search, its pick, a screen's closing and the answer handed to its opener, a new screen mounted
with its cursor placed. Each is seen by a round of markers (`call_later`) through the message queues of the cursor's
path, focused widget first, app last: a marker runs behind what was queued there before it, so when the last has run
the key has been read everywhere it went. Rounds repeat while the path moved (a screen opened or closed, the focus
moved) or still has work queued, up to `MOST_ROUNDS`. Nothing is timed by the clock on the wall: a marker lost with
the widget removed under it starts a new round, and the bound (`LIMIT_S`) that lets the next key go counts only the
time the event loop was free to run the marker and did not (a handler awaiting something that never comes), with the
CPU the desk's for the asking (no preemption). A desk that got no CPU (a starved machine: the suite's UI tier at
`nice 19` beside the real model) reads its keys late and in order: with a wall-clock bound, the search typed behind
ctrl+o was read before the list was up, the list stayed open, nothing picked, the notes in its search. Counted in
`let_go`: a test can say it never happened.

Most keys wait for nothing, for each round is turns of the event loop in which a backend's answer can overtake the
keys typed before it came (with the cores busy, an end refused after 0.3 s came before the notes typed behind `e`,
and `o` of them opened the outbox): a key that did all it does in its own turn (a binding run as it is read, the
focus moved, the screen stack as it was: `done`) lets the next be read at once, and so does a key typed into a text
box or an open list (`typed`): the next typed into the same widget goes behind it in its queue, and only another
key waits until the widget has read what was typed.
"""

from __future__ import annotations

import asyncio
import resource
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.widget import Widget

from agent_desktop.agent_desk.attention import NextKey
from agent_desktop.ui.keys.key_turn import typed_into
from agent_desktop.ui.textual_compat import has_work_waiting, pump_gone, pump_state

MOST_ROUNDS = 8  # rounds of markers one key may take before the next is read (a pick that closes a list: 3 or 4)
# The longest a key waits for the one before it while the event loop is free and its marker does not come back (a
# handler awaiting what never comes); time the loop had no turn for the marker is not counted.
LIMIT_S = 5.0
# How often a settling key looks at its marker, and how late a look may come and still find the loop free: a look
# later than that came after the loop had other work (or no CPU), and its time is not counted towards the bound;
# nor is a look's time in which the kernel took the CPU from the desk (a preemption: the machine is busy), or in
# which the loop itself worked for more than `BUSY_SHARE` of it (in short turns, each on time: not free either).
LOOK_EVERY_S = 0.1
ON_TIME_S = 0.05
BUSY_SHARE = 0.5

TerminalInput = events.Key | events.Paste


class KeyTurns:
    """The app's terminal input, in order, a key at a time. `take` reads one (the app's own handling); the app asks
    `waits` for every key and paste from the terminal, and `take` ends by saying how the key was read: `done`,
    `typed` or `taken`."""

    def __init__(
        self,
        app: App[Any],
        take: Callable[[TerminalInput], Awaitable[None]],
        *,
        most_rounds: int = MOST_ROUNDS,
        limit_s: float = LIMIT_S,
    ) -> None:
        self.app = app
        self._take = take
        self.most_rounds = most_rounds
        self.limit_s = limit_s
        self._waiting: deque[TerminalInput] = deque()
        self._settling = False  # the last key read is not done yet
        self._rounds = 0
        self._round_id = 0  # every round's own number, never reused: a marker of a round begun again is stale
        self._seen: tuple[object, ...] = ()  # the screens and the focus as a round began
        self._look_timer: asyncio.TimerHandle | None = None
        self._look_due = 0.0  # when the next look at the marker was asked for
        self._preempted = 0  # the process's preemptions as that look was asked for
        self._worked_s = 0.0  # the loop's thread's CPU time then
        self._stuck_s = 0.0  # the time the loop was free and the marker did not come back, since the key was read
        self._typing_into: Widget | None = None  # the last key was typed into it, and may still wait in its queue
        self.let_go = 0  # keys read on the bound, a marker stuck while the loop was free (never, when all is well)
        self.let_go_why: list[str] = []  # where each key let go on the bound was still waiting, for a test to say
        self._marker_at: MessagePump | None = None  # where the round's last marker was posted
        self.most_rounds_taken = 0  # the most rounds any key took (for a test, a benchmark)

    @property
    def busy(self) -> bool:
        """Keys from the terminal are still to be read, or the last one's work to be seen done."""
        return self._settling or bool(self._waiting)

    def waits(self, event: TerminalInput) -> bool:
        """`event` from the terminal waits for the keys before it (True: it is read later, in order)."""
        if self._settling or self._waiting:
            self._waiting.append(event)
            return True
        if self._typing_into is not None and typed_into(self.app.screen, event) is not self._typing_into:
            self._waiting.append(event)  # what was typed is read first, where it went
            self._settle()
            return True
        return False

    def read(self, next_key: NextKey, typing: Widget | None) -> None:
        """A key was read; the next is read as the attention model says (`next_key`, rule 7): at once (`done`),
        behind what was typed into `typing` (`typed`), or once what the key set off is done (`taken`)."""
        if next_key is NextKey.AT_ONCE:
            self.done()
        elif next_key is NextKey.BEHIND_TYPING and typing is not None:
            self.typed(typing)
        else:
            self.taken()

    def done(self) -> None:
        """A key was read and did all it does in its own turn (a binding that moved the focus, a decision drawn): the
        next is read at once."""
        self._typing_into = None
        self._go_on()

    def typed(self, widget: Widget) -> None:
        """A key was handed to `widget` as typing (`typed_into`): the next typed into it goes behind it in its queue at
        once; any other waits until the widget has read what was typed."""
        self._typing_into = widget
        self._go_on()

    def taken(self) -> None:
        """A key was read whose work goes on in later turns (a screen opened or closed, a widget's own key that may
        post, submit or dismiss): the next waits until what it set off is done."""
        self._settle()

    def _settle(self) -> None:
        self._typing_into = None
        self._settling = True
        self._rounds = 0
        self._stuck_s = 0.0
        self._look_later()
        self._round()

    def _look_later(self) -> None:
        """A look at the marker soon, on the event loop itself: the app's own queue may be what holds it."""
        if self._look_timer is not None:
            self._look_timer.cancel()
        self._look_due = time.monotonic() + LOOK_EVERY_S
        self._preempted = preemptions()
        self._worked_s = time.thread_time()
        self._look_timer = asyncio.get_running_loop().call_later(LOOK_EVERY_S, self._look)

    # --- the rounds ----------------------------------------------------------------------------------

    def _path(self) -> list[MessagePump]:
        """The cursor's path: the focused widget up to its screen, then the app (or the screen alone)."""
        if not self.app.screen_stack:  # (the app closing)
            return [self.app]
        screen = self.app.screen
        focused = screen.focused
        path: list[MessagePump] = list(focused.ancestors_with_self) if focused is not None else [screen]
        if path[-1] is not self.app:
            path.append(self.app)
        return path

    def _where(self) -> tuple[object, ...]:
        stack = self.app.screen_stack
        return (*stack, stack[-1].focused if stack else None)

    def _round(self) -> None:
        self._rounds += 1
        self.most_rounds_taken = max(self.most_rounds_taken, self._rounds)
        self._seen = self._where()
        self._round_id += 1
        self._step(iter(self._path()), self._round_id)

    def _step(self, path: Iterator[MessagePump], round_: int) -> None:
        """The next marker of a round, behind what is queued at the next pump of the path (one closed takes none)."""
        if not self._settling or round_ != self._round_id:
            return  # let go meanwhile, or a round begun again since
        for pump in path:
            if pump.call_later(self._step, path, round_):
                self._marker_at = pump
                return
        self._marker_at = None
        self._round_done()

    def _round_done(self) -> None:
        moved = self._where() != self._seen
        busy = any(has_work_waiting(pump) for pump in self._path()[:-1])  # (the app's queue always has some)
        if (moved or busy) and self._rounds < self.most_rounds:
            self._round()
            return
        self._done()

    def _look(self) -> None:
        """A look at the round under way: its marker lost with its widget (a new round), late because the loop had no
        turn for it (not counted), or stuck while the loop was free (counted, and the key let go at the bound)."""
        if not self._settling:
            return
        if self._marker_at is not None and pump_gone(self._marker_at):
            if self._rounds >= self.most_rounds:
                self._done()
                return
            self._look_later()
            self._round()
            return
        if self._loop_was_free():
            self._stuck_s += LOOK_EVERY_S
        if self._stuck_s < self.limit_s:
            self._look_later()
            return
        self.let_go += 1
        self.let_go_why.append(self._waiting_at())
        self._done()

    def _loop_was_free(self) -> bool:
        """Since the last look was asked for, the loop waited for something: the look came on time, the desk kept the
        CPU whenever it could run, and the loop's thread worked less than `BUSY_SHARE` of the time."""
        return (
            time.monotonic() - self._look_due <= ON_TIME_S
            and preemptions() == self._preempted
            and time.thread_time() - self._worked_s < LOOK_EVERY_S * BUSY_SHARE
        )

    def _waiting_at(self) -> str:
        """Where the marker of the round under way waits: the pump, whether it still runs, what is queued before it."""
        pump = self._marker_at
        if pump is None:
            return f"round {self._rounds}: no marker out"
        return f"round {self._rounds}: at {type(pump).__name__} ({pump_state(pump)})"

    def _done(self) -> None:
        self._settling = False
        if self._look_timer is not None:
            self._look_timer.cancel()
            self._look_timer = None
        self._go_on()

    def _go_on(self) -> None:
        if self._waiting and not self._settling:
            self.app.call_later(self._next)

    async def _next(self) -> None:
        if self._settling or not self._waiting:
            return
        if self._typing_into is not None and typed_into(self.app.screen, self._waiting[0]) is not self._typing_into:
            self._settle()
            return
        await self._take(self._waiting.popleft())


def preemptions() -> int:
    """How often the kernel has taken the CPU from this process's threads while they could run (involuntary context
    switches): a desk at `nice 19` on a busy machine is preempted every few milliseconds, and a look on time may still
    come after the loop's work waited for the CPU rather than for something that never comes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_nivcsw
