"""Colour in a terminal's output: the SGR escape sequences that set a foreground or background colour (the
monochrome theme and NO_COLOR draw with none)."""

from __future__ import annotations

import re

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
# 30-37/40-47 and 90-97/100-107: the sixteen colours; 38 and 48: 256 colours or RGB (39 and 49 are the defaults).
COLOUR_CODES = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}


def colour_escapes(output: str) -> list[str]:
    """Every SGR sequence in `output` that sets a colour."""
    found = []
    for match in SGR.finditer(output):
        codes = [int(code) for code in re.split("[;:]", match.group(1)) if code.isdigit()]
        if any(code in COLOUR_CODES for code in codes):
            found.append(match.group(0))
    return found
