"""The optional features as ports: each is resolved once, where the runtime is built, into the backend itself or a
stand-in that refuses in one sentence an agent can read ("Monitoring is not on this contact center."), so that no
desk holds None for a feature nor asks a port's type; what is served is read from the capabilities.

- each stand-in refuses every call with its sentence, as a BackendError the desk already turns into a notice, and
  never one the outbox would retry;
- a runtime built over a contact center that serves none of them hands every object it built a port, never None:
  the test walks the objects the runtime built, and checks every parameter typed by a port."""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.app.runtime import DeskOptions, DeskRuntime
from agent_desktop.domain.capabilities import ContactCenterCapabilities, CrmCapabilities
from agent_desktop.domain.errors import BackendError, NotServed
from agent_desktop.domain.flags.protocol import (
    AgentFlags,
    NoAgentFlags,
    NoSupervisorFlags,
    SupervisorFlags,
    serves_supervisor_flags,
    supervisor_flags,
)
from agent_desktop.domain.messages.protocol import Messaging, NoMessaging
from agent_desktop.domain.monitoring.protocol import MonitoringConsole, NoMonitoring
from agent_desktop.domain.quality.protocol import (
    AgentQuality,
    EvaluationRecords,
    NoAgentQuality,
    NoEvaluationRecords,
    NoSupervisorQuality,
    SupervisorQuality,
)
from agent_desktop.supervisor_desk.refusals import refusal_words
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import scene_mocks
from tests.support.narrowing import present

# Each port, and the one sentence its stand-in says.
PORTS: dict[type, str] = {
    MonitoringConsole: "Monitoring is not on this contact center.",
    AgentFlags: "Flags are not on this contact center.",
    SupervisorFlags: "Flags and broadcasts are not on this contact center.",
    AgentQuality: "Quality evaluations are not on this contact center.",
    SupervisorQuality: "Quality evaluations are not on this contact center.",
    EvaluationRecords: "Quality evaluations are not kept by this CRM.",
    Messaging: "Follow-ups are not on this contact center.",
}
STAND_INS: dict[type, Any] = {
    MonitoringConsole: NoMonitoring(),
    AgentFlags: NoAgentFlags(),
    SupervisorFlags: NoSupervisorFlags(),
    AgentQuality: NoAgentQuality(),
    SupervisorQuality: NoSupervisorQuality(),
    EvaluationRecords: NoEvaluationRecords(),
    Messaging: NoMessaging(),
}
# Where the supervisor's records go (the runtime's outbox, or `kept_nowhere` for a CRM that keeps none).
RECORDERS: dict[str, type] = {"record_supervision": Callable, "record_evaluation": Callable}  # type: ignore[dict-item]
NOTHING_SERVED = ContactCenterCapabilities(monitor=False, flags=False, broadcasts=False, quality=False)


def _calls(port: type, stand_in: object) -> Iterator[tuple[str, typing.Any]]:
    """Each method of the port called on the stand-in with placeholder arguments (the stand-in reads none)."""
    for name, method in inspect.getmembers(port, inspect.isfunction):
        if name.startswith("_"):
            continue
        needed = [
            p
            for p in list(inspect.signature(method).parameters.values())[1:]
            if p.default is inspect.Parameter.empty and p.kind is not inspect.Parameter.KEYWORD_ONLY
        ]
        yield name, getattr(stand_in, name)(*["x"] * len(needed))


@pytest.mark.parametrize("port", list(PORTS), ids=lambda port: port.__name__)
async def test_a_stand_in_refuses_every_call_in_its_one_sentence(
    port: type[AgentFlags]
    | type[SupervisorFlags]
    | type[Messaging]
    | type[MonitoringConsole]
    | type[AgentQuality]
    | type[EvaluationRecords]
    | type[SupervisorQuality],
) -> None:
    stand_in = STAND_INS[port]
    assert isinstance(stand_in, port)
    refused = []
    for name, call in _calls(port, stand_in):
        if isinstance(call, AsyncIterator):  # a stream: nothing will ever come on it
            assert [item async for item in call] == [], name
            continue
        with pytest.raises(BackendError) as raised:
            await call
        error = raised.value
        assert isinstance(error, NotServed), name
        assert not error.retryable, name
        assert error.message == refusal_words(error) == PORTS[port], name
        refused.append(name)
    assert refused, "the port has calls to refuse"


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", customers=5)
    try:
        yield running
    finally:
        await running.aclose()


