"""After `a` on a chat, SMS or email, the agent writes: they land in its composer, and what they type before
it is there goes into it, in order.

The focus used to stay on the contacts list, so a greeting typed at once was read as the desk's keys: `hey`
held the chat (`h`) and asked to end it (`e`). From `a` until the conversation is in hand, the keys
a person types (letters, space, backspace, enter) are held here instead of running commands; once the
conversation is selected, the focus moves to its composer and the held keys are handed to it as if typed
there (enter sends, as it would). Escape lets go: the agent stays on the contacts list. If the contact never
comes (the offer was taken by another, or the accept was refused), the held text is said, not lost silently.
The screen tells it of each key that reached the screen and of each redraw, and moves the focus and the held
keys to the composer when this says so (it holds neither the screen nor a widget).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual import events
from textual.binding import ActiveBinding
from textual.widget import Widget
from textual.widgets import Input, TextArea

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.transcripts.conversation import DIGITAL
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.plain_text import plain

TYPED_KEYS = ("space", "backspace", "enter")  # besides letters: the keys that write or send a message


class WriteOnAccept:
    def __init__(self, desk: Desk, notify: Callable[..., object]) -> None:
        """`notify`: the app's (what the agent typed in vain is said, not lost silently)."""
        self.desk = desk
        self._notify = notify
        self.contact_id: str | None = None  # the written contact accepted, not yet in the agent's composer
        self._held: list[events.Key] = []

    def accepting(self) -> None:
        """`a` was pressed: for a chat, SMS or email, the agent's next keys are for its composer. (Called as the
        key passes the screen, before the app runs its binding: the keys typed with it are already on their way
        to the same screen, and the binding runs after them; and again by the accept itself.)"""
        offer = self.desk.offer
        contact_id = offer.contact.id if offer is not None and offer.contact.channel in DIGITAL else None
        if contact_id != self.contact_id or contact_id is None:
            self.contact_id, self._held = contact_id, []

    def reads(self, event: events.Key) -> bool:
        """The keys read before the desk's bindings: those held for the composer, and escape that lets them go."""
        return self.contact_id is not None and (event.is_printable or event.key in ("escape", *TYPED_KEYS))

    def on_key(
        self, event: events.Key, focused: Widget | None, bindings: Mapping[str, ActiveBinding], composer: Composer
    ) -> None:
        """A key that reached the screen: held for the composer, or handed on to it (it has the focus)."""
        if self.hold(event, focused, bindings):
            event.stop()
            event.prevent_default()
        elif self.for_the_composer(event, focused):
            event.stop()
            event.prevent_default()
            composer.post_message(events.Key(event.key, event.character))

    def hold(self, event: events.Key, focused: Widget | None, bindings: Mapping[str, ActiveBinding]) -> bool:
        """A key that reached the screen while the accepted conversation is on its way: held for its composer
        (True), or left to the desk (escape lets go of the whole; a key for a text box elsewhere is that box's).
        The accept key itself starts this, on its way to the app's binding."""
        if self.contact_id is None:
            if self._accept_key(event, bindings):
                self.accepting()
            return False
        if event.key == "escape":
            self._let_go("Not in the composer: i writes in the conversation.")
            return False
        if isinstance(focused, Input | TextArea):
            return False
        if not (event.is_printable or event.key in TYPED_KEYS):
            return False
        self._held.append(events.Key(event.key, event.character))
        return True

    def for_the_composer(self, event: events.Key, focused: Widget | None) -> bool:
        """A letter that reached the screen while the composer has the focus is the composer's: the app handed it to
        the widget focused when it read it (the contacts list, a moment before the focus moved in), and the
        composer, which takes every printable key itself, never saw it. The screen hands it on, in order."""
        return isinstance(focused, Composer) and event.is_printable

    def _accept_key(self, event: events.Key, bindings: Mapping[str, ActiveBinding]) -> bool:
        """`event` is the key that accepts a chat, SMS or email offered now (as the keymap has it)."""
        offer = self.desk.offer
        if offer is None or offer.contact.channel not in DIGITAL:
            return False
        bound = bindings.get(event.key)
        return bound is not None and bound.binding.action == "accept" and bound.enabled

    def desk_changed(self) -> list[events.Key] | None:
        """After a redraw: the accepted conversation is selected, so the agent goes into its composer with what
        they typed (returned, for the screen to hand to the composer once it has the focus); or the contact will
        not come, and that is said."""
        contact_id, desk = self.contact_id, self.desk
        if contact_id is None:
            return None
        if desk.selected_id == contact_id and desk.selected_conversation() is not None:
            held, self.contact_id, self._held = self._held, None, []
            return held
        if contact_id not in desk.held and (desk.offer is None or desk.offer.contact.id != contact_id):
            self._let_go("The contact was not accepted.")
        return None

    def hand_over(self, into_composer: Callable[[], object], composer: Callable[[], Composer]) -> None:
        """After a redraw: the accepted conversation is selected, so the agent goes into its composer
        (`into_composer`) and what they typed meanwhile follows them there. `composer` is read only then: reading
        it mounts the conversation's parts, which a desk with no conversation yet (its start) does not draw."""
        if (typed := self.desk_changed()) is not None:
            into_composer()
            into = composer()
            for key in typed:  # after the focus moved: before any key still on its way from the terminal
                into.post_message(key)

    def accept_failed(self) -> None:
        """The contact center refused the accept (its notice says why)."""
        if self.contact_id is not None and self.contact_id not in self.desk.held:
            self._let_go("The contact was not accepted.")

    def _let_go(self, why: str) -> None:
        typed = "".join(" " if k.key == "space" else (k.character or "") for k in self._held if k.is_printable)
        self.contact_id, self._held = None, []
        if typed.strip():
            self._notify(plain(f"{why} What you typed was not sent: “{typed}”"), title="Typed", severity="warning")
