"""No file of the shipped trees, the tests or the docs names a thing by its ticket (the word "issue" and a number):
code, styles, data, a test's words and a doc's say what a thing is and why, and a test's name what it proves; which
issue asked for it is in git (`git log -S`), where it cannot go stale. A vendor's tracker cited by its own name and
number ("Chatwoot #2011", "Textualize/textual#6666") is a citation, not a ticket of ours; the changelog is history."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TREES = ("agent_desktop", "agent_desktop_mocks", "agent_desktop_relay", "agent_desktop_pci", "tests", "docs")
PAGES = ("README.md", "CONTRIBUTING.md")
TICKET = re.compile(r"\bissues?\s+#?\d+", re.IGNORECASE)  # (a Zendesk "ticket 12" is data)
TEXT_FILES = (".py", ".tcss", ".toml", ".md", ".json", ".sql", ".txt")


def tagged_lines(paths: list[Path], root: Path = ROOT) -> list[str]:
    """Each ticket named in `paths` (over a line's end too), as `path:line: words`."""
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in TICKET.finditer(text):
            number = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(root)}:{number}: {match.group(0)!r}")
    return found


def test_no_file_of_the_code_tests_or_docs_names_a_thing_by_its_ticket() -> None:
    paths = [
        path
        for tree in TREES
        for path in sorted((ROOT / tree).rglob("*"))
        if path.suffix in TEXT_FILES and path.is_file() and "__snapshots__" not in path.parts
    ]
    paths += [ROOT / page for page in PAGES]
    assert len(paths) > 1000, "the walk found the trees' files"
    assert tagged_lines(paths) == []


def test_a_ticket_is_found_over_a_line_end_and_a_vendors_citation_is_not(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("The card's rows (as in the\nsecond Issue\n  58) and Chatwoot #2011, Textualize/textual#6666.\n")
    assert tagged_lines([notes], tmp_path) == ["notes.md:2: 'Issue\\n  58'"]
