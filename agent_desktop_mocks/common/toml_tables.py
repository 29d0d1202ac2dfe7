"""Reading a mock's data tables from TOML, checked by a pydantic model: a bad file is one line naming the entry.

A table file holds arrays of entries (`[[intent]]`, `[[entry]]`, `[[queue]]`…) each named by a key
(`id`, `number`…). A file that is not TOML, or an entry the model refuses, raises `TableError`, whose
text names the file, the entry and the field: `intents.toml: intent "billing_dispute": rule "refund":
text missing`. The command line prints it and exits 2 (agent_desktop_mocks/cli.py). Unknown fields are
refused everywhere in a table: a misspelt key must not fall back to a default.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class TableError(ValueError):
    """A data table that cannot be used; `str()` is the one line to show."""


def read_table(path: Path, model: type[M], *, shown_as: str | None = None) -> M:
    """`path` parsed and validated as `model`; `shown_as` is how errors name the file (default: its name)."""
    name = shown_as or path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TableError(f"{name}: cannot be read ({error.strerror or error})") from None
    except tomllib.TOMLDecodeError as error:
        raise TableError(f"{name}: not TOML: {error}") from None
    try:
        return model.model_validate(raw, extra="forbid")  # a misspelt field is an error, not a silent default
    except ValidationError as error:
        raise TableError(f"{name}: {describe(error, raw)}") from None


def once(kind: str, keys: Iterable[str]) -> None:
    """Refuse a key that two entries share (`ValueError: queue "billing" twice`), for a model validator."""
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f'{kind} "{key}" twice')
        seen.add(key)


def describe(error: ValidationError, raw: Any) -> str:
    """The first error as `intent "x": rule "y": text missing` or `menu.main.1: label missing`: entries of
    an array named by their key, tables by their dotted TOML name, then the field and what is wrong."""
    first = error.errors(include_url=False)[0]
    segments: list[tuple[str, bool]] = []  # (text, is an array's entry)
    node = raw
    for step in first["loc"]:
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            kind = segments.pop()[0] if segments else "entry"
            segments.append((_entry(kind, step, node[step]), True))
        else:
            segments.append((str(step), False))
        node = _child(node, step)
    field = segments.pop()[0] if segments and not segments[-1][1] else None
    path, after_entry = "", False
    for text, is_entry in segments:
        path += (": " if is_entry or after_entry else ".") + text if path else text
        after_entry = is_entry
    problem = "missing" if first["type"] == "missing" else first["msg"].removeprefix("Value error, ")
    if field is not None:
        problem = f"{field} {problem}" if first["type"] == "missing" else f"{field}: {problem}"
    return f"{path}: {problem}" if path else problem


def _entry(kind: str, index: int, item: Any) -> str:
    """An array's entry by its key (`intent "billing_dispute"`), else by its place (`queue 2`, counted from 1)."""
    if isinstance(item, dict):
        for key in ("id", "name", "number"):
            if isinstance(item.get(key), str):
                return f'{kind} "{item[key]}"'
    return f"{kind} {index + 1}"


def _child(node: Any, step: int | str) -> Any:
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None
