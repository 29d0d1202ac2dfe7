"""At most one garbage-collector policy a process, in one module (docs/benchmarks.md, "Collector policies"): the
desk's start-up freeze in agent_desktop/ui/app.py, the mock servers' in agent_desktop_mocks/common/heap.py. Anything else that
drives Python's collector is a second policy, to be measured beside a plain version before it is added here."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

from agent_desktop_mocks.common.heap import settle_heap

ROOT = Path(__file__).resolve().parents[3]
PRODUCT = ("agent_desktop", "agent_desktop_mocks", "agent_desktop_relay", "agent_desktop_pci")
POLICIES = {
    "agent_desktop/ui/app.py": "the desk's start-up freeze",
    "agent_desktop_mocks/common/heap.py": "the mock servers' freeze, settles and young collection before a figures pass",
}


def _drives_the_collector(tree: ast.AST) -> bool:
    """Whether the module imports `gc` (or something from it)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(alias.name == "gc" for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "gc":
            return True
    return False


def test_only_the_policy_modules_drive_the_collector() -> None:
    found = {
        str(path.relative_to(ROOT))
        for folder in PRODUCT
        for path in (ROOT / folder).rglob("*.py")
        if _drives_the_collector(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert found == set(POLICIES), "a second collector policy: measure it beside a plain version first"


def test_the_mock_servers_keep_pythons_thresholds() -> None:
    before = gc.get_threshold()
    settle_heap()
    assert gc.get_threshold() == before
