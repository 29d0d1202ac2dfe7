"""What a browser session of `agent-desktop serve` may send on its websocket, read strictly: textual-serve's page
sends `["stdin", text]`, `["resize", {"width": w, "height": h}]`, `["ping", data]`, `["blur"]` and `["focus"]`.
Anything else (not JSON, another shape, a wrong type) is None: ignored, never an exception whose traceback would
print what was typed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MAX_CELLS = 1000  # a terminal's width or height, at most


@dataclass(frozen=True)
class Keys:
    text: str


@dataclass(frozen=True)
class Resize:
    width: int
    height: int


@dataclass(frozen=True)
class Ping:
    data: object


@dataclass(frozen=True)
class Focus:
    focused: bool


BrowserMessage = Keys | Resize | Ping | Focus


def _cells(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_CELLS:
        return value
    return None


def read_browser_message(text: str) -> BrowserMessage | None:
    """The message `text` carries, or None if it is not one textual-serve's page sends."""
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):  # `[[[[…` a thousand deep is a RecursionError, not a ValueError
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    kind, args = envelope[0], envelope[1:]
    if kind == "stdin" and len(args) == 1 and isinstance(args[0], str):
        return Keys(args[0])
    if kind == "resize" and len(args) == 1 and isinstance(args[0], dict):
        width, height = _cells(args[0].get("width")), _cells(args[0].get("height"))
        return Resize(width, height) if width is not None and height is not None else None
    if kind == "ping" and len(args) == 1:
        return Ping(args[0])
    if kind in ("focus", "blur") and not args:
        return Focus(kind == "focus")
    return None
