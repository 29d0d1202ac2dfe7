"""`[crm] kind = "zendesk"` picks the Zendesk backend; the mock CRM stays the default with its defaults."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.app.backend_factory import build_crm
from agent_desktop.app.config import BackendConfig, ConfigError, load_settings
from tests.support.narrowing import of_kind


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_kind_zendesk_builds_the_zendesk_backend(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        """
[crm]
kind = "zendesk"
base_url = "https://example.zendesk.com"
email = "agent@example.com"
api_token = "secret"
rate_limit_wait_s = 5
""",
    )
    crm = build_crm(load_settings(path))
    assert isinstance(crm, ZendeskCrm)
    assert crm.base_url == "https://example.zendesk.com"
    assert crm.limits.max_body_bytes == 64_000
    asyncio.run(crm.aclose())


def test_the_mock_crm_is_still_the_default_and_keeps_its_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKTOP_CRM__TOKEN", "another-token")
    settings = load_settings(_config(tmp_path, ""))
    config = of_kind(settings.crm, BackendConfig)
    assert str(config.base_url) == "http://127.0.0.1:8702/"
    assert config.token == "another-token"
    crm = build_crm(settings)
    assert isinstance(crm, HttpCrm)
    asyncio.run(crm.aclose())


def test_a_zendesk_configuration_missing_its_token_names_the_key(tmp_path: Path) -> None:
    path = _config(
        tmp_path, '[crm]\nkind = "zendesk"\nbase_url = "https://example.zendesk.com"\nemail = "a@example.com"\n'
    )
    with pytest.raises(ConfigError, match=r"^crm\.api_token: "):
        load_settings(path)
