"""The desk's style sheets name the theme's colours (`$primary`, `$error`, ...), never a colour of their own, so a
theme chosen in the configuration or the palette changes the whole desk, monochrome included."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3] / "agent_desktop"
COLOUR_RULE = re.compile(
    r"(?:^|[{;])\s*(?:[a-z-]*color|background|border[a-z-]*|outline[a-z-]*|tint|scrollbar[a-z-]*)\s*:(.*?);", re.M
)
NAMED = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|\bansi_\w+|\b(?:red|green|blue|yellow|white|black|magenta|cyan|gr[ae]y|orange|purple)\b"
)


def style_sheets() -> dict[str, str]:
    """Every .tcss file, and every DEFAULT_CSS string of the desk."""
    sheets = {str(p.relative_to(ROOT)): p.read_text() for p in ROOT.rglob("*.tcss")}
    for path in ROOT.rglob("*.py"):
        for number, found in enumerate(re.findall(r'DEFAULT_CSS = """(.*?)"""', path.read_text(), re.S)):
            sheets[f"{path.relative_to(ROOT)}:DEFAULT_CSS#{number}"] = found
    return sheets


def test_no_style_sheet_names_a_colour_of_its_own() -> None:
    sheets = style_sheets()
    assert len(sheets) > 10
    own = [
        f"{name}: {value.strip()}"
        for name, text in sheets.items()
        for value in COLOUR_RULE.findall(text)
        if NAMED.search(value)
    ]
    assert own == [], "use the theme's variables ($primary, $error, $panel, ...)"


def test_the_rule_finds_a_colour() -> None:
    assert NAMED.search(COLOUR_RULE.findall("Screen {\n    background: #1e1e1e;\n}")[0])
    assert not NAMED.search(COLOUR_RULE.findall("Screen {\n    border: round $primary;\n}")[0])
