"""The floor's figures a question about it is answered from, as the supervisor's desk shows them: per queue its
service level against target, the contacts waiting, the staffing advice (Erlang C checked against the floor,
staffing/queue_advice.py) and the causes the rules name for a low level (staffing/why_service_level.py); per team its
adherence today. Queues and teams are named; agents and customers are not: their names are left out, not masked (no
figure here is about one person), so none can reach the model."""

from __future__ import annotations

from collections.abc import Sequence

from agent_desktop.assist.floor_question.floor_prompt import Figure
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.staffing.floor import Floor
from agent_desktop.staffing.why_service_level import why_service_level_is_low
from agent_desktop.supervisor_desk.workforce.adherence_board import TeamRow


def floor_figures(floor: Floor, teams: Sequence[TeamRow] = ()) -> list[Figure]:
    figures: list[Figure] = []
    for queue_id in floor.queue_ids():
        name = floor.queue_name(queue_id)
        target, threshold = floor.target_of(queue_id)
        level = floor.service_level_of(queue_id)
        if level is not None:
            few = "" if floor.service_level_settled(queue_id) else " (from few contacts)"
            figures.append(Figure(name, "service level", f"{level:.0f}% against {target:.0f}% in {threshold} s{few}"))
        waiting, longest = floor.waiting_now(queue_id)
        longest_words = f", the longest {format_duration(round(longest), 'short')}" if waiting else ""
        figures.append(Figure(name, "waiting", f"{waiting}{longest_words}"))
        if (staffing := _staffing(floor, queue_id)) is not None:
            figures.append(Figure(name, "staffing", staffing))
        figures.extend(Figure(name, "cause", cause.text) for cause in why_service_level_is_low(floor, queue_id))
    figures.extend(
        Figure(team.team, "adherence", f"{team.pct} today, {team.out} of {team.agents} agents out now")
        for team in teams
    )
    return figures


def _staffing(floor: Floor, queue_id: str) -> str | None:
    if floor.warming_up(queue_id):
        return f"warming up: no advice for {floor.warm_up_left_min(queue_id)} min"
    advice = floor.advice(queue_id)
    if advice is None or advice.erlang is None:
        return None
    erlang = advice.erlang
    verdict = f"{advice.shortfall} short" if advice.shortfall else f"enough, {advice.spare} spare"
    why = f" ({advice.why()})" if advice.why() else ""
    return f"{verdict}: Erlang C needs {erlang.agents_needed}, {erlang.staffed:g} staffed, {advice.free} free now{why}"
