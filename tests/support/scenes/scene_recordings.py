"""The scenes of the snapshot tests, recorded once against the mock servers and replayed with none.

Each `Scene` is a flow of keys (and of steps beside the desk: a customer calling in) on a frozen clock and a
fixed seed. `python -m scripts.record_scenes` plays each one against the real mock servers through
`RecordingScene`, which writes what the backends answered and pushed to tests/recordings/<name>.jsonl; a
snapshot test plays the same flow through `ReplayScene`, whose backends serve the desk from that file.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic_core import to_jsonable_python
from textual.pilot import Pilot

from agent_desktop.agent_desk.conversations import conversation_use_cases
from agent_desktop.domain.pci_masked import PciMaskedPresence
from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.domain.supervisor.protocol import SupervisorConsole
from agent_desktop.outbox.store import Outbox
from agent_desktop.services import Backends
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.writing_aids.quick_responses import load_quick_responses
from agent_desktop_mocks.demo_people import Caller, Callers, callers
from tests.support.desk_app import desk_app
from tests.support.recorded.recorder import Recorder
from tests.support.recorded.replay import Replay
from tests.support.scenes.conversation_scenes import CONVERSATION_STEPS, SPEED, conversation_flow_until
from tests.support.scenes.expert_scenes import EXPERT_STEPS, expert_flow_until
from tests.support.scenes.journey_scenes import JOURNEY_STEPS
from tests.support.scenes.pilot_steps import steady_cursors
from tests.support.scenes.scenes import FROZEN_TIME, SceneServers, agent_flow_until, scene_servers
from tests.support.scenes.supervisor_scene import SteadyFloor, frozen_supervisor_app, supervisor_scene_ready

RECORDINGS = Path(__file__).resolve().parents[3] / "tests" / "recordings"

# What a scene does beside the desk, by SceneServers' method: recorded with its answer, replayed in order.
OUTSIDE_STEPS = ("place_call", "add_customer", "account_number", "as_supervisor")
REPLAY_TYPING_IDLE_S = 3600.0  # the desk's end of typing, during a replay (snap_replayed)
PROTOCOLS = {
    "contact_center": ContactCenter,
    "crm": Crm,
    "presence": PresenceDirectory,
    "supervisor": SupervisorConsole,
}


@dataclass(frozen=True)
class Scene:
    name: str  # tests/recordings/<name>.jsonl
    play: Callable[
        [Pilot[None], Any], Awaitable[None]
    ]  # the keys and outside steps, given the pilot and the scene's world
    servers: Callable[[Path], AbstractContextManager[SceneServers]]  # the live mock servers it is recorded on
    supervisor: bool = False

    def app(self, world: Any) -> AgentDesktopApp:
        if self.supervisor:
            return frozen_supervisor_app(world)
        return desk_app(world.backends(), clock=lambda: FROZEN_TIME)

    @property
    def path(self) -> Path:
        return RECORDINGS / f"{self.name}.jsonl"


async def _then_pause(
    flow: Callable[..., Awaitable[None]], step: str, pilot: Pilot[None], world: Any, pause_s: float = 0.3
) -> None:
    await flow(pilot, world, step)
    steady_cursors(pilot)  # again at the end: set only at the flow's start, the notes still blinked at capture
    await pilot.pause(pause_s)


async def _supervisor(pilot: Pilot[None], world: Any) -> None:
    await supervisor_scene_ready(pilot)


AGENT_STEPS = (
    "available",
    "offer",
    "connected",
    "wrap-up",
    "wrap-up-masked",
    "picker",
    "new-caller",
    "chats-on-hold",
    "transfer-dialog",
    "consult",
    *JOURNEY_STEPS,
)
SCENES: dict[str, Scene] = {
    **{
        f"agent-{step}": Scene(f"agent-{step}", functools.partial(_then_pause, agent_flow_until, step), scene_servers)
        for step in AGENT_STEPS
    },
    **{
        f"agent-{step}": Scene(f"agent-{step}", functools.partial(_then_pause, expert_flow_until, step), scene_servers)
        for step in EXPERT_STEPS
    },
    **{
        f"conversation-{step}": Scene(
            f"conversation-{step}",
            functools.partial(_then_pause, conversation_flow_until, step, pause_s=0.0),
            functools.partial(scene_servers, speed=SPEED),
        )
        for step in CONVERSATION_STEPS
    },
    "supervisor": Scene("supervisor", _supervisor, SteadyFloor, supervisor=True),
}


def _outside_args(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    bound = inspect.signature(getattr(SceneServers, name)).bind(None, *args, **kwargs)
    bound.apply_defaults()
    return {key: to_jsonable_python(value) for key, value in list(bound.arguments.items())[1:]}


class RecordingScene:
    """The live mock servers, with everything the desk is answered and pushed, and every outside step,
    written down (`recorder`)."""

    def __init__(self, servers: SceneServers, recorder: Recorder) -> None:
        self.servers = servers
        self.recorder = recorder

    def backends(self, **options: Any) -> Backends:
        live = self.servers.backends(**options)
        record = self.recorder.backend
        return dataclasses.replace(
            live,
            contact_center=record("contact_center", ContactCenter, live.contact_center),
            crm=record("crm", Crm, live.crm),
            # recorded under the masking, which the replay keeps
            presence=PciMaskedPresence(record("presence", PresenceDirectory, live.presence.inner)),  # type: ignore[attr-defined]
            supervisor=record("supervisor", SupervisorConsole, live.supervisor) if live.supervisor else None,
        )

    def caller(self, index: int) -> Caller:
        return self.servers.caller(index)

    def __getattr__(self, name: str) -> Any:
        if name not in OUTSIDE_STEPS:
            raise AttributeError(name)
        step = getattr(self.servers, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            result = step(*args, **kwargs)
            self.recorder.outside(name, _outside_args(name, args, kwargs), to_jsonable_python(result))
            return result

        return recorded


class ReplayScene:
    """The world of a recorded scene: backends served from the recording, outside steps checked against
    it, the seeded callers computed as the mocks do; the desk's own files in `folder`."""

    def __init__(self, replay: Replay, folder: Path) -> None:
        self.replay = replay
        self.folder = folder

    def backends(self, *, supervisor: bool = False, outbox_path: Path | None = None, clock: object = None) -> Backends:
        replay = self.replay
        return Backends(
            contact_center=replay.backend("contact_center", ContactCenter),  # type: ignore[arg-type]
            crm=replay.backend("crm", Crm),
            presence=PciMaskedPresence(replay.backend("presence", PresenceDirectory)),  # type: ignore[arg-type]
            outbox=Outbox(outbox_path or self.folder / "desk" / "outbox.db"),
            supervisor=replay.backend("supervisor", SupervisorConsole) if supervisor else None,  # type: ignore[arg-type]
            quick_responses=load_quick_responses(),
        )

    def caller(self, index: int) -> Caller:
        about = self.replay.header["scene"]
        return _callers(about["seed"], about["customers"])[index]

    def __getattr__(self, name: str) -> Any:
        if name not in OUTSIDE_STEPS:
            raise AttributeError(name)

        def replayed(*args: Any, **kwargs: Any) -> Any:
            return self.replay.outside(name, _outside_args(name, args, kwargs))

        return replayed


