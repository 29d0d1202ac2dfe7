"""Waiting for a backend to refuse: what the suites compare is the refusal itself (status, words, state)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pytest

from agent_desktop.domain.errors import BackendError


async def refused(call: Awaitable[Any]) -> BackendError:
    with pytest.raises(BackendError) as caught:
        await call
    return caught.value
