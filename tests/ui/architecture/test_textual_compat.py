"""The private Textual API the desk uses (agent_desktop/ui/textual_compat.py) still exists and still behaves as the
desk expects: a Textual upgrade that moves, renames or changes one fails here, naming it, instead of in an
agent's terminal. And nothing outside that module reaches past Textual's public API."""

from __future__ import annotations

import ast
import html
import inspect
import io
import re
from pathlib import Path
from typing import Any

import pytest
import textual
from rich.console import Console
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.drivers import linux_driver
from textual.screen import Screen
from textual.widgets import Footer, Select, Static, TabbedContent, TabPane, TextArea

from agent_desktop.ui import textual_compat
from agent_desktop.ui.keys.key_turn import KeyTurnScreen
from agent_desktop.ui.textual_compat import (
    CrashWithoutLocals,
    WriterThread,
    XTermParser,
    app_exception,
    as_default_screen,
    character_key,
    check_bindings,
    close_select_list,
    dispatch_key,
    driver_app,
    driver_debug,
    driver_writer,
    frame_steps,
    has_work_waiting,
    layout_pending,
    modal_binding_chain,
    normalize_keys,
    notifications,
    render_strips,
    screenshot_text,
    select_list_of,
    writer_output,
)
from tests.support.textual_privates import Reach, defined_privates, reaches

ROOT = Path(__file__).resolve().parents[3]
VERIFIED_WITH = textual_compat.TEXTUAL_VERSION  # the Textual these were read in (pyproject.toml pins it)
# The private Textual API used outside textual_compat, each with the reason it is not behind it: (file, name) → why.
# Anything else the guard below finds fails it; an entry no longer found fails it too (so the list says what is).
ALLOWED_PRIVATES: dict[tuple[str, str], str] = {
    (
        "benchmarks/timeline_startup.py",
        "_exit",
    ): "os._exit: the instruction-counting probe ends at its first frame, without the app's teardown",
    ("benchmarks/bench_presence.py", "_display"): "the benchmark times each frame where the app hands it to the driver",
    (
        "benchmarks/bench_presence.py",
        "_driver",
    ): "the benchmark feeds keys to the driver, as a terminal does (Pilot waits for idle)",
    (
        "benchmarks/bench_dial.py",
        "_driver",
    ): "the benchmark hands the dial key to the driver, as a terminal does (Pilot's press waits for idle)",
    (
        "benchmarks/bench_transcript.py",
        "_display",
    ): "the benchmark times each frame where the app hands it to the driver",
    ("benchmarks/supervisor_timing.py", "_compositor_refresh"): "the benchmark times the screen's paint by wrapping it",
    ("benchmarks/bench_adherence.py", "_compositor_refresh"): "the benchmark times the screen's paint by wrapping it",
    (
        "tests/ui/offers/test_offer_countdown_over_the_composer.py",
        "_compositor",
    ): "the test reads the regions a screen draws (a dropped repaint)",
    (
        "tests/ui/offers/test_offer_countdown_over_the_composer.py",
        "_dirty_regions",
    ): "the test reads the regions a screen draws (a dropped repaint)",
    (
        "tests/ui/architecture/test_textual_patches.py",
        "_styles_cache",
    ): "a patch's reproduction: what holds a removed widget's lines",
    (
        "tests/ui/attention/test_typing_after_accept.py",
        "_set_forwarded",
    ): "the test hands keys to a widget as the app forwards a terminal's keys (a race no Pilot key reproduces)",
}


def test_the_textual_these_were_checked_against() -> None:
    assert textual.__version__ == VERIFIED_WITH, (
        f"Textual {textual.__version__}: re-read every name in agent_desktop/ui/textual_compat.py (and the driver "
        "internals agent_desktop/ui/terminal/terminal_loss.py copies) against it, then set VERIFIED_WITH"
    )


