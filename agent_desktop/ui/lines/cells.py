"""A column and its cells: text fitted to a width (cut with an ellipsis, or in the middle), padded, and a line of
segments made into one strip."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    """A column of a line-kit table (the card's tabs, the supervisor's live tables): its header and width in cells;
    in a keyed table (`LiveTable`), the key its rows' cells go by and which side of the column they keep to."""

    label: str
    width: int
    key: str = ""
    justify: Literal["left", "right"] = "left"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells, cut with an ellipsis when longer (as a table cell)."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…" if width > 0 else ""


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` cells (never cut)."""
    return text + " " * max(0, width - cell_len(text))


def cut_middle(text: Text, width: int) -> Text:
    """A name too long for `width`, shortened by whole words, never cut inside one: every word with the dash
    left out ("Billing Central"), else "Technical… — Premium", the words that fit and its end (after the last
    " — ", where queue names differ: "Fraud — Premium", "Fraud — Premium 2"); only where no whole word fits
    are words cut to their first letters and a dot ("Tech. sup. — Premium", then "Tech. Premium"), the end
    kept (a table gives a name column the room to avoid it: `LiveTable.YIELDS`); a name that cannot be
    shortened so is cut with an ellipsis. A leading "⚠ " stays."""
    if text.cell_len <= width or width < 6:
        return text.copy()
    plain_text = text.plain
    lead = 2 if plain_text.startswith("⚠ ") else 0
    body = text[lead:]
    style = body.spans[0].style if body.spans else body.style
    short = Text(shorten_words(body.plain, width - lead), style=style)
    return Text.assemble(text[:lead], short, style=text.style) if lead else Text.assemble(short, style=text.style)


def shorten_words(name: str, width: int) -> str:
    """`name` in at most `width` cells by whole words and abbreviations (see `cut_middle`)."""
    if cell_len(name) <= width:
        return name
    head, dash, tail = name.rpartition(" — ")
    if not dash:
        head, tail = name, ""
    words = head.split()
    joins = (" — ", " ") if tail else ("",)

    def fits(candidate: str) -> bool:
        return cell_len(candidate) <= width

    if tail and fits(candidate := " ".join(words) + " " + tail):  # every word, the dash left out
        return candidate
    for keep in range(len(words) - 1, 0, -1):  # the first words whole, the rest an ellipsis
        for join in joins:
            if fits(candidate := " ".join(words[:keep]) + "…" + join + tail):
                return candidate
    for letters in range(max(map(len, words)) - 2, 2, -1):  # every long word to its first letters and a dot
        short = [w if len(w) <= letters + 1 else w[:letters] + "." for w in words]
        for join in joins:
            if fits(candidate := " ".join(short) + join + tail):
                return candidate
    first = words[0] if words else ""
    for letters in range(len(first) - 2, 0, -1):  # the first word alone, to its first letters and a dot
        for join in joins:
            if fits(candidate := first[:letters] + "." + join + tail):
                return candidate
    return fit(name, width).rstrip()


def plain(line: Iterable[Segment]) -> str:
    """A line as the text a user reads (trailing spaces dropped)."""
    return "".join(segment.text for segment in line).rstrip()


def to_strip(segments: Iterable[Segment], x: int, width: int, base: Style) -> Strip:
    """Segments seen from column `x`, `width` cells wide: one Strip (each costs seven caches), cropped only when
    the line is scrolled sideways or longer than the view."""
    segments = list(segments)
    length = sum(segment.cell_length for segment in segments)
    if x == 0 and length <= width:
        if length < width:
            segments.append(Segment(" " * (width - length), base))
        return Strip(segments, width)
    return Strip(segments, length).crop_extend(x, x + width, base)
