"""What the UI may do, checked on its source: the screens draw the desks and hand the user's
answers to the desks' controllers, and the app wires the sessions to the screens and asks them, so no file of
agent_desktop/ui (app.py included) calls a backend service — the contact center, the CRM, the presence directory, the
supervisor console, the monitoring console, the outbox — nor names its type (the controllers' use cases and the
sessions do: agent_desktop/agent_desk/, agent_desktop/supervisor_desk/); no class of the supervisor's screens stores the screen or a
service; and no class in agent_desktop/ui is assembled from mixins (a class whose attributes its subclass must supply).
import-linter sees imports, not calls; the AST does.

The services are not a hand list: their types are every `typing.Protocol` of agent_desktop/domain and the types of the
service container's fields (`Backends`: the outbox too), and the names they are held under are the container's
fields and the parameters the sessions, controllers and use cases take them by. A new protocol, container field or
use case's service parameter is checked the day it is written."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import re
import typing
from pathlib import Path
from types import ModuleType

import pytest

import agent_desktop.agent_desk
import agent_desktop.domain
import agent_desktop.supervisor_desk
import agent_desktop.ui
from agent_desktop.services import Backends

UI = Path(agent_desktop.ui.__file__).parent
# Every file of agent_desktop/ui: the app (app.py, which hands the sessions agent_desktop/app/runtime.py built to the screens
# and asks them), its root-level modules, and every screen and widget (the agent's, the supervisor's, shared).
VIEWS = sorted(UI.rglob("*.py"))


def _modules(package: ModuleType) -> list[ModuleType]:
    return [importlib.import_module(m.name) for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]


def _service_types() -> dict[str, type]:
    """Every backend protocol, and whatever the service container holds a service in (the outbox's store)."""
    found = {
        cls.__name__: cls
        for module in _modules(agent_desktop.domain)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__ and getattr(cls, "_is_protocol", False) and cls is not typing.Protocol
    }
    hints = typing.get_type_hints(Backends, localns=found)
    for field in dataclasses.fields(Backends):
        for kind in typing.get_args(hints[field.name]) or (hints[field.name],):
            if kind in found.values() or (inspect.isclass(kind) and kind.__module__.startswith("agent_desktop.outbox")):
                found[kind.__name__] = kind
    return found


SERVICE_TYPES = _service_types()


_NAMES_A_SERVICE = re.compile(rf"\b({'|'.join(SERVICE_TYPES)})\b")


def _desk_classes() -> list[type[object]]:
    """The classes of the desks (sessions, controllers, use cases, models): what the UI is meant to call."""
    return [
        cls
        for package in (agent_desktop.agent_desk, agent_desktop.supervisor_desk)
        for module in _modules(package)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
    ]


def _holder_names() -> set[str]:
    """The names a service is held under: the container's fields that hold one, and every parameter of a class of
    the desks (sessions, controllers, use cases) whose annotation names a service type."""
    names = {f.name for f in dataclasses.fields(Backends) if _NAMES_A_SERVICE.search(str(f.type))}
    for cls in _desk_classes():
        for name, parameter in inspect.signature(cls.__init__).parameters.items():
            if _NAMES_A_SERVICE.search(str(parameter.annotation)):
                names.add(name)
    return names


def _service_verbs() -> set[str]:
    """What only a backend service does: its protocols' methods that no class of the desks has by the same name
    (a use case may share its service's verb: the screens call the use case) and no toolkit or builtin has."""
    from textual.app import App
    from textual.screen import Screen

    # The agent screen's dialog flows (agent_dialogs.py) are named after what they end in (`end_contact` asks,
    # then hands the answer to the controller): the screen calls the flow, not the service.
    from agent_desktop.ui.agent.agent_dialogs import AgentDialogs

    ours = {name for cls in [*_desk_classes(), AgentDialogs] for name in dir(cls)}
    common = {name for kind in (dict, list, set, App, Screen) for name in dir(kind)}
    return SERVICE_METHODS - ours - common


SERVICE_METHODS = {
    name
    for kind in SERVICE_TYPES.values()
    for name, _ in inspect.getmembers(kind, callable)
    if not name.startswith("_")
}
SERVICE_HOLDERS = _holder_names()
SERVICE_VERBS = _service_verbs()
# What the modules of the protocols give a service by (`monitoring_console(console)`): their own functions.
SERVICE_ACCESSORS = {
    name
    for kind in SERVICE_TYPES.values()
    for name, fn in inspect.getmembers(importlib.import_module(kind.__module__), inspect.isfunction)
    if fn.__module__ == kind.__module__ and not name.startswith("_")
}
CONTAINERS = {"backends"}  # the service container (agent_desktop/services.py), as the app holds it


def _is_none_test(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """`backends.supervisor is None`: whether a service was given is wiring, not a use of it."""
    parent = parents.get(node)
    return (
        isinstance(parent, ast.Compare)
        and all(isinstance(op, ast.Is | ast.IsNot) for op in parent.ops)
        and all(isinstance(c, ast.Constant) and c.value is None for c in parent.comparators)
    )


def reaching_a_backend(source: str) -> list[str]:
    """Where the code reaches a backend service: takes one out of the container (`backends.crm`), calls one held
    under a service's name (`self.console.move_contact(...)`, `console.events()`), calls what only a service does
    (`x.whisper(...)`, `x.accept_offer(...)`), or names a service's type (an import, an annotation)."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in SERVICE_HOLDERS and _name_of(node.value) in CONTAINERS:
            if not _is_none_test(node, parents):
                found.append(f"{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            held = _name_of(node.func.value) in SERVICE_HOLDERS and node.func.attr in SERVICE_METHODS
            if held or node.func.attr in SERVICE_VERBS:
                found.append(f"{node.lineno} {ast.unparse(node.func)}()")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("agent_desktop."):
            found += [
                f"{node.lineno} imports {a.name}"
                for a in node.names
                if a.name in SERVICE_TYPES.keys() | SERVICE_ACCESSORS
            ]
        elif isinstance(node, ast.Name) and (node.id in SERVICE_TYPES or node.id in SERVICE_ACCESSORS):
            found.append(f"{node.lineno} {node.id}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in SERVICE_TYPES:
            found.append(f"{node.lineno} '{node.value}'")  # a quoted annotation
    return found


def _name_of(node: ast.AST) -> str | None:
    """`backends` for `self.backends` or `backends`; `console` for `self.controller.console`."""
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None


reaching_the_crm_or_the_outbox = reaching_a_backend  # (its first name: the check knew only those two then)


def test_the_check_knows_every_backend_service() -> None:
    """Derived, not listed: the protocols of agent_desktop/domain and the container's outbox, under every name the
    container and the desks' classes hold them by."""
    assert {"ContactCenter", "Crm", "PresenceDirectory", "SupervisorConsole", "MonitoringConsole", "Outbox"} <= set(
        SERVICE_TYPES
    ), sorted(SERVICE_TYPES)
    assert {"contact_center", "crm", "presence", "outbox", "supervisor", "console"} <= SERVICE_HOLDERS, sorted(
        SERVICE_HOLDERS
    )
    assert {
        "whisper",
        "barge_message",
        "accept_offer",
        "list_experts",
        "waiting_contacts",
        "set_queue_priority",
    } <= SERVICE_VERBS


def test_no_file_of_the_ui_reaches_a_backend() -> None:
    reached = [f"{path.relative_to(UI)}:{where}" for path in VIEWS for where in reaching_a_backend(path.read_text())]
    assert {"app.py", "palette.py", "agent_screen.py", "supervisor_screen.py", "footer.py"} <= {
        path.name for path in VIEWS
    }
    assert reached == [], (
        "a use case in the view: move it to a controller or a session (agent_desktop/agent_desk, agent_desktop/supervisor_desk)"
    )


def test_the_check_sees_what_the_app_did_before_its_sessions() -> None:
    """The lines app.py had before agent_desktop/agent_desk/session.py took their work over are each caught."""
    for line in (
        "self.outbox_sender = OutboxSender(backends.outbox, backends.crm)",
        "await asyncio.to_thread(enqueue_supervision, self.backends.outbox, records)",
        "counts = await asyncio.to_thread(self.backends.outbox.counts)",
        "keeps = crm_capabilities(self.backends.crm).supervision",
    ):
        assert reaching_the_crm_or_the_outbox(f"async def f(self, backends, records):\n    {line}\n") != [], line


def test_the_check_sees_what_the_supervisor_screen_did_before_its_desk() -> None:
    """The calls the supervisor's screen and drill-downs made before agent_desktop/supervisor_desk took them over, and
    a service held under a name of its own, are each caught; the desk's own calls are not."""
    for line in (
        "await self.console.set_agent_state(agent_id, state, reason)",
        "self.monitoring = monitoring_console(console)",
        "await self.monitoring.whisper(contact_id, text)",
        "return await self.console.waiting_contacts(self.queue_id)",
        "await self.backends.presence.list_experts()",
        "await self.backends.contact_center.accept_offer(offer_id)",
        "await self.controller.console.move_contact(contact_id, queue_id)",
    ):
        assert reaching_a_backend(f"async def f(self, console, contact_id):\n    {line}\n") != [], line
    stored = "from agent_desktop.domain.supervisor.protocol import SupervisorConsole\n\nclass X:\n    def __init__(self, c: 'SupervisorConsole'):\n        self.c = c\n"
    assert len(reaching_a_backend(stored)) == 2
    for fine in (
        "await self.controller.monitoring.join(contact_id)",
        "if backends.supervisor is None: raise ValueError()",
        "self.run_use_case(self.controller.change_priority(queue_id, +1))",
    ):
        assert reaching_a_backend(f"async def f(self, backends, contact_id):\n    {fine}\n") == [], fine


@pytest.mark.parametrize(
    "planted",
    [
        "await self.app.backends.supervisor.set_queue_priority('billing', 9)",
        "await self.watching.whisper('c-1', 'hello')",  # a monitoring console under a name of its own
        "self.app.backends.crm.lookup('+15125550100')",
    ],
)
def test_a_call_planted_in_a_module_of_the_ui_fails_the_check(
    planted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above, run over a copy of agent_desktop/ui: it passes, then fails once one module calls a backend."""
    import shutil

    copy = tmp_path / "ui"
    shutil.copytree(UI, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(__import__(__name__, fromlist=["UI"]), "UI", copy)
    monkeypatch.setattr(__import__(__name__, fromlist=["VIEWS"]), "VIEWS", sorted(copy.rglob("*.py")))
    test_no_file_of_the_ui_reaches_a_backend()
    planted_widget = copy / "supervisor" / "planted_widget.py"
    planted_widget.write_text(
        f"from textual.widgets import Static\n\n\nclass Planted(Static):\n    async def on_click(self) -> None:\n        {planted}\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["VIEWS"]), "VIEWS", sorted(copy.rglob("*.py")))
    with pytest.raises(AssertionError, match="planted_widget.py:6"):
        test_no_file_of_the_ui_reaches_a_backend()


def _stored_on_self(source: str) -> list[str]:
    """`self.x = screen`, `self.x = self.screen`, `self.x = console` (a parameter named or typed as a service)."""
    found = []
    for cls in [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ClassDef)]:
        suspects = {"screen"}
        for fn in [n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            for arg in fn.args.args + fn.args.kwonlyargs:
                note = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                if arg.arg in SERVICE_HOLDERS or note.endswith("Screen") or any(t in note for t in SERVICE_TYPES):
                    suspects.add(arg.arg)
        for node in ast.walk(cls):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = node.value
                on_self = any(isinstance(t, ast.Attribute) and ast.unparse(t).startswith("self.") for t in targets)
                names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)} if value is not None else set()
                attrs = (
                    {n.attr for n in ast.walk(value) if isinstance(n, ast.Attribute)} if value is not None else set()
                )
                if on_self and (names & suspects or "screen" in attrs):
                    found.append(f"{cls.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_class_of_the_supervisor_screens_stores_the_screen_or_a_service() -> None:
    stored = [w for path in sorted((UI / "supervisor").rglob("*.py")) for w in _stored_on_self(path.read_text())]
    assert stored == []
    assert _stored_on_self("class P:\n    def __init__(self, screen):\n        self.owner = screen\n")
    assert _stored_on_self("class P:\n    def __init__(self, c: SupervisorConsole):\n        self._c = c\n")
    assert _stored_on_self("class P:\n    def on_mount(self):\n        self.s = self.app.screen\n")


def test_no_class_in_the_ui_is_assembled_from_mixins() -> None:
    """At most one class of the project between a UI class and the toolkit's (a dialog on a shared dialog
    base is fine; a screen built on a chain of partial screens is not)."""
    chained = []
    for module_info in pkgutil.walk_packages(agent_desktop.ui.__path__, "agent_desktop.ui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            ours = [base for base in cls.__mro__[1:] if _ours(base)]
            if len(ours) > 1 or len([base for base in cls.__bases__ if _ours(base)]) > 1:
                chained.append(f"{cls.__module__}.{cls.__qualname__}: {[b.__qualname__ for b in ours]}")
    assert chained == []


def _ours(cls: type) -> bool:
    """The line kit (`ui/lines`) counts as the toolkit: a table on its `CursorView` is one class over it, as one
    on Textual's `ScrollView` was. So does `OverlayScreen`, what every modal screen is (Textual's `ModalScreen`
    that says what it is to the agent's attention): a picker on the shared `ChoicePicker` is one class over it;
    and `KeyTurnScreen` (Textual's `Screen` on which a select's list closed in its key's turn takes no focus)."""
    toolkit = ("agent_desktop.ui.lines.", "agent_desktop.ui.shared.overlay_screen", "agent_desktop.ui.keys.key_turn")
    return cls.__module__.startswith("agent_desktop.") and not cls.__module__.startswith(toolkit)


def test_the_agent_screen_is_one_screen() -> None:
    from agent_desktop.ui.agent.agent_screen import AgentScreen
    from agent_desktop.ui.keys.key_turn import KeyTurnScreen

    assert AgentScreen.__bases__ == (KeyTurnScreen,)  # Textual's Screen, with the key turn's focus rule


def test_each_command_is_carried_out_by_whom_the_table_says() -> None:
    """The table says who carries a command out: the controller's use case of its name, the dialogs' flow of its
    name, or the screen's own action; the screen has an action for every command (what its binding runs)."""
    from agent_desktop.agent_desk.commands import COMMANDS
    from agent_desktop.agent_desk.controller import DeskController
    from agent_desktop.ui.agent.agent_dialogs import AgentDialogs
    from agent_desktop.ui.agent.agent_screen import AgentScreen

    missing = []
    for command in COMMANDS:
        carried_out_by = {"controller": DeskController, "dialog": AgentDialogs, "screen": AgentScreen}[command.by]
        name = command.name if command.by != "screen" else f"action_{command.name}"
        if not callable(getattr(carried_out_by, name, None)) or not callable(
            getattr(AgentScreen, f"action_{command.name}", None)
        ):
            missing.append(f"{command.action} by {command.by}")
    assert {c.by for c in COMMANDS} == {"controller", "dialog", "screen"}
    assert missing == []
    assert inspect.iscoroutinefunction(DeskController.accept), "a use case: the screen runs it as a worker"
