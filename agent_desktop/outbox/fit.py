"""A wrap-up's interaction fitted to the CRM's limits (agent_desktop/domain/customers/crm_limits.py) before it is stored.

The disposition, the notes and the private notes always go; the transcript gives way. Its start (why the
customer came) and its end (how it was left) are kept, and what lies between is replaced by one line that
says how much was left out and that the whole conversation stays in the contact center, which keeps every
transcript. One write rather than several: the CRM keeps one interaction per contact (history, reports and
the exactly-once promise are per write), a split write could land in part, and the middle of a
five-thousand-message conversation is what nobody reads in a CRM record anyway.

Sizes are measured as the HTTP client sends them: compact JSON in UTF-8.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agent_desktop.domain.customers.crm_limits import CrmLimits
from agent_desktop_pci.lazy_pattern import lazy_pattern

MARKER_ROLE = "system"
MARKER_NAME = "Agent desktop"
# Room kept free in the body: the customer id the sender adds (at most 100 characters) and its key.
RESERVE_BYTES = 1024
# The notes may fill this share of the body at most: the transcript's start, its end and the marker need the rest.
NOTES_SHARE = 0.75
_MARKER_SLACK = 32  # the marker's numbers are written once known; their digits may differ from the estimate


@dataclass(frozen=True)
class Fitted:
    """The interaction as it will be written, and what was left out of it."""

    interaction: dict[str, Any]
    lines_cut: int = 0  # transcript lines not written (never loaded by the desk included)
    bytes_cut: int = 0  # the UTF-8 size of their text (of those the desk had)
    texts_clipped: int = 0  # notes, private notes or transcript lines cut short


def size_of(value: Any) -> int:
    """Bytes of `value` as compact UTF-8 JSON (a lone surrogate counted as the three bytes it would take)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def human_size(count: int) -> str:
    if count < 1024:
        return f"{count:,} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1024 * 1024):.1f} MiB"


def transcript_marker(count: int, size: int, conversation_id: str, *, at_least: bool = False) -> str:
    """The words standing for the lines left out (`at_least`: the size of some of them is not known)."""
    amount = f"at least {human_size(size)}" if at_least else human_size(size)
    return (
        f"[… {count:,} messages ({amount}) not written here: the full transcript stays in the contact center, "
        f"conversation {conversation_id}]"
    )


_MARKER_WORDS = lazy_pattern(r"\[… ([\d,]+) messages \((at least )?([\d.,]+) (bytes|KiB|MiB)\) not written here")
_UNITS = {"bytes": 1, "KiB": 1024, "MiB": 1024 * 1024}


def is_marker(line: dict[str, Any]) -> bool:
    text = line.get("text") or ""
    return line.get("role") == MARKER_ROLE and line.get("name") == MARKER_NAME and text.startswith("[… ")


def stands_for(line: dict[str, Any]) -> tuple[int, int, bool]:
    """How many lines, and how many bytes of text, a transcript line stands for: one and its own for a
    message, what it says for the marker of an earlier cut (and whether its size was a lower bound)."""
    words = _MARKER_WORDS.match(line.get("text") or "") if is_marker(line) else None
    if words is None:
        return 1, len((line.get("text") or "").encode("utf-8", "surrogatepass")), False
    count, at_least, amount, unit = words.groups()
    return int(count.replace(",", "")), int(float(amount.replace(",", "")) * _UNITS[unit]), bool(at_least)


def marker_in(interaction: dict[str, Any]) -> str | None:
    """The words standing for the lines left out of a fitted interaction's transcript, if any were."""
    return next((line["text"] for line in interaction.get("transcript") or [] if is_marker(line)), None)


def without_transcript(interaction: dict[str, Any], conversation_id: str) -> dict[str, Any]:
    """`interaction` with its transcript replaced by the marker alone (its notes and disposition kept)."""
    lines = interaction.get("transcript") or []
    if not lines:
        return dict(interaction)
    count, size, at_least = _summed(lines)
    marker = _marker_line(count, size, conversation_id, at_least, at=lines[0]["at"])
    return {**interaction, "transcript": [marker]}


def _summed(lines: list[dict[str, Any]]) -> tuple[int, int, bool]:
    counted = [stands_for(line) for line in lines]
    return sum(c for c, _, _ in counted), sum(b for _, b, _ in counted), any(a for _, _, a in counted)