def test_the_keymap_normalisation() -> None:
    assert normalize_keys("?, ctrl+a") == "question_mark,ctrl+a"
    assert normalize_keys("]") == "right_square_bracket"


async def test_write_raw_goes_where_the_bell_goes() -> None:
    """Desktop notifications (agent_desktop/ui/notices/desktop_notifier.py) write their escape sequence as `App.bell` writes BEL:
    to the driver, in order with the frames; nothing when headless."""
    assert 'self._driver.write("\\07")' in inspect.getsource(App.bell), "App.bell no longer writes through its driver"
    app: App[None] = App()
    async with app.run_test() as pilot:
        textual_compat.write_raw(pilot.app, "\x1b]9;hello\x07")  # headless: nothing, no error (the tmux e2e sees it)


async def test_the_linux_driver_internals_terminal_loss_builds_on() -> None:
    """ui/terminal/terminal_loss.py swaps the driver's writer thread, copies its input loop and reads what the driver keeps."""
    assert linux_driver.WriterThread is WriterThread, (  # type: ignore[attr-defined]  # Textual imports it, exports it not
        "the Linux driver no longer makes its writer from this name"
    )
    file = io.StringIO()
    writer = WriterThread(file)
    out, queue = writer_output(writer)
    writer.write("x")
    assert out is file
    assert queue.get_nowait() == "x"
    assert callable(writer.run)
    app: App[None] = App()
    driver = linux_driver.LinuxDriver(app, debug=True, mouse=False, size=(80, 24))
    assert driver_app(driver) is app
    assert driver_debug(driver) is True
    assert driver_writer(driver) is None
    source = inspect.getsource(linux_driver.LinuxDriver)
    for name in (
        "self._writer_thread = WriterThread(",
        "def run_input_thread",
        "def start_application_mode",
        "XTermParser(self._debug)",
    ):
        assert name in source, f"LinuxDriver has no {name} any more"
    parser = XTermParser()
    assert [type(e) for e in parser.feed("a")] + [type(e) for e in parser.tick()] == [events.Key]
    assert character_key(".") == "full_stop"
    assert character_key("a") == "a"


class _KeysFirst(App[None]):
    """As app.py and composer.py: a public `on_key` that runs before Textual's own key handler of the class below
    it, and keeps it from running with `prevent_default` (the app's: the bindings; the text area's: typing)."""

    BINDINGS = [Binding("x", "hit", "Hit")]
    hits = 0

    def compose(self) -> ComposeResult:
        yield _EnterSends()

    async def on_key(self, event: events.Key) -> None:
        if event.key == "x":
            event.prevent_default()

    def action_hit(self) -> None:
        self.hits += 1


class _EnterSends(TextArea):
    sent = 0

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.sent += 1


async def test_a_public_on_key_runs_first_and_prevent_default_keeps_textuals_key_handler_from_running() -> None:
    """app.py's on_key runs the bindings itself (check_bindings, then dispatch_key, App._on_key's own helper);
    composer.py's on_key sends on enter and leaves every other key to the text area."""
    assert inspect.iscoroutinefunction(dispatch_key)
    assert list(inspect.signature(dispatch_key).parameters) == ["node", "event"]
    app = _KeysFirst()
    async with app.run_test(size=(40, 6)) as pilot:
        box = app.query_one(_EnterSends)
        box.focus()
        await pilot.press("a", "enter", "b")
        assert (box.text, box.sent) == ("ab", 1)
        box.blur()
        await pilot.press("x")
        assert app.hits == 0, "Textual's own key handler ran the binding after a prevented default"
        assert await check_bindings(app, "x")
        assert app.hits == 1


class _Probe(App[None]):
    BINDINGS = [Binding("x", "hit", "Hit", id="probe.hit")]
    hits = 0

    def compose(self) -> ComposeResult:
        with TabbedContent():
            yield TabPane("Cases [1]", id="cases")
        yield Footer()

    def action_hit(self) -> None:
        self.hits += 1


