"""The simulator's rates and durations (`SimulatorConfig`), the textbook Erlang C set-up, and the rates a floor
of any size gets from the team that serves each queue."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.tables import floor_plan
from agent_desktop_mocks.ccaas.tables import seed as demo

CHANNELS = {Channel.VOICE: 0.60, Channel.CHAT: 0.25, Channel.EMAIL: 0.10, Channel.SMS: 0.05}


@dataclass
class TeamSpec:
    """`count` simulated agents with these skills (skill → proficiency 1..5) and capacity."""

    count: int
    skills: dict[str, int]
    capacity: dict[str, int] | None = None


@dataclass
class SimulatorConfig:
    """Rates and durations, in simulated seconds."""

    arrivals_per_minute: dict[str, float] = field(
        default_factory=lambda: {"billing": 2.4, "tech_support": 1.9, "sales": 1.2}
    )
    # UTC hour of the engine's clock → multiplier of every queue's rate (hours not listed: 1.0)
    time_of_day_profile: dict[int, float] | None = None
    channel_mix: dict[Channel, float] = field(default_factory=lambda: dict(CHANNELS))
    known_caller_share: float = 0.85
    mean_patience_s: float | None = 120.0  # exponential; None: callers never give up
    # A voice caller still waiting when their queue offers a callback takes it with this probability
    # (and then waits to be called back rather than giving up).
    callback_take_up: float = 0.4
    accept_delay_s: tuple[float, float] = (1.0, 3.0)
    # Handle time (talk) is exponential with this mean, per queue and channel where given, floored.
    mean_handle_s: float = 60.0
    handle_s: dict[str, dict[str, float]] = field(default_factory=dict)
    min_handle_s: float = 8.0
    wrap_up_s: tuple[float, float] = (5.0, 15.0)
    break_share: float = 0.05  # of completed contacts followed by a break
    break_s: tuple[float, float] = (60.0, 240.0)
    back_after_miss_s: tuple[float, float] = (2.0, 6.0)
    backlog: int = 9  # contacts waiting when the simulator starts (the floor is already busy)
    # When the demo agent has waited this long as available without an offer, extra callers
    # arrive (one every `surge_every_s`) until one reaches them: the demo never idles long.
    demo_wait_s: float = 5.0
    surge_every_s: float = 2.0
    # Voice callers go through the IVR (menu, self-service offered per option, the CRM dip in real
    # time), dialling the number of their language; this share of new callers the second number (the
    # demo's Spanish one): each only where a call script is written in its language.
    through_ivr: bool = True
    second_language_share: float = 0.1
    # The simulated team of a virtual run (None: the demo's six agents, agent-002 … agent-007)
    team: list[TeamSpec] | None = None


def erlang_c_config(
    queue_id: str = "billing", *, per_minute: float, aht_s: float, agents: int, channel: Channel = Channel.VOICE
) -> SimulatorConfig:
    """The M/M/N set-up Erlang C describes: Poisson arrivals, exponential handle time equal to AHT,
    no abandonment, no ACW, no accept delay, no breaks, `agents` agents with the one skill."""
    return SimulatorConfig(
        arrivals_per_minute={queue_id: per_minute},
        channel_mix={channel: 1.0},
        mean_patience_s=None,
        accept_delay_s=(0.0, 0.0),
        mean_handle_s=aht_s,
        min_handle_s=0.0,
        wrap_up_s=(0.0, 0.0),
        break_share=0.0,
        backlog=0,
        through_ivr=False,
        team=[TeamSpec(count=agents, skills={queue_id: 3})],
    )


def floor_config(engine: Engine) -> SimulatorConfig:
    """The demo's rates on the demo's three queues; on any other floor (`--agents`, `--queues`), rates set
    from the team that serves each queue (floor_plan.arrivals_per_minute) and a backlog of two per queue."""
    config = SimulatorConfig()
    floor_queues = engine.read.queues()
    demo_agents = 1 + len(demo.shipped().team)
    if {q.id for q in floor_queues} == set(config.arrivals_per_minute) and len(engine.read.agents()) <= demo_agents:
        return config
    team = [a for a in engine.read.agents() if a.id != DEMO_AGENT_ID]
    seconds = config.mean_handle_s + sum(config.accept_delay_s) / 2 + sum(config.wrap_up_s) / 2
    config.arrivals_per_minute = floor_plan.arrivals_per_minute(floor_queues, team, seconds / 60)
    config.backlog = 2 * len(floor_queues)
    return config
