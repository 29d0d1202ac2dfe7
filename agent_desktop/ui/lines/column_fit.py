"""Fitting a table's columns to the room it has: each column its least width, then the room left handed out in an
order of need, each up to its most; past every most, one column takes the rest. A table with less room than its
least widths scrolls sideways (DataTable does), which is why the leasts are chosen to fit 80 columns."""

from __future__ import annotations

from collections.abc import Sequence

CELL_PADDING = 1  # DataTable's default, each side of every cell


def fitted_widths(
    room: int, least: Sequence[int], most: Sequence[int], grows_first: Sequence[int], rest_to: int
) -> tuple[int, ...]:
    """The columns' widths in `room` cells (padding not counted)."""
    widths = list(least)
    left = room - sum(widths)
    for index in grows_first:
        grown = max(0, min(left, most[index] - widths[index]))
        widths[index] += grown
        left -= grown
    widths[rest_to] += max(0, left)
    return tuple(widths)


def room_for_cells(width: int, scrollbar: int, columns: int) -> int:
    """The cells' room in a table `width` wide, less its vertical scrollbar and every cell's padding."""
    return width - scrollbar - 2 * CELL_PADDING * columns
