"""Making backend text safe to put on a terminal.

Rich and Textual pass ESC and other control characters through, so a CRM field
could otherwise send escape sequences to the agent's terminal. Markup is a
separate danger, handled by always rendering backend text as plain Content.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str | None) -> str:
    return _CONTROL.sub("", text or "")


def one_line(text: str | None, limit: int = 200) -> str:
    """Control characters removed, whitespace folded, cut to `limit` characters."""
    flat = " ".join(strip_controls(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
