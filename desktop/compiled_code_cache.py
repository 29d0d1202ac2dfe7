"""Start-up's generated code compiled once: the source `dataclasses` writes for every dataclass's
`__init__`, `__repr__`, `__eq__`..., each named tuple's `__new__`, and the string annotations `typing`
compiles for pydantic's models, kept on disk as marshalled code objects, keyed by that source.

Why: `dataclasses` writes each method as Python source and `exec`s it, so every start parsed and compiled
some 860 small functions again (Textual's, pydantic's and the desk's dataclasses): 0.26 G of the 2.53 G
instructions `agent-desktop run` spent before its first frame went to CPython's parser alone (callgrind,
2026-11-25), and 0.04 G more to the 1,500 annotations `typing.ForwardRef` compiles. With the code objects
read back from the last start, the same source gives the same functions and references without the parse.
The cache is looked at while start-up runs and closed when it ends (the app's start-up collection): what
start-up compiled is added to the file if the file lacked it, and later dataclasses (a dialog's module
imported when first opened) are made as usual.

The file holds code that is run, so it is read only if it is this user's and nobody else can write it
(as ssh treats its keys) and not reached through a symbolic link, and written 0600 in a folder made or
tightened to 0700, through a temporary file created afresh (never through a link); a file that is unreadable,
corrupt or of another Python is ignored (the source is compiled, as without a cache). Python's own byte-code caches
(`__pycache__`) are the same kind of file, trusted the same way.
"""

from __future__ import annotations

import builtins
import collections
import dataclasses
import marshal
import os
import stat
import sys
import typing
from pathlib import Path
from types import CodeType
from typing import Any

FILE_NAME = f"start-up-code-{sys.implementation.cache_tag}.marshal"


Key = tuple[str, str]  # (mode, source): "exec" for dataclasses' methods, "eval" for the rest


class CompiledCodeCache:
    """Installed, `dataclasses`, `collections` and `typing` take their code from here (`exec`, `eval` and
    `compile` resolved in their modules before the builtins); `close()` puts the builtins back and writes what
    start-up used, if new."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._known: dict[Key, CodeType] = _read(self.path)
        self._used: dict[Key, CodeType] = {}
        self.compiled = 0  # sources not found in the file, compiled here
        self._installed: list[tuple[Any, str, Any]] = []  # (module, name, what was put there)

    def install(self) -> CompiledCodeCache:
        targets = ((dataclasses, "exec", self.exec), (typing, "compile", self.compile), (collections, "eval", self.eval))
        for module, name, function in targets:
            if name not in vars(module):  # another cache (or anything else) already there: leave it
                setattr(module, name, function)
                self._installed.append((module, name, function))
        return self

    def _code(self, source: str, mode: str) -> CodeType:
        key = (mode, source)
        code = self._used.get(key) or self._known.get(key)
        if code is None:
            code = builtins.compile(source, "<string>", mode)  # a SyntaxError reaches the caller as it would
            self.compiled += 1
        self._used[key] = code
        return code

    def exec(self, source: Any, globals: dict | None = None, locals: dict | None = None, /) -> None:  # noqa: A002
        """`exec` as `dataclasses` calls it, with the source's code from the file when it has it."""
        builtins.exec(self._code(source, "exec") if type(source) is str else source, globals, locals)

    def eval(self, source: Any, globals: dict | None = None, locals: dict | None = None, /) -> Any:  # noqa: A002
        """`eval` as `collections.namedtuple` calls it (its `__new__`, written as a lambda's source)."""
        return builtins.eval(self._code(source, "eval") if type(source) is str else source, globals, locals)

    def compile(self, source: Any, filename: str, mode: str, *args: Any, **kwargs: Any) -> Any:
        """`compile` as `typing.ForwardRef` calls it (an annotation, "<string>", "eval"); any other call as is."""
        if type(source) is str and filename == "<string>" and mode == "eval" and not args and not kwargs:
            return self._code(source, mode)
        return builtins.compile(source, filename, mode, *args, **kwargs)

    def close(self) -> None:
        """Stop serving `dataclasses`, `collections` and `typing`; if start-up compiled something the file lacked
        (the first start, a new version of the desk or of a library, another command), write the file again with it.
        What the file held is kept beside it (`agent-desktop demo` and `run` make different sets, and each
        would otherwise undo the other's), unless the file has grown to over twice what this start used:
        then only this start's code is kept, so versions long gone do not pile up. Never fails: a cache
        that cannot be written is compiled again next time."""
        for module, name, function in self._installed:
            if vars(module).get(name) == function:
                delattr(module, name)
        self._installed = []
        used, known = self._used, self._known
        self._used, self._known = {}, {}
        if not self.compiled:
            return
        try:
            _write(self.path, {**known, **used} if len(known) <= 2 * len(used) else used)
        except (OSError, ValueError):
            pass


_NOFOLLOW_CLOEXEC = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _read(path: Path) -> dict[Key, CodeType]:
    try:
        # Not through a symbolic link: the file itself must be this user's (ssh refuses linked keys the same way).
        with open(os.open(path, os.O_RDONLY | _NOFOLLOW_CLOEXEC), "rb") as file:
            info = os.fstat(file.fileno())
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return {}
            data = marshal.load(file)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        key: code
        for key, code in data.items()
        if type(key) is tuple and len(key) == 2 and key[0] in ("exec", "eval") and type(key[1]) is str
        and type(code) is CodeType
    }  # fmt: skip


def _write(path: Path, codes: dict[Key, CodeType]) -> None:
    from desktop.private_files import private_folder, private_umask

    # The user's cache folder is shared with other caches (the Twilio specs') and may have been made with a looser
    # umask: tightened to 0700, so nobody else can put a file, or a link in place of the temporary one, in it.
    private_folder(path.parent, tighten_existing=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)  # one a crashed start of the same pid left (a link is removed, not followed)
    with private_umask():
        # Created here and now (O_EXCL), never through a link (O_NOFOLLOW).
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW_CLOEXEC, 0o600)
    try:
        with open(descriptor, "wb") as file:
            marshal.dump(codes, file)
        os.replace(temporary, path)  # whole or not at all, whichever desk started last
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def default_folder() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("agent-desktop")


_start_up: CompiledCodeCache | None = None


def begin_start_up(folder: Path | None = None) -> None:
    """The process's start-up cache, from `folder` (the user's cache folder by default), installed until
    `end_start_up()`. Called first thing by `agent-desktop`, before the desk's modules are imported."""
    global _start_up
    if _start_up is None:
        _start_up = CompiledCodeCache(folder or default_folder()).install()


def end_start_up() -> None:
    """Start-up is over (the app's start-up collection, or `agent-desktop` returning): close its cache."""
    global _start_up
    cache, _start_up = _start_up, None
    if cache is not None:
        cache.close()
