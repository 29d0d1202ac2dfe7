"""The private Textual API the desk uses (desktop/ui/textual_compat.py) still exists and still behaves as the
desk expects: a Textual upgrade that moves, renames or changes one fails here, naming it, instead of in an
agent's terminal. And nothing outside that module reaches past Textual's public API."""

from __future__ import annotations

import ast
import gc
import html
import inspect
import io
import re
from pathlib import Path

import textual
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.color import Color
from textual.screen import ModalScreen, Screen
from textual.drivers import linux_driver
from textual.widget import Widget
from textual.widgets import Footer, Static, TabbedContent, TabPane, TextArea

from desktop.ui import textual_compat
from desktop.ui.textual_compat import Compositor
from desktop.ui.textual_compat import (
    WriterThread,
    XTermParser,
    app_exception,
    as_default_screen,
    check_bindings,
    dispatch_key,
    frame_steps,
    layout_pending,
    modal_binding_chain,
    normalize_keys,
    notifications,
    render_strips,
    screenshot_text,
    settle_background_screens,
    unpin_styles_caches,
)

ROOT = Path(__file__).resolve().parents[2]
VERIFIED_WITH = "8.2.8"  # the Textual these were read in (pyproject.toml pins it)
# Private attributes of Textual's objects: read only through textual_compat.
TEXTUAL_PRIVATES = {
    "_notifications", "_compositor", "_modal_binding_chain", "_binding_chain", "_exception", "_check_bindings",
    "_keymap", "_title", "_bindings", "_footer", "_push_result_callback", "_pop_result_callback",
}  # fmt: skip


def test_the_textual_these_were_checked_against():
    assert textual.__version__ == VERIFIED_WITH, (
        f"Textual {textual.__version__}: re-read every name in desktop/ui/textual_compat.py (and the driver "
        "internals desktop/ui/terminal_loss.py copies) against it, then set VERIFIED_WITH"
    )


def test_the_keymap_normalisation():
    assert normalize_keys("?, ctrl+a") == "question_mark,ctrl+a"
    assert normalize_keys("]") == "right_square_bracket"


def test_the_linux_driver_internals_terminal_loss_builds_on():
    """terminal_loss.py swaps the driver's writer thread and copies its input loop (Textual 8.2.8)."""
    assert linux_driver.WriterThread is WriterThread, "the Linux driver no longer makes its writer from this name"
    writer = WriterThread(io.StringIO())
    assert hasattr(writer, "_file") and hasattr(writer, "_queue") and callable(writer.run)
    source = inspect.getsource(linux_driver.LinuxDriver)
    for name in ("self._writer_thread", "self._app", "self._debug", "def run_input_thread", "def start_application_mode", "XTermParser("):
        assert name in source, f"LinuxDriver has no {name} any more"
    parser = XTermParser()
    assert [type(e) for e in parser.feed("a")] + [type(e) for e in parser.tick()] == [events.Key]


def test_the_private_methods_the_desk_overrides_are_still_there():
    """app.py replaces App._on_key (with dispatch_key, its own helper); composer.py extends TextArea._on_key."""
    assert inspect.iscoroutinefunction(App._on_key) and inspect.iscoroutinefunction(TextArea._on_key)
    assert inspect.iscoroutinefunction(dispatch_key)
    assert list(inspect.signature(dispatch_key).parameters) == ["node", "event"]


class _Probe(App[None]):
    BINDINGS = [Binding("x", "hit", "Hit", id="probe.hit")]
    hits = 0

    def compose(self) -> ComposeResult:
        with TabbedContent():
            yield TabPane("Cases [1]", id="cases")
        yield Footer()

    def action_hit(self) -> None:
        self.hits += 1


async def test_the_running_app_as_the_desk_and_its_tests_read_it():
    app = _Probe()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        chain = modal_binding_chain(app.screen)
        assert chain and all(isinstance(bindings, BindingsMap) for _, bindings in chain)
        assert any(node is app and "x" in bindings.key_to_bindings for node, bindings in chain)
        assert await check_bindings(app, "x") and app.hits == 1
        assert not await check_bindings(app, "z")
        app.set_keymap({"probe.hit": "y"})  # the keymap is applied in the chain the help reads
        assert any("y" in bindings.key_to_bindings for _, bindings in modal_binding_chain(app.screen))

        app.notify("hello", title="probe")
        await pilot.pause()
        assert [n.message for n in notifications(app)] == ["hello"]
        lines = [strip.text for strip in render_strips(app.screen)]
        assert len(lines) == 10 and any("Cases" in line for line in lines)
        assert app_exception(app) is None


