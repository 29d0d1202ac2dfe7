"""The supervisor screen's key for quality management (issue 47): e opens the evaluation dialog on the finished
interactions of the supervisor's queues. What the key does is the controller's (quality_use_cases.py); run as a
worker of the app, so that the dialog's own screen does not own it."""

from __future__ import annotations

from textual.screen import Screen

from agent_desktop.supervisor_desk.controller import SupervisorController


def open_evaluation(screen: Screen, controller: SupervisorController) -> None:
    async def choose() -> None:
        from agent_desktop.ui.supervisor.evaluation_dialog import EvaluationDialog

        quality = controller.quality
        forms, interactions = await quality.choices()
        if not forms:
            return  # refused or out of reach: the controller said so
        if not interactions:
            screen.notify("No finished interaction of your queues is waiting for your evaluation.", title="Evaluate")
            return
        dialog = EvaluationDialog(forms, interactions, quality.review, quality.submit, await quality.rollup())
        await screen.app.push_screen_wait(dialog)

    screen.app.run_worker(choose(), group="evaluate", exclusive=True)
