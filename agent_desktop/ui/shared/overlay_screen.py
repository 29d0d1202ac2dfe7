"""What every dialog, picker and view opened over a desk is: a modal screen that says what it is to the agent's
attention (agent_desktop/agent_desk/attention.py: its kind, the contact it is about, how long it lasts) and
closes itself, once, wherever it is in the stack of what is open, as that model says (rule 6)."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from agent_desktop.agent_desk.attention import Attention, Dismiss, Dismissing, Lasts, Overlay, OverlayKind
from agent_desktop.ui.keys.key_turn import KeyTurnScreen
from agent_desktop.ui.textual_compat import close_screen

T = TypeVar("T")


async def _closed() -> None:
    """What `dismiss` returns: the screen is out of the stack already (Textual removes it in a later turn)."""


@runtime_checkable
class ClosesOverlays(Protocol):
    """The front of the desk an overlay is open over (ui/agent/front_of_desk.py): its attention model says how an
    overlay closing itself closes (rule 6), and it carries that out (`close_as`)."""

    def dismissing(self, screen: OverlayScreen[Any], result: object) -> None: ...


def close_as(screen: OverlayScreen[Any], on_top: bool, result: object) -> None:
    """The attention model's `Dismiss` carried out: the top screen closed as Textual closes it, one under another
    taken out from under it (Textual's own dismissal pops the top screen whichever it is called on)."""
    if on_top:
        ModalScreen.dismiss(screen, result)
    else:
        close_screen(screen.app, screen, result)


def _is_overlay(screen: Screen[Any]) -> bool:
    return isinstance(screen, OverlayScreen | CommandPalette)


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
        """Closed with `result`, on top or under something that came up over it, as the attention model says (rule
        6): told to the front of the desk it is open over, or, over a desk with none (the supervisor's), to a model
        of what is open now. A second dismissal does nothing."""
        stack = self.app.screen_stack
        desk = next((screen for screen in reversed(stack) if not _is_overlay(screen)), stack[0])
        front = getattr(desk, "front", None)
        if isinstance(front, ClosesOverlays):
            front.dismissing(self, result)
        else:
            open_now = Attention(open=tuple(Overlay(id(screen), OverlayKind.DIALOG, "") for screen in stack[1:]))
            for effect in open_now.apply(Dismissing(id(self))):
                if isinstance(effect, Dismiss):
                    close_as(self, effect.on_top, result)
        return AwaitComplete(_closed()).call_next(self.app)