async def test_the_running_app_as_the_desk_and_its_tests_read_it() -> None:
    app = _Probe()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        chain = modal_binding_chain(app.screen)
        assert chain
        assert all(isinstance(bindings, BindingsMap) for _, bindings in chain)
        assert any(node is app and "x" in bindings.key_to_bindings for node, bindings in chain)
        assert await check_bindings(app, "x")
        assert app.hits == 1
        assert not await check_bindings(app, "z")
        app.set_keymap({"probe.hit": "y"})  # the keymap is applied in the chain the help reads
        assert any("y" in bindings.key_to_bindings for _, bindings in modal_binding_chain(app.screen))

        app.notify("hello", title="probe")
        await pilot.pause()
        assert [n.message for n in notifications(app)] == ["hello"]
        lines = [strip.text for strip in render_strips(app.screen)]
        assert len(lines) == 10
        assert any("Cases" in line for line in lines)
        assert app_exception(app) is None


async def test_work_waiting_at_a_widget_is_its_queued_messages_and_its_next_callbacks() -> None:
    """ui/keys/key_turns.py reads whether what a key set off is done at each widget of the cursor's path
    (`MessagePump._message_queue`, `_next_callbacks`)."""
    app = _Probe()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not has_work_waiting(screen)
        screen.call_later(lambda: None)
        assert has_work_waiting(screen), "a message queued"
        await pilot.pause()
        assert not has_work_waiting(screen)
        screen.call_next(lambda: None)
        assert has_work_waiting(screen), "a callback to run next"
        await pilot.pause()
        assert not has_work_waiting(screen)


async def test_the_screenshot_text_holds_every_character_the_screenshot_shows() -> None:
    """tests/support/hostile_screen.py looks for control characters in `screenshot_text`, not in the SVG."""
    app = _Probe()
    async with app.run_test(size=(60, 10)) as pilot:
        app.title = "a <b> & 'c'"  # the SVG's title, HTML-escaped
        await pilot.pause()
        text, svg = screenshot_text(app), app.export_screenshot()
        shown = [html.unescape(run).replace("\xa0", " ") for run in re.findall(r"<text [^>]*>([^<]*)</text>", svg)]
        assert len(shown) > 5
        assert "a <b> & 'c'" in shown
        assert "Cases" in text
        assert [run for run in shown if run not in text] == []


class _TwoScreens(App[None]):
    """A default screen of its own, and f2 to switch between it and another installed screen (as app.py)."""

    BINDINGS = [Binding("f2", "switch", "Switch")]

    def get_default_screen(self) -> Screen[Any]:
        first: Screen[None] = Screen(name="first")
        self.install_screen(first, "first")
        return as_default_screen(first, self)

    def on_mount(self) -> None:
        self.install_screen(Screen(name="second"), "second")

    def action_switch(self) -> None:
        self.switch_screen("second" if self.screen.name == "first" else "first")


def test_the_frame_steps_a_profile_times_are_still_there() -> None:
    for cls, name, _step in frame_steps():
        assert callable(getattr(cls, name, None)), f"{cls.__name__}.{name}"
    assert layout_pending(Static()) is False


class _Crashing(CrashWithoutLocals, App[None]):
    def crash_message(self, error: BaseException | None) -> str:
        self.crashed_on = error
        return f"stopped: {type(error).__name__}"

    def on_mount(self) -> None:
        typed = "4111 1111 1111 1111"  # noqa: F841 - a local Textual's traceback would show
        raise LookupError("boom")


async def test_a_crash_goes_through_crash_message_not_textuals_traceback_with_locals() -> None:
    """Textual's `App._fatal_error` still draws a traceback with locals (what CrashWithoutLocals replaces), and an
    app built on CrashWithoutLocals shows its `crash_message` instead, ending with exit code 1 as before."""
    assert "show_locals=True" in inspect.getsource(App._fatal_error)
    app = _Crashing()
    printed = io.StringIO()
    app.error_console = Console(file=printed, width=80)
    with pytest.raises(LookupError):
        async with app.run_test(size=(40, 5)):
            pass
    assert isinstance(app.crashed_on, LookupError)
    assert app.return_code == 1
    assert "stopped: LookupError" in printed.getvalue()
    assert "4111" not in printed.getvalue()