def fit_interaction(
    interaction: dict[str, Any], limits: CrmLimits, *, conversation_id: str, never_loaded: int = 0
) -> Fitted:
    """`interaction` (an `InteractionCreate` as JSON, its text masked already) cut to `limits`.

    `never_loaded` counts the conversation's oldest lines the desk never had (the marker stands for
    them too, at the start)."""
    body = dict(interaction)
    clipped = 0
    notes = body.get("notes") or ""
    body["notes"] = clip_chars(notes, limits.max_notes_chars, _notes_where(limits))
    clipped += body["notes"] != notes
    private, private_clipped = _private_notes_fitted(list(body.get("private_notes") or []), limits)
    body["private_notes"], clipped = private, clipped + private_clipped
    written = list(body.get("transcript") or [])
    lines = [_line_fitted(line, limits, conversation_id) for line in written]
    clipped += sum(a is not b for a, b in zip(lines, written, strict=True))
    body["transcript"] = []
    available = limits.max_body_bytes - RESERVE_BYTES
    clipped += _notes_shrunk(body, int(available * NOTES_SHARE), limits)
    room = available - size_of(body)
    return _transcript_cut(body, lines, written, limits, room, conversation_id, never_loaded, clipped)


# --- text cut short ---------------------------------------------------------------------------


def _notes_where(limits: CrmLimits) -> str:
    return f"the CRM takes {limits.max_notes_chars:,}"


def _clip_marker(cut: int, where: str) -> str:
    return f" [… {cut:,} characters not written here: {where}]"


def clip_chars(text: str, max_chars: int, where: str) -> str:
    """`text` in at most `max_chars` characters, ending with a marker saying how much was cut."""
    if len(text) <= max_chars:
        return text
    room = max_chars - len(_clip_marker(len(text), where))
    if room <= 0:
        return text[:max_chars]
    return text[:room] + _clip_marker(len(text) - room, where)


def clip_bytes(text: str, max_bytes: int, where: str, max_chars: int | None = None) -> str:
    """`text` in at most `max_bytes` of JSON (quotes included), ending with a marker if it was cut, and still within
    `max_chars` characters (a marker can be longer than the escaped characters it replaces)."""
    if size_of(text) <= max_bytes:
        return text
    marker = _clip_marker(len(text), where)
    marker_room = max_bytes - size_of(marker)
    most_chars = len(text) if max_chars is None else max(0, min(len(text), max_chars - len(marker)))
    low, high = 0, most_chars  # the longest prefix that fits with the marker: binary search
    while low < high:
        middle = (low + high + 1) // 2
        if size_of(text[:middle]) <= marker_room:
            low = middle
        else:
            high = middle - 1
    if marker_room < 2:  # not even the marker fits: as much text as fits, unmarked
        low = 0
        most = len(text) if max_chars is None else min(len(text), max_chars)
        while low < most and size_of(text[: low + 1]) <= max_bytes:
            low += 1
        return text[:low]
    return text[:low] + _clip_marker(len(text) - low, where)


def _private_notes_fitted(notes: list[str], limits: CrmLimits) -> tuple[list[str], int]:
    """At most `max_private_notes`, the overflow joined into the last one; each cut to its length."""
    clipped = 0
    most = max(1, limits.max_private_notes)
    if len(notes) > most:
        notes = [*notes[: most - 1], "\n\n".join(notes[most - 1 :])]
        clipped += 1
    where = f"the CRM takes {limits.max_private_note_chars:,} per note"
    fitted = [clip_chars(note, limits.max_private_note_chars, where) for note in notes]
    return fitted, clipped + sum(a != b for a, b in zip(fitted, notes, strict=True))


def _line_where(conversation_id: str) -> str:
    return f"the whole message stays in the contact center, conversation {conversation_id}"


def _line_fitted(line: dict[str, Any], limits: CrmLimits, conversation_id: str) -> dict[str, Any]:
    name, text = line.get("name") or "", line.get("text") or ""
    if len(name) <= limits.max_name_chars and len(text) <= limits.max_item_chars:
        return line
    return {
        **line,
        "name": name[: limits.max_name_chars],
        "text": clip_chars(text, limits.max_item_chars, _line_where(conversation_id)),
    }


def _notes_shrunk(body: dict[str, Any], most_bytes: int, limits: CrmLimits) -> int:
    """Cut the notes and private notes (the longest first, water-filling) until the body without its
    transcript takes at most `most_bytes`; how many were cut."""
    over = size_of(body) - most_bytes
    if over <= 0:
        return 0
    texts = [body["notes"], *body["private_notes"]]
    sizes = [size_of(text) for text in texts]
    room = sum(sizes) - over
    shares = _water_filled(sizes, max(0, room))
    where = f"the CRM takes {human_size(limits.max_body_bytes)} per write"
    most_chars = [limits.max_notes_chars, *[limits.max_private_note_chars] * len(body["private_notes"])]
    fitted = [
        clip_bytes(text, share, where, most) if share < size else text
        for text, size, share, most in zip(texts, sizes, shares, most_chars, strict=True)
    ]
    body["notes"], body["private_notes"] = fitted[0], fitted[1:]
    return sum(a != b for a, b in zip(fitted, texts, strict=True))


