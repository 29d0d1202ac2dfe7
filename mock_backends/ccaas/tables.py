"""The mock contact center's data tables at start: the shipped TOML files, or a folder's that replace them.

`ccaas/data/` ships `intents.toml` (the simulated customers), `ivr.toml` (entry numbers and menus) and
`floor.toml` (queues, team, not-ready reasons). A folder given with `--ccaas-tables` may hold any of
them; each file there replaces the shipped one. Every table is read and checked when the
command starts, so a bad entry stops it at once with one line (`TableError`), not mid-demo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mock_backends.ccaas import ivr, seed
from mock_backends.ccaas.conversations import intents
from mock_backends.common.toml_tables import TableError


def load_tables(folder: Path | None = None) -> dict[str, Any]:
    """The tables as `MockSettings` fields (`intents`, `ivr`, `floor`, `not_ready_reasons`); raises `TableError` naming the file and the entry."""
    if folder is not None and not folder.is_dir():
        raise TableError(f"{folder}: not a folder")
    floor = _read(folder, "floor.toml", seed.read_floor, seed.shipped)
    return {
        "intents": _read(folder, "intents.toml", intents.read_intents, intents.shipped),
        "ivr": _read(folder, "ivr.toml", ivr.read_ivr, ivr.demo_ivr),
        "floor": floor,
        "not_ready_reasons": list(floor.not_ready_reasons),
    }


def _read(folder: Path | None, name: str, read: Any, shipped: Any) -> Any:
    mine = folder / name if folder is not None else None
    return read(mine, str(mine)) if mine is not None and mine.exists() else shipped()
