"""A reader finds a feature by its folder: no package of the four source trees, at any depth, holds more than 15
modules directly (its `__init__.py` counted), and none is let off. A package that grows past it is split by concept
(docs/architecture.md, "The module map"), as posting keeps `widgets/request/` and harlequin `components/`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MOST = 15
TREES = ["agent_desktop", "agent_desktop_mocks", "agent_desktop_relay", "agent_desktop_pci"]


def packages_of(top: Path) -> list[Path]:
    return sorted(path.parent for path in top.rglob("__init__.py"))


def crowded(top: Path, most: int = MOST) -> dict[str, int]:
    """Each package under `top` that holds more than `most` modules directly → how many it holds."""
    sizes = {package: len(list(package.glob("*.py"))) for package in packages_of(top)}
    return {package.relative_to(top.parent).as_posix(): size for package, size in sizes.items() if size > most}


def test_no_package_of_a_source_tree_holds_more_than_fifteen_modules() -> None:
    packages = [package for tree in TREES for package in packages_of(ROOT / tree)]
    assert len(packages) > 80, "the walk found the trees' packages"
    assert {name: size for tree in TREES for name, size in crowded(ROOT / tree).items()} == {}


def test_a_crowded_package_is_found_at_any_depth(tmp_path: Path) -> None:
    for name in ["tree/__init__.py", "tree/deep/__init__.py", *(f"tree/deep/part_{n}.py" for n in range(15))]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert crowded(tmp_path / "tree") == {"tree/deep": 16}