async def test_switching_away_from_a_default_screen_and_back() -> None:
    app = _TwoScreens()
    async with app.run_test(size=(40, 5)) as pilot:
        for name in ("second", "first", "second"):
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen.name == name
            assert app_exception(app) is None
    assert app_exception(app) is None


def _reaches() -> list[Reach]:
    compat, here = Path(textual_compat.__file__).resolve(), Path(__file__).resolve()
    files = [p for folder in ("agent_desktop", "tests", "benchmarks", "scripts") for p in (ROOT / folder).rglob("*.py")]
    trees = {p: ast.parse(p.read_text(), str(p)) for p in files}
    project = {name for tree in trees.values() for name in defined_privates(tree)}
    return [
        reach
        for path, tree in trees.items()
        if path.resolve() not in (compat, here)
        for reach in reaches(str(path.relative_to(ROOT)), tree, project)
    ]


def test_only_textual_compat_reaches_past_textuals_public_api() -> None:
    found = _reaches()
    unlisted = sorted({str(r) for r in found if (r.path, r.name) not in ALLOWED_PRIVATES})
    assert unlisted == [], "put it behind agent_desktop/ui/textual_compat.py, or list it in ALLOWED_PRIVATES with why"
    stale = set(ALLOWED_PRIVATES) - {(r.path, r.name) for r in found}
    assert stale == set(), "listed but no longer used, or no longer a name of Textual's: re-read the entry"


GUARDED = """
from textual.drivers import linux_driver
from textual.widgets import TextArea
from textual.keys import _character_to_key


def lines(screen):
    return screen._compositor.render_strips()


class Editor(TextArea):
    async def _on_key(self, event):
        await super()._on_key(event)


def driver_class():
    class Driver(linux_driver.LinuxDriver):
        def start_application_mode(self):
            self._told = True  # the project's own
            return self._writer_thread
    return Driver
"""


def test_the_guard_finds_a_private_read_an_override_and_a_driver_internal() -> None:
    found = {(r.line, r.how, r.name) for r in reaches("agent_desktop/ui/example.py", GUARDED, {"_told"})}
    assert found == {
        (4, "imports", "_character_to_key"),
        (8, "uses", "_compositor"),
        (12, "overrides", "_on_key"),
        (13, "uses", "_on_key"),
        (20, "uses", "_writer_thread"),
    }


class _PickerScreen(KeyTurnScreen):
    def compose(self) -> ComposeResult:
        yield Select([("Resolved", "resolved"), ("Escalated", "escalated")], id="picked")


class _Picker(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_PickerScreen())


async def test_a_selects_list_is_chosen_from_and_closed_at_once_the_focus_back_on_the_select() -> None:
    """ui/keys/key_turn.py answers a Select's open list in the key's turn: `Select._options` and what
    `Select._update_selection` does are still what it relies on, and the list closed takes no focus."""
    app = _Picker()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        select = app.screen.query_one(Select)
        select.expanded = True
        overlay = select_list_of(select)
        app.screen.set_focus(overlay)
        overlay.highlighted = 2  # (0: the blank)
        assert close_select_list(overlay, choose=True), "an option was chosen"
        assert (select.value, select.expanded, app.screen.focused) == ("escalated", False, select)
        select.expanded = True
        app.screen.set_focus(overlay)
        overlay.highlighted = 0
        assert not close_select_list(overlay, choose=False)  # escape: nothing chosen
        assert (select.value, select.expanded, app.screen.focused) == ("escalated", False, select)
        await pilot.pause()
        assert app.screen.focused is select, "Textual's own focus of the list, later, is refused (KeyTurnScreen)"
