"""A crash of the desk's own code (a bug) with a card number typed in the wrap-up: the terminal is told where to
look (desk.log) and shows no traceback and no local variable, the card number among them; desk.log gets the
frames (kind, file, line, function) and nothing typed. Before, Textual printed Rich's traceback with every frame's
locals, `notes='… 4111 1111 1111 1111'` included."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from rich.console import Console
from textual.worker import WorkerFailed

from agent_desktop.agent_desk.wrap_up import wrap_up_use_cases
from agent_desktop.local.desk_log import DESK_LOGGER, LOG_NAME, start_desk_log
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, screen_text, wait_until

SIZE = (120, 40)
CARD = "4111 1111 1111 1111"


class DeskBug(Exception):
    """A bug in the desk's own code."""


async def test_a_crash_says_where_to_look_and_shows_no_locals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        secret = kwargs.get("never_loaded")  # noqa: F841 - a local of the crashing frame, as any bug's would be
        raise DeskBug(f"failed on {args[4]!r}")  # its message quotes the agent's text, as a bug's may

    monkeypatch.setattr(wrap_up_use_cases, "enqueue_wrap_up", broken)
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path / "mocks", seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    backends = mocks.backends(tmp_path / "desk" / "outbox.db")
    handler = start_desk_log(tmp_path / "desk")
    app = desk_app(backends, clock=mocks.clock.now)
    terminal_file = io.StringIO()
    # What Textual prints to the terminal once the app has left it (App.error_console: stderr, a public attribute).
    app.error_console = Console(file=terminal_file, width=80, markup=False, highlight=False)
    try:
        with pytest.raises(WorkerFailed):  # noqa: PT012  the run as a whole raises what ended the app
            async with app.run_test(size=SIZE) as pilot:
                await go_available(pilot)
                caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
                await mocks.place_call(caller.phone_e164, subject="Crash")
                await wait_until(pilot, lambda: "Crash" in screen_text(pilot, "#offer"), "the offer")
                await pilot.press("a")
                await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "connected")
                await pilot.press("e")
                await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
                await pilot.press("w", "enter", "down", "enter", "tab", *f"Paid with {CARD}", "ctrl+s")
                await pilot.pause(0.5)
    finally:
        logger = logging.getLogger(DESK_LOGGER)
        logger.removeHandler(handler)
        logger.propagate, logger.level = True, logging.NOTSET  # as before start_desk_log (other tests' caplog)
        handler.close()
        await mocks.aclose()
    terminal = terminal_file.getvalue()
    assert str(tmp_path / "desk" / LOG_NAME) in terminal.replace("\n", ""), terminal[-2000:]  # folded, never cut
    assert "DeskBug" in terminal
    for leak in ("4111", "Traceback", "locals", "secret", "notes ="):
        assert leak not in terminal, f"{leak!r} on the terminal:\n{terminal[-3000:]}"
    logged = (tmp_path / "desk" / LOG_NAME).read_text()
    assert "DeskBug" in logged
    assert "save_wrap_up" in logged
    assert "wrap_up_use_cases.py" in logged
    assert "4111" not in logged
    assert "Paid with" not in logged
