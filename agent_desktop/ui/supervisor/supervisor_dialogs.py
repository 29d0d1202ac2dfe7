"""The supervisor screen's dialogs: a flag's thread to answer, a broadcast, a queue's or an agent's details, the
contact of an agent's to monitor, an interaction to evaluate. Each asks the supervisor, then hands the answer to
the desk's controller (no backend is called from here). It holds the app (to open dialogs) and the controller,
never the screen nor a widget; the screen hands it what is under the cursor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from agent_desktop.domain.models import Flag
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui import shared, supervisor
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from agent_desktop.ui.supervisor.supervisor_pickers import choose_contact_to_monitor, join_chosen

if TYPE_CHECKING:
    from agent_desktop.ui.supervisor.broadcast_dialog import BroadcastChoice

Run = Callable[[Awaitable[object]], object]  # runs a use case in a worker

# Each dialog's module is imported when the dialog first opens: none is in the floor's first frame.


class SupervisorDialogs:
    def __init__(self, app: App[Any], controller: SupervisorController, *, run: Run) -> None:
        self.app, self.controller, self.desk, self._run = app, controller, controller.desk, run

    def join(self, contact_id: str) -> object:
        """Monitor the contact (from a flag, a drill-down or an agent's contacts): the monitoring use case."""
        return self._run(self.controller.monitoring.join(contact_id))

    def take_over(self, contact_id: str, agent_name: str) -> None:
        """T on a monitored call: asked first (the agent loses the call), then the monitoring use case."""

        def chosen(take: bool | None) -> None:
            if take:
                self._run(self.controller.monitoring.take_over(contact_id))

        options: list[tuple[bool, str]] = [
            (True, "Take it: your softphone rings, they wrap up"),
            (False, "Cancel: the call stays with the agent"),
        ]
        title = f"Take over {agent_name}'s call?"
        self.app.push_screen(ChoicePicker(title, options), chosen)

    def monitor_agent(self, agent_id: str) -> None:
        """`j` on an agent: their contact in progress, or a picker of them."""
        choose_contact_to_monitor(self.app.screen, self.controller, agent_id, self.join)

    def details(self, *, queue_id: str | None = None, agent_id: str | None = None) -> None:
        """A queue's or an agent's details; a contact chosen there is monitored."""
        if queue_id is not None:
            self.app.push_screen(supervisor.QueueDrilldown(self.controller, queue_id), join_chosen(self.join))
        elif agent_id is not None:
            self.app.push_screen(supervisor.AgentDrilldown(self.controller, agent_id), join_chosen(self.join))

    def answer_flag(self, flag: Flag) -> None:
        flags, flag_id = self.desk.flags, flag.id

        def send(text: str | None) -> None:
            if text:
                self._run(self.controller.flags.answer(flag_id, text))

        title = f"Flag of {flag.agent_name or flag.agent_id} · {flag.contact_id}"
        dialog = shared.FlagThreadDialog(
            title, lambda: flags.get(flag_id) or flag, "Answer the agent (only they see it)"
        )
        self.app.push_screen(dialog, send)

    def broadcast(self) -> None:
        floor = self.desk.floor
        queues = [(queue_id, floor.queue_name(queue_id)) for queue_id in floor.queue_ids()]

        def send(choice: BroadcastChoice | None) -> None:
            if choice is not None:
                self._run(self.controller.flags.broadcast(choice.text, choice.minutes, choice.queue_id))

        self.app.push_screen(supervisor.BroadcastDialog(queues), send)

    def ask_floor(self) -> None:
        """The supervisor's question about the floor, answered beside the figures it was sent."""
        from agent_desktop.ui.supervisor.floor_question.ask_floor_box import AskFloorBox

        asking = self.controller.ask_floor
        self.app.push_screen(
            AskFloorBox(asking.ask, asking.cancel, asking.figures(), asking.last_question), asking.keep
        )

    def choose_evaluation(self) -> None:
        """The evaluation dialog on the finished interactions of the supervisor's queues. Run as a worker of the
        app, so that the dialog's own screen does not own it."""

        async def choose() -> None:
            quality = self.controller.quality
            forms, interactions = await quality.choices()
            if not forms:
                return  # refused or out of reach: the controller said so
            if not interactions:
                self.app.notify(
                    "No finished interaction of your queues is waiting for your evaluation.", title="Evaluate"
                )
                return
            dialog = supervisor.EvaluationDialog(
                forms,
                interactions,
                quality.review,
                quality.submit,
                await quality.rollup(),
                queue_name=self.desk.floor.queue_name,
                auto_evaluate=quality.auto_evaluate if quality.evaluates_automatically else None,
                agreement=quality.agreement(forms),
            )
            await self.app.push_screen_wait(dialog)

        self.app.run_worker(choose(), group="evaluate", exclusive=True)
