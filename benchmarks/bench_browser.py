"""The desk in a browser against the same desk in a terminal: how long an offer takes to be seen.

`offer_to_visible_browser`: from placing a call on the mock contact center (the POST sent) to "● Offered" in the
page's terminal, in Debian's Chromium on `agent-desktop serve` (tests/support/browser_desk.py);
`offer_to_visible_terminal`: the same in a real terminal (tmux) running `agent-desktop run`, in the same run, the
offers interleaved so a change in the machine's load reaches both. Each offer is rejected (`r`) and the agent goes
Available again (`v`) before the next. The mock servers run in a child process without the simulator.
`BENCH_BROWSER_OFFERS` (default 20) offers on each.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.app.demo import DEMO_SUPERVISOR_TOKEN, free_port, wait_healthy
from benchmarks.figures import timing
from tests.support.browser_desk import browser_on, served_desk
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

OFFERS = int(os.environ.get("BENCH_BROWSER_OFFERS", "20"))
WAIT_S = 30.0
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}


def _config(folder: Path, ports: list[int], agent: str, token: str) -> Path:
    config = folder / f"{agent}.toml"
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    config.write_text(
        f'agent_id = "{agent}"\noutbox_path = "{folder / agent}-outbox.db"\n'
        f'[ccaas]\nbase_url = "{urls[0]}"\ntoken = "{token}"\n'
        f'[crm]\nbase_url = "{urls[1]}"\ntoken = "demo-crm-token"\n'
        f'[presence]\nbase_url = "{urls[2]}"\ntoken = "demo-presence-token"\n'
    )
    return config


def _place(ccaas_url: str, n: int) -> str:
    """A voice call queued for billing; its contact id."""
    placed = httpx.post(
        f"{ccaas_url}/v1/contacts",
        json={
            "queue_id": "billing",
            "channel": "voice",
            "from_address": f"+1555010{n:04d}",
            "subject": "Charged twice",
        },
        headers=SUPERVISOR,
        timeout=5,
    )
    placed.raise_for_status()
    contact_id: str = placed.json()["id"]
    return contact_id


def _abandon(ccaas_url: str, contact_id: str) -> None:
    httpx.post(f"{ccaas_url}/v1/contacts/{contact_id}/abandon", headers=SUPERVISOR, timeout=5).raise_for_status()


def _offer_seen(ccaas_url: str, n: int, wait: Callable[[str], object], press: Callable[[str], None]) -> float:
    """Available, then seconds from placing a call to its offer on screen. Then rejected (Missed: no more offers
    until Available) and the caller hangs up, so the next offer is the next call, wherever it goes."""
    press("v")
    wait("● Available")
    start = time.monotonic()
    contact_id = _place(ccaas_url, n)
    wait("● Offered")
    elapsed = time.monotonic() - start
    press("r")
    wait("● Missed")
    _abandon(ccaas_url, contact_id)
    return elapsed


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as name:
        folder = Path(name)
        ports = [free_port() for _ in range(3)]
        mocks = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "agent_desktop_mocks",
                "--ccaas-port",
                str(ports[0]),
                "--crm-port",
                str(ports[1]),
                "--presence-port",
                str(ports[2]),
                "--data-dir",
                str(folder / "mocks"),
                "--fresh",
                "--no-simulator",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_healthy([f"http://127.0.0.1:{port}" for port in ports], mocks)
            # Two agents of the billing queue, one a desk each; one at a time is Available, so each offer is theirs.
            browser = _config(folder, ports, "agent-001", "demo-agent-token")
            terminal = _config(folder, ports, "agent-002", "agent-002-token")
            yield from _measure(folder, f"http://127.0.0.1:{ports[0]}", browser, terminal)
        finally:
            mocks.terminate()
            mocks.wait(timeout=30)


def _measure(folder: Path, ccaas_url: str, browser_config: Path, terminal_config: Path) -> Iterator[dict[str, Any]]:
    browser_s: list[float] = []
    terminal_s: list[float] = []
    (folder / "serve").mkdir()
    with (
        served_desk(folder / "serve", "--config", str(browser_config)) as url,
        browser_on(url) as page,
        TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(terminal_config)], env=desktop_environment(folder)) as term,
    ):

        def page_wait(needle: str) -> str:
            return page.wait_for(needle, timeout_s=WAIT_S, interval_s=0.01)

        def term_wait(needle: str) -> float:
            return term.wait_for(needle, timeout_s=WAIT_S, interval_s=0.01)

        page_wait("● Offline")
        term_wait("● Offline")
        for n in range(OFFERS):  # interleaved, so a change in the machine's load reaches both
            browser_s.append(_offer_seen(ccaas_url, 2 * n, page_wait, page.press))
            terminal_s.append(_offer_seen(ccaas_url, 2 * n + 1, term_wait, term.send))

    def ms(samples: list[float]) -> list[float]:
        return [s * 1000 for s in samples]

    browser = timing("offer_to_visible_browser", ms(browser_s), target="(beside the terminal's)", unit="ms", digits=1)
    terminal = timing("offer_to_visible_terminal", ms(terminal_s), target="(reference)", unit="ms", digits=1)
    browser["over_terminal_p50"] = round(browser["p50"] / terminal["p50"], 2)
    yield browser
    yield terminal
