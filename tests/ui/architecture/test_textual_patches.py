"""The Textual patches (agent_desktop/ui/textual_compat.py, docs/textual-patches.md): each one's reproduction, run on
Textual as shipped (it must still fail there, or the patch is no longer needed) and on Textual as patched (it
passes); and the version guard that stops the desk on a Textual the patches were not reproduced on."""

from __future__ import annotations

import errno
import gc
import io
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import textual
from textual import events
from textual.app import App, ComposeResult
from textual.cache import LRUCache
from textual.color import Color
from textual.drivers import linux_driver
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from agent_desktop.ui import textual_compat
from agent_desktop.ui.terminal.terminal_loss import DrainingWriterThread
from agent_desktop.ui.textual_compat import (
    PATCHES,
    TEXTUAL_VERSION,
    Compositor,
    Patch,
    WriterThread,
    patch_textual,
    render_strips,
    use_writer_thread,
    writer_output,
)
from tests.support.terminal_grid import TerminalGrid

ROOT = Path(__file__).resolve().parents[3]
REFRESH, INNER_OUTER, LRU_CLEAR, TIMER_UPDATE = PATCHES


@pytest.fixture(params=["as shipped", "patched"])
def patched(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    """Run the test once on Textual as shipped (every patch undone) and once patched (as the app runs)."""
    patch_textual()  # as agent_desktop/ui/app.py does at import
    if request.param == "as shipped":
        for patch in PATCHES:
            monkeypatch.setattr(patch.owner, patch.name, patch.original)
    yield request.param == "patched"
    INNER_OUTER.original.cache_clear()  # what the shipped method pinned during the test


def expect(patched: bool, fixed: bool, patch: Patch, what: str) -> None:
    if patched:
        assert fixed, f"{what}, patched"
    else:
        assert not fixed, (
            f"Textual {textual.__version__} no longer shows the bug {patch.owner.__name__}.{patch.name} is patched "
            "for: drop the patch (docs/textual-patches.md)"
        )


class _CountUnderADialog(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("count 0", id="count")


async def test_a_screen_under_a_dialog_is_redrawn_per_change_not_per_message(
    patched: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change on the screen under a dialog, then 30 messages to that screen and no change: as shipped, each
    message redraws both screens in full (the desk spun a core under an offer's dialog). The change still shows."""
    full_renders: list[Compositor] = []
    render_full_update = Compositor.render_full_update

    def counted(self: Compositor, *args: Any, **kwargs: Any) -> object:
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
        redraws = len(full_renders)
        app.pop_screen()
        await pilot.pause()
        assert any("count 41" in strip.text for strip in render_strips(app.screen))
    expect(patched, redraws == 0, REFRESH, f"{redraws} full redraws for 30 messages and no change")


class _Churn(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("stays", id="stays")


async def test_a_removed_widget_takes_the_lines_it_drew_with_it(patched: bool) -> None:
    """Five widgets drawn, then removed: as shipped, `StylesCache.get_inner_outer`'s `lru_cache` still holds each
    one's styles cache, and with it its last lines (Textualize/textual#6665)."""
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
        # The widgets themselves are still named here (and by the screen's last few layouts, for a while): what
        # must not hold their lines is anything else.
        held = [
            type(referrer).__name__
            for cache in drawn
            for referrer in gc.get_referrers(cache)
            if referrer is not drawn and not (isinstance(referrer, dict) and referrer.get("_styles_cache") is cache)
        ]
        background = Color(10, 20, 30)
        inner, outer = app.query_one("#stays")._styles_cache.get_inner_outer(background, Color(0, 0, 0, 0.5))
        assert (inner.background, outer.background) == (background + Color(0, 0, 0, 0.5), background)
    expect(patched, held == [], INNER_OUTER, f"a removed widget's lines are held by {held}")


def test_a_cleared_cache_frees_its_entries_without_the_cyclic_collector(patched: bool) -> None:
    """As shipped, `LRUCache.clear` leaves its entries' ring to the cyclic collector: a DataTable clears its
    render caches on every cell updated, and the collections of that garbage were the experts panel's pauses."""
    cache: LRUCache[int, list[int]] = LRUCache(10)
    for key in range(15):  # some evicted, as a full cache is
        cache[key] = [key]
    kept = cache.get(14)
    gc.collect()
    cache.clear()
    garbage = gc.collect()
    assert len(cache) == 0
    assert cache.get(14) is None
    assert kept == [14]
    cache[1] = [1]
    cache[2] = [2]
    assert cache.get(1) == [1]
    assert cache.get(2) == [2]  # still a working cache after a clear
    expect(patched, garbage == 0, LRU_CLEAR, f"a cleared cache left {garbage} objects of cyclic garbage")


class _Counter(Widget):
    count: reactive[int] = reactive(0)

    def __init__(self, word: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.word = word

    def render(self) -> str:
        return f"{self.word} {self.count}"


class _Front(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield _Counter("front", id="front")


class _CountBehindAFront(App[None]):
    CSS = "_Counter { height: 1; width: 10; } #front { dock: bottom; }"

    def compose(self) -> ComposeResult:
        yield _Counter("under", id="under")


async def test_a_change_in_front_is_drawn_in_the_frame_the_screen_under_it_changes(
    patched: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count on a dialog and a count on the screen under it (elsewhere) change in one callback, five times: as
    shipped, the screen under hands its changed regions up to the dialog's screen, whose repaint of them drops the
    dialog's own change, so the terminal never shows it (an offer's countdown over the reason picker read "20 s
    left" throughout). Patch 1 is kept in both runs: without it the screen under repaints everything on its next
    message, which hides this (at a core's cost)."""
    monkeypatch.setattr(Screen, "_compositor_refresh", REFRESH.replacement)
    app = _CountBehindAFront()
    async with app.run_test(size=(40, 5)) as pilot:
        app.push_screen(_Front())
        await pilot.pause()
        grid = TerminalGrid(app)
        app.screen.refresh()
        await pilot.pause()
        under, front = app.screen_stack[0].query_one("#under", _Counter), app.screen.query_one("#front", _Counter)

        def both(count: int) -> None:  # as the desk's tick sets its card and the offer's in front
            under.count = front.count = count

        for count in range(1, 6):
            under.call_later(both, count)
            await pilot.pause(0.05)
        assert any("front 5" in strip.text for strip in render_strips(app.screen)), "Textual's own render has it"
        shown = next((line.strip() for line in grid.lines() if "front" in line), "")
    expect(patched, shown == "front 5", TIMER_UPDATE, f"the terminal shows {shown!r} after 'front 5'")


class _HungUp(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.EIO, "the terminal hung up")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
@pytest.mark.parametrize("patched", [False, True], ids=["as shipped", "patched"])
def test_writes_to_a_terminal_that_went_away_do_not_block_the_desk(
    patched: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As shipped, the Linux driver's writer thread ends on the first write that fails and the queue in front of
    it fills: the next write blocks the event loop for good (a desk and its demo servers left running)."""
    monkeypatch.setattr(linux_driver, "WriterThread", WriterThread)
    if patched:
        use_writer_thread(DrainingWriterThread)
    # as LinuxDriver.start_application_mode makes it (Textual imports the name, exports it not)
    writer = linux_driver.WriterThread(_HungUp())  # type: ignore[attr-defined]
    writer.start()
    returned: list[int] = []

    def frames() -> None:
        for frame in range(100):
            writer.write(f"frame {frame}")
            returned.append(frame)

    painting = threading.Thread(target=frames, daemon=True)
    painting.start()
    painting.join(timeout=5)
    returned_in_time = len(returned)
    _, queue = writer_output(writer)
    while painting.is_alive():  # unblock the shipped writer's caller, so no thread outlives the test
        while not queue.empty():
            queue.get_nowait()
        painting.join(timeout=0.01)
    writer.write(None)  # type: ignore[arg-type]  # the writer's own stop signal
    fixed = returned_in_time == 100
    assert fixed if patched else not fixed, (
        f"{returned_in_time} of 100 writes returned"
        if patched
        else f"Textual {textual.__version__}'s writer no longer blocks on a gone terminal: drop use_writer_thread"
    )


def test_the_patches_are_for_the_textual_pyproject_pins() -> None:
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"textual=={TEXTUAL_VERSION}" in pins
    assert textual.__version__ == TEXTUAL_VERSION


@pytest.mark.parametrize("apply", [textual_compat.patch_textual, lambda: use_writer_thread(DrainingWriterThread)])
def test_another_textual_stops_the_desk_saying_what_to_re_check(
    apply: Callable[[], object], monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setattr(textual, "__version__", "8.3.0")
    monkeypatch.setattr(linux_driver, "WriterThread", WriterThread)
    with pytest.raises(RuntimeError, match=r"Textual 8\.3\.0 is installed.*test_textual_patches\.py"):
        apply()
    assert linux_driver.WriterThread is WriterThread  # type: ignore[attr-defined]  # imported, not exported
