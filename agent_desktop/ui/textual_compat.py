"""Every private Textual API the desktop uses, in one place, for Textual 8.2.8 (pinned in pyproject.toml).

Textual keeps these out of its public API, so an upgrade may move, rename or change them without a word;
tests/ui/architecture/test_textual_compat.py fails loudly, naming the one that changed. Nothing else in agent_desktop/ or tests/
imports a private Textual module or name, reads or sets a private attribute of a Textual object, or overrides a
Textual class's private method (the same test checks, against an allow-list with a reason for each entry).
The desk's own key handlers are Textual's public `on_key` (with `prevent_default` where Textual's must not run).
The patches of Textual (`patch_textual`) are here too, each with its reproduction in tests/ui/architecture/test_textual_patches.py
and its write-up in docs/textual-patches.md.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from queue import Queue
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeVar

import textual
from rich.console import Console
from textual import events
from textual._compositor import Compositor, CompositorUpdate  # what composites a frame, and what it sends
from textual._dispatch_key import dispatch_key  # App._on_key's own helper: `key_` methods, in its order
from textual._path import CSSPathType  # what a screen's CSS_PATH may be (textual.app uses it, exports it not)
from textual._styles_cache import StylesCache  # each widget's lines as last drawn (a patch below)
from textual._xterm_parser import XTermParser  # the Linux driver's own input parser
from textual.app import App
from textual.binding import BindingsMap
from textual.cache import LRUCache
from textual.color import Color
from textual.dom import DOMNode
from textual.driver import Driver
from textual.drivers._writer_thread import WriterThread  # the Linux driver's writer (terminal/terminal_loss.py)
from textual.keys import _character_to_key, _normalize_key_list
from textual.message_pump import MessagePump
from textual.notifications import Notification
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style
from textual.widgets import DataTable, OptionList, Select
from textual.widgets._select import SelectOverlay  # a Select's open list (keys/key_turn.py: it reads letters)

if TYPE_CHECKING:
    from textual.drivers.linux_driver import LinuxDriver  # (where a POSIX terminal has it: terminal/terminal_loss.py)
    from textual.widget import Widget

# Textual's generics are invariant in what a screen returns, an app exits with, a Select holds and a table's cells
# are: the helpers below take any of each as `Screen[Any]`... (the `Screen[object]` Textual's `App.screen` returns
# would refuse the desk's `Screen[None]`, and `App[object]` its `App[None]`).
S = TypeVar("S", bound=Screen[Any])

__all__ = [
    "Compositor",
    "CSSPathType",
    "SelectOverlay",
    "CrashWithoutLocals",
    "WriterThread",
    "XTermParser",
    "app_exception",
    "character_key",
    "driver_app",
    "driver_debug",
    "driver_writer",
    "as_default_screen",
    "app_keymap",
    "check_bindings",
    "close_select_list",
    "has_work_waiting",
    "select_list_of",
    "close_screen",
    "set_screen_aside",
    "bring_screen_back",
    "drop_stale_table_renders",
    "dispatch_key",
    "frame_steps",
    "layout_pending",
    "modal_binding_chain",
    "normalize_keys",
    "notifications",
    "on_display",
    "render_strips",
    "table_render_entries",
    "PATCHES",
    "TEXTUAL_VERSION",
    "patch_textual",
    "use_writer_thread",
    "writer_output",
    "write_raw",
]


def modal_binding_chain(screen: Screen[Any]) -> list[tuple[DOMNode, BindingsMap]]:
    """The bindings Textual tries for a key on `screen`, in its order, up to the first modal screen, with the
    app's keymap applied and the keys a focused text box types left out (`Screen._modal_binding_chain`)."""
    return screen._modal_binding_chain


async def check_bindings(app: App[Any], key: str, *, priority: bool = False) -> bool:
    """Run the binding for `key` as Textual's own key handling would (its priority bindings, or the others);
    whether one ran (`App._check_bindings`)."""
    return await app._check_bindings(key, priority=priority)


def select_list_of(select: Select[Any]) -> SelectOverlay:
    """A Select's list (open while `select.expanded`)."""
    return select.query_one(SelectOverlay)


def close_select_list(overlay: SelectOverlay, *, choose: bool) -> bool:
    """A Select's open list answered now: the highlighted option chosen (`choose`) or none, the list closed, the
    focus back on the Select. Textual does it through two messages (`SelectOverlay.UpdateSelection`, `Dismiss`)
    and a deferred focus, handled after the keys already read: `enter` then `tab` at once left the focus in the
    list (`Select._update_selection`, `Select._options`). Whether an option was chosen."""
    select = overlay.parent
    assert isinstance(select, Select)
    highlighted = overlay.highlighted if choose else None
    if highlighted is not None:
        value = select._options[highlighted][1]
        if value != select.value:
            select.value = value
    select.expanded = False
    select.screen.set_focus(select)
    return highlighted is not None


