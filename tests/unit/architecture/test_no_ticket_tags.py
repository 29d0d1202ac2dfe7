"""No file of the shipped trees names a feature by its ticket ("issue 47"): code, styles and data say what a
thing is and why; which issue asked for it is in git (`git log -S`), where it cannot go stale."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ("agent_desktop", "agent_desktop_mocks", "agent_desktop_relay", "agent_desktop_pci")
TICKET = re.compile(r"\bissues?\s+#?\d+", re.IGNORECASE)  # (a Zendesk "ticket 12" is data)
TEXT_FILES = (".py", ".tcss", ".toml", ".md", ".json", ".sql", ".txt")


def test_no_shipped_file_names_a_feature_by_its_ticket() -> None:
    tagged = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for tree in SHIPPED
        for path in sorted((ROOT / tree).rglob("*"))
        if path.suffix in TEXT_FILES and path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if TICKET.search(line)
    ]
    assert tagged == []
