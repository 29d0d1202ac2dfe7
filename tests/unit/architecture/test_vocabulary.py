"""The vocabulary is read from one place: the desk, the supervisor's floor and the screens take the channels, states
and predicates from agent_desktop/domain/vocabulary.py, never from the wire models that re-export them for the backends."""

from __future__ import annotations

import ast
from pathlib import Path

from agent_desktop.domain import models, vocabulary

ROOT = Path(__file__).resolve().parents[3]
READERS = (
    "agent_desktop/agent_desk",
    "agent_desktop/staffing",
    "agent_desktop/ui",
    "agent_desktop/writing_aids",
    "agent_desktop/outbox",
)
WORDS = {
    name
    for name in vars(vocabulary)
    if not name.startswith("_") and name not in ("StrEnum", "TYPE_CHECKING", "annotations")
}


def test_the_wire_models_re_export_the_vocabulary_itself() -> None:
    assert {"Channel", "AgentState", "ContactState", "TALKING", "IN_HAND", "OfferState", "Availability"} <= WORDS
    assert all(getattr(models, word) is getattr(vocabulary, word) for word in WORDS)


def test_the_desk_the_floor_and_the_screens_read_the_vocabulary_from_its_module() -> None:
    found = []
    files = [path for folder in READERS for path in (ROOT / folder).rglob("*.py")]
    assert len(files) > 50
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "agent_desktop.domain.models":
                found += [f"{path.relative_to(ROOT)}:{node.lineno} {a.name}" for a in node.names if a.name in WORDS]
    assert found == []


def test_no_module_of_the_desktop_spells_talking_in_hand_or_away_again() -> None:
    """A tuple or set of contact states holding both CONNECTED and ON_HOLD is TALKING (or IN_HAND) written out,
    and one of agent states holding both NOT_READY and MISSED is AWAY: the next state added would miss it."""
    found = []
    for path in (ROOT / "agent_desktop").rglob("*.py"):
        if path == ROOT / "agent_desktop/domain/vocabulary.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
                states = {
                    e.attr
                    for e in node.elts
                    if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "ContactState"
                }
                agent_states = {
                    e.attr
                    for e in node.elts
                    if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "AgentState"
                }
                if {"CONNECTED", "ON_HOLD"} <= states or {"NOT_READY", "MISSED"} <= agent_states:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
