"""The mock servers keep an idle connection longer than the desk's client keeps it (agent_desktop_mocks/common/runner.py):
with both at 5 s, a server closed a connection in the moment the desk sent a wrap-up's completion on it, and the
desk said "cannot reach contact center (ReadError)" (a full test run, quiet machine)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from agent_desktop_mocks.common.runner import _server


def test_a_server_keeps_an_idle_connection_longer_than_the_client_does() -> None:
    client_keeps_s = httpx.Limits().keepalive_expiry  # the desk's clients keep httpx's default limits
    assert client_keeps_s == 5.0
    assert _server(FastAPI(), "127.0.0.1", 0).config.timeout_keep_alive >= 10 * client_keeps_s
