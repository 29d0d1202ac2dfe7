"""Which parts of each outbox write are free text a person typed: masked (desktop.pci) before the
write is stored, so a card number never reaches the outbox file, let alone the CRM."""

from __future__ import annotations

from typing import Any

from desktop.pci import mask_pci

# Paths into the payload, per kind of write (`EntryKind` values; the store imports this module).
# Ids, addresses and timestamps are not free text; a kind not listed has none.
# "*" is every item of a list (a transcript's messages, the private notes).
FREE_TEXT: dict[str, tuple[tuple[str, ...], ...]] = {
    "interaction": (
        ("interaction", "notes"), ("interaction", "summary"), ("interaction", "transcript", "*", "text"),
        ("interaction", "private_notes", "*"),
    ),  # fmt: skip
    "note": (("text",),),
    "case_create": (("subject",),),
}


def masked_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A copy of `payload` with its free text masked (the caller's dict is left as it was)."""
    result: Any = payload
    for path in FREE_TEXT.get(kind, ()):
        result = _masked(result, path)
    return result


def _masked(value: Any, path: tuple[str, ...]) -> Any:
    """`value` with the text at `path` masked, copied along the path only."""
    if not path:
        return mask_pci(value) if isinstance(value, str) else value
    key, rest = path[0], path[1:]
    if key == "*":
        return [_masked(item, rest) for item in value] if isinstance(value, list) else value
    if not isinstance(value, dict) or key not in value:
        return value
    return {**value, key: _masked(value[key], rest)}
