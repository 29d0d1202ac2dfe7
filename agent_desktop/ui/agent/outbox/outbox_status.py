"""One line: how many CRM writes are pending, sent or failed (o shows them, and fixes a failed one)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from agent_desktop.domain.outbox_counts import OutboxCounts


class OutboxStatus(Static):
    counts: reactive[OutboxCounts] = reactive(OutboxCounts)

    def render(self) -> Content:
        counts = self.counts
        if counts.failed:  # refused by the CRM: first, in words, with the way out (the line has ~50 columns)
            return Content.assemble(
                ("CRM: ", "dim"),
                (f"{counts.failed} failed, refused — o fixes", "bold $error"),
                (f" · {counts.pending} pending · {counts.sent} sent", "dim"),
            )
        parts: list[str | tuple[str, str]] = [("CRM outbox: ", "dim")]
        parts.append((f"{counts.pending} pending", "bold $warning") if counts.pending else ("0 pending", "dim"))
        parts.append(("  ·  ", "dim"))
        parts.append((f"{counts.sent} sent", "$success") if counts.sent else ("0 sent", "dim"))
        parts.append(("  ·  ", "dim"))
        parts += [("0 failed", "dim"), ("   (o)", "dim")]
        return Content.assemble(*parts)
