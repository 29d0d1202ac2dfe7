"""A column's cells: text fitted to a width (cut with an ellipsis, or in the middle), padded, and a line of
segments made into one strip."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells, cut with an ellipsis when longer (as a table cell)."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…" if width > 0 else ""


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` cells (never cut)."""
    return text + " " * max(0, width - cell_len(text))


def cut_middle(text: Text, width: int) -> Text:
    """`Technical s…Premium`: a value too long keeps its start and its end (after the last " — ", where
    queue names differ: "Fraud — Premium", "Fraud — Premium 2"), else as much of each."""
    if text.cell_len <= width or width < 8:
        return text.copy()
    plain = text.plain
    _, dash, last = plain.rpartition(" — ")
    tail = len(last) if dash and len(last) <= (width - 1) * 2 // 3 else (width - 1) // 2
    head = width - 1 - tail
    return Text.assemble(text[:head], "…", text[len(plain) - tail :], style=text.style)


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
