"""Move the packages from their old layout (desktop/, mock_backends/, twilio_relay/, pci_redaction/) to the
layout by capability under agent_desktop/, and rewrite every reference to a moved module.

Run once, on a clean tree, after every branch that touches these files is merged; then commit the result on
its own. Usage (from the repository's root):

    python -m scripts.restructure_packages --dry-run   # print the plan, touch nothing
    python -m scripts.restructure_packages             # git mv, rewrite, install the contracts and the guide

Where each file goes is scripts/restructure/mapping.py (a folder's default, name patterns, single files). A
file no rule places stops the script before anything moves, and it lists them. Run again on the moved tree,
it says so and does nothing.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal, Protocol

from scripts.restructure import mapping as default_mapping

HERE = Path(__file__).resolve().parent / "restructure"
# Text files whose references are rewritten (by suffix, or by name).
TEXT_SUFFIXES = {".py", ".toml", ".md", ".tcss", ".cfg", ".ini", ".sh", ".txt", ".yml", ".yaml", ".json", ".pyi"}
TEXT_NAMES = {"Makefile"}


class Layout(Protocol):
    """Where each file goes (scripts/restructure/mapping.py, or a test's own)."""

    ROOTS: dict[str, str]
    FILES: dict[str, str | None]
    PATTERNS: list[tuple[str, str, str]]
    FOLDERS: dict[str, str]


class PlacementError(Exception):
    """Files no rule of the mapping places."""


@dataclass
class Plan:
    moves: dict[str, str] = field(default_factory=dict)  # old path → new path
    deletions: list[str] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)  # old dotted name → new (modules and packages)
    folders: dict[str, str] = field(default_factory=dict)  # old folder path → new folder path
    new_packages: list[str] = field(default_factory=list)  # folders that need an __init__.py


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def tracked(repo: Path) -> list[str]:
    return [line for line in git(repo, "ls-files", "-z").split("\0") if line]


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def destination(path: str, m: Layout = default_mapping) -> str | None | Literal[False]:
    """Where `path` goes: a new path, None (deleted), or False when no rule places it."""
    if path in m.FILES:
        return m.FILES[path]
    parent, name = path.rsplit("/", 1) if "/" in path else ("", path)
    for folder, pattern, template in m.PATTERNS:
        if parent == folder and fnmatch.fnmatchcase(name, pattern):
            fixed = pattern.split("*")
            stem = name[len(fixed[0]) : len(name) - len(fixed[1])]
            return template.format(stem=stem)
    best = max((f for f in m.FOLDERS if _under(path, f)), key=len, default=None)
    if best is None:
        return False
    if best == path:  # a single file named in FOLDERS
        return m.FOLDERS[best]
    return m.FOLDERS[best] + path[len(best) :]


