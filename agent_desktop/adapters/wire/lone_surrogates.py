"""Lone UTF-16 surrogates: legal in JSON (`"\\ud800"`), not text. Python's json reads them into a `str`
that cannot be encoded (a terminal write or an HTTP body built from it raises UnicodeEncodeError), and
pydantic's JSON parser refuses the whole document. Every one becomes U+FFFD at the JSON boundary."""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def repaired(value: Any) -> Any:
    """`value` (parsed JSON: dicts, lists, strings, numbers) with every lone surrogate, in strings and in
    keys, replaced by U+FFFD; the same object when there is none (the usual case costs one scan)."""
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        items = [repaired(item) for item in value]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = [(repaired(key), repaired(item)) for key, item in value.items()]
        if all(k is old_k and v is old_v for (k, v), (old_k, old_v) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    return value