def _built(root: object) -> Iterator[object]:
    """Every object of the desk's own the runtime built, reached through their attributes."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        held = stack.pop()
        if id(held) in seen:
            continue
        seen.add(id(held))
        yield held
        values = list(vars(held).values()) if hasattr(held, "__dict__") else []
        for value in values:
            if type(value).__module__.startswith(("agent_desktop.", "tests.support.")):
                stack.append(value)


def _port_parameters(cls: type[object]) -> dict[str, tuple[type, bool]]:
    """The parameters of `cls` typed by a port: the port, and whether the type lets None in (what the desk held
    before)."""
    try:
        hints = typing.get_type_hints(cls.__init__)
    except (NameError, TypeError):
        return {}
    found = {}
    for name, hint in hints.items():
        kinds = typing.get_args(hint) or (hint,)
        if name in RECORDERS:  # where a supervisor's records go: the outbox, or nowhere, never None
            found[name] = (RECORDERS[name], type(None) in kinds)
        for kind in kinds:
            if isinstance(kind, type) and kind in PORTS:
                found[name] = (kind, type(None) in kinds)
    return found


async def test_a_runtime_over_a_contact_center_that_serves_none_hands_every_desk_a_port_never_none(
    mocks: InProcessMocks,
) -> None:
    backends = mocks.backends(
        capabilities=NOTHING_SERVED, crm_capabilities=CrmCapabilities(supervision=False), supervisor=True
    )
    present(backends.supervisor).capabilities = NOTHING_SERVED
    runtime = DeskRuntime(backends, DeskOptions(desks=("agent", "supervisor")))
    try:
        typed, checked = set(), set()
        for held in _built(runtime):
            for name, (port, none_let_in) in _port_parameters(type(held)).items():
                where = f"{type(held).__name__}({name})"
                assert not none_let_in, f"{where} takes None for a port: the desk would have to guard it"
                typed.add(port)
                if name not in vars(held):  # handed on, not kept under its name (the sender's messaging, a recorder)
                    continue
                value = vars(held)[name]
                assert value is not None, f"{where} is None: the desk would have to guard it"
                assert isinstance(value, port), where
                checked.add(port)
        handed_down = set(PORTS) - {EvaluationRecords}  # the sender's own, resolved from its CRM as it is built
        assert typed == handed_down | {Callable}, f"never a parameter of what the runtime built: {handed_down - typed}"
        assert checked == handed_down, f"ports never found in what the runtime built: {handed_down - checked}"
        assert isinstance(runtime.outbox.sender.evaluation_records, EvaluationRecords)
    finally:
        await runtime.aclose()


class _Said:
    def __init__(self, **capabilities: bool) -> None:
        self.capabilities = type("Capabilities", (), capabilities)()


class _AnsweringFlags(_Said, NoSupervisorFlags):
    """A console whose methods answer the supervisor's flags (the stand-in's are the protocol's shape)."""


@pytest.mark.parametrize(
    ("said", "served"),
    [
        ({"flags": True}, True),
        ({"broadcasts": True}, True),
        ({"flags": False, "broadcasts": False}, False),
        ({}, False),
    ],
)
def test_a_port_is_the_backend_only_where_it_says_it_serves_the_feature(said: dict[str, bool], served: bool) -> None:
    console = _AnsweringFlags(**said)
    assert serves_supervisor_flags(console) is served
    assert (supervisor_flags(console) is console) is served, "else the stand-in"


def test_a_backend_that_says_the_feature_but_lacks_its_methods_gets_the_stand_in() -> None:
    console = _Said(flags=True)
    assert not serves_supervisor_flags(console)
    assert isinstance(supervisor_flags(console), NoSupervisorFlags)
