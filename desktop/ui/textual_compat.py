"""Every private Textual API the desktop uses, in one place, for Textual 8.2.8 (pinned in pyproject.toml).

Textual keeps these out of its public API, so an upgrade may move, rename or change them without a word;
tests/ui/test_textual_compat.py fails loudly, naming the one that changed. Nothing else in desktop/ or tests/
imports a private Textual module or name, reads or sets a private attribute of a Textual object, or overrides a
Textual class's private method (the same test checks, against an allow-list with a reason for each entry).
The desk's own key handlers are Textual's public `on_key` (with `prevent_default` where Textual's must not run).
"""

from __future__ import annotations

import io
import sys
from functools import lru_cache
from queue import Queue
from typing import IO

from rich.console import Console

from textual._compositor import Compositor  # what composites a frame (frame_steps, for a profile)
from textual._dispatch_key import dispatch_key  # App._on_key's own helper: `key_` methods, in its order
from textual._xterm_parser import XTermParser  # the Linux driver's own input parser
from textual.app import App
from textual.binding import BindingsMap
from textual.cache import LRUCache
from textual.dom import DOMNode
from textual.driver import Driver
from textual._styles_cache import StylesCache  # each widget's lines as last drawn (unpin_styles_caches)
from textual.color import Color
from textual.drivers._writer_thread import WriterThread  # the Linux driver's writer (terminal_loss.py)
from textual.keys import _character_to_key, _normalize_key_list
from textual.notifications import Notification
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style
from textual.widgets import DataTable

__all__ = [
    "Compositor",
    "CrashWithoutLocals",
    "WriterThread",
    "XTermParser",
    "app_exception",
    "character_key",
    "driver_app",
    "driver_debug",
    "driver_writer",
    "as_default_screen",
    "check_bindings",
    "drop_stale_table_renders",
    "dispatch_key",
    "frame_steps",
    "layout_pending",
    "modal_binding_chain",
    "normalize_keys",
    "notifications",
    "render_strips",
    "table_render_entries",
    "settle_background_screens",
    "unpin_styles_caches",
    "unlink_cleared_lru_caches",
    "writer_output",
]


def modal_binding_chain(screen: Screen) -> list[tuple[DOMNode, BindingsMap]]:
    """The bindings Textual tries for a key on `screen`, in its order, up to the first modal screen, with the
    app's keymap applied and the keys a focused text box types left out (`Screen._modal_binding_chain`)."""
    return screen._modal_binding_chain


async def check_bindings(app: App, key: str) -> bool:
    """Run the binding for `key` as Textual's own key handling would; whether one ran (`App._check_bindings`)."""
    return await app._check_bindings(key)


def normalize_keys(keys: str) -> str:
    """A comma-separated key list in Textual's long form ("?" is "question_mark"), as `App.set_keymap` stores it."""
    return _normalize_key_list(keys)


def character_key(character: str) -> str:
    """The key Textual names a typed character by ("." is "full_stop"), as a Pilot presses it (`keys._character_to_key`)."""
    return _character_to_key(character)


def as_default_screen(screen: Screen, app: App) -> Screen:
    """`screen`, to return from `App.get_default_screen`, with the result callback `App.push_screen` gives a
    pushed screen (`Screen._push_result_callback`): `App.switch_screen` drops one from the screen it replaces,
    and a default screen has none (switching away from it raised IndexError)."""
    screen._push_result_callback(app, None)
    return screen


# --- what a crash shows ------------------------------------------------------------------------------------


