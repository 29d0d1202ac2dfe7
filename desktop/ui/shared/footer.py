"""The key footer, kept instead of recomposed: one key widget per binding, made the first time that binding
applies, then only shown or hidden.

Textual 8.2's Footer recomposes all its keys on every bindings change (about fifteen widgets unmounted and
mounted, three times per offer) and leaks the watchers of the keys it removes (Textualize/textual#6666).
Here a change of the keys that apply toggles `display` on the few keys concerned; the footer shows the
same keys, in the same order and style, as Textual's would — as many as fit whole: with chats in hand
and a contact selected more keys apply than 120 columns hold, and Textual's cut the last one mid-word
and hid the rest. The keys left out still work and are all in the command palette and the help screen:
their keys (the help's `?` and the palette's `^p`) always stay, last, with the other desk's (`f2`, the demo).
"""

from __future__ import annotations

import asyncio

from textual.screen import Screen
from textual.widgets import Footer
from desktop.ui.plain_text import literal_title
from desktop.ui.textual_compat import FooterKey  # the footer's own key widget, for the same look

KeyId = tuple[str, str, bool]  # (key, action, enabled)
# Always shown, just before the palette key, whatever else applies: the way to the other desk (the demo) and
# help, where a new user looks first.
PINNED_ACTIONS = ("switch_desk", "help")
MAX_REFITS = 5


class KeyFooter(Footer):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._keys: dict[KeyId, FooterKey] = {}
        self._shown: list[KeyId] = []
        self._widths: dict[KeyId, int] = {}  # each key's width, measured once it was laid out
        self._syncing = asyncio.Lock()
        self._refits = 0  # fits in a row that met keys not laid out yet

    def compose(self):
        return iter(())  # keys are made by `_sync_keys`, once each

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._sync_keys)

    def _wanted(self) -> list[tuple[KeyId, FooterKey]]:
        """The keys Textual's footer would show now, in its order (one per action), the help key and the command
        palette's last."""
        wanted: list[tuple[KeyId, FooterKey]] = []
        pinned: list[tuple[KeyId, FooterKey]] = []
        seen_actions: set[str] = set()
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE else None
        active = self.screen.active_bindings  # a property Textual works out afresh at each read (~2 ms here)
        # A pinned action's key that works here, shown or not: F1 where a text box types `?`.
        pinned_shown = {b.action for _, b, _, _ in active.values() if b.action in PINNED_ACTIONS and b.show}
        for key, (_, binding, enabled, tooltip) in active.items():
            if key == palette or binding.action in seen_actions:
                continue
            pin = binding.action in PINNED_ACTIONS
            if not (binding.show or pin and binding.action not in pinned_shown):
                continue
            seen_actions.add(binding.action)
            key_id = (binding.key, binding.action, enabled)
            made = self._keys.get(key_id) or self._make(binding, enabled, tooltip, "-pinned" if pin else "")
            (pinned if pin else wanted).append((key_id, made))
        wanted += pinned
        if palette is not None and palette in active:
            _, binding, enabled, tooltip = active[palette]
            key_id = (binding.key, binding.action, enabled)
            made = self._keys.get(key_id) or self._make(binding, enabled, binding.tooltip or binding.description, "-command-palette")
            wanted.append((key_id, made))
        return wanted

    def _make(self, binding, enabled: bool, tooltip: str, classes: str = "") -> FooterKey:
        key = FooterKey(
            binding.key, self.app.get_key_display(binding), binding.description, binding.action,
            disabled=not enabled, tooltip=literal_title(str(tooltip or ""), limit=200), classes=classes,
        )  # fmt: skip
        if classes != "-command-palette":  # as Textual's footer: keys follow its `compact`, the palette's keeps its own
            key.compact = self.compact
        return key

    async def _sync_keys(self) -> None:
        # One sync at a time: a second one started while the first awaits its mount saw the first's new keys as
        # known, moved them before they were children and ended the app (WidgetError, found by the tmux demo test).
        async with self._syncing:
            await self._sync_keys_now()

    async def _sync_keys_now(self) -> None:
        if not self.is_attached:
            return
        wanted = self._wanted()
        ids = [key_id for key_id, _ in wanted]
        if ids == self._shown:
            return
        new = [(key_id, widget) for key_id, widget in wanted if key_id not in self._keys]
        if new:
            self._keys.update(new)
            await self.mount_all([widget for _, widget in new])
        visible = set(ids)
        for key_id, widget in self._keys.items():
            widget.display = key_id in visible
        # Children in the order wanted (a key made later may belong before older ones).
        order = [widget for _, widget in wanted]
        if [c for c in self.children if c.display] != order:
            for before, widget in zip(order, order[1:]):
                if widget.parent is self and before.parent is self:
                    self.move_child(widget, after=before)
        self._shown = ids
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self, retries: int = 3) -> None:
        """Show the keys in order while they fit whole beside the help and palette keys; hide the rest. A key
        shown but not laid out yet has no width: fitted again after the next refresh (nothing else may come to
        fit it: a key that did not fit stayed shown and pushed the help key off the edge)."""
        for key_id in self._shown:
            widget = self._keys[key_id]
            if widget.display and widget.region.width:
                self._widths[key_id] = widget.region.width
        unmeasured = any(k not in self._widths and self._keys[k].display for k in self._shown)
        if unmeasured and self._refits < MAX_REFITS:
            # Keys mounted in this sync are laid out at the next refresh: fit again then, or they stay shown
            # whether they fit or not (the help key cut mid-word), as nothing else may ask for a fit.
            self._refits += 1
            self.call_after_refresh(self._fit)
        elif not unmeasured:
            self._refits = 0
        keys = [k for k in self._shown if not (self._keys[k].has_class("-command-palette") or self._keys[k].has_class("-pinned"))]
        palette = sum(self._widths.get(k, 0) for k in self._shown if k not in keys)
        room = self.size.width - palette
        used = 0
        unmeasured = False
        for key_id in keys:
            width = self._widths.get(key_id)
            if width is None:
                unmeasured = unmeasured or self._keys[key_id].display
                continue  # not laid out yet: measured at the next fit
            fits = used + width <= room
            self._keys[key_id].display = fits
            used += width if fits else room  # after the first that does not fit, none is shown
        if unmeasured and retries:
            self.call_after_refresh(self._fit, retries - 1)
