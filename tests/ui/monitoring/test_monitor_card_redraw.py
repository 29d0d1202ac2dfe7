"""A monitored chat's new message redraws its transcript alone: the card's borders and its one-row
state line are drawn again only when they read differently, so a message costs no layout pass of theirs and no
repaint of the whole card. The card is `MonitorCard` (agent_desktop/ui/supervisor/monitoring/monitor_panel.py) in a bare app."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.visual import VisualType
from textual.widgets import Static

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.monitoring.participants import Monitoring, MonitorMode
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContact, MonitoredContacts
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorCard, MonitorPanel
from tests.support.desk_events import customer_message

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CID = "c-000001"


def message(index: int) -> TranscriptItem:
    return customer_message(CID, index, f"message {index}", T0)


def monitored() -> MonitoredContact:
    session = Monitoring(
        contact_id=CID,
        channel=Channel.CHAT,
        queue_id="billing",
        agent_id="agent-001",
        supervisor_id="sup",
        supervisor_name="Riley",
        mode=MonitorMode.MONITOR,
        since=T0,
        mode_since=T0,
    )
    conversation = ConversationState(contact_id=CID, channel=Channel.CHAT)
    conversation.add(message(1))
    conversation.version += 1
    return MonitoredContact(session=session, conversation=conversation)


class CardApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MonitorCard(id="card")


async def test_a_new_message_redraws_the_transcript_not_the_card_or_its_state_line() -> None:
    app = CardApp()
    async with app.run_test(size=(40, 12)) as pilot:
        card = app.query_one(MonitorCard)
        contact = monitored()
        card.show(contact, lambda _: "Alex Morgan", selected=False)
        await pilot.pause()
        state = card.query_one(".monitor-state", Static)
        card_refreshes: list[bool] = []  # a border title set repaints the card
        state_updates: list[bool] = []  # (layout?) of each update of the state line
        original_refresh, original_update = card.refresh, state.update

        def refresh(*regions: Region, **kwargs: bool) -> MonitorCard:
            card_refreshes.append(kwargs.get("layout", False))
            return original_refresh(*regions, **kwargs)

        def update(content: VisualType = "", *, layout: bool = True) -> None:
            state_updates.append(layout)
            return original_update(content, layout=layout)

        card.refresh, state.update = refresh, update  # type: ignore[method-assign]
        assert contact.conversation is not None
        contact.conversation.add(message(2))
        contact.conversation.version += 1
        card.show(contact, lambda _: "Alex Morgan", selected=False)
        await pilot.pause()
        assert "message 2" in "\n".join(card.query_one(".monitor-transcript", TranscriptView).plain_lines())
        assert card_refreshes == []
        assert state_updates == []

        contact.conversation.customer_typing = "Dana Lee"  # the state line reads differently: drawn, no layout
        contact.conversation.version += 1
        card.show(contact, lambda _: "Alex Morgan", selected=False)
        await pilot.pause()
        assert state_updates == [False]
        assert "Dana Lee is typing" in str(state.render())
        assert card_refreshes == []

        contact.session = contact.session.model_copy(update={"mode": MonitorMode.WHISPER})  # the title changes
        card.show(contact, lambda _: "Alex Morgan", selected=False)
        await pilot.pause()
        assert card.border_title is not None
        assert "Whispering" in str(card.border_title)
        assert card_refreshes  # the new title is drawn


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        # What the panel reads of its desk between two `show`s: its once-a-second tick of calls' clocks (on a busy
        # machine the test outlasts a second; the tick then found no desk, and the test failed on that).
        desk = SimpleNamespace(monitored=MonitoredContacts())
        yield MonitorPanel(SimpleNamespace(desk=desk, now=lambda: T0), id="monitor-panel")  # type: ignore[arg-type]


async def test_a_new_message_leaves_the_panels_title_alone() -> None:
    app = PanelApp()
    async with app.run_test(size=(120, 16)) as pilot:
        panel = app.query_one(MonitorPanel)
        contact = monitored()
        model = MonitoredContacts(contacts={CID: contact}, selected=CID)
        panel.show(model, True, {CID}, lambda _: "Alex Morgan", T0)
        await pilot.pause()
        assert "Monitoring 1 contact ·" in str(panel.border_title)
        refreshes: list[object] = []  # a border title set repaints the whole panel, its three cards under it
        original_refresh = panel.refresh

        def refresh(*regions: Region, **kwargs: bool) -> MonitorPanel:
            refreshes.append(kwargs)
            return original_refresh(*regions, **kwargs)

        panel.refresh = refresh  # type: ignore[method-assign]
        assert contact.conversation is not None
        contact.conversation.add(message(2))
        contact.conversation.version += 1
        panel.show(model, False, {CID}, lambda _: "Alex Morgan", T0)
        await pilot.pause()
        assert refreshes == []


async def test_a_new_message_under_the_scrollbar_repaints_the_transcript_without_a_layout_of_the_screen() -> None:
    """A monitored chat longer than its card: each new message scrolls the card to it and moves its scrollbar,
    and lays out nothing (the supervisor's screen is a live floor: a layout of it a message was most of the
    cost of showing one). The message that first overflows the card brings the scrollbar, with a layout."""
    app = CardApp()
    async with app.run_test(size=(40, 12)) as pilot:
        card = app.query_one(MonitorCard)
        contact = monitored()
        conversation = contact.conversation
        assert conversation is not None
        card.show(contact, lambda _: "Alex Morgan", selected=False)
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app, layouts.append)
        view = card.query_one(".monitor-transcript", TranscriptView)

        for index in range(2, 5):  # 3 lines a message: the card's 9 rows overflow
            conversation.add(message(index))
            card.show(contact, lambda _: "Alex Morgan", selected=False)
            await pilot.pause()
        assert view.show_vertical_scrollbar
        assert layouts  # the scrollbar came, laid out once
        for _ in range(20):  # on a loaded machine the scrollbar's own layout can come a frame or two later
            seen = len(layouts)
            await pilot.pause(0.05)
            if len(layouts) == seen:
                break
        layouts.clear()
        for index in range(5, 9):
            conversation.add(message(index))
            card.show(contact, lambda _: "Alex Morgan", selected=False)
            await pilot.pause()
            shown = [line.text.rstrip() for line in (view.render_line(y) for y in range(view.size.height))]
            assert f"  message {index}" in shown, shown  # scrolled to the new message
            assert view.scroll_y == view.max_scroll_y > 0
            assert view.vertical_scrollbar.window_virtual_size == view.virtual_size.height == view.line_count()
        assert layouts == []
