"""Wrapping text to a width in cells, for views that lay out their own lines (the transcript, the help, the card)."""

from __future__ import annotations

from rich.cells import cell_len, chop_cells

from agent_desktop.domain.formats.text import strip_controls


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces where possible (wide characters
    counted as two; a word longer than a line is cut)."""
    out: list[str] = []
    for paragraph in strip_controls(text).replace("\t", "    ").split("\n"):
        ascii_only = paragraph.isascii()
        measure = len if ascii_only else cell_len
        if measure(paragraph) <= width:
            out.append(paragraph)
            continue
        if ascii_only:  # one rfind per line, not a loop per word: most text is ASCII
            start, end = 0, len(paragraph)
            while end - start > width:
                cut = paragraph.rfind(" ", start, start + width + 1)
                if cut <= start:
                    out.append(paragraph[start : start + width])
                    start += width
                else:
                    out.append(paragraph[start:cut])
                    start = cut + 1
            out.append(paragraph[start:])
            continue
        line, used = "", 0
        for word in paragraph.split(" "):
            size = measure(word)
            if used and used + 1 + size <= width:
                line, used = f"{line} {word}", used + 1 + size
                continue
            if used:
                out.append(line)
            if size <= width:
                line, used = word, size
            else:
                pieces = (
                    [word[i : i + width] for i in range(0, len(word), width)] if ascii_only else chop_cells(word, width)
                )
                out.extend(pieces[:-1])
                line, used = pieces[-1], measure(pieces[-1])
        out.append(line)
    return out
