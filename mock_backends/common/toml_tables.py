"""Reading a mock's data tables from TOML, checked by a pydantic model: a bad file is one line naming the entry.

A table file holds arrays of entries (`[[intent]]`, `[[entry]]`, `[[queue]]`…) each named by a key
(`id`, `number`…). A file that is not TOML, or an entry the model refuses, raises `TableError`, whose
text names the file, the entry and the field: `intents.toml: intent "billing_dispute": rule "refund":
text missing`. The command line prints it and exits 2 (mock_backends/cli.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
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
        return model.model_validate(raw)
    except ValidationError as error:
        raise TableError(f"{name}: {describe(error, raw)}") from None


def describe(error: ValidationError, raw: Any) -> str:
    """The first error as `intent "x": rule "y": text missing`: entries of an array named by their key."""
    first = error.errors(include_url=False)[0]
    parts: list[str] = []
    node = raw
    loc: Sequence[int | str] = first["loc"]
    for index, step in enumerate(loc):
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            parts[-1:] = [_entry(parts[-1] if parts else "entry", step, node[step])]
        else:
            parts.append(str(step))
        node = _child(node, step)
        if index == len(loc) - 1 and first["type"] == "missing":
            parts[-1] = f"{parts[-1]} missing"
            return ": ".join(parts)
    problem = first["msg"]
    if first["type"].startswith("value_error") and problem.startswith("Value error, "):
        problem = problem.removeprefix("Value error, ")
    return ": ".join([*parts, problem]) if parts else problem


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
