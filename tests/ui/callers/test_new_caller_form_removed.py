"""The new-caller form filled in as it is being removed (its screen closing, the card rebuilt — a server restart
under load in tests/e2e/backends/test_link_loss.py): Textual mounts nothing into a widget on its way out, and the form's
rows then raised MountError and ended the desk."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from agent_desktop.ui.agent.callers.new_caller_form import NewCallerForm


class _Card(App[None]):
    def compose(self) -> ComposeResult:
        yield NewCallerForm(id="new-caller")


async def test_a_form_filled_in_as_it_is_removed_leaves_the_desk_running() -> None:
    app = _Card()
    async with app.run_test() as pilot:
        form = app.query_one(NewCallerForm)
        form.remove()
        form.prefill("+1 617 555 0100")  # raised MountError
        form.set_hint("Creating…")
        form.focus_name()
        await pilot.pause()
        assert app.is_running
        assert not app.query(NewCallerForm)


async def test_a_form_filled_in_shows_the_callers_address_at_once() -> None:
    app = _Card()
    async with app.run_test() as pilot:
        form = app.query_one(NewCallerForm)
        form.prefill("ann@example.com")
        assert form.query_one("#new-email", Input).value == "ann@example.com"
        assert form.query_one("#new-phone", Input).value == ""
        await pilot.pause()