def has_work_waiting(pump: MessagePump) -> bool:
    """`pump` has messages queued, or callbacks to run after the message it is handling (`call_next`: a screen's
    answer handed to the one who opened it): work a key set off that has not been done yet (`MessagePump.
    _message_queue`, `_next_callbacks`)."""
    return not pump._message_queue.empty() or bool(pump._next_callbacks)


def pump_gone(pump: MessagePump) -> bool:
    """`pump` has closed: what is still queued in it will never be read (`MessagePump._closed`; a pump closing reads
    what was queued before it began to close)."""
    return pump._closed


def pump_state(pump: MessagePump) -> str:
    """Whether `pump` reads its queue ("running"), is closing or closed, or was never started ("no task"), and how many
    messages wait in it (`MessagePump._closed`, `_closing`, `_task`, `_message_queue`): where a marker was lost."""
    state = "closed" if pump._closed else "closing" if pump._closing else "no task" if pump._task is None else "running"
    return f"{state}, {pump._message_queue.qsize()} queued"


def app_keymap(app: App[Any]) -> Mapping[str, str]:
    """The keymap `App.set_keymap` set, binding id → keys (`App._keymap`): for keys read by a widget that is in no
    binding chain (the offer over what is open, agent_desktop/ui/agent/offers/offer_over.py)."""
    return app._keymap


def normalize_keys(keys: str) -> str:
    """A comma-separated key list in Textual's long form ("?" is "question_mark"), as `App.set_keymap` stores it."""
    return _normalize_key_list(keys)


def character_key(character: str) -> str:
    """The key Textual names a typed character by ("." is "full_stop"), as a Pilot presses it (`keys._character_to_key`)."""
    return _character_to_key(character)


def as_default_screen(screen: S, app: App[Any]) -> S:
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


# --- the Linux driver's internals terminal/terminal_loss.py builds on ----------------------------------------


def close_screen(app: App[Any], screen: Screen[Any], result: object = None) -> bool:
    """Dismiss `screen` with `result` wherever it is in the stack; False if it is not open (dismissed already).

    Textual 8.2.8's `Screen.dismiss` calls the screen's result callback and then pops the *top* screen, whichever
    screen it was called on: a picker that closed while an offer was up over it took the offer down in its place
    and stayed open, and its second dismissal answered its waiting worker twice (`InvalidStateError`). A screen
    under another is taken out of the stack (`App._screen_stack`) and removed as `App.pop_screen` would
    (`App._replace_screen`), its callback (`Screen._result_callbacks`) answered once."""
    stack = app._screen_stack
    if screen not in stack or stack[0] is screen:
        return False
    if stack[-1] is screen:
        screen.dismiss(result)
        return True
    callbacks = screen._result_callbacks
    callback = callbacks.pop() if callbacks else None
    stack.remove(screen)
    if callback is not None:
        callback(result)
    app.call_next(app._replace_screen, screen)
    return True


def set_screen_aside(app: App[Any], screen: Screen[Any]) -> Any:
    """Take `screen` off the stack (`App._screen_stack`), whole (its widgets, their values, its pending result), to
    put it back later with `bring_screen_back`. Textual's pops would remove it (`App._replace_screen`) and drop its
    result callback (`Screen._result_callbacks`): it is only suspended here, and its callbacks are kept."""
    stack = app._screen_stack
    callbacks = list(screen._result_callbacks)
    was_top = stack[-1] is screen
    stack.remove(screen)
    screen.post_message(events.ScreenSuspend())
    if was_top:
        app.screen.post_message(events.ScreenResume())
        app.screen_change_signal.publish(app.screen)
    return callbacks


def bring_screen_back(app: App[Any], screen: Screen[Any], kept: Any) -> None:
    """Put a screen `set_screen_aside` took off back on top, with its pending result."""
    app.push_screen(screen)
    screen._result_callbacks[:] = kept


def driver_app(driver: Driver) -> App[Any]:
    """The app a driver delivers to (`Driver._app`)."""
    return driver._app


def driver_debug(driver: Driver) -> bool:
    """Whether the driver was started in debug mode, as its input parser is made (`Driver._debug`)."""
    return driver._debug


def driver_writer(driver: LinuxDriver) -> WriterThread | None:
    """The Linux driver's writer thread, once in application mode (`LinuxDriver._writer_thread`)."""
    return driver._writer_thread


def set_driver_write(driver: Driver, write: Callable[[bytes], None]) -> None:
    """What a web driver writes its packets with (`WebDriver._write`, a partial of `os.write` on its output)."""
    driver._write = write  # type: ignore[attr-defined]


