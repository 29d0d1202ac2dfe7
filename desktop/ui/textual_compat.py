"""Every private Textual API the desktop uses, in one place, for Textual 8.2.8 (pinned in pyproject.toml)."""

from __future__ import annotations

from textual.keys import _normalize_key_list


def normalize_keys(keys: str) -> str:
    """A comma-separated key list in Textual's long form ("?" is "question_mark"), as `App.set_keymap` stores it."""
    return _normalize_key_list(keys)
