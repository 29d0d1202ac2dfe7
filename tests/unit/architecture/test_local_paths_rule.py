"""Every local file and folder the desk opens goes through agent_desktop/local/paths.py, checked on the
source as tests/unit/architecture/test_ui_boundaries.py checks the UI: no other file of agent_desktop/ opens, creates, reads or
parses a local path itself (builtin `open`, `os.open`, `Path.read_text`/`write_text`/`mkdir`, `sqlite3.connect`,
`tomllib`, a logging file handler, a pydantic-settings source that reads a file), and none reads code from disk
(`marshal`, `pickle`). A new store, log or setting file written the plain way fails here, naming the line."""

from __future__ import annotations

import ast
from pathlib import Path

import agent_desktop
from agent_desktop.local import paths as local_paths

DESKTOP = Path(agent_desktop.__file__).parent
RULE = Path(local_paths.__file__)

PATH_METHODS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "mkdir",
    "makedirs",
    "touch",
    "chmod",
    "lchmod",
    "fdopen",
    "mkfifo",
    "symlink_to",
    "hardlink_to",
}
OPENING_MODULES = {"os", "io", "codecs", "gzip", "bz2", "lzma", "tarfile", "zipfile", "shelve", "dbm"}
PARSING = {"tomllib": {"load", "loads"}, "marshal": {"load", "loads"}, "pickle": {"load", "loads"}, "json": {"load"}}
FILE_READERS = {
    "FileHandler",
    "RotatingFileHandler",
    "TimedRotatingFileHandler",
    "WatchedFileHandler",
    "TomlConfigSettingsSource",
    "JsonConfigSettingsSource",
    "YamlConfigSettingsSource",
    "DotEnvSettingsSource",
    "SecretsSettingsSource",
    "PyprojectTomlConfigSettingsSource",
}
FILE_KEYWORDS = {"toml_file", "json_file", "yaml_file", "env_file", "secrets_dir", "pyproject_toml_table_header"}
NEVER_IMPORTED = {"marshal", "pickle", "shelve"}  # code or objects read from disk and run
MODES = {"r", "rb", "rt", "w", "wb", "wt", "a", "ab", "at", "r+", "rb+", "r+b", "w+", "wb+", "a+", "x", "xb"}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def bypasses(source: str) -> list[str]:
    """Where the code reaches a local path without agent_desktop/local/paths.py: `line what`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno} import {alias.name}" for alias in node.names if alias.name in NEVER_IMPORTED]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module in NEVER_IMPORTED:
                found.append(f"{node.lineno} from {module} import")
            for alias in node.names:
                if (
                    (module in OPENING_MODULES and alias.name == "open")
                    or (module == "sqlite3" and alias.name == "connect")
                    or (alias.name in PARSING.get(module, ()))
                ):
                    found.append(f"{node.lineno} from {module} import {alias.name}")
        elif isinstance(node, ast.Call):
            found += [f"{node.lineno} {what}" for what in _call(node)]
    return found


def _call(node: ast.Call) -> list[str]:
    func = node.func
    what: list[str] = []
    if isinstance(func, ast.Name) and func.id == "open":
        what.append("open()")
    if isinstance(func, ast.Attribute):
        receiver = _name(func.value)
        if func.attr in PATH_METHODS:
            what.append(f".{func.attr}()")
        if func.attr == "open" and (receiver in OPENING_MODULES or _looks_like_file_open(node)):
            what.append(f"{receiver}.open()")
        if func.attr == "connect" and receiver == "sqlite3":
            what.append("sqlite3.connect()")
        if receiver in PARSING and func.attr in PARSING[receiver]:
            what.append(f"{receiver}.{func.attr}()")
    if _name(func) in FILE_READERS:
        what.append(f"{_name(func)}()")
    what += [f"{keyword.arg}=" for keyword in node.keywords if keyword.arg in FILE_KEYWORDS]
    return what


def _looks_like_file_open(node: ast.Call) -> bool:
    """`path.open("rb")`, `path.open(encoding=...)`: a file's open, not a dialog's or a composer's `open(contact)`."""
    modes = [arg.value for arg in node.args[:1] if isinstance(arg, ast.Constant)]
    return bool(modes and modes[0] in MODES) or any(
        keyword.arg in ("mode", "encoding", "buffering") for keyword in node.keywords
    )


def test_no_file_of_the_desktop_opens_a_local_path_but_the_rule() -> None:
    files = sorted(DESKTOP.rglob("*.py"))
    assert RULE in files
    assert len(files) > 100
    found = [
        f"{path.relative_to(DESKTOP)}:{where}"
        for path in files
        if path != RULE
        for where in bypasses(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "open it through agent_desktop/local/paths.py (owner, mode, no link, a regular file, bounded)"


def test_the_check_sees_every_way_the_desk_opened_files_before_the_rule() -> None:
    """The lines that opened local paths before the rule (the code cache, the private files, the settings'
    TOML source, the quick responses, the logs, the demo) are each caught."""
    for line in (
        'data = tomllib.loads(path.read_text(encoding="utf-8"))',
        'text = path.read_text(encoding="utf-8")',
        "folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)",
        "fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)",
        "return sqlite3.connect(path, **kwargs)",
        'with open(log_path, "ab") as log: pass',
        'with open(os.open(path, os.O_RDONLY), "rb") as file: data = marshal.load(file)',
        "sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))",
        "handler = RotatingFileHandler(path, maxBytes=1)",
        "side.chmod(FILE_MODE)",
        'with path.open("rb") as file: pass',
        "config = SettingsConfigDict(env_file='.env')",
    ):
        assert bypasses(line) != [], line
    for line in (
        "import marshal",
        "from pickle import loads",
        "from sqlite3 import connect",
        "from os import open as o",
    ):
        assert bypasses(line) != [], line


def test_what_is_not_a_file_is_left_alone() -> None:
    for line in (
        "composer.open(contact_id, draft)",
        "self._open(offer)",
        "form.open(None, None)",
        "payload = json.loads(row['payload'])",
        "db = self._db.execute('select 1')",
    ):
        assert bypasses(line) == [], line