def writer_output(writer: WriterThread) -> tuple[IO[str], Queue[str | None]]:
    """The file a writer thread writes to and the queue of writes in front of it (`WriterThread._file`, `_queue`)."""
    return writer._file, writer._queue


# --- the patches: Textual 8.2.8 bugs the desk works round (docs/textual-patches.md) -------------------------

TEXTUAL_VERSION = "8.2.8"  # the Textual each patch below was reproduced on (pyproject.toml pins it)


def _compositor_refresh(self: Screen[Any]) -> None:
    """`Screen._compositor_refresh`, then the repaint flag cleared on a screen under another: Textual sets it
    again after handing the changed regions to the top screen, so every later message the screen under a dialog
    gets repaints both screens in full (a core spinning for as long as an offer's dialog is up)."""
    _ORIGINAL_COMPOSITOR_REFRESH(self)
    if self.is_current and self is not self.app.screen:
        self._repaint_required = False


def _on_timer_update(self: Screen[Any]) -> None:
    """`Screen._on_timer_update`, with a repaint of the screen's own regions (those a screen under it changed, handed
    up) taken together with the widgets that changed in the same frame: Textual replaces those widgets by the screen,
    so over a dialog a countdown that ticks with the screen under it was never drawn (the offer over the reason picker)."""
    if (
        self._repaint_required
        and self._dirty_widgets
        and self.is_current
        and not self.app._batch_count
        and not self._layout_required
    ):
        self._repaint_required = False
        self._dirty_widgets.add(self)  # its regions, as the repaint would have drawn them, and the widgets' own
    _ORIGINAL_ON_TIMER_UPDATE(self)


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """`StylesCache.get_inner_outer`'s body, cached on the two colours alone."""
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
    """Textual's `lru_cache` on this method keys on `self`, so it keeps the styles cache (and the last lines) of
    up to 1,024 widgets alive after they are removed (Textualize/textual#6665). The body never reads `self`."""
    return _inner_outer(base_background, background)


def _lru_cache_clear(self: LRUCache[Any, Any]) -> None:
    """`LRUCache.clear` that empties each entry first: Textual's drops only the dict and the head, leaving the
    ring of `[prev, next, key, value]` entries (and every cached value) to the cyclic collector."""
    for entry in self._cache.values():
        entry.clear()
    self._cache.clear()
    self._full = False
    self._head = []


class Patch(NamedTuple):
    owner: type
    name: str
    original: Any
    replacement: Any


_ORIGINAL_COMPOSITOR_REFRESH = Screen._compositor_refresh
_ORIGINAL_ON_TIMER_UPDATE = Screen._on_timer_update
PATCHES = (
    Patch(Screen, "_compositor_refresh", Screen._compositor_refresh, _compositor_refresh),
    Patch(StylesCache, "get_inner_outer", StylesCache.get_inner_outer, _get_inner_outer),
    Patch(LRUCache, "clear", LRUCache.clear, _lru_cache_clear),
    Patch(Screen, "_on_timer_update", Screen._on_timer_update, _on_timer_update),
)


def _check_version() -> None:
    if textual.__version__ != TEXTUAL_VERSION:
        raise RuntimeError(
            f"Textual {textual.__version__} is installed; agent_desktop/ui/textual_compat.py patches Textual "
            f"{TEXTUAL_VERSION}. Run tests/ui/architecture/test_textual_patches.py against it, drop the patches it no longer "
            "needs (docs/textual-patches.md), then set TEXTUAL_VERSION."
        )


def patch_textual() -> None:
    """Apply the patches (the app does once, at import); idempotent. On any Textual but the one they were
    reproduced on it raises instead: tests/ui/architecture/test_textual_patches.py says which are still needed there."""
    _check_version()
    for patch in PATCHES:
        setattr(patch.owner, patch.name, patch.replacement)
    PATCHES[1].original.cache_clear()  # the styles caches it pinned before the app's import


def use_writer_thread(writer_class: type[WriterThread]) -> None:
    """Make the Linux driver build its writer thread from `writer_class` (terminal/terminal_loss.py's, which drops what a
    gone terminal cannot take): `LinuxDriver.start_application_mode` names the module's `WriterThread` and has no
    hook for another. Same version guard as `patch_textual`."""
    _check_version()
    try:
        from textual.drivers import linux_driver
    except ImportError:  # not a POSIX terminal (Windows has its own driver)
        return
    # (the module imports WriterThread without exporting it: that very name is what the patch replaces)
    linux_driver.WriterThread = writer_class  # type: ignore[attr-defined]


# --- what the tests read of a running app (Pilot has no public way to these) -----------------------------


