"""Under the staffing advice, in words: why a queue misses its service level though Erlang C says its
staffing suffices, and why the advice differs from Erlang C's (agents Available now)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from agent_desktop.staffing.floor import Floor
from agent_desktop.staffing.why_service_level import Cause
from agent_desktop.ui.plain_text import plain

SHOWN = 2  # queues explained in full; the rest are named on one line (a big floor can have dozens)
WARNING = ("⚠ ", "bold $warning")  # the level is low
NOTE = ("ⓘ ", "bold $primary")  # the advice beside the live level or the agents Available now, and why


def _more(floor: Floor, mark: tuple[str, str], what: str, queue_ids: list[str]) -> list[Content]:
    """The queues not explained in full, named on one line."""
    if not queue_ids:
        return []
    names = ", ".join(floor.queue_name(queue_id) for queue_id in queue_ids)
    return [Content.assemble(mark, f"{len(queue_ids)} more {what}: ", plain(names))]


def _warming_line(floor: Floor, warming: dict[str, int]) -> Content:
    """Why the advice is not there yet, and when it comes: one line for every queue warming up."""
    names = [floor.queue_name(q) for q in list(warming)[:3]]
    more = f" and {len(warming) - 3} more" if len(warming) > 3 else ""
    return Content.assemble(
        NOTE,
        "Advice once 5 min of calls are in (a minute's make every queue look short): ",
        plain(", ".join(names), "bold"),
        f"{more} in {max(warming.values())} min; till then the live figures above.",
    )


class StaffingWhy(Static):
    """One line per such queue: the level against target, then each cause in words. Hidden when none."""

    _shown: Content | None = None

    def show(
        self,
        floor: Floor,
        why: dict[str, list[Cause]],
        differs: dict[str, str] | None = None,
        warming: dict[str, int] | None = None,
    ) -> None:
        """`why`: causes of a low level; `differs`: where the advice is not Erlang C's alone, and why; `warming`:
        the queues whose figures are too young for advice (→ minutes until it), said in one line."""
        lines = []
        for queue_id, causes in list(why.items())[:SHOWN]:
            level = floor.service_level_of(queue_id) or 0.0
            target, _ = floor.target_of(queue_id)
            lines.append(
                Content.assemble(
                    WARNING,
                    plain(floor.queue_name(queue_id), "bold"),
                    f": service level {level:.0f}% < {target:.0f}% although Erlang C says the staffing suffices — ",
                    plain("; ".join(cause.text for cause in causes)),  # not-ready reasons come from the backend
                )
            )
        lines += _more(floor, WARNING, "below target with enough staff", list(why)[SHOWN:])
        differs = differs or {}
        room = max(1, SHOWN - min(len(why), SHOWN))
        for queue_id, words in list(differs.items())[:room]:
            lines.append(Content.assemble(NOTE, plain(floor.queue_name(queue_id), "bold"), ": ", words))
        lines += _more(floor, NOTE, "where the live level and Erlang C's forecast differ", list(differs)[room:])
        if warming:
            lines.append(_warming_line(floor, warming))
        content = Content("\n").join(lines) if lines else Content("")
        if content == self._shown:
            return  # an update lays the screen out again (the panel's height follows its lines)
        self._shown = content
        self.set_class(bool(lines), "-shown")  # a class, not `display`: the screen's styles may still hide it
        self.update(content)
