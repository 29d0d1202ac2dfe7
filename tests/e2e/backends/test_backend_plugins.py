"""Backends are found by entry point: a package installed beside the desktop adds a kind without a line of the
desktop changed, and a kind nobody installed is one line naming the installed ones, exit code 2.

The package is made on the fly: a module and its `*.dist-info` (METADATA, entry_points.txt) in a folder on
the path, which is all `importlib.metadata` reads of an installed distribution.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.app.backend_factory import CRM_GROUP, build_backends, build_crm, installed_kinds
from agent_desktop.app.config import ConfigError, load_settings
from agent_desktop.domain.capabilities import crm_capabilities
from agent_desktop.domain.protocols import Crm

PLUGIN = '''
"""Acme CRM for the agent desktop: a CRM speaking the mock CRM's API at its own `endpoint`, without orders."""

from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.adapters.http.crm import HttpCrm


class AcmeCrm(HttpCrm):
    pass


def build(config, settings):
    extra = config.model_extra or {}
    if "endpoint" not in extra:
        raise ValueError("acme needs an endpoint (crm.endpoint)")
    crm = AcmeCrm(extra["endpoint"], extra.get("api_key", "none"), timeout_s=float(extra.get("timeout_s", 5)))
    crm.capabilities = CrmCapabilities(orders=False, billing=False)
    return crm
'''


def make_distribution(site: Path) -> Path:
    """`acme-crm` 1.0 installed into `site`: its module and its metadata, with one entry point."""
    (site / "acme_crm").mkdir(parents=True)
    (site / "acme_crm" / "__init__.py").write_text(PLUGIN)
    info = site / "acme_crm-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-crm\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{CRM_GROUP}]\nacme = acme_crm:build\n")
    return site


@pytest.fixture
def acme_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = make_distribution(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    return site


def write_config(path: Path, body: str) -> Path:
    path.write_text(textwrap.dedent(body))
    return path


def test_a_package_installed_beside_the_desktop_adds_a_crm_kind(acme_installed: Path, tmp_path: Path) -> None:
    assert installed_kinds(CRM_GROUP) == ["acme", "http", "rt", "zendesk"]
    config = write_config(
        tmp_path / "config.toml",
        """
        [crm]
        kind = "acme"
        endpoint = "http://127.0.0.1:9999"
        api_key = "k-1"
    """,
    )
    settings = load_settings(config)
    crm = build_crm(settings)
    assert type(crm).__name__ == "AcmeCrm"
    assert isinstance(crm, HttpCrm)
    assert isinstance(crm, Crm)
    assert str(crm._client.base_url) == "http://127.0.0.1:9999"
    assert not crm_capabilities(crm).orders, "its capabilities are what the desk reads"
    backends = build_backends(settings.model_copy(update={"outbox_path": tmp_path / "outbox.db"}))
    assert type(backends.crm).__name__ == "AcmeCrm"
    backends.outbox.close()


def test_a_plugin_refusing_its_section_is_one_config_line(acme_installed: Path, tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path / "config.toml", '[crm]\nkind = "acme"\n'))
    with pytest.raises(ConfigError, match=r"^crm: acme needs an endpoint \(crm.endpoint\)$"):
        build_crm(settings)


def run_desktop(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DESKTOP_")}
    environment |= {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "xdg"), **env}
    command = [sys.executable, "-m", "agent_desktop", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=environment)


def test_an_unknown_kind_is_one_line_naming_the_installed_kinds_exit_2(tmp_path: Path) -> None:
    site = make_distribution(tmp_path / "site")  # installed for the child process only
    config = write_config(tmp_path / "config.toml", '[crm]\nkind = "salesforce"\n')
    result = run_desktop(tmp_path, {"PYTHONPATH": str(site)}, "run", "--config", str(config))
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "agent-desktop: config: crm.kind: no backend of kind 'salesforce' is installed (installed: acme, http, rt, zendesk)\n"
    )
    result = run_desktop(tmp_path, {"DESKTOP_CCAAS__KIND": "genesys"}, "supervisor")
    assert (result.returncode, result.stderr) == (
        2,
        "agent-desktop: config: ccaas.kind: no backend of kind 'genesys' is installed (installed: http, twilio)\n",
    )
    # Twilio has a supervisor console too: a section without its keys is one line naming the first missing one
    # (it was a traceback, in agent mode as well).
    for mode in ("supervisor", "run"):
        result = run_desktop(tmp_path, {"DESKTOP_CCAAS__KIND": "twilio"}, mode)
        assert (result.returncode, result.stderr) == (2, "agent-desktop: config: ccaas: account_sid: Field required\n")
