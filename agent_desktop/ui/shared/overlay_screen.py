"""What every dialog, picker and view opened over a desk is: a modal screen that says what it is to the agent's
attention (agent_desktop/agent_desk/attention.py: its kind, the contact it is about, how long it lasts) and
closes itself, once, wherever it is in the stack of what is open."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

from agent_desktop.agent_desk.attention import Lasts, Overlay, OverlayKind
from agent_desktop.ui.keys.key_turn import KeyTurnScreen
from agent_desktop.ui.textual_compat import close_screen

T = TypeVar("T")


async def _closed() -> None:
    """What `dismiss` returns for a screen that was not on top (closed at once) or is closed already."""


class OverlayScreen(KeyTurnScreen, ModalScreen[T]):
    """A modal screen over a desk. Subclasses set `ATTENTION` (and `LASTS` where it closes with its contact);
    the one who opens it sets `contact_id` when it is about a contact."""

    ATTENTION: ClassVar[OverlayKind] = OverlayKind.DIALOG
    LASTS: ClassVar[Lasts] = Lasts.UNTIL_CLOSED
    # How the agent is told it closed by itself ("The disposition list closed: …").
    OVERLAY_NAME: ClassVar[str] = "The dialog"
    contact_id: str | None = None

    def overlay(self) -> Overlay:
        return Overlay(id(self), self.ATTENTION, self.OVERLAY_NAME, self.contact_id, self.LASTS)

    def close(self, result: T | None = None) -> bool:
        """Closed with `result` by the desk, wherever it is in the stack; False if it was not open (any more)."""
        return close_screen(self.app, self, result)

    def dismiss(self, result: T | None = None) -> AwaitComplete:
        """Closed with `result`, on top or under something that came up over it (an offer): Textual's own
        dismiss pops the top screen whichever it is called on. A second dismissal does nothing."""
        if self.app.screen is self:
            return super().dismiss(result)
        close_screen(self.app, self, result)
        return AwaitComplete(_closed()).call_next(self.app)
