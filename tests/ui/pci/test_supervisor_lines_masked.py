"""What a supervisor types on a monitored chat leaves their desk PCI-masked: a whisper (to the agent)
and a barge's message (to the customer) once went as typed, card number and security code included; the
contact center's own redaction was all that stood between them and its store. The lines are read where they
leave the desk (the monitoring console's calls), not from the contact center, which masks on its side too."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContacts
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_pci import CODE_REMOVED
from tests.support.desk_app import desk_app
from tests.support.hypothesis_profiles import examples
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.supervisor import InProcessSupervisorConsole
from tests.support.narrowing import of_kind
from tests.support.pci_cards import gives_away, split_card
from tests.support.scenes.pilot_steps import supervisor_screen, wait_until
from tests.ui.monitoring.test_supervisor_monitor_in_process import (
    SIZE,
    chat_taken_then_supervisor,
    panel_text,
    shown_keys,
)


async def test_a_whisper_and_a_barge_leave_the_supervisors_desk_masked(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    backends = mocks.backends(supervisor=True)
    console = of_kind(backends.supervisor, InProcessSupervisorConsole)
    sent: list[tuple[str, str]] = []
    whisper, barge = console.whisper, console.barge_message

    async def whispered(contact_id: str, text: str) -> TranscriptItem:
        sent.append(("whisper", text))
        return await whisper(contact_id, text)

    async def barged(contact_id: str, text: str) -> TranscriptItem:
        sent.append(("barge", text))
        return await barge(contact_id, text)

    # the lines the desk sends, heard on their way
    console.whisper, console.barge_message = whispered, barged  # type: ignore[method-assign]
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        app.bell = lambda: None  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            chat = await chat_taken_then_supervisor(pilot, mocks)
            screen = supervisor_screen(pilot)
            agents = screen.query_one("#agents", AgentTable)
            agents.focus()
            await wait_until(
                pilot, lambda: agents.row_count > 0 and "agent-001" in screen.desk.floor.in_hand, "the floor"
            )
            agents.move_cursor(agents.keys.index("agent-001"))
            await pilot.pause(0.1)
            await pilot.press("j")
            await wait_until(
                pilot, lambda: chat.id in panel_text(pilot) and "w" in shown_keys(pilot), "the monitor card"
            )
            for key, line in [
                ("w", "Card 4111x1111x1111x1111, c v v 123"),
                ("b", "Is it 5555 5555 5555 4444 cvv 321?"),
            ]:
                await pilot.press(key)
                await wait_until(
                    pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "monitor-input", "the line"
                )
                await pilot.press(*line)
                await pilot.press("enter")
                lines_sent = ("w", "b").index(key) + 1

                def all_sent(expected: int = lines_sent) -> bool:
                    return len(sent) == expected

                await wait_until(pilot, all_sent, "the line sent")
    finally:
        await mocks.aclose()
    assert sent == [("whisper", f"Card •••• 1111, {CODE_REMOVED}"), ("barge", f"Is it •••• 4444 {CODE_REMOVED}?")]


@settings(max_examples=examples(50))
@given(split_card(), st.sampled_from(["whisper", "barge"]))
def test_a_card_number_split_over_a_supervisors_lines_is_never_given_away(
    card: tuple[str, list[str]], kind: str
) -> None:
    """Sent is sent: no line may end in a number the supervisor's next line could finish."""
    digits, lines = card
    monitored = MonitoredContacts()
    sent = [monitored.outgoing_line("c-1", kind, line) for line in lines]
    assert not gives_away(digits, *sent), sent