def _water_filled(sizes: list[int], room: int) -> list[int]:
    """Each size's share of `room`: the small ones whole, the others an equal share of what is left."""
    order = sorted(range(len(sizes)), key=sizes.__getitem__)
    shares = list(sizes)
    left = room
    for position, index in enumerate(order):
        share = left // (len(order) - position)
        if sizes[index] <= share:
            left -= sizes[index]
            continue
        for rest in order[position:]:
            shares[rest] = share
        break
    return shares


# --- the transcript cut in the middle ---------------------------------------------------------


def _transcript_cut(
    body: dict[str, Any],
    lines: list[dict[str, Any]],
    written: list[dict[str, Any]],
    limits: CrmLimits,
    room: int,
    conversation_id: str,
    never_loaded: int,
    clipped: int,
) -> Fitted:
    """Keep the transcript's start and end within `room` bytes and the line limit, a marker between
    (`lines` are those `written` at the wrap-up, each cut to the CRM's length: the marker counts the latter)."""
    sizes = [size_of(line) + 1 for line in lines]  # + the comma between lines
    if not never_loaded and sum(sizes) <= room and len(lines) <= limits.max_transcript_items:
        return Fitted({**body, "transcript": lines}, texts_clipped=clipped)
    if not lines:  # nothing loaded of a conversation that has lines: the marker alone says where they are
        at = body.get("ended_at") or body.get("answered_at") or body.get("offered_at")
        marker = _marker_line(never_loaded, 0, conversation_id, True, at=at) if at else None
        return Fitted({**body, "transcript": [marker] if marker else []}, never_loaded, 0, clipped)
    count, size, _ = _summed(written)
    worst = _marker_line(count + never_loaded, size, conversation_id, True, at=lines[0]["at"])
    room -= size_of(worst) + 1 + _MARKER_SLACK
    most = max(1, limits.max_transcript_items - 1)
    # The first and the last line are kept whatever their size: cut short if they would not fit together.
    for end in {0, len(lines) - 1}:
        if sizes[end] > room // 2:
            lines[end] = _line_within(lines[end], room // 2 - 1, limits.max_item_chars, conversation_id)
            sizes[end] = size_of(lines[end]) + 1
            clipped += 1
    keep_start = not never_loaded  # without the oldest lines there is no start to keep
    head, used = _prefix(sizes, range(len(lines)), room // 2, max(1, most // 2)) if keep_start else (0, 0)
    tail, tail_used = _prefix(sizes, range(len(lines) - 1, head - 1, -1), room - used, most - head)
    if keep_start:  # what the end left over goes to the start
        more, _ = _prefix(sizes, range(head, len(lines) - tail), room - used - tail_used, most - head - tail)
        head += more
    cut = lines[head : len(lines) - tail]
    # What the agent had, not what was cut short of it; a marker of an earlier cut counts what it stood for.
    cut_count, cut_bytes, at_least = _summed(written[head : len(lines) - tail])
    cut_count, at_least = cut_count + never_loaded, at_least or bool(never_loaded)
    # Where the lines were left out; without the oldest lines (head is 0) that is the start.
    at = cut[0]["at"] if cut else lines[head]["at"] if head < len(lines) else lines[-1]["at"]
    marker = _marker_line(cut_count, cut_bytes, conversation_id, at_least, at=at)
    kept = [*lines[:head], *([marker] if marker else []), *lines[len(lines) - tail :]]
    return Fitted({**body, "transcript": kept}, cut_count, cut_bytes, clipped)


def _prefix(sizes: list[int], order: range, room: int, most: int) -> tuple[int, int]:
    """How many lines, taken in `order`, fit in `room` bytes and `most` lines; and their bytes."""
    count = used = 0
    for index in order:
        if count >= most or used + sizes[index] > room:
            break
        count, used = count + 1, used + sizes[index]
    return count, used


def _line_within(line: dict[str, Any], max_bytes: int, max_chars: int, conversation_id: str) -> dict[str, Any]:
    overhead = size_of({**line, "text": ""}) - size_of("")
    text = clip_bytes(line.get("text") or "", max(0, max_bytes - overhead), _line_where(conversation_id), max_chars)
    return {**line, "text": text}


def _marker_line(count: int, size: int, conversation_id: str, at_least: bool, *, at: Any) -> dict[str, Any] | None:
    if not count:
        return None
    text = transcript_marker(count, size, conversation_id, at_least=at_least)
    return {"role": MARKER_ROLE, "name": MARKER_NAME, "text": text, "at": at}