@functools.cache
def _callers(seed: int, customers: int) -> Callers:
    return callers(seed, customers)


def replayed(scene: Scene, folder: Path) -> ReplayScene:
    return ReplayScene(Replay(scene.path), folder)


def snap_replayed(
    snap_compare: Callable[..., bool],
    name: str,
    folder: Path,
    size: tuple[int, int],
    then: Callable[[Pilot[None]], Awaitable[None]] | None = None,
) -> bool:
    """pytest-textual-snapshot's comparison of scene `name` replayed from its recording at `size` (`then`: keys
    pressed after it that ask the backends nothing, e.g. opening help); a stale recording fails here, even
    where the desk met it in a background task."""
    scene = SCENES[name]
    world = replayed(scene, folder)

    async def run_before(pilot: Pilot[None]) -> None:
        await scene.play(pilot, world)
        if then is not None:
            await then(pilot)

    # The end of "typing" is a timer of the desk's own, TYPING_IDLE_S of real time after the last key: a scene
    # recorded in less is replayed in more on a busy machine, and the desk then asked for an end of typing the
    # recording does not hold (RecordingStale). Past any replay's length here, as it was past the recording's.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conversation_use_cases, "TYPING_IDLE_S", REPLAY_TYPING_IDLE_S)
        matched = snap_compare(scene.app(world), terminal_size=size, run_before=run_before)
    world.replay.check()
    return matched


def recorder_for(scene: Scene, servers: SceneServers) -> Recorder:
    """A recorder for `scene` on `servers`: the seed and the number of customers (`caller(i)` in a replay), and
    the servers' URLs by name."""
    settings = servers.settings
    urls = {
        servers.ccaas_url: "http://ccaas.mock",
        servers.crm_url: "http://crm.mock",
        servers.presence_url: "http://presence.mock",
    }
    about = {"seed": settings.seed, "customers": settings.customers, "frozen_time": FROZEN_TIME.isoformat()}
    return Recorder(scene.name, urls=urls, scene=about)


def iter_scenes(names: list[str]) -> Iterator[Scene]:
    unknown = [name for name in names if name not in SCENES]
    if unknown:
        raise SystemExit(f"no such scene: {', '.join(unknown)} (scenes: {', '.join(SCENES)})")
    yield from (SCENES[name] for name in names or SCENES)
