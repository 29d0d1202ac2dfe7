"""One line: how many CRM writes are pending, sent or failed (o shows them)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from desktop.outbox.store import OutboxCounts


class OutboxStatus(Static):
    counts: reactive[OutboxCounts] = reactive(OutboxCounts)

    def render(self) -> Content:
        counts = self.counts
        parts: list[str | tuple[str, str]] = [("CRM outbox: ", "dim")]
        parts.append((f"{counts.pending} pending", "bold $warning") if counts.pending else ("0 pending", "dim"))
        parts.append(("  ·  ", "dim"))
        parts.append((f"{counts.sent} sent", "$success") if counts.sent else ("0 sent", "dim"))
        parts.append(("  ·  ", "dim"))
        parts.append((f"{counts.failed} failed", "bold $error") if counts.failed else ("0 failed", "dim"))
        parts.append(("   (o)", "dim"))
        return Content.assemble(*parts)
