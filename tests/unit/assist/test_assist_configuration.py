"""`[assist]` (agent_desktop/app/config.py): off unless a base URL and a model are set, the desk then the same as
without one; a bad section is one line; the key comes from DESKTOP_ASSIST__API_KEY and is never printed; `info` says
which model; the demo points the desk at the mock model server, which `agent-desktop mocks --model` serves."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.app.backend_factory import build_assist, installed_kinds
from agent_desktop.app.commands.info import info_lines
from agent_desktop.app.config import ConfigError, load_settings, unknown_environment_variables
from agent_desktop.app.demo import DEMO_MODEL, demo_settings
from agent_desktop.domain.assist.protocol import NoAssist
from agent_desktop_mocks.cli import build_parser, model_settings_from_args
from agent_desktop_mocks.model.settings import DEMO_MODEL as MOCKS_MODEL

KEY = "sk-live-abcdef123456"


def test_without_a_section_the_assistant_is_off_and_says_so_in_one_sentence() -> None:
    settings = load_settings(None)
    assert not settings.assist.configured
    assert isinstance(build_assist(settings), NoAssist)
    assert any(line.startswith("assist        off") for line in info_lines(settings, Path("none.toml")))


def test_from_the_environment_the_model_is_built_and_the_key_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKTOP_ASSIST__BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("DESKTOP_ASSIST__MODEL", "llama3.1")
    monkeypatch.setenv("DESKTOP_ASSIST__API_KEY", KEY)
    assert unknown_environment_variables(os.environ) == []
    settings = load_settings(None)
    model = build_assist(settings)
    assert "openai" in installed_kinds("agent_desktop.assist")
    assert model.capabilities.model == "llama3.1"
    assert model.capabilities.replies
    lines = info_lines(settings, Path("none.toml"))
    assert "assist        openai  llama3.1 at http://localhost:11434/v1  (a key set; 200,000 tokens a day)" in lines
    for shown in (repr(settings), str(settings), repr(model), "\n".join(lines), settings.model_dump_json()):
        assert KEY not in shown
        assert "abcdef" not in shown


@pytest.mark.parametrize(
    ("section", "said"),
    [
        ({"base_url": "http://localhost:11434/v1"}, "assist: Value error, base_url is set but model is not"),
        ({"base_url": "localhost:11434", "model": "m"}, "assist.base_url: URL scheme should be 'http' or 'https'"),
        (
            {"base_url": "http://h/v1", "model": "m", "first_token_s": 0},
            "assist.first_token_s: Input should be greater",
        ),
        ({"base_url": "http://h/v1", "model": "m", "tools": True}, "assist.tools: Extra inputs are not permitted"),
    ],
)
def test_a_bad_section_is_one_line_naming_the_key(section: dict[str, Any], said: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(None, assist=section)
    assert str(raised.value).startswith(said)
    assert "\n" not in str(raised.value)


def test_a_kind_nobody_installed_is_one_line_naming_the_installed_ones() -> None:
    settings = load_settings(None, assist={"kind": "bedrock", "base_url": "http://h/v1", "model": "m"})
    with pytest.raises(ConfigError, match=r"^assist: no backend of kind 'bedrock' is installed \(installed: .*openai"):
        build_assist(settings)


def test_the_demo_points_the_desk_at_the_mock_model_server() -> None:
    settings = demo_settings(
        "http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3", model_url="http://127.0.0.1:7"
    )
    assert DEMO_MODEL == MOCKS_MODEL
    assert (str(settings.assist.base_url), settings.assist.model) == ("http://127.0.0.1:7/v1", DEMO_MODEL)
    assert not demo_settings("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3").assist.configured


def test_the_mocks_serve_the_model_server_with_its_latency_and_failure_rate_from_the_command_line() -> None:
    args = build_parser().parse_args(
        [
            "--model",
            "--model-first-token-ms",
            "500",
            "--model-token-ms",
            "20",
            "--model-failure-rate",
            "0.1",
            "--seed",
            "3",
        ]
    )
    settings = model_settings_from_args(args)
    assert (settings.first_token_s, settings.token_s, settings.failure_rate, settings.seed) == (0.5, 0.02, 0.1, 3)
    assert settings.api_key is None, "a demo keeps no request bodies"
    assert settings.keep_bodies == 0, "a demo keeps no request bodies"


def test_info_says_the_tokens_the_desk_spent_today_as_a_restart_would_count_them(tmp_path: Path) -> None:
    from agent_desktop.assist.token_ledger import TokenLedger
    from agent_desktop.domain.assist.protocol import Usage
    from agent_desktop.services import assist_ledger_beside

    outbox = tmp_path / "outbox.db"
    settings = load_settings(None, assist={"base_url": "http://h/v1", "model": "m"}, outbox_path=str(outbox))
    TokenLedger.kept_in(assist_ledger_beside(outbox), 200_000).spend("c-1", Usage(1_000, 234))
    assert "assist tokens 1,234 of 200,000 today" in info_lines(settings, Path("none.toml"))
