"""The CRM plug-in of docs/backends.md, installed as a user would, pops a caller.

The code is read from the page itself (between its `phonebook_crm.py` markers) and its entry point from the
page's `pyproject.toml`: the docs and this test cannot drift apart. It is installed as `pip install` leaves a
package: its module and a `*.dist-info` with `entry_points.txt` in a folder on the path, which is all
`importlib.metadata` (and so the desktop's backend factory) reads. The desk then runs on the in-process
contact center with that CRM; a call from a number in the phone book shows its person on the offer.
"""

from __future__ import annotations

import importlib
import re
import textwrap
import tomllib
from pathlib import Path

import pytest

from agent_desktop.app.backend_factory import CRM_GROUP, build_crm, installed_kinds
from agent_desktop.app.config import load_settings
from agent_desktop.domain.capabilities import crm_capabilities
from agent_desktop.domain.customers.crm_limits import CrmLimits
from agent_desktop.domain.pci_masked import PciMaskedPresence
from agent_desktop.domain.protocols import Crm
from agent_desktop.outbox.store import Outbox
from agent_desktop.services import Backends
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, wait_until

DOCS = Path(__file__).parents[3] / "docs" / "backends.md"


def from_the_docs() -> tuple[str, dict[str, str]]:
    """(the plug-in's code, its entry points) as docs/backends.md shows them."""
    page = DOCS.read_text(encoding="utf-8")
    code = re.search(
        r"<!-- phonebook_crm.py: begin -->\n```python\n(.*?)```\n<!-- phonebook_crm.py: end -->", page, re.S
    )
    assert code, "the plug-in's code between its markers in docs/backends.md"
    pyproject = next(
        block for block in re.findall(r"```toml\n(.*?)```", page, re.S) if 'name = "phonebook-crm"' in block
    )
    return code.group(1), tomllib.loads(pyproject)["project"]["entry-points"][CRM_GROUP]


def install(site: Path, code: str, entry_points: dict[str, str]) -> None:
    """What `pip install .` leaves in site-packages: the module and its metadata."""
    site.mkdir(parents=True)
    (site / "phonebook_crm.py").write_text(code, encoding="utf-8")
    info = site / "phonebook_crm-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: phonebook-crm\nVersion: 1.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{CRM_GROUP}]\n{lines}")


async def test_the_docs_phone_book_pops_a_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, entry_points = from_the_docs()
    assert len(code.splitlines()) < 60, "the docs promise a plug-in under 60 lines"
    install(tmp_path / "site", code, entry_points)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    assert "phonebook" in installed_kinds(CRM_GROUP)

    (tmp_path / "people.csv").write_text("phone,name\n(512) 555-0100,Pat Phonebook\n+1 212 555 0199,Sam Other\n")
    config = tmp_path / "config.toml"
    config.write_text(
        textwrap.dedent(f"""
        [crm]
        kind = "phonebook"
        path = "{tmp_path / "people.csv"}"
    """)
    )
    crm = build_crm(load_settings(config))
    assert type(crm).__name__ == "PhoneBookCrm"
    assert isinstance(crm, Crm)
    assert isinstance(crm.limits, CrmLimits)
    assert not crm_capabilities(crm).orders

    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path / "mocks", seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    outbox = tmp_path / "desk" / "outbox.db"
    outbox.parent.mkdir()
    backends = Backends(
        contact_center=mocks.contact_center(),
        crm=crm,
        presence=PciMaskedPresence(mocks.presence()),
        outbox=Outbox(outbox),
    )
    try:
        app = desk_app(backends, clock=mocks.clock.now)
        async with app.run_test(size=(120, 40)) as pilot:
            await go_available(pilot)
            await mocks.place_call("+15125550100")

            def offer() -> str:
                return str(pilot.app.screen.query_one("#offer").render())

            await wait_until(
                pilot, lambda: "Pat Phonebook" in offer(), lambda: f"the caller's name on the offer: {offer()}"
            )
    finally:
        await mocks.aclose()
