"""The mock contact center's data tables at start: the shipped TOML files, or a folder's that replace them.

`ccaas/data/` ships `intents.toml` (the simulated customers), `ivr.toml` (entry numbers and menus) and
`floor.toml` (queues, team, not-ready reasons). A folder given with `--ccaas-tables` may hold any of
them; each file there replaces the shipped one. Every table is read and checked when the command
starts — each on its own, then against the floor (a menu or an intent must name one of its queues) —
so a bad entry stops it at once with one line (`TableError`), not mid-demo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from agent_desktop_mocks.ccaas.tables import intents, ivr, seed
from agent_desktop_mocks.ccaas.tables.ivr import IvrEntry, IvrOption
from agent_desktop_mocks.common.toml_tables import TableError

T = TypeVar("T")


def load_tables(folder: Path | None = None) -> dict[str, Any]:
    """The tables as `MockSettings` fields (`intents`, `ivr`, `floor`, `not_ready_reasons`); raises `TableError`
    naming the file and the entry."""
    if folder is not None and not folder.is_dir():
        raise TableError(f"{folder}: not a folder")
    floor, _ = _read(folder, "floor.toml", seed.read_floor, seed.shipped)
    menus, menus_name = _read(folder, "ivr.toml", ivr.read_ivr, ivr.demo_ivr)
    scripts, scripts_name = _read(folder, "intents.toml", intents.read_intents, intents.shipped)
    queue_ids = {q.id for q in floor.queues}
    for where, option in _options(menus):
        if option.queue_id not in queue_ids:
            known = ", ".join(sorted(queue_ids))
            problem = f'queue_id "{option.queue_id}" is not a queue of floor.toml ({known})'
            raise TableError(f"{menus_name}: {where}: {problem}")
    lines = queue_ids | {line.id for line in floor.lines}
    for intent in scripts.intents:
        if intent.queue not in lines:
            problem = f'queue "{intent.queue}" is neither a queue nor a line of floor.toml'
            raise TableError(f'{scripts_name}: intent "{intent.id}": {problem}')
    return {"intents": scripts, "ivr": menus, "floor": floor, "not_ready_reasons": list(floor.not_ready_reasons)}


def _read(folder: Path | None, name: str, read: Callable[[Path, str], T], shipped: Callable[[], T]) -> tuple[T, str]:
    """The folder's table if it has one, else the shipped one; and how errors name it."""
    mine = folder / name if folder is not None else None
    if mine is not None and mine.exists():
        return read(mine, str(mine)), str(mine)
    return shipped(), name


def _options(entries: list[IvrEntry]) -> Iterator[tuple[str, IvrOption]]:
    """Every option of every entry's menu, with where it is (`entry "+1800…": option 1.2`)."""

    def walk(options: dict[str, IvrOption], keys: str, number: str) -> Iterator[tuple[str, IvrOption]]:
        for key, option in options.items():
            path = f"{keys}.{key}" if keys else key
            yield f'entry "{number}": option {path}', option
            yield from walk(option.options, path, number)

    for entry in entries:
        yield from walk(entry.options, "", entry.number)
