"""No comment or docstring in the shipped trees quotes a timing: a figure in a comment goes stale on
the next machine or release, and nothing checks it. The figures live in docs/benchmarks.md beside the benchmark
that measures them; a comment says why, and names that benchmark.

Comments are read with `tokenize` and docstrings with `ast`, so a constant (`TIMEOUT_MS = 12`) or a string the
code uses is not a comment and is never flagged."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
SHIPPED = ("agent_desktop", "agent_desktop_mocks", "agent_desktop_relay", "agent_desktop_pci")

_NUMBER = r"\d[\d.,]*(?:\s*[-–]\s*\d[\d.,]*)?"  # 12, 1,315, 0.75, 25-35
TIMING = re.compile(
    rf"{_NUMBER}\s*(?:ms|[µμ]s|ns)\b"  # 12 ms, 83-102 µs, 40ns
    rf"|{_NUMBER}\s*s of CPU\b"  # 5 s of CPU
    rf"|{_NUMBER}\s*seconds?\b"  # 3 seconds
    rf"|(?:~|\b(?:took|takes|cost|costs)\s+~?){_NUMBER}\s*s\b"  # took 3 s, ~0.3 s (a protocol's "every 2 s" is not)
    rf"|{_NUMBER}\s*(?:×|x\b|times\b)\s*(?:faster|slower|quicker|as (?:fast|slow|long))"  # 3x faster, 2 times slower
    rf"|{_NUMBER}\s*%\s*(?:less |more |fewer )?(?:of )?(?:the |its |start-up's )?(?:CPU|time|instructions|start-up)\b",
    re.IGNORECASE,
)


def _comments(source: str) -> Iterator[tuple[int, str]]:
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def _docstrings(source: str, filename: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, DOCUMENTED) and (docstring := ast.get_docstring(node, clean=False)) is not None:
            for offset, line in enumerate(docstring.splitlines()):
                yield node.body[0].lineno + offset, line


def timings_in(source: str, filename: str = "<planted>") -> list[str]:
    """`line: text` for each comment or docstring line of `source` that quotes a timing."""
    found = []
    for lineno, text in [*_comments(source), *_docstrings(source, filename)]:
        if match := TIMING.search(text):
            found.append(f"{lineno}: {match.group(0)!r} in {text.strip()[:100]}")
    return found


@pytest.mark.parametrize(
    "planted",
    [
        "x = 1  # this took 12 ms before the first frame\n",
        "# building one costs 50-100 ms\n",
        "def f():\n    '''Rows in 83-102 µs each.'''\n",
        '"""A module whose parse was 4 s of CPU."""\n',
        "# the loop waited 3 seconds\n",
        "# 5,000 lines took 3 s\n",
        "x = f()  # the names (~0.3 s once)\n",
        "class C:\n    '''Orjson is 2.5x faster here.'''\n",
        "# about 7 % of start-up's instructions\n",
    ],
)
def test_a_timing_in_a_comment_or_docstring_is_found(planted: str) -> None:
    assert timings_in(planted)


@pytest.mark.parametrize(
    "planted",
    [
        "TIMEOUT_MS = 12\n",
        'LABEL = "took 12 ms"\n',
        "def f():\n    x = 1\n    '''not a docstring: 12 ms'''\n",
        "# the heartbeat is counted lost after three missed (RELAY_HEARTBEAT_TIMEOUT_S)\n",
        "# 72% below target\n",
        "# pushed every 2 s when anything changed\n",
    ],
)
def test_a_constant_or_a_string_the_code_uses_is_not_a_timing(planted: str) -> None:
    assert timings_in(planted) == []


def test_no_comment_or_docstring_in_the_shipped_trees_quotes_a_timing() -> None:
    files = [path for tree in SHIPPED for path in sorted((ROOT / tree).rglob("*.py"))]
    assert len(files) > 200
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        for line in timings_in(path.read_text(encoding="utf-8"), str(path))
    ]
    assert found == [], "say why without the figure (it belongs in docs/benchmarks.md):\n" + "\n".join(found)
