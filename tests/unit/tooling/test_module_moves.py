"""The module moves' rewrite (scripts/rewrite_module_paths.py): what a developer finds after it is code that imports
the moved modules where they now are, docs that name their new paths, and a second run that changes nothing — the
lead runs it again on a tree where newer files still name the old modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.rewrite_module_paths import Rewriter, read_map

MOVES = {
    "shop.domain.text": "shop.domain.formats.text",
    "shop.domain.phone_format": "shop.domain.formats.phone_format",
    "shop.ui.key_help": "shop.ui.keys.key_help",
}
SHORT = {"domain/text.py": "domain/formats/text.py"}

SOURCE = '''"""Drawn from agent text (shop/domain/text.py, and domain/text.py for short)."""

from shop.domain import phone_format, vocabulary
from shop.domain import text as plain_text
from shop.domain.text import one_line
import shop.ui.key_help

PATCHED = "shop.domain.text.one_line"
NOT_MOVED = "shop.domain.textual_things"
'''

MOVED = '''"""Drawn from agent text (shop/domain/formats/text.py, and domain/formats/text.py for short)."""

from shop.domain import vocabulary
from shop.domain.formats import phone_format
from shop.domain.formats import text as plain_text
from shop.domain.formats.text import one_line
import shop.ui.keys.key_help

PATCHED = "shop.domain.formats.text.one_line"
NOT_MOVED = "shop.domain.textual_things"
'''


def test_a_module_written_against_the_old_paths_imports_the_new_ones_and_a_second_run_changes_nothing() -> None:
    rewriter = Rewriter(MOVES, SHORT)
    once = rewriter.text(SOURCE, "shop/app.py")
    assert once == MOVED
    assert rewriter.text(once, "shop/app.py") == once


def test_a_packages_table_of_modules_loaded_on_demand_names_them_under_their_new_package() -> None:
    table = 'ON_DEMAND = {"help_sections": "key_help", "App": "app"}\n'
    moved = Rewriter(MOVES, {}).text(table, "shop/ui/__init__.py")
    assert moved == 'ON_DEMAND = {"help_sections": "keys.key_help", "App": "app"}\n'
    assert Rewriter(MOVES, {}).text(moved, "shop/ui/__init__.py") == moved


@pytest.mark.parametrize(
    ("lines", "refusal"),
    [
        ("shop.a shop.b\nshop.b shop.c\n", "both moved and a destination"),
        ("shop.text shop.text.plain\n", "would be a package of"),
    ],
)
def test_a_map_a_second_run_would_rewrite_again_is_refused(tmp_path: Path, lines: str, refusal: str) -> None:
    moves = tmp_path / "map.txt"
    moves.write_text(lines)
    with pytest.raises(SystemExit, match=refusal):
        read_map(moves)
