"""The escape sequences of a desktop notification, in the terminal's own protocol: OSC 9 (iTerm2,
WezTerm, ghostty, Windows Terminal, ConEmu), OSC 777 `notify;title;body` (VTE, urxvt, WezTerm, foot), OSC 99
(kitty's desktop notifications), or the bell. Inside tmux a sequence is wrapped in tmux's DCS passthrough
(`ESC P tmux; … ESC \\`, each ESC of it doubled), which tmux hands to the outer terminal when
`allow-passthrough` is on (off by default since tmux 3.3). No terminal of its own here: the app writes the result.

The text comes from a backend (a customer's name, a contact's subject): it is PCI-masked and stripped of every
control character, escape and format character first, so nothing in it can end the sequence or start another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.pci import mask_pci

Style = Literal["osc9", "osc777", "osc99", "bell", "off"]
STYLES: tuple[Style, ...] = ("osc9", "osc777", "osc99", "bell", "off")
ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
# Whatever `one_line` leaves that a terminal could still read as a control: C0 (tab included), DEL and C1.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
TITLE_LIMIT, BODY_LIMIT = 60, 200


def clean(text: str | None, limit: int = BODY_LIMIT) -> str:
    """One line of text fit for inside an escape sequence: masked, no controls, no escapes, cut to `limit`."""
    return _CONTROLS.sub("", one_line(mask_pci(text or ""), limit))


def sequence(style: Style, title: str, body: str, *, tmux: bool = False, ident: int = 1) -> str:
    """The bytes that raise the notification (empty for "off"); `ident`: kitty's id of this notification."""
    title, body = clean(title, TITLE_LIMIT), clean(body)
    if style == "osc9":
        raw = f"{ESC}]9;{title}: {body}{BEL}" if body else f"{ESC}]9;{title}{BEL}"
    elif style == "osc777":
        raw = f"{ESC}]777;notify;{title.replace(';', ',')};{body}{BEL}"  # a `;` in the title would start the body
    elif style == "osc99":
        # kitty: the title, then the body of the same id (d=0: more to come); the payload is plain UTF-8.
        raw = f"{ESC}]99;i={ident}:d=0:p=title;{title}{ST}{ESC}]99;i={ident}:d=1:p=body;{body}{ST}"
    elif style == "bell":
        return BEL  # tmux passes a bell on as its own alert: never wrapped
    else:
        return ""
    return tmux_passthrough(raw) if tmux else raw


def tmux_passthrough(raw: str) -> str:
    """`raw` for the terminal outside tmux: DCS `tmux;`, every ESC doubled, ST (tmux(1), allow-passthrough)."""
    return f"{ESC}Ptmux;{raw.replace(ESC, ESC + ESC)}{ST}"


def guess_style(environ: Mapping[str, str]) -> Style:
    """The style the terminal most likely shows, from what it says of itself; the bell where unsure.

    tmux hides the outer terminal's TERM_PROGRAM (it sets its own), but iTerm2's LC_TERMINAL and kitty's
    KITTY_WINDOW_ID come through it (and ssh passes LC_*)."""
    program = environ.get("TERM_PROGRAM", "")
    term = environ.get("TERM", "")
    if program in ("iTerm.app", "WezTerm", "ghostty") or environ.get("LC_TERMINAL") == "iTerm2":
        return "osc9"
    if "WT_SESSION" in environ:  # Windows Terminal
        return "osc9"
    if term == "xterm-kitty" or "KITTY_WINDOW_ID" in environ:
        return "osc99"
    if "VTE_VERSION" in environ or term.startswith(("rxvt", "foot")):
        return "osc777"
    return "bell"
