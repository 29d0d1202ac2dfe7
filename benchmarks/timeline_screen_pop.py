"""Where a screen pop's time goes after the CRM's answer, pop by pop: the desk's redraw, the wait for Textual's
update timer, the layout, the compositing, each timed (wall and this thread's CPU) around N offers taken and
wrapped up by keys, as bench_screen_pop does. Not part of `make bench`; no extra package needed.

    .venv/bin/python -m benchmarks.timeline_screen_pop --customers 1000000 --offers 30 [--profile out.pstats]

Prints the medians (and p90) of each step between the lookup's answer and the card painted, how many
layouts, restyles and frames a pop took, and with `--profile` writes a cProfile of the windows from the answer to the card painted.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import random
import statistics
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.geometry import Region
from textual.widget import Widget

from agent_desktop.agent_desk.callers.lookups import CallerLookups
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop.ui.textual_compat import frame_steps, layout_pending
from agent_desktop_mocks.demo_people import callers
from benchmarks.bench_screen_pop import SEED, SIZE, SUPERVISOR, Servers, servers, wait_for
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import accept, end_and_fill_wrap_up, go_available, screen_text, wait_until

# (class, method, step name): each call is timed while a pop is recorded.
WATCHED = [
    (CallerLookups, "found", "answer"),
    (AgentScreen, "redraw", "redraw"),
    *frame_steps(),  # the screen's update timer, its layout, its compositing
    (Stylesheet, "update_nodes", "restyle"),
    (CustomerCard, "show_record", "show_record"),
    (CustomerCard, "_mark_rendered", "painted"),
]

AnyWidget = TypeVar("AnyWidget", bound=Widget)


class Recorder:
    def __init__(self) -> None:
        self.on = False
        self.events: list[tuple[str, float, float, float, float]] = []  # (step, start, wall, cpu, thread CPU at start)

    def wrap(self, cls: type, name: str, step: str | None) -> None:
        """`step` None: named by the instance's id or class (a widget's render, e.g. "render:#offer")."""
        original = getattr(cls, name)
        recorder = self

        def timed(*args: Any, **kwargs: Any) -> Any:  # any method's arguments and result, passed through
            if not recorder.on:
                return original(*args, **kwargs)
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                name = step or f"render:{'#' + args[0].id if args[0].id else type(args[0]).__name__}"
                recorder.events.append((name, start, time.perf_counter() - start, time.thread_time() - cpu, cpu))

        setattr(cls, name, timed)


async def pops(
    urls: Servers, customers: int, offers: int, recorder: Recorder, profiler: cProfile.Profile | None
) -> list[dict[str, float]]:
    rng = random.Random(7)
    people = callers(SEED, customers)
    per_pop: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        settings = demo_settings(
            urls.ccaas_url, urls.crm_url, urls.presence_url, outbox_path=Path(folder) / "outbox.db"
        )
        app = desk_app(build_backends(settings))
        async with httpx.AsyncClient(base_url=urls.ccaas_url, timeout=10) as ccaas, app.run_test(size=SIZE) as pilot:
            card = pilot.app.screen.query_one(CustomerCard)
            await go_available(pilot)
            for _ in range(offers):
                caller = people[rng.randrange(customers)]
                customer_id = f"cus-{caller.index + 1:06d}"
                await wait_until(pilot, lambda: "● Available" in screen_text(pilot, "#agent-status"), "Available")
                card.rendered_at = None
                recorder.events.clear()
                recorder.on = True
                posted = time.perf_counter()
                body = {"queue_id": "billing", "channel": "voice", "from_address": caller.phone_e164}
                (await ccaas.post("/v1/contacts", json=body, headers=SUPERVISOR)).raise_for_status()

                def painted_now(customer_id: str = customer_id) -> bool:
                    return card.rendered_customer_id == customer_id and card.rendered_at is not None

                await wait_for(painted_now)
                rendered_at: float = present(card.rendered_at)  # (set to None before the call was placed)
                painted = time.perf_counter() - (time.time() - rendered_at)
                recorder.on = False
                per_pop.append(breakdown(recorder.events, posted, painted))
                await accept(pilot)
                await end_and_fill_wrap_up(pilot, "ok")
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "wrapped up")
    return per_pop


def ask_why(recorder: Recorder, asked: Counter[str]) -> None:
    """Count, while a pop is recorded, each layout asked for (`refresh(layout=True)`), each repaint (whole or some
    lines) and each node restyled, with the widget and the desk's code that asked."""

    def ours() -> str:
        for frame in traceback.extract_stack()[-3::-1]:
            if "/agent_desktop/" in frame.filename:
                return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"
        return "(textual)"

    refresh = Widget.refresh

    def counted_refresh(
        self: AnyWidget, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> AnyWidget:
        if recorder.on and layout and not layout_pending(self):
            asked[f"layout {'#' + self.id if self.id else type(self).__name__} from {ours()}"] += 1
        if recorder.on and repaint and not recompose:
            what = "lines" if regions else "whole"
            asked[f"repaint ({what}) {'#' + self.id if self.id else type(self).__name__} from {ours()}"] += 1
        return refresh(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

    Widget.refresh = counted_refresh  # type: ignore[method-assign]  # each layout and repaint asked for, counted
    update_nodes = Stylesheet.update_nodes

    def counted_update_nodes(self: Stylesheet, nodes: Iterable[DOMNode], animate: bool = False) -> None:
        nodes = list(nodes)
        if recorder.on:
            names = ",".join(sorted({"#" + n.id if n.id else type(n).__name__ for n in nodes[:3]}))
            asked[f"restyle {len(nodes)} nodes ({names}…) from {ours()}"] += 1
        return update_nodes(self, nodes, animate)

    Stylesheet.update_nodes = counted_update_nodes  # type: ignore[method-assign]  # each restyle counted


def profile_from(cls: type, name: str, then: Callable[[], object]) -> None:
    original = getattr(cls, name)

    def hooked(*args: Any, **kwargs: Any) -> Any:  # (as Recorder.wrap's)
        result = original(*args, **kwargs)
        then()
        return result

    setattr(cls, name, hooked)


def breakdown(events: list[tuple[str, float, float, float, float]], posted: float, painted: float) -> dict[str, float]:
    """One pop's figures in ms: the steps after the lookup's answer, and counts."""
    answers = [e for e in events if e[0] == "answer"]
    if not answers:
        return {}
    answered = answers[-1][1]
    after = [e for e in events if answered <= e[1] <= painted]
    out: dict[str, float] = defaultdict(float)
    out["answer_to_painted"] = (painted - answered) * 1000
    out["posted_to_answer"] = (answered - posted) * 1000
    redraws = [e for e in after if e[0] == "redraw"]
    frames = [e for e in after if e[0] == "frame"]
    if redraws:
        out["answer_to_redraw_start"] = (redraws[-1][1] - answered) * 1000
    if redraws and frames:
        last = frames[-1]
        out["redraw_end_to_frame_start"] = (last[1] - (redraws[-1][1] + redraws[-1][2])) * 1000
        out["frame_end_to_painted"] = (painted - (last[1] + last[2])) * 1000
    for step, _start, _wall, cpu, _at in after:
        if step == "answer":
            continue
        out[f"{step}_cpu"] += cpu * 1000
        out[f"{step}_n"] += 1
    out["window_cpu"] = sum(cpu for step, _s, _w, cpu, _at in after if step in ("redraw", "frame")) * 1000
    marks = [e for e in events if e[0] == "painted" and e[1] >= answered]
    if marks:  # the thread's whole CPU from the answer applied to the card painted, whatever ran meanwhile
        out["answer_to_painted_cpu"] = (marks[-1][4] - answers[-1][4] - answers[-1][3]) * 1000
    return out


def report(per_pop: list[dict[str, float]]) -> list[str]:
    keys = sorted({k for pop in per_pop for k in pop})
    lines = [f"{len(per_pop)} pops; ms (counts for *_n): p50 / p90 / mean"]
    for key in keys:
        values = sorted(pop.get(key, 0.0) for pop in per_pop)
        p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
        lines.append(f"  {key:28s} {statistics.median(values):7.2f} {p90:7.2f} {statistics.fmean(values):7.2f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=30)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the answer → painted windows here")
    parser.add_argument("--widgets", action="store_true", help="and each widget's render_lines (adds overhead)")
    parser.add_argument("--why", action="store_true", help="count who asks for a layout or a restyle, and from where")
    args = parser.parse_args()
    recorder = Recorder()
    for cls, name, step in WATCHED:
        recorder.wrap(cls, name, step)
    if args.widgets:
        recorder.wrap(Widget, "render_lines", None)
    asked: Counter[str] = Counter()
    if args.why:
        ask_why(recorder, asked)
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:  # from the lookup's answer to the card painted
        profile_from(CallerLookups, "found", profiler.enable)
        profile_from(CustomerCard, "_mark_rendered", profiler.disable)
    with servers(args.customers) as urls:
        per_pop = asyncio.run(pops(urls, args.customers, args.offers, recorder, profiler))
    print("\n".join(report(per_pop)))
    for where, count in asked.most_common(30):
        print(f"  {count / len(per_pop):5.2f} per pop  {where}")
    if profiler is not None:
        profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