class CrashWithoutLocals:
    """For an App subclass: a crash shows `crash_message(error)` instead of Textual's traceback.

    Textual 8.2.8's `App._fatal_error` (run by `App._handle_exception` for an error with no `__rich__`: any error
    of the desk's own code, a worker's included) renders a Rich `Traceback(show_locals=True)` and prints it to the
    terminal when the app exits: every frame's local variables, what the agent typed among them (a card number in
    a wrap-up's notes). No setting turns the locals off. This keeps what `_fatal_error` does (the bell, the app
    closed, exit code 1 from `_handle_exception`) through the public `App.panic`, with the app's own words in
    place of the traceback. The class using it defines `crash_message(error) -> RenderableType`."""

    def _fatal_error(self) -> None:
        error = sys.exc_info()[1] or app_exception(self)  # type: ignore[arg-type]
        self.bell()  # type: ignore[attr-defined]
        self.panic(self.crash_message(error))  # type: ignore[attr-defined]


# --- the Linux driver's internals terminal_loss.py builds on -------------------------------------------------


def driver_app(driver: Driver) -> App:
    """The app a driver delivers to (`Driver._app`)."""
    return driver._app


def driver_debug(driver: Driver) -> bool:
    """Whether the driver was started in debug mode, as its input parser is made (`Driver._debug`)."""
    return driver._debug


def driver_writer(driver: Driver) -> WriterThread | None:
    """The Linux driver's writer thread, once in application mode (`LinuxDriver._writer_thread`)."""
    return driver._writer_thread  # type: ignore[attr-defined]


def writer_output(writer: WriterThread) -> tuple[IO[str], Queue[str | None]]:
    """The file a writer thread writes to and the queue of writes in front of it (`WriterThread._file`, `_queue`)."""
    return writer._file, writer._queue


# --- a Textual 8.2.8 bug the desk works round ---------------------------------------------------------------


def settle_background_screens() -> None:
    """Stop a screen under a dialog from redrawing itself and the dialog on every message it gets.

    When something changes on a screen under another (the desk's countdown under an offer's dialog),
    `Screen._compositor_refresh` hands the changed regions to the top screen and then marks the screen under it
    `_repaint_required` again, so each later message it receives (one bubbling up from any of its widgets)
    repaints the whole of both: the desk ran at 100 % of a core for as long as an offer's dialog stayed up.
    The regions have reached the top screen by then and the screen is redrawn in full when it is on top again,
    so the flag is cleared after that hand-over. Idempotent; the app calls it once at import."""
    refresh = Screen._compositor_refresh
    if getattr(refresh, "settles_background", False):
        return

    def compositor_refresh(self: Screen) -> None:
        refresh(self)
        if self.is_current and self is not self.app.screen:
            self._repaint_required = False

    compositor_refresh.settles_background = True  # type: ignore[attr-defined]
    Screen._compositor_refresh = compositor_refresh  # type: ignore[method-assign]


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """`StylesCache.get_inner_outer`'s body, cached on the two colours alone."""
    return Style(background=base_background + background), Style(background=base_background)


def unpin_styles_caches() -> None:
    """Let a widget that is gone take the lines it last drew with it (Textualize/textual#6665, open).

    Textual 8.2.8 puts `functools.lru_cache` on the method `StylesCache.get_inner_outer`, so the cache's key holds
    the `StylesCache` of every widget that drew since its 1,024 entries last turned over, and with it that widget's
    last lines: `Strip`s, their segments and the seven caches of cropped and styled copies each strip keeps. A
    widget that is removed (a toast, a scroll bar, a dialog's parts) stayed in memory that way for hundreds of
    contacts. The method reads nothing of the instance; its
    cache keyed on the colours alone answers the same. Idempotent; the app calls it once at import."""
    if getattr(StylesCache.get_inner_outer, "unpinned", False):
        return
    pinning = StylesCache.get_inner_outer

    def get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
        return _inner_outer(base_background, background)

    get_inner_outer.unpinned = True  # type: ignore[attr-defined]
    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign]
    pinning.cache_clear()  # what it holds already (the styles caches of widgets drawn before the app's import)


