"""Keys with the times a person typed them. A terminal's key carries the time it arrived (Textual's `Message.time`,
set where the driver parses it), and the desk judges runs of typing by those times, never by when it got round to a
key (agent_desktop/agent_desk/attention.py). A test that says when each key was typed therefore reads the same on a
busy machine as on an idle one: its keys are posted at once, as a terminal sends them, stamped with the test's own
timeline."""

from __future__ import annotations

import time

from textual import events
from textual.pilot import Pilot

from agent_desktop.ui.textual_compat import character_key

# Between two keys of one run of typing: a quick typist, well inside the desk's run (TYPING_RUN_S).
KEY_GAP_S = 0.05
# A pause that ends a run: a person who stopped to look at what came up.
PAUSE_S = 1.0


async def looks_first(pilot: Pilot[None]) -> None:
    """A person who looks at what came up before their next key: that key begins a run of its own (keys a test
    presses at machine speed would run on from the last, and be read as typed before it was in sight)."""
    await pilot.pause(PAUSE_S / 2)


class Typist:
    """Posts keys to a running app as a terminal does (no wait for the app to be idle), each stamped `gap` after
    the one before; `pause()` puts a person's pause before the next key."""

    def __init__(self, pilot: Pilot[None], gap: float = KEY_GAP_S) -> None:
        self.pilot = pilot
        self.gap = gap
        self.at: float | None = None  # when the last key was typed, on the test's timeline

    def press(self, *keys: str) -> None:
        """Keys by name ("a", "enter", "ctrl+s"); a string of several letters is typed letter by letter with
        `type`."""
        for key in keys:
            self._post(key, key if len(key) == 1 else None)

    def type(self, text: str) -> None:
        for character in text:
            self._post(character_key(character), character)

    def pause(self, seconds: float = PAUSE_S) -> None:
        """The next key comes after a pause: `seconds` after the last key, and never before now (what came up
        meanwhile was in sight when the person went on)."""
        self.at = max(time.monotonic(), self.at if self.at is not None else 0.0) + seconds - self.gap

    async def sees(self, dialog: object, timeout_s: float = 10.0) -> None:
        """The person sees `dialog` (an offer's: once it was painted) and pauses before their next key."""
        deadline = time.monotonic() + timeout_s
        while getattr(dialog, "shown_at", 0.0) > time.monotonic():
            if time.monotonic() > deadline:
                raise AssertionError(f"{dialog!r} was never painted")
            await self.pilot.pause()
        self.pause()

    def _post(self, key: str, character: str | None) -> None:
        self.at = time.monotonic() if self.at is None else self.at + self.gap
        event = events.Key(key, character)
        event.time = self.at
        event.set_sender(self.pilot.app)
        self.pilot.app.post_message(event)
