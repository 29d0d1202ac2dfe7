"""The mock contact center stays in parts you can read: no module of agent_desktop_mocks/ccaas over 400 lines.

core.py was 1,189 lines with fourteen jobs when the split began; a part that grows past this is a part with two
jobs, to split again rather than to let grow.
"""

from __future__ import annotations

from pathlib import Path

import agent_desktop_mocks.ccaas

LIMIT = 400
CCAAS = Path(agent_desktop_mocks.ccaas.__file__).parent


def test_no_module_of_the_mock_contact_center_is_over_400_lines() -> None:
    sizes = {path.relative_to(CCAAS).as_posix(): len(path.read_text().splitlines()) for path in CCAAS.rglob("*.py")}
    assert len(sizes) > 50, "the package's modules were found"
    assert {name: lines for name, lines in sizes.items() if lines > LIMIT} == {}