def unlink_cleared_lru_caches() -> None:
    """Let a cleared `LRUCache` free its entries at once instead of leaving them to the cyclic garbage collector.

    Textual 8.2.8 keeps an LRUCache's entries in a ring of `[prev, next, key, value]` lists, and its `clear()` only
    drops the dict and the head: the ring, every cached value with it, stays behind as cyclic garbage. A
    `DataTable` clears its row, cell and line caches on every `update_cell`, row added or removed (the experts
    panel under presence changes, the contacts' ticking timers): under 100 presence changes a second ~48,000
    such objects (rendered rows: `Text`, `Segment`, `Strip`, `RowRenderables`) reached the oldest generation
    between two full collections, each of which then walked them all, 0.2-0.5 s in the event loop (the experts
    panel's keypress p99; bench_presence). Emptying each entry first breaks the ring: reference counting frees
    the entries there and then. Nothing outside the cache holds an entry. Idempotent; the app calls it once at import."""
    if getattr(LRUCache.clear, "unlinks", False):
        return

    def clear(self: LRUCache) -> None:
        for entry in self._cache.values():
            entry.clear()
        self._cache.clear()
        self._full = False
        self._head = []

    clear.unlinks = True  # type: ignore[attr-defined]
    LRUCache.clear = clear  # type: ignore[method-assign]


# --- what the tests read of a running app (Pilot has no public way to these) -----------------------------


def notifications(app: App) -> list[Notification]:
    """The toasts on show (`App._notifications`)."""
    return list(app._notifications)


def render_strips(screen: Screen) -> list[Strip]:
    """The screen's lines as the terminal gets them, after layout and clipping (`Screen._compositor`)."""
    return list(screen._compositor.render_strips())


def screenshot_text(app: App) -> str:
    """The text `App.export_screenshot()` puts in its SVG, without drawing the SVG (Rich's `export_svg` is ~90 %
    of a screenshot's CPU): the same render (`render_update(full=True)` over `App._background_screens`) printed
    to the same recording console, its recorded text and the title. The SVG shows that record's text segments
    cropped to the width and HTML-escaped (which adds and removes no control character), so it holds no
    character this text does not."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
        record=True, legacy_windows=False, safe_box=False,
    )  # fmt: skip
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return f"{console.export_text()}\n{app.title}"


def app_exception(app: App) -> BaseException | None:
    """The exception that ended the app, if one did (`App._exception`)."""
    return app._exception


# --- what a profile times (benchmarks/timeline_screen_pop.py) -------------------------------------------------


def frame_steps() -> list[tuple[type, str, str]]:
    """(class, method, step) of a frame's parts: the screen's update timer firing, the layout of the screen, the
    compositing of what changed."""
    return [
        (Screen, "_on_timer_update", "frame"),
        (Screen, "_refresh_layout", "layout"),
        (Compositor, "render_update", "composite"),
    ]


def layout_pending(widget) -> bool:
    """A layout was already asked for by this widget since the last one (`Widget._layout_required`)."""
    return widget._layout_required


# --- what a DataTable keeps of renders no longer shown ------------------------------------------------------------


def drop_stale_table_renders(table: DataTable) -> None:
    """Forget `table`'s cell and row renders after `update_cell`s. Textual 8.2.8 keys them on the table's update
    counter, which `update_cell` moves on, yet drops only the line cache there: every earlier render stays until
    its LRU holds 10,000 cells and 2,000 rows, and the contacts' timers tick once a second. (This was thought to be
    the shift's memory growth; A/B shifts grew at the same rate with it: docs/benchmarks.md.) None of them is ever
    looked up again: the next paint renders anew."""
    table._cell_render_cache.clear()
    table._row_render_cache.clear()
    table._row_renderable_cache.clear()


def table_render_entries(table: DataTable) -> int:
    """How many cell and row renders `table` keeps (`DataTable._cell_render_cache`, `_row_render_cache`,
    `_row_renderable_cache`)."""
    return len(table._cell_render_cache) + len(table._row_render_cache) + len(table._row_renderable_cache)