def dotted(path: str) -> str | None:
    if not path.endswith(".py"):
        return None
    parts = list(PurePosixPath(path[:-3]).parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def make_plan(repo: Path, m: Layout = default_mapping) -> Plan:
    plan = Plan()
    files = [p for p in tracked(repo) if p.split("/", 1)[0] in m.ROOTS and "/" in p]
    unplaced = []
    for path in files:
        if "__pycache__" in path:
            continue
        where = destination(path, m)
        if where is False:
            unplaced.append(path)
        elif where is None:
            plan.deletions.append(path)
        else:
            plan.moves[path] = where
    if unplaced:
        raise PlacementError(unplaced)
    taken: dict[str, str] = {}
    for old, new in plan.moves.items():
        if new in taken:
            raise PlacementError([f"{old} and {taken[new]} both go to {new}"])
        taken[new] = old
    # modules, then packages (a package is named after its __init__.py's destination, else its folder's)
    for old, new in plan.moves.items():
        old_name, new_name = dotted(old), dotted(new)
        if old_name:
            assert new_name is not None, f"{old}, a module, moves to {new}, not a module"
            plan.modules[old_name] = new_name
    old_folders = {str(PurePosixPath(p).parent) for p in files}
    for folder in sorted(old_folders):
        init = f"{folder}/__init__.py"
        if init in plan.moves:
            new_folder = str(PurePosixPath(plan.moves[init]).parent)
        else:
            where = destination(f"{folder}/__placeholder__.py", m)
            if not where:
                continue
            new_folder = str(PurePosixPath(where).parent)
        plan.folders[folder] = new_folder
        plan.modules.setdefault(folder.replace("/", "."), new_folder.replace("/", "."))
    for root, new_root in m.ROOTS.items():
        plan.folders.setdefault(root, new_root)
        plan.modules.setdefault(root, new_root)
    new_dirs = {str(PurePosixPath(new).parent) for new in plan.moves.values() if new.endswith(".py")}
    inits = {str(PurePosixPath(new).parent) for new in plan.moves.values() if new.endswith("/__init__.py")}
    for folder in sorted(new_dirs):
        parts = folder.split("/")
        for i in range(1, len(parts) + 1):
            ancestor = "/".join(parts[:i])
            if ancestor not in inits and ancestor not in plan.new_packages:
                plan.new_packages.append(ancestor)
    return plan


# --- rewriting references -------------------------------------------------------------------------------


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


class Rewriter:
    def __init__(self, plan: Plan, roots: dict[str, str]) -> None:
        self.plan = plan
        self.roots = roots
        # A root alone ("desktop") is also a word: it is rewritten only as a folder (`desktop/`), after
        # `import`, `from` or `-m`, or quoted (the roots other than "desktop", which is also a logger's name).
        dotted_names = [name for name in plan.modules if "." in name]
        self.dotted_re = re.compile(r"(?<![\w.])(" + _alternation(dotted_names) + r")(?![\w])")
        self.path_map = {old: new for old, new in {**plan.folders, **plan.moves}.items() if "/" in old}
        before = r"(?<![\w.-])(?<![\w-]/)"  # not inside a name or another path; `../desktop/` is a link
        self.path_re = re.compile(before + "(" + _alternation(self.path_map) + r")(?![\w-]|\.\w|/?[\w])")
        self.path_prefix_re = re.compile(before + "(" + _alternation(plan.folders) + r")/")
        self.from_re = re.compile(
            r"^(?P<indent>[ \t]*)from (?P<pkg>[\w.]+) import (?P<names>[\w ,]+?)[ \t]*(?P<comment>#.*)?$", re.M
        )
        root_names = _alternation(roots)
        self.import_root_re = re.compile(r"^([ \t]*import |[ \t]*from )(" + root_names + r")(?![\w.])", re.M)
        self.dunder_re = re.compile(r"(?<![\w.])(" + root_names + r")(\.__\w+__)")
        self.dash_m_re = re.compile(r"(-m[ \"',]+)(" + root_names + r")\b")
        quoted = _alternation(r for r in roots if r != "desktop")
        self.quoted_re = re.compile(r"(?<!getLogger\()([\"'])(" + quoted + r")\1")
        # In the tests and scripts "desktop" quoted is the folder (`ROOT / "desktop"`, `("desktop", "ui")`),
        # except as a logger's name.
        self.quoted_desktop_re = re.compile(r"(?<!getLogger\()([\"'])(desktop)\1")
        self.quoted_prefix_re = re.compile(r"([\"'])(" + root_names + r")\.(?=[\"'])")  # startswith("desktop.")

    def _from_line(self, match: re.Match[str]) -> str:
        pkg = match["pkg"]
        if pkg not in self.plan.modules:
            return match[0]
        groups: dict[str, list[str]] = {}
        for item in match["names"].split(","):
            item = item.strip()
            if not item:
                continue
            name, _, alias = item.partition(" as ")
            name, alias = name.strip(), alias.strip()
            old = f"{pkg}.{name}"
            if old in self.plan.modules:
                parent, _, last = self.plan.modules[old].rpartition(".")
                if last != name and not alias:
                    alias = name
                groups.setdefault(parent, []).append(f"{last} as {alias}" if alias and alias != last else last)
            else:
                groups.setdefault(self.plan.modules[pkg], []).append(f"{name} as {alias}" if alias else name)
        comment = f"  {match['comment']}" if match["comment"] else ""
        lines = [f"{match['indent']}from {parent} import {', '.join(names)}" for parent, names in groups.items()]
        lines[-1] += comment
        return "\n".join(lines)

    def _path(self, match: re.Match[str]) -> str:
        return self.path_map[match[1]]

    def rewrite(self, text: str, suffix: str, path: str = "") -> str:
        if suffix == ".py" and path.startswith(("tests/", "scripts/")) and "desktop" in self.roots:
            text = self.quoted_desktop_re.sub(lambda m: m[1] + self.roots["desktop"] + m[1], text)
        if suffix == ".py":
            text = self.from_re.sub(self._from_line, text)
            text = self.quoted_re.sub(lambda m: m[1] + self.roots[m[2]] + m[1], text)
            text = self.quoted_prefix_re.sub(lambda m: m[1] + self.roots[m[2]] + ".", text)
        text = self.dotted_re.sub(lambda m: self.plan.modules[m[1]], text)
        if suffix == ".py":
            text = self.import_root_re.sub(lambda m: m[1] + self.roots[m[2]], text)
            text = self.dunder_re.sub(lambda m: self.roots[m[1]] + m[2], text)
        text = self.path_re.sub(self._path, text)
        text = self.path_prefix_re.sub(lambda m: self.plan.folders[m[1]] + "/", text)
        text = self.dash_m_re.sub(lambda m: m[1] + self.roots[m[2]], text)
        return text


def is_text(path: str) -> bool:
    return Path(path).suffix in TEXT_SUFFIXES or Path(path).name in TEXT_NAMES


# --- pyproject, Makefile, the guide ------------------------------------------------------------------------


def install_contracts(pyproject: str, contracts: str) -> str:
    """pyproject.toml with its [tool.importlinter] tables replaced by `contracts`."""
    lines = pyproject.splitlines(keepends=True)
    out, skipping, placed = [], False, False
    for line in lines:
        header = re.match(r"^\[\[?([^\]]+)\]\]?\s*$", line)
        if header:
            skipping = header[1].strip().startswith("tool.importlinter")
            if skipping and not placed:
                out.append(contracts if contracts.endswith("\n") else contracts + "\n")
                placed = True
        if not skipping:
            out.append(line)
    if not placed:
        out.append("\n" + contracts)
    return "".join(out)


def fix_pyproject(text: str, roots: dict[str, str]) -> str:
    text = re.sub(r'include = \["desktop\*"[^\]]*\]', 'include = ["agent_desktop*"]', text)
    text = re.sub(r"^desktop = \[", "agent_desktop = [", text, flags=re.M)
    text = re.sub(r"^mock_backends = \[", "agent_desktop_mocks = [", text, flags=re.M)
    return text


def fix_makefile(text: str, roots: dict[str, str]) -> str:
    return re.sub(
        r"compileall -q -j 0 [\w ]*?(?= tests)", "compileall -q -j 0 " + " ".join(sorted(roots.values())), text
    )


# --- running it ------------------------------------------------------------------------------------------


def apply(
    repo: Path, plan: Plan, m: Layout = default_mapping, contracts: Path | None = None, guide: Path | None = None
) -> None:
    for old, new in sorted(plan.moves.items()):
        (repo / new).parent.mkdir(parents=True, exist_ok=True)
        git(repo, "mv", old, new)
    for old in plan.deletions:
        git(repo, "rm", "-q", old)
    docs = getattr(m, "PACKAGE_DOCS", {})
    for folder in plan.new_packages:
        init = repo / folder / "__init__.py"
        if not init.exists():
            doc = docs.get(folder)
            if doc is None:
                print(f"note: {folder}/__init__.py made without a docstring of its own (add one to PACKAGE_DOCS)")
                doc = f"The {folder.rsplit('/', 1)[-1].replace('_', ' ')} package."
            init.write_text(f'"""{doc}"""\n')
            git(repo, "add", str(init.relative_to(repo)))
    rewriter = Rewriter(plan, m.ROOTS)
    changed: list[str] = []
    for path in tracked(repo):
        file = repo / path
        if not is_text(path) or not file.is_file() or path.startswith("scripts/restructure"):
            continue
        try:
            text = file.read_text()
        except UnicodeDecodeError:
            continue
        new = rewriter.rewrite(text, file.suffix, path)
        if path == "pyproject.toml":
            new = fix_pyproject(new, m.ROOTS)
            if contracts is not None:
                new = install_contracts(new, contracts.read_text())
        if path == "Makefile":
            new = fix_makefile(new, m.ROOTS)
        if new != text:
            file.write_text(new)
            changed.append(path)
    if guide is not None and (repo / "docs").is_dir():
        shutil.copyfile(guide, repo / "docs" / "architecture.md")
        for name in sorted(set(re.findall(r"`([\w/]+\.py)`", guide.read_text()))):
            first = name.split("/", 1)[0]
            candidates = [repo / name] + [repo / new / name for new in m.ROOTS.values()]
            if "/" in name and not first.startswith("test") and not any(p.is_file() for p in candidates):
                print(f"note: docs/architecture.md names {name}, which is not there: mend the guide")
    # What is left of the old folders is byte-code and empty folders: gone, so `import desktop` fails.
    for root in m.ROOTS:
        if (repo / root).is_dir():
            leftovers = [p for p in (repo / root).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
            if leftovers:
                print(f"note: {root}/ keeps untracked files: {', '.join(str(p.relative_to(repo)) for p in leftovers)}")
            else:
                shutil.rmtree(repo / root)
    for start in range(0, len(changed), 200):  # everything the move changed is staged, nothing else
        git(repo, "add", "--", *changed[start : start + 200])
    if guide is not None and (repo / "docs" / "architecture.md").is_file():
        git(repo, "add", "--", "docs/architecture.md")
    print(
        f"moved {len(plan.moves)} files, deleted {len(plan.deletions)}, made {len(plan.new_packages)} "
        f"packages, rewrote references in {len(changed)} files"
    )


def leftovers(repo: Path, plan: Plan, roots: dict[str, str]) -> list[str]:
    """Lines that still name an old module or folder (what the rewrite did not understand)."""
    children = {name.split(".")[1] for name in plan.modules if name.count(".") >= 1}
    pattern = re.compile(r"(?<![\w.-])(" + _alternation(roots) + r")[./](" + _alternation(children) + r")(?![\w])")
    found = []
    for path in tracked(repo):
        if is_text(path) and not path.startswith("scripts/restructure") and (repo / path).is_file():
            for number, line in enumerate((repo / path).read_text(errors="replace").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{path}:{number}: {line.strip()}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print where each file goes; change nothing")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="the repository's root (default: here)")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    m = default_mapping
    if not any((repo / root).is_dir() for root in m.ROOTS):
        print("already restructured: none of " + ", ".join(m.ROOTS) + " is here; nothing to do")
        return 0
    if not args.dry_run and git(repo, "status", "--porcelain", "--untracked-files=no").strip():
        print("refused: the tree has uncommitted changes (commit or stash them first)", file=sys.stderr)
        return 2
    try:
        plan = make_plan(repo, m)
    except PlacementError as error:
        print(
            "refused: no rule of scripts/restructure/mapping.py places these files (add them to FILES):",
            file=sys.stderr,
        )
        for path in error.args[0]:
            print(f"  {path}", file=sys.stderr)
        return 3
    missing = [str(p) for p in (HERE / "importlinter.toml", HERE / "architecture.md") if not p.is_file()]
    if missing:
        print("refused: missing " + ", ".join(missing), file=sys.stderr)
        return 2
    if args.dry_run:
        for old, new in sorted(plan.moves.items()):
            print(f"{old} -> {new}")
        for old in plan.deletions:
            print(f"{old} -> (deleted)")
        for folder in plan.new_packages:
            print(f"(new package) {folder}")
        return 0
    apply(repo, plan, m, contracts=HERE / "importlinter.toml", guide=HERE / "architecture.md")
    rest = leftovers(repo, plan, m.ROOTS)
    if rest:
        print(f"check by hand: {len(rest)} lines still name an old package:")
        for line in rest:
            print("  " + line)
        return 1
    print("done: now `pip install -e .` (or `make`), `lint-imports`, the tests; then commit on its own")
    return 0


if __name__ == "__main__":
    sys.exit(main())
