"""The key footer, without Textual 8.2's leak of one set of keys per bindings change.

Textual's Footer data-binds every FooterKey it composes to its own `compact`
reactive. Watchers of removed keys are pruned only when `compact` changes, which
it never does, so every recompose (each time the available actions change) kept
the old keys alive: about 1 MB per handled contact. Flipping `compact` there and
back after a recompose runs Textual's own pruning.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        compact = self.compact
        self.compact = not compact
        self.compact = compact
