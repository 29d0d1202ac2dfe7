"""A desk's hands for the remote control's server when the desk is not what a test is about (the socket's privacy,
a request that fails): nothing to read, every command and key taken."""

from __future__ import annotations

from typing import Any


class NoHands:
    def state(self) -> dict[str, Any]:
        return {}

    def commands(self) -> list[dict[str, Any]]:
        return []

    async def run(self, command: str) -> str | None:
        return None

    async def press(self, keys: list[str]) -> str | None:
        return None
