"""Move modules between packages and rewrite every name of them in the tree, from a map kept as data.

    python scripts/rewrite_module_paths.py MAP [ROOT]

MAP holds lines `old.dotted.module new.dotted.module`, and `@new.dotted.package Its docstring.` for a package the
moves make; `#` starts a comment. The script is idempotent: a module still at its old path is moved (`git mv`, with
the `.tcss` beside it of the same name, and the new package's `__init__.py` written); then every tracked text file
is rewritten: imports (`from old import x`, `import old`, `from package import old_leaf`), dotted strings (import-linter
contracts, `mock.patch` targets, entry points), paths (`agent_desktop/domain/text.py`, and a shorter tail such as
`domain/text.py` where only one module of the tree ends so), and the relative names of a package's `ON_DEMAND`
table. Run again on a tree where newer files still name the old modules, it rewrites those and moves nothing."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

# History says what the tree was then; this script and its map name the old modules on purpose.
SKIPPED = (
    "CHANGELOG.md",
    "scripts/rewrite_module_paths.py",
    "scripts/module_moves.txt",
    "tests/unit/tooling/test_module_moves.py",  # its example tree names old modules on purpose
)
SKIPPED_DIRS = ("screenshots/", "tests/__snapshots__/", ".venv/")
TEXT = {".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".yaml", ".yml", ".tcss", ".sh", ".json", ".importlinter"}


def read_map(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    moves: dict[str, str] = {}
    docstrings: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            package, _, doc = line[1:].partition(" ")
            docstrings[package] = doc.strip()
            continue
        old, new = line.split()
        moves[old] = new
    olds, news = set(moves), set(moves.values())
    clash = olds & news
    if clash:
        sys.exit(f"a module is both moved and a destination: {sorted(clash)}")
    for old in olds:
        for new in news:
            if new.startswith(old + "."):
                sys.exit(f"{old} would be a package of {new}: a second run would rewrite it again")
    return moves, docstrings


def as_path(dotted: str) -> str:
    return dotted.replace(".", "/") + ".py"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def make_package(root: Path, package: str, docstrings: dict[str, str]) -> None:
    parts = package.split(".")
    for depth in range(1, len(parts) + 1):
        folder = root.joinpath(*parts[:depth])
        init = folder / "__init__.py"
        if not init.exists():
            folder.mkdir(parents=True, exist_ok=True)
            doc = docstrings.get(".".join(parts[:depth]), "")
            init.write_text(f'"""{doc}"""\n' if doc else "")
            git(root, "add", str(init.relative_to(root)))


def move(root: Path, moves: dict[str, str], docstrings: dict[str, str]) -> list[str]:
    moved = []
    for old, new in moves.items():
        source, target = root / as_path(old), root / as_path(new)
        if not source.exists():
            continue
        if target.exists():
            sys.exit(f"both {source} and {target} exist: merge them by hand")
        make_package(root, new.rsplit(".", 1)[0], docstrings)
        git(root, "mv", str(source.relative_to(root)), str(target.relative_to(root)))
        style = source.with_suffix(".tcss")
        if style.exists():
            git(root, "mv", str(style.relative_to(root)), str(target.with_suffix(".tcss").relative_to(root)))
        moved.append(old)
    return moved


def tracked_text(root: Path, own: set[Path]) -> list[Path]:
    files = []
    for name in git(root, "ls-files").splitlines():
        if name in SKIPPED or name.startswith(SKIPPED_DIRS):
            continue
        path = root / name
        if path.resolve() in own:  # this script and its map name the old modules on purpose
            continue
        if path.is_file() and (path.suffix in TEXT or path.name == "Makefile"):
            files.append(path)
    return files


def tails(moves: dict[str, str], root: Path) -> dict[str, str]:
    """Each shorter path of a moved module (`domain/text.py`) that no other module's path ends with → its new one."""
    every = {as_path(m) for pair in moves.items() for m in pair}
    every |= {p.relative_to(root).as_posix() for top in root.glob("agent_desktop*") for p in top.rglob("*.py")}
    table: dict[str, str] = {}
    for old, new in moves.items():
        old_parts, new_parts = as_path(old).split("/"), as_path(new).split("/")
        for start in range(1, len(old_parts) - 1):
            tail = "/".join(old_parts[start:])
            if sum(1 for path in every if path == tail or path.endswith("/" + tail)) != 1:
                continue
            same = old_parts[:start] == new_parts[:start]
            table[tail] = "/".join(new_parts[start:]) if same else "/".join(new_parts)
    return table


def alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def rewrite_module_imports(text: str, moves: dict[str, str]) -> str:
    """`from package import leaf` where package.leaf moved: the leaf imported from its new package, by its old name."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
            continue
        if not any(f"{node.module}.{alias.name}" in moves for alias in node.names):
            continue
        indent = " " * node.col_offset
        kept = [alias for alias in node.names if f"{node.module}.{alias.name}" not in moves]
        statements = []
        if kept:
            names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept)
            statements.append(f"{indent}from {node.module} import {names}\n")
        for alias in node.names:
            new = moves.get(f"{node.module}.{alias.name}")
            if new is None:
                continue
            package, leaf = new.rsplit(".", 1)
            name = alias.asname or alias.name
            statements.append(f"{indent}from {package} import {leaf}{'' if name == leaf else f' as {name}'}\n")
        assert node.end_lineno is not None
        comments = [
            f"{indent}{line[line.index('#') :].strip()}\n"
            for line in lines[node.lineno - 1 : node.end_lineno]
            if "#" in line
        ]
        edits.append((node.lineno - 1, node.end_lineno, comments + statements))
    for start, end, replacement in sorted(edits, reverse=True):
        lines[start:end] = replacement
    return "".join(lines)


def rewrite_on_demand(text: str, package: str, moves: dict[str, str]) -> str:
    """A package's `ON_DEMAND` names its modules relative to itself: `"key_help"` → `"keys.key_help"`."""

    def relative(match: re.Match[str]) -> str:
        new = moves.get(f"{package}.{match.group(2)}")
        if new is None or not new.startswith(package + "."):
            return match.group(0)
        return f"{match.group(1)}{new[len(package) + 1 :]}{match.group(1)}"

    return re.sub(r"""(["'])([\w.]+)\1""", relative, text)


class Rewriter:
    """Every name of the moved modules in one file's text: imports, dotted names, paths, `ON_DEMAND` tables."""

    def __init__(self, moves: dict[str, str], short_paths: dict[str, str]) -> None:
        self.moves = moves
        self.dotted = re.compile(rf"(?<![\w.])({alternation(list(moves))})(?!\w)")
        self.full_paths = {as_path(old): as_path(new) for old, new in moves.items()}
        self.full = re.compile(rf"(?<![\w.])({alternation(list(self.full_paths))})(?!\w)")
        self.short_paths = short_paths
        self.short = re.compile(rf"(?<![\w./-])({alternation(list(short_paths))})(?!\w)") if short_paths else None

    def text(self, text: str, relative: str) -> str:
        """`text` of the file at `relative` (a posix path from the tree's root) with the new names."""
        if relative.endswith(".py"):
            text = rewrite_module_imports(text, self.moves)
            if relative.endswith("__init__.py"):
                package = relative.rsplit("/", 1)[0].replace("/", ".")
                text = rewrite_on_demand(text, package, self.moves)
        text = self.dotted.sub(lambda m: self.moves[m.group(1)], text)
        text = self.full.sub(lambda m: self.full_paths[m.group(1)], text)
        if self.short is not None:
            text = self.short.sub(lambda m: self.short_paths[m.group(1)], text)
        return text


def rewrite(root: Path, moves: dict[str, str], own: set[Path]) -> list[Path]:
    rewriter = Rewriter(moves, tails(moves, root))
    changed = []
    for path in tracked_text(root, own):
        try:
            before = path.read_text()
        except UnicodeDecodeError:
            continue
        text = rewriter.text(before, path.relative_to(root).as_posix())
        if text != before:
            path.write_text(text)
            changed.append(path)
    return changed


def tidy(root: Path, changed: list[Path]) -> None:
    """Imports sorted again and lines laid out as the formatter wants them, in the files rewritten only."""
    sources = [str(p.relative_to(root)) for p in changed if p.suffix == ".py" and p.exists()]
    ruff = root / ".venv/bin/ruff"
    command = str(ruff) if ruff.exists() else shutil.which("ruff")
    if not sources:
        return
    if command is None:
        print("no ruff found (the tree's .venv/bin/ruff or one on PATH): imports left unsorted", file=sys.stderr)
        return
    subprocess.run([command, "check", "--quiet", "--select", "I001", "--fix", *sources], cwd=root, check=False)
    subprocess.run([command, "format", "--quiet", *sources], cwd=root, check=False)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__)
        return 2
    moves, docstrings = read_map(Path(argv[1]))
    root = Path(argv[2] if len(argv) == 3 else git(Path.cwd(), "rev-parse", "--show-toplevel").strip()).resolve()
    moved = move(root, moves, docstrings)
    own = {Path(__file__).resolve(), Path(argv[1]).resolve()}
    changed = rewrite(root, moves, own)
    tidy(root, changed)
    git(root, "add", "-A", "--", *{str(p.relative_to(root)) for p in changed})
    print(f"{len(moved)} modules moved, {len(changed)} files rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