def write_raw(app: App[Any], data: str) -> None:
    """Write `data` to the terminal as it is (a desktop notification's escape sequence), through the driver's writer
    and in order with the frames, as `App.bell` writes its BEL: Textual has no public call for it. Nothing when
    headless (a Pilot test), as the bell."""
    if data and not app.is_headless and app._driver is not None:
        app._driver.write(data)


def notifications(app: App[Any]) -> list[Notification]:
    """The toasts on show (`App._notifications`)."""
    return list(app._notifications)


def render_strips(screen: Screen[Any]) -> list[Strip]:
    """The screen's lines as the terminal gets them, after layout and clipping (`Screen._compositor`)."""
    return list(screen._compositor.render_strips())


def screenshot_text(app: App[Any]) -> str:
    """The text `App.export_screenshot()` puts in its SVG, without drawing the SVG (Rich's `export_svg` is most
    of a screenshot's CPU): the same render (`render_update(full=True)` over `App._background_screens`) printed
    to the same recording console, its recorded text and the title. The SVG shows that record's text segments
    cropped to the width and HTML-escaped (which adds and removes no control character), so it holds no
    character this text does not."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return f"{console.export_text()}\n{app.title}"


def app_exception(app: App[Any]) -> BaseException | None:
    """The exception that ended the app, if one did (`App._exception`)."""
    return app._exception


def on_display(app: App[Any], seen: Callable[[str], None]) -> None:
    """From now on, `seen` gets what the app writes to its terminal for each frame (`App._display`'s text: the
    escape sequences and the characters), headless too, where nothing is written. A test reads a terminal from it."""
    display = app._display
    console = Console(width=app.size.width, height=app.size.height, force_terminal=True, legacy_windows=False)

    def shown(screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None and not app._batch_count:
            if isinstance(renderable, CompositorUpdate):
                seen(renderable.render_segments(console))
            else:
                seen(console._render_buffer(console.render(renderable)))
        display(screen, renderable)

    app._display = shown  # type: ignore[method-assign]


# --- what a profile times (benchmarks/timeline_screen_pop.py) -------------------------------------------------


def frame_steps() -> list[tuple[type, str, str]]:
    """(class, method, step) of a frame's parts: the screen's update timer firing, the layout of the screen, the
    compositing of what changed."""
    return [
        (Screen, "_on_timer_update", "frame"),
        (Screen, "_refresh_layout", "layout"),
        (Compositor, "render_update", "composite"),
    ]


def layout_pending(widget: Widget) -> bool:
    """A layout was already asked for by this widget since the last one (`Widget._layout_required`)."""
    return widget._layout_required


# --- what a DataTable keeps of renders no longer shown ------------------------------------------------------------


def drop_stale_table_renders(table: DataTable[Any]) -> None:
    """Forget `table`'s cell and row renders after `update_cell`s. Textual 8.2.8 keys them on the table's update
    counter, which `update_cell` moves on, yet drops only the line cache there: every earlier render stays until
    its LRU holds 10,000 cells and 2,000 rows, and the contacts' timers tick once a second. (This was thought to be
    the shift's memory growth; A/B shifts grew at the same rate with it: docs/benchmarks.md.) None of them is ever
    looked up again: the next paint renders anew."""
    table._cell_render_cache.clear()
    table._row_render_cache.clear()
    table._row_renderable_cache.clear()


def set_column_widths(table: DataTable[Any], widths: Sequence[int]) -> None:
    """Give `table`'s columns these widths (in order), drawn at the next paint. Textual 8.2.8 has no public way to
    change a fixed column's width: its renders and its virtual size are kept until told."""
    columns = list(table.columns.values())
    if len(columns) != len(widths) or [column.width for column in columns] == list(widths):
        return  # (not all added yet: a resize before the mount's columns)
    for column, width in zip(columns, widths, strict=True):
        column.width = width
    drop_stale_table_renders(table)
    table._require_update_dimensions = True
    table.refresh()


def table_render_entries(table: DataTable[Any]) -> int:
    """How many cell and row renders `table` keeps (`DataTable._cell_render_cache`, `_row_render_cache`,
    `_row_renderable_cache`)."""
    return len(table._cell_render_cache) + len(table._row_render_cache) + len(table._row_renderable_cache)


def option_line(option_list: OptionList, index: int) -> int:
    """The line of `option_list`'s content where its option `index` starts (`OptionList._index_to_line`: an option's
    prompt may take several lines, a separator one)."""
    return option_list._index_to_line.get(index, index)


def queued_messages(pump: MessagePump) -> int:
    """How many messages wait in `pump`'s queue (`MessagePump._message_queue`): what a flood of keys piles up."""
    return pump._message_queue.qsize()
