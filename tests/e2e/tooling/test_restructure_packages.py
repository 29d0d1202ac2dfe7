"""The move by capability (scripts/restructure_packages.py) on a small repository of its own: files go where the
mapping says (a folder's default for a module it does not name), every kind of reference follows them, a file
no rule places stops it before anything moves, and a second run does nothing."""

from __future__ import annotations

import subprocess
import types
from pathlib import Path

import pytest

from scripts.restructure_packages import PlacementError, apply, install_contracts, make_plan

FILES = {
    "old/__init__.py": "",
    "old/__main__.py": "from old.cli import main\n",
    "old/cli.py": "from old.store import kept\nfrom old import store\n\ndef main():\n    return kept\n",
    "old/store.py": '"""Kept in old/store.py."""\nkept = 1\n',
    "old/backends/__init__.py": "",
    "old/backends/models.py": "class Model: ...\n",
    "old/backends/feed_http.py": "import old.backends.models\n",
    "old/backends/brand_new.py": "from old.backends import models, feed_http\n",  # another branch's
    "helper/__init__.py": "",
    "tests/test_it.py": (
        "from unittest import mock\n"
        "import old\n"
        "from old.backends.models import Model\n"
        "PATCH = mock.patch('old.backends.feed_http.open')\n"
        "HERE = old.__file__\n"
        "COMMAND = ['python', '-m', 'old', 'run']\n"
        "FOLDER = ROOT / 'old'\n"
        "LOGGER = getLogger('old')\n"
        "OURS = name.startswith('old.')\n"
    ),
    "docs/architecture.md": "See [the models](../old/backends/models.py), `old/backends/` and `old.cli`; the old desk.\n",
    "pyproject.toml": (
        '[project.scripts]\nrun = "old.cli:main"\n\n[tool.importlinter]\nroot_packages = ["old"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "x"\ntype = "forbidden"\n\n[tool.other]\nkept = true\n'
    ),
}


def _mapping(**changes: object) -> types.SimpleNamespace:
    mapping = types.SimpleNamespace(
        ROOTS={"old": "new"},
        FILES={"old/cli.py": "new/app/cli.py", "old/store.py": "new/local/paths.py", "old/backends/__init__.py": None},
        PATTERNS=[("old/backends", "*_http.py", "new/adapters/http/{stem}.py")],
        FOLDERS={
            "old/backends": "new/domain",
            "old/__init__.py": "new/__init__.py",
            "old/__main__.py": "new/__main__.py",
        },
        PACKAGE_DOCS={"new/app": "The app."},
    )
    for name, value in changes.items():
        getattr(mapping, name).update(value)
    return mapping


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name, body in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "old"],
    ):
        subprocess.run(["git", *command], cwd=tmp_path, check=True)
    (tmp_path / "contracts.toml").write_text('[tool.importlinter]\nroot_packages = ["new"]\n')
    (tmp_path / "guide.md").write_text("# The new guide\n")
    return tmp_path


def _run(repo: Path, mapping: types.SimpleNamespace) -> None:
    apply(repo, make_plan(repo, mapping), mapping, contracts=repo / "contracts.toml", guide=repo / "guide.md")


def test_files_go_where_the_mapping_says_and_every_reference_follows(repo: Path) -> None:
    _run(repo, _mapping())
    assert not (repo / "old").exists()
    assert (repo / "new/app/cli.py").read_text() == (
        "from new.local.paths import kept\nfrom new.local import paths as store\n\ndef main():\n    return kept\n"
    )
    assert (repo / "new/adapters/http/feed.py").read_text() == "import new.domain.models\n"
    # a module the mapping does not name lands in its folder's default, its imports split by destination
    assert (repo / "new/domain/brand_new.py").read_text() == (
        "from new.domain import models\nfrom new.adapters.http import feed as feed_http\n"
    )
    assert (repo / "new/app/__init__.py").read_text() == '"""The app."""\n'
    assert (repo / "new/adapters/__init__.py").is_file()
    assert (repo / "new/adapters/http/__init__.py").is_file()
    assert (repo / "new/local/paths.py").read_text().startswith('"""Kept in new/local/paths.py."""')
    test = (repo / "tests/test_it.py").read_text()
    assert "import new\n" in test
    assert "from new.domain.models import Model" in test
    assert "mock.patch('new.adapters.http.feed.open')" in test
    assert "HERE = new.__file__" in test
    assert "['python', '-m', 'new', 'run']" in test
    assert "ROOT / 'new'" in test
    assert "getLogger('old')" in test
    assert "name.startswith('new.')" in test
    assert (repo / "docs/architecture.md").read_text() == "# The new guide\n"
    pyproject = (repo / "pyproject.toml").read_text()
    assert 'run = "new.app.cli:main"' in pyproject
    assert 'root_packages = ["new"]' in pyproject
    assert 'name = "x"' not in pyproject
    assert "[tool.other]\nkept = true" in pyproject
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    assert [line for line in status.splitlines() if line[1] != " " and not line.startswith("??")] == []  # all staged


def test_prose_and_links_follow_the_paths_and_the_word_stays(repo: Path) -> None:
    (repo / "docs/other.md").write_text(FILES["docs/architecture.md"])
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    _run(repo, _mapping())
    assert (repo / "docs/other.md").read_text() == (
        "See [the models](../new/domain/models.py), `new/domain/` and `new.app.cli`; the old desk.\n"
    )


def test_a_file_no_rule_places_stops_it_before_anything_moves(repo: Path) -> None:
    (repo / "old/stray.py").write_text("")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    with pytest.raises(PlacementError) as refused:
        make_plan(repo, _mapping())
    assert refused.value.args[0] == ["old/stray.py"]
    assert (repo / "old/cli.py").is_file()


def test_two_files_sent_to_one_place_are_refused(repo: Path) -> None:
    with pytest.raises(PlacementError, match="both go to new/domain/models.py"):
        make_plan(repo, _mapping(FILES={"old/backends/brand_new.py": "new/domain/models.py"}))


def test_the_script_on_a_moved_tree_does_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scripts import restructure_packages

    _run(repo, _mapping())
    assert restructure_packages.main(["--repo", str(repo)]) == 0
    assert "already restructured" in capsys.readouterr().out


def test_the_contracts_replace_every_import_linter_table_and_nothing_else() -> None:
    before = "[a]\nx = 1\n\n[tool.importlinter]\nr = 1\n\n[[tool.importlinter.contracts]]\nn = 2\n\n[b]\ny = 2\n"
    assert (
        install_contracts(before, "[tool.importlinter]\nr = 9\n")
        == "[a]\nx = 1\n\n[tool.importlinter]\nr = 9\n[b]\ny = 2\n"
    )
