"""The model's answer to a wrap-up request read strictly: a summary, and a disposition that must be one of the queue's
own list. Anything else is nonsense (None), and the caller falls back to the rules-drafted wrap-up."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent_desktop.assist.whole_answer import json_object_in

SUMMARY_CHARACTERS = 1_000

_LINE = re.compile(r"^\s*[*_#>-]*\s*(summary|disposition)\s*[*_]*\s*:\s*[*_]*(.*?)[*_]*\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class AiWrapUp:
    summary: str
    disposition: str  # exactly as the queue's list writes it


def read_wrap_up(answer: str, dispositions: Sequence[str]) -> AiWrapUp | None:
    """`Summary: ...` and `Disposition: ...` lines (or a JSON object with those two keys); the disposition matched
    against the list without regard to case or surrounding quotes. None when either is missing, the summary is empty
    or too long, or the disposition is not on the list."""
    summary, disposition = _from_json(answer) or _from_lines(answer)
    if not summary or len(summary) > SUMMARY_CHARACTERS or not disposition:
        return None
    wanted = disposition.strip().strip("\"'`.").strip().casefold()
    for listed in dispositions:
        if listed.strip().casefold() == wanted:
            return AiWrapUp(summary.strip(), listed)
    return None


def _from_json(answer: str) -> tuple[str, str] | None:
    found = json_object_in(answer)
    if found is None:
        return None
    summary, disposition = found.get("summary"), found.get("disposition")
    return (summary, disposition) if isinstance(summary, str) and isinstance(disposition, str) else ("", "")


def _from_lines(answer: str) -> tuple[str, str]:
    summary: list[str] = []
    disposition = ""
    reading_summary = False
    for line in answer.splitlines():
        found = _LINE.match(line)
        if found and found.group(1).lower() == "summary":
            summary, reading_summary = [found.group(2)], True
        elif found:
            disposition, reading_summary = found.group(2), False
        elif reading_summary and line.strip():
            summary.append(line.strip())
    return " ".join(part for part in summary if part), disposition
