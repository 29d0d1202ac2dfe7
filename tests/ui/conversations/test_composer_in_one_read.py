"""A reply edited in one burst, as the terminal delivers it: every key in one read, queued before the desk has read
the first (tests/support/terminal_burst.py feeds the bytes through Textual's own parser). A low: "a burst of
backspace and a sentence lost the backspace and the final '.'". The composer's own editing keys (backspace, delete,
the arrows) are its bindings, which Textual runs once the key has bubbled up to the app, turns after the letters
behind it were typed: the backspace ran last and took the sentence's '.' instead of the letter before it."""

from __future__ import annotations

from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.app import AgentDesktopApp
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, take, wait_until
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import agent_screen, describe
from tests.support.terminal_burst import send_read, terminal_bytes
from tests.ui.wrap_up.test_wrap_up_in_one_read import notifications_said

SENTENCE = " there, I will check."


async def test_a_backspace_and_a_sentence_in_one_read_edit_where_the_cursor_was(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice")
        # `i` into the reply, a word, a slip taken back and the sentence: one read of the terminal.
        send_read(pilot.app, terminal_bytes("i", text="Hix") + terminal_bytes("backspace", text=SENTENCE))
        composer = agent_screen(pilot).query_one("#composer", Composer)
        app = of_kind(pilot.app, AgentDesktopApp)
        wanted = "Hi" + SENTENCE
        await wait_until(
            pilot, lambda: composer.text == wanted, lambda: f"{wanted!r}; the reply holds {composer.text!r}"
        )
        await wait_until(pilot, lambda: not app.key_turns.busy, "every key of the read read")
        await pilot.pause()
        assert composer.text == wanted, f"{composer.text!r}; said {notifications_said(app)}\n{describe(pilot)}"
        assert notifications_said(app) == [], "every key went where the cursor was"
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.conversations.composer.get(contact_id) == wanted, "the draft kept")
