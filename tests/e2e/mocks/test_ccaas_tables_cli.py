"""Starting the mocks with a bad data table (`--ccaas-tables`): one line naming the file and the entry, exit 2,
before any server starts; a folder with good tables starts the servers on them."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from agent_desktop_mocks.ccaas.tables import seed

SHIPPED = seed.DATA


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        answer: int = sock.getsockname()[1]
        return answer


def start(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "agent_desktop_mocks", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_a_bad_table_stops_the_mocks_with_one_line_and_exit_2(tmp_path: Path) -> None:
    text = (SHIPPED / "intents.toml").read_text(encoding="utf-8")
    bad = 'text = "Thank you! How long until the {amount} is back on my account?"\n'
    (tmp_path / "intents.toml").write_text(text.replace(bad, ""), encoding="utf-8")
    result = start("--ccaas-tables", str(tmp_path), "--data-dir", str(tmp_path / "db"))
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines() == [
        f'mock_backends: {tmp_path / "intents.toml"}: intent "billing_dispute": rule "refund": text missing'
    ]
    assert result.stdout == ""  # no server was started


def test_a_folder_of_good_tables_is_served(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    shutil.copy(SHIPPED / "ivr.toml", tables / "ivr.toml")
    floor = (SHIPPED / "floor.toml").read_text(encoding="utf-8")
    (tables / "floor.toml").write_text(floor.replace('name = "Alex Morgan"', 'name = "Robin Table"'), encoding="utf-8")
    ccaas_port, crm_port, presence_port = free_port(), free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "agent_desktop_mocks",
        "--ccaas-tables",
        str(tables),
        "--data-dir",
        str(tmp_path / "db"),
        "--no-simulator",
        "--customers",
        "5",
        "--ccaas-port",
        str(ccaas_port),
        "--crm-port",
        str(crm_port),
        "--presence-port",
        str(presence_port),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("mock servers on")
        headers = {"Authorization": "Bearer demo-agent-token"}
        url = f"http://127.0.0.1:{ccaas_port}/v1/agents/agent-001"
        deadline = time.monotonic() + 30
        while True:  # the line is printed before the servers listen
            try:
                agent = httpx.get(url, headers=headers, timeout=2).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the CCaaS never answered"
                assert process.poll() is None, "the CCaaS never answered"
                time.sleep(0.1)
        assert agent["name"] == "Robin Table"  # floor.toml of the folder
    finally:
        process.terminate()
        process.wait(timeout=10)
