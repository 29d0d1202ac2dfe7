"""A regular expression compiled when it is first used, not when its module is imported.

The patterns here (Unicode digit classes, the security codes' 23 look-behinds) were compiled on
every start of the desk, before its first frame (bench_desktop), though no text is masked until a contact
brings some.
"""

from __future__ import annotations

import re
from typing import Any, cast


class LazyPattern:
    """`re.compile(pattern, flags)` on first use; every attribute (`search`, `finditer`, `sub`, `pattern`...)
    is the compiled pattern's."""

    __slots__ = ("_pattern", "_flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._pattern, self._flags)
        return getattr(compiled, name)


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A `LazyPattern`, typed as the compiled pattern it stands in for: every attribute it has is that pattern's
    (`__getattr__`), so the checker reads `.search`, `.sub`... with their own types rather than as Any."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
