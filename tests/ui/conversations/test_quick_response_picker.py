"""The quick-response picker by keyboard: search, insert or send at once, and a response whose placeholder
has no value shown with its name and not chosen."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from agent_desktop.domain.models import Channel
from agent_desktop.ui.agent.conversations.quick_response_picker import QuickResponseChoice, QuickResponsePicker
from agent_desktop.writing_aids.quick_responses import load_quick_responses
from tests.support.narrowing import present
from tests.support.snap_compare import SnapCompare

VALUES = {"customer.first_name": "Dana", "agent.first_name": "Alex", "agent.name": "Alex Morgan", "order.id": None}


class Host(App[None]):
    def __init__(
        self, channel: Channel = Channel.CHAT, values: dict[str, str | None] = VALUES, queue_id: str | None = None
    ) -> None:
        super().__init__()
        self.chosen: list[QuickResponseChoice | None] = []
        self.picker = QuickResponsePicker(load_quick_responses(), values, channel, queue_id)

    def on_mount(self) -> None:
        self.push_screen(self.picker, self.chosen.append)


def shown(app: Host) -> list[str]:
    options = app.picker.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_type_to_search_then_enter_inserts_and_ctrl_s_sends() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"refund")
        assert [line.split("\n")[0] for line in shown(app)] == ["Refund timeline"]
        await pilot.press("enter")
        assert app.chosen == [QuickResponseChoice(text=present(app.chosen[0]).text, send_now=False)]
        assert present(app.chosen[0]).text.startswith("I have issued the refund.")

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"greet", "ctrl+s")
        assert app.chosen == [QuickResponseChoice("Hi Dana, this is Alex. How can I help you today?", send_now=True)]


async def test_a_response_the_desk_cannot_fill_says_which_placeholder_and_is_not_chosen() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"order status")
        (line,) = shown(app)
        assert "Order status  needs {{order.id}} — no value on this contact" in line
        await pilot.press("enter", "ctrl+s")
        assert app.chosen == []
        assert app.screen is app.picker  # nothing sent with a hole in it
        await pilot.press("escape")
        assert app.chosen == [None]


async def test_only_the_responses_for_this_channel_are_offered() -> None:
    app = Host(channel=Channel.EMAIL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [line.split("\n")[0].split("  needs")[0] for line in shown(app)]
        assert "Greeting (email)" in titles
        assert "Greeting" not in titles
        assert "Are you still there?" not in titles


async def test_a_response_kept_for_other_queues_is_not_offered() -> None:
    """The shipped file keeps billing's refund and charge replies to billing's queues (billing*)."""
    for queue_id, offered in (("sales", False), ("billing", True), ("billing_north", True)):
        app = Host(queue_id=queue_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            titles = [line.split("\n")[0].split("  needs")[0] for line in shown(app)]
            assert ("Refund timeline" in titles) is offered, queue_id
            assert ("Upgrade options" in titles) is (queue_id == "sales"), queue_id
            assert "Verify identity" in titles  # one for every queue


def test_the_picker_looks_right(snap_compare: SnapCompare) -> None:
    app = Host()

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        app.picker.query_one("Input", Input).cursor_blink = False

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
