"""The key footer: one widget that draws the keys that apply on one line, as Textual's footer shows them.

Textual 8.2's Footer recomposes all its keys on every bindings change (about fifteen widgets unmounted and
mounted, three times per offer) and leaks the watchers of the keys it removes (Textualize/textual#6666). The
desk's first footer kept one key widget per binding and toggled `display`; every toggle still laid the whole
screen out, and the keys change at every offer (accept and reject come, the state keys go): that layout ran while
the caller's record was on its way and showed in the screen pop's p50 (`screen_pop_latency`). Here the
keys are drawn, not placed: a change of the keys that apply repaints this one line and lays nothing out.

It shows the same keys, in the same order and style, as Textual's would (its component classes), as many as fit
whole: with chats in hand and a contact selected more keys apply than 120 columns hold, and Textual's cut the last
one mid-word and hid the rest. The keys left out still work and are all in the command palette and the help
screen: their keys (the help's `?` and the palette's `^p`, on the right) always stay, with the other desk's
(`f2`, the demo). The screen may name actions that go first when room is short (`first`: the agent's transfer
and f6, the only way to the other panes at 80×24, were the ones left out during a call); they keep their place
in the line. A click presses the key under the pointer, whose tooltip is the binding's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Unpack, runtime_checkable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widget import Widget

from agent_desktop.ui.plain_text import literal_title

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

# Always shown, just before the palette key, whatever else applies: the way to the other desk (the demo) and
# help, where a new user looks first.
PINNED_ACTIONS = ("switch_desk", "help")
PALETTE_EDGE = "▏"  # Textual's footer draws the palette key with a `vkey` left border


@runtime_checkable
class KeysInFront(Protocol):
    """A box a screen shows in front of what it covers, which answers the keys itself (an offer over a dialog):
    while it is up, the footer shows its keys, not those of what it covers (the screen's own bindings stay as
    they are: what the box hands under still reads them)."""

    def keys_in_front(self) -> dict[str, ActiveBinding]: ...


def keys_shown(screen: Screen[Any]) -> dict[str, ActiveBinding]:
    """The keys the footer shows on `screen`: those of a box in front of it, else the screen's."""
    for child in screen.children:
        if isinstance(child, KeysInFront) and child.display:
            return child.keys_in_front()
    return screen.active_bindings


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer shows it."""

    key: str  # what a click presses
    key_display: str  # as Textual displays the key (`^p`, `1-5`)
    description: str
    action: str
    enabled: bool  # a key that applies but cannot be used now is shown dimmed; a click on it rings the bell
    tooltip: str  # the binding's, as it came: made literal where it is shown
    place: str = ""  # "pinned" or "palette" (on the right); "" for the others, shown while they fit

    def label(self) -> tuple[str, str]:
        """The key's and the description's text, padded as Textual's FooterKey pads them (`padding: 0 1`, `0 1 0 0`)."""
        if self.place == "palette":  # right after the edge, as Textual draws it
            return f"{self.key_display} ", f"{self.description} " if self.description else ""
        return f" {self.key_display} ", f"{self.description} " if self.description else ""

    @property
    def width(self) -> int:
        key, description = self.label()
        return cell_len(key) + cell_len(description) + (cell_len(PALETTE_EDGE) if self.place == "palette" else 0)


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover", "footer-key--edge"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer-key--edge {
            color: $foreground-darken-3;
        }
    }
    """

    def __init__(
        self, *, show_command_palette: bool = True, first: Collection[str] = (), **kwargs: Unpack[WidgetOptions]
    ) -> None:
        """`first`: the actions whose keys are kept before the others' when the line is short of room."""
        super().__init__(**kwargs)
        self.show_command_palette = show_command_palette
        self.first = frozenset(first)
        self._entries: list[FooterEntry] = []  # every key that applies, in the footer's order
        self._spans: list[tuple[int, int, FooterEntry]] = []  # the keys drawn: from, to (cells), which
        self._hover: FooterEntry | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._sync()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._sync)

    def shown(self) -> list[FooterEntry]:
        """The keys the footer draws now (the ones that fit), left to right."""
        self._layout_line()
        return [entry for _, _, entry in self._spans]

    def applying(self) -> list[FooterEntry]:
        """Every key that applies now, drawn or left out for want of room."""
        return list(self._entries)

    def _sync(self) -> None:
        if not self.is_attached:
            return
        entries = self._wanted()
        if entries != self._entries:
            self._entries = entries
            self.refresh()  # one line repainted; its size never changes, so nothing is laid out

    def _wanted(self) -> list[FooterEntry]:
        """The keys Textual's footer would show now, in its order (one per action), the pinned keys and the command
        palette's last."""
        wanted: list[FooterEntry] = []
        pinned: list[FooterEntry] = []
        seen_actions: set[str] = set()
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if self.show_command_palette and app.ENABLE_COMMAND_PALETTE else None
        active = keys_shown(self.screen)  # Textual works the screen's out afresh at each read: read once
        # A pinned action's key that works here, shown or not: F1 where a text box types `?`.
        pinned_shown = {b.action for _, b, _, _ in active.values() if b.action in PINNED_ACTIONS and b.show}
        for key, (_, binding, enabled, tooltip) in active.items():
            if key == palette or binding.action in seen_actions:
                continue
            pin = binding.action in PINNED_ACTIONS
            if not (binding.show or pin and binding.action not in pinned_shown):
                continue
            seen_actions.add(binding.action)
            entry = self._entry(binding, enabled, tooltip, "pinned" if pin else "")
            (pinned if pin else wanted).append(entry)
        wanted += pinned
        if palette is not None and palette in active:
            _, binding, enabled, tooltip = active[palette]
            wanted.append(self._entry(binding, enabled, binding.tooltip or binding.description, "palette"))
        return wanted

    def _entry(self, binding: Binding, enabled: bool, tooltip: str, place: str) -> FooterEntry:
        return FooterEntry(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            enabled,
            str(tooltip or ""),
            place,
        )

    def _layout_line(self) -> None:
        """Where each key is drawn at this width: the keys in order while they fit whole beside the pinned and
        palette keys (after the first that does not fit, none), then the pinned ones, the palette's on the right."""
        width = self.size.width
        keys = [e for e in self._entries if not e.place]
        pinned = [e for e in self._entries if e.place == "pinned"]
        palette = [e for e in self._entries if e.place == "palette"]
        room = width - sum(e.width for e in pinned + palette)
        kept: set[int] = set()
        for index, entry in enumerate(keys):  # the keys that go first, while they fit
            if entry.action in self.first and entry.width <= room:
                kept.add(index)
                room -= entry.width
        for index, entry in enumerate(keys):  # then the others in order, until one does not fit
            if index in kept:
                continue
            if entry.width > room:
                break
            kept.add(index)
            room -= entry.width
        spans: list[tuple[int, int, FooterEntry]] = []
        x = 0
        for index, entry in enumerate(keys):
            if index in kept:
                spans.append((x, x + entry.width, entry))
                x += entry.width
        for entry in pinned:
            spans.append((x, x + entry.width, entry))
            x += entry.width
        right = width - sum(e.width for e in palette)
        for entry in palette:
            spans.append((right, right + entry.width, entry))
            right += entry.width
        self._spans = spans

    def render(self) -> Text:
        self._layout_line()
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        hover = self.get_component_rich_style("footer-key--hover")
        edge = self.get_component_rich_style("footer-key--edge")
        dim = Style(dim=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        for start, _end, entry in self._spans:
            if start > line.cell_len:
                line.append(" " * (start - line.cell_len))
            key, description = entry.label()
            extra = (dim if not entry.enabled else Style()) + (hover if entry == self._hover else Style())
            if entry.place == "palette":
                line.append(PALETTE_EDGE, edge)
            line.append(key, key_style + extra)
            line.append(description, description_style + extra)
        return line

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._entry_at(event.x)
        if entry != self._hover:
            self._hover = entry
            tooltip = entry.tooltip if entry is not None else ""
            self.tooltip = literal_title(tooltip, limit=200) if tooltip else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

    def on_resize(self) -> None:
        self.refresh()
