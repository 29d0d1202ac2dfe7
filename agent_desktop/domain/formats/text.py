"""Making backend text safe to put on a terminal: nothing in it may act on the terminal or change what a
line appears to say.

Rich and Textual pass ESC and other control characters through, so a CRM field could otherwise send
escape sequences to the agent's terminal. Markup is a separate danger, handled by always rendering
backend text as plain Content (agent_desktop/ui/plain_text.py, the one literal-text helper, calls these).

Unicode format characters (category Cf) are invisible by design, and some change how the rest of a line
is shown ("Trojan Source", CVE-2021-42574): terminals that implement bidi (VTE, Konsole, mlterm) reorder a
row by them, so `user\\u202eexe.txt` reads as another file name and an unclosed override reverses the rest
of the row. What the agent sees must be what the text says, so:

- bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are shown as a visible mark,
  `⟨U+202E⟩` (as less and vim show such characters): they have no business in a name or a chat line,
  and when one is there the agent should see that something was hidden there;
- every other format character is removed: the implicit direction marks LRM, RLM and ALM (common in
  right-to-left text, they cannot reorder letters), zero-width spaces, the word joiner, BOM, the soft
  hyphen, invisible operators, tag characters (used to hide text) and the rest of the category.
  Zero-width joiners and non-joiners stay only between two non-ASCII letters, marks or symbols, where
  they do their job (emoji sequences such as woman + ZWJ + laptop, Persian and Indic spelling); between ASCII
  characters or digits they only hide something (`pay\\u200dpal`, digits of a card number);
- the line and paragraph separators U+2028 and U+2029 are line breaks in multi-line text and a space in
  one-line text (`one_line`), as everywhere else a line break is;
- a lone UTF-16 surrogate (JSON allows `"\\ud800"`) becomes U+FFFD: it cannot be written to a terminal.

Text that goes on towards a customer rather than only to the screen (a model's answer put in the composer) takes
`strip_to_send`: the bidi controls are removed there too, since a mark would be sent as typed.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab and newline, DEL, and C1 controls.
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Unicode 14's format characters (Python 3.11's unicodedata; tests/unit/terminal/test_text.py checks the list against it).
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_SUSPECT = re.compile(f"[{_C0_C1}{FORMAT_CHARACTERS}\u2028\u2029\ud800-\udfff]")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_JOINERS = frozenset("\u200c\u200d")


def bidi_mark(char: str) -> str:
    """How a bidi embedding, override or isolate is shown: `⟨U+202E⟩`."""
    return f"⟨U+{ord(char):04X}⟩"


def _joins_two_non_ascii(text: str, at: int) -> bool:
    if at == 0 or at + 1 >= len(text):
        return False
    before, after = text[at - 1], text[at + 1]
    return all(ch > "\x7f" and unicodedata.category(ch)[0] in "LMS" for ch in (before, after))


def _shown_as(match: re.Match[str]) -> str:
    char = match.group()
    if char in _BIDI_CONTROLS:
        return bidi_mark(char)
    if char in "\u2028\u2029":
        return "\n"
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    if char in _JOINERS and _joins_two_non_ascii(match.string, match.start()):
        return char
    return ""


def strip_controls(text: str | None) -> str:
    """Text that can go to the terminal as it is: control characters removed, format characters removed
    or shown as marks, separators as line breaks, lone surrogates as U+FFFD (see the module docstring)."""
    text = text or ""
    if _SUSPECT.search(text) is None:  # nearly all text: nothing to do
        return text
    return _SUSPECT.sub(_shown_as, text)


def strip_to_send(text: str | None) -> str:
    """`strip_controls` for text that goes on towards a customer (a model's answer put in the composer): bidi
    embeddings, overrides and isolates removed, not shown as a mark the agent would send as it is."""
    return strip_controls(_BIDI_CONTROL.sub("", text or ""))


def one_line(text: str | None, limit: int = 200) -> str:
    """`strip_controls`, then whitespace (line breaks included) folded to single spaces, cut to `limit`."""
    flat = " ".join(strip_controls(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
