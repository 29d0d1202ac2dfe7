"""The line-API widget kit the desk's lists stand on: a scrolled view of lines (`LineView`), a row cursor over it
(`CursorView`), wrapping (`wrap`) and the cells of a column (`fit`, `pad`, `cut_middle`, `to_strip`).

The tables, the card's tabs, the transcript and the help are each a few methods over this: what their lines are,
and how they are laid out. Keys, scrolling, the strip cache and the cursor are here, once.
"""

from agent_desktop.ui.lines.cells import Column, cut_middle, fit, pad, plain, to_strip
from agent_desktop.ui.lines.cursor import CursorView
from agent_desktop.ui.lines.view import Line, LineView, scroll_bindings
from agent_desktop.ui.lines.wrap import wrap

__all__ = [
    "Column",
    "CursorView",
    "Line",
    "LineView",
    "cut_middle",
    "fit",
    "pad",
    "plain",
    "scroll_bindings",
    "to_strip",
    "wrap",
]