async def test_the_screenshot_text_holds_every_character_the_screenshot_shows():
    """tests/support/hostile_screen.py looks for control characters in `screenshot_text`, not in the SVG."""
    app = _Probe()
    async with app.run_test(size=(60, 10)) as pilot:
        app.title = "a <b> & 'c'"  # the SVG's title, HTML-escaped
        await pilot.pause()
        text, svg = screenshot_text(app), app.export_screenshot()
        shown = [html.unescape(run).replace("\xa0", " ") for run in re.findall(r"<text [^>]*>([^<]*)</text>", svg)]
        assert len(shown) > 5 and "a <b> & 'c'" in shown and "Cases" in text
        assert [run for run in shown if run not in text] == []


class _TwoScreens(App[None]):
    """A default screen of its own, and f2 to switch between it and another installed screen (as app.py)."""

    BINDINGS = [Binding("f2", "switch", "Switch")]

    def get_default_screen(self) -> Screen:
        first = Screen(name="first")
        self.install_screen(first, "first")
        return as_default_screen(first, self)

    def on_mount(self) -> None:
        self.install_screen(Screen(name="second"), "second")

    def action_switch(self) -> None:
        self.switch_screen("second" if self.screen.name == "first" else "first")


def test_the_frame_steps_a_profile_times_are_still_there():
    for cls, name, _step in frame_steps():
        assert callable(getattr(cls, name, None)), f"{cls.__name__}.{name}"
    assert layout_pending(Static()) is False


async def test_switching_away_from_a_default_screen_and_back():
    app = _TwoScreens()
    async with app.run_test(size=(40, 5)) as pilot:
        for name in ("second", "first", "second"):
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen.name == name and app_exception(app) is None
    assert app_exception(app) is None


class _CountUnderADialog(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("count 0", id="count")


async def test_a_screen_under_a_dialog_is_redrawn_per_change_not_per_message(monkeypatch):
    """The desk spun at 100 % of a core under an offer's dialog: each message reaching the screen under it
    (one bubbling up from any widget) redrew both screens in full. A change under it is still shown."""
    settle_background_screens()  # as desktop/ui/app.py does at import
    full_renders = []
    render_full_update = Compositor.render_full_update

    def counted(self, *args, **kwargs):
        full_renders.append(self)
        return render_full_update(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_full_update", counted)
    app = _CountUnderADialog()
    async with app.run_test(size=(40, 5)) as pilot:
        app.push_screen(ModalScreen())
        await pilot.pause()
        under = app.screen_stack[0]
        under.query_one("#count", Static).update("count 41")
        await pilot.pause()
        await pilot.pause()
        full_renders.clear()
        for _ in range(30):
            under.post_message(events.Key("z", "z"))
            await pilot.pause()
        assert len(full_renders) == 0, f"{len(full_renders)} full redraws for 30 messages and no change"
        app.pop_screen()
        await pilot.pause()
        assert any("count 41" in strip.text for strip in render_strips(app.screen))


class _Churn(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("stays", id="stays")


async def test_a_removed_widget_takes_the_lines_it_drew_with_it():
    """Each widget that drew stayed in memory with its last lines after it was removed, held by a Textual cache
    (Textualize/textual#6665): a shift's memory grew by what every toast, scroll bar and dialog had drawn."""
    unpin_styles_caches()  # as desktop/ui/app.py does at import
    app = _Churn()
    async with app.run_test(size=(40, 12)) as pilot:
        gone = [Static(f"toast {i}") for i in range(5)]
        await app.screen.mount_all(gone)
        await pilot.pause()
        drawn = [widget._styles_cache for widget in gone]
        assert any("toast 4" in strip.text for strip in render_strips(app.screen))
        for widget in gone:
            await widget.remove()
        await pilot.pause()
        gc.collect()
        # The widgets themselves are still named here (and by the screen's last few layouts, for a while): what must
        # not hold their lines is anything else, as the styles cache's colour cache did, up to 1,024 widgets.
        held = [
            type(referrer).__name__
            for cache in drawn
            for referrer in gc.get_referrers(cache)
            if referrer is not drawn and not (isinstance(referrer, dict) and referrer.get("_styles_cache") is cache)
        ]
        assert held == [], "a removed widget's lines are held by something other than the widget"
        background = Color(10, 20, 30)
        inner, outer = app.query_one("#stays")._styles_cache.get_inner_outer(background, Color(0, 0, 0, 0.5))
        assert (inner.background, outer.background) == (background + Color(0, 0, 0, 0.5), background)


def _private_reaches(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual"):
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr in TEXTUAL_PRIVATES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} reads .{node.attr}")
    return found


def test_only_textual_compat_reaches_past_textuals_public_api():
    compat = Path(textual_compat.__file__).resolve()
    files = [p for folder in ("desktop", "tests", "benchmarks", "scripts") for p in (ROOT / folder).rglob("*.py")]
    reaches = [r for p in files if p.resolve() not in (compat, Path(__file__).resolve()) for r in _private_reaches(p)]
    assert reaches == []
