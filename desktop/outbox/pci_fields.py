"""Which parts of each outbox write are free text a person typed: masked (desktop.pci) before the
write is stored, so a card number never reaches the outbox file, let alone the CRM."""

from __future__ import annotations

from typing import Any

from desktop.pci import mask_pci

# Paths into the payload, per kind of write (`EntryKind` values; the store imports this module).
# Ids, addresses and timestamps are not free text; a kind not listed has none.
FREE_TEXT: dict[str, tuple[tuple[str, ...], ...]] = {
    "interaction": (("interaction", "notes"), ("interaction", "summary")),
    "note": (("text",),),
    "case_create": (("subject",),),
}


def masked_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A copy of `payload` with its free text masked (the caller's dict is left as it was)."""
    result = dict(payload)
    for path in FREE_TEXT.get(kind, ()):
        parent = result
        for key in path[:-1]:
            child = parent.get(key)
            if not isinstance(child, dict):
                break
            parent[key] = parent = dict(child)
        else:
            if isinstance(parent.get(path[-1]), str):
                parent[path[-1]] = mask_pci(parent[path[-1]])
    return result
