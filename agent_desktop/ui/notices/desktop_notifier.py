"""Desktop notifications: while the terminal is not in front (Textual's `AppBlur`/`AppFocus`, from the
terminal's focus reporting: `app.app_focus`), an offer, the answer to a raised flag, an SLA breach and a broadcast
raise a notification through the terminal's own escape sequence (notice_sequences.py), each switchable in the
configuration (`[notifications]`). With the terminal in front nothing is raised: the desk shows it already (an
offer still rings the bell, as it always did).

Anything may call `notify_desktop(kind, title, body)`: kinds "offer", "flag-answer", "breach", "broadcast".
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from textual.app import App

from agent_desktop.agent_desk.conversations.sla_clocks import SlaClock
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Contact, Offer
from agent_desktop.ui.notices.notice_sequences import Style, guess_style, sequence
from agent_desktop.ui.textual_compat import write_raw

Kind = Literal["offer", "flag-answer", "breach", "broadcast"]


@dataclass(frozen=True)
class NoticeSettings:
    """`[notifications]` of the configuration: the style ("auto": guessed from the terminal) and a switch per kind."""

    style: Style | Literal["auto"] = "auto"
    offer: bool = True
    flag_answer: bool = True
    breach: bool = True
    broadcast: bool = True

    def allows(self, kind: str) -> bool:
        return bool(getattr(self, kind.replace("-", "_"), False))


class DesktopNotifier:
    def __init__(
        self,
        app: App[Any],
        settings: NoticeSettings = NoticeSettings(),
        environ: Mapping[str, str] = os.environ,
        write: Callable[[str], None] | None = None,
    ) -> None:
        """`environ`: what says which terminal this is (the style's guess) and whether it runs in tmux; `write`:
        where the bytes go (the terminal, through Textual's driver; a test's list)."""
        self.app = app
        self.settings = settings
        self.style: Style = guess_style(environ) if settings.style == "auto" else settings.style
        self.in_tmux = bool(environ.get("TMUX"))
        self.write = write or partial(write_raw, app)
        self._ids = itertools.count(1)

    def notify_desktop(self, kind: Kind | str, title: str, body: str = "") -> bool:
        """Raise a notification when the terminal is not in front and `kind` is switched on; True if written."""
        if self.app.app_focus or not self.settings.allows(kind) or self.style == "off":
            return False
        self.write(sequence(self.style, title, body, tmux=self.in_tmux, ident=next(self._ids)))
        return True

    def ring(self, offer: Offer | None) -> None:
        """An offer came: the notification when the terminal is behind, else (or with none raised) the bell."""
        if offer is not None and self.notify_desktop("offer", *offer_words(offer)):
            return
        self.app.bell()


def offer_words(offer: Offer) -> tuple[str, str]:
    contact = offer.contact
    caller = shown_phone(contact.callback.number if contact.callback is not None else contact.from_address)
    return f"Offer: {contact.channel.value} · {contact.queue_name}", f"{caller} · {contact.subject or ''}".strip(" ·")


def notifier_of(app: App[Any]) -> DesktopNotifier | None:
    """The app's notifier (the desk's app has one; another app, a test's, may not)."""
    notifier = getattr(app, "desktop_notifier", None)
    return notifier if isinstance(notifier, DesktopNotifier) else None


def ring(app: App[Any], offer: Offer | None) -> None:
    """An offer came (agent_screen.py): the notifier's ring, or the bell of an app without one."""
    notifier = notifier_of(app)
    notifier.ring(offer) if notifier is not None else app.bell()


def breach_words(contact: Contact, clock: SlaClock) -> tuple[str, str]:
    return (
        f"SLA breached: {clock.label}",
        f"{shown_phone(contact.from_address)} · {contact.queue_name} · {contact.channel.value}",
    )
