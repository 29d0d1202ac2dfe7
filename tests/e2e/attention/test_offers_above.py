"""An offer is never behind what the agent has open: with the outbox, the command palette or the disposition
list open, or while typing, it shows over it and `a` accepts it; a chat accepted puts the agent in its composer,
and escape from there brings back what was open, as it was. An offer that times out while a dialog is open says
so over that dialog. Against the real mock servers."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.ui.agent.agent_screen import AgentScreen
from tests.e2e.conversations.test_agent_conversations import ready, take
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import offer_in_front
from tests.support.scenes.scenes import SceneServers, scene_app, scene_servers, screen_text, wait_until
from tests.support.typist import Typist


def desk(pilot: Pilot[None]) -> Desk:
    return of_kind(pilot.app.get_screen("agent"), AgentScreen).desk  # whatever is open over it


def held_id(pilot: Pilot[None], address: str) -> str | None:
    return next((cid for cid, held in desk(pilot).held.items() if held.contact.from_address == address), None)


def top(pilot: Pilot[None]) -> str:
    """What is in front: the offer over what is open, or the screen on top."""
    return "OfferOver" if offer_in_front(pilot.app) is not None else type(pilot.app.screen).__name__


async def offer_over(pilot: Pilot[None], servers: SceneServers, address: str, channel: str = "chat") -> None:
    servers.place_call(address, channel=channel, subject="Charged twice this month")
    await wait_until(pilot, lambda: top(pilot) == "OfferOver", "the offer over what was open")
    await wait_until(pilot, lambda: shown_phone(address) in screen_text(pilot, "#offer-over"), "the offer's card")


async def accepted_with_a(pilot: Pilot[None], address: str, under: str) -> None:
    """`a` after a look at the offer: the chat in hand, its composer in front; escape brings back `under`."""
    typist = Typist(pilot)
    await typist.sees(offer_in_front(pilot.app))
    typist.press("a")
    await wait_until(pilot, lambda: held_id(pilot, address) is not None, "the offer accepted")
    await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "composer", "in its composer")
    await pilot.press("escape")
    await wait_until(pilot, lambda: top(pilot) == under, f"{under} back, as it was")


async def open_over_the_desk(pilot: Pilot[None], key: str, screen: str) -> None:
    await ready(pilot)
    await pilot.press(key)
    await wait_until(pilot, lambda: top(pilot) == screen, screen)


async def test_an_offer_over_the_outbox_is_accepted_with_a(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test() as pilot:
            await open_over_the_desk(pilot, "o", "OutboxView")
            await offer_over(pilot, servers, "outbox@example.com")
            await accepted_with_a(pilot, "outbox@example.com", "OutboxView")


async def test_an_offer_over_the_palette_is_accepted_with_a_and_the_search_is_kept(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test() as pilot:
            await open_over_the_desk(pilot, "ctrl+p", "CommandPalette")
            await pilot.press(*"outb")
            await offer_over(pilot, servers, "palette@example.com")
            await accepted_with_a(pilot, "palette@example.com", "CommandPalette")
            assert pilot.app.screen.query_one("Input", Input).value == "outb"


async def test_an_offer_while_the_disposition_list_is_open_is_accepted_with_a(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test() as pilot:
            await ready(pilot)
            first = await take(pilot, servers, "ended@example.com")
            await take(pilot, servers, "talking@example.com")
            await pilot.press("left_square_bracket", "e")  # the first chat ends: its wrap-up opens
            # its customer wrote last (the opening message): ending it is confirmed first
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "the question")
            await pilot.press("ctrl+e")
            await wait_until(pilot, lambda: desk(pilot).wrap_up() is not None, "the wrap-up")
            assert present(desk(pilot).wrap_up()).id == first
            await pilot.press("w", "enter")
            select = pilot.app.screen.query_one("#disposition", Select)
            await wait_until(pilot, lambda: select.expanded, "the disposition list open")
            servers.place_call("third@example.com", channel="chat", subject="Charged twice this month")
            await wait_until(pilot, lambda: top(pilot) == "OfferOver", "the offer over the open list")
            typist = Typist(pilot)
            await typist.sees(offer_in_front(pilot.app))
            typist.press("a")
            await wait_until(pilot, lambda: held_id(pilot, "third@example.com") is not None, "the offer accepted")


async def test_keys_typed_as_the_offer_appears_go_on_to_the_composer_then_a_accepts(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test() as pilot:
            await ready(pilot)
            first = await take(pilot, servers, "writing@example.com")
            await pilot.press("i")
            typist = Typist(pilot)
            typist.type("Hello")
            servers.place_call("second@example.com", channel="chat", subject="Charged twice this month")
            await wait_until(pilot, lambda: top(pilot) == "OfferOver", "the offer over the composer")
            typist.type(" for the refund, there")  # the same run of typing: not `r`eject nor `a`ccept
            await wait_until(
                pilot, lambda: desk(pilot).conversations.composer[first] == "Hello for the refund, there", "every key"
            )
            assert top(pilot) == "OfferOver"
            assert desk(pilot).offer is not None
            await typist.sees(offer_in_front(pilot.app))
            typist.press("a")
            await wait_until(pilot, lambda: held_id(pilot, "second@example.com") is not None, "the offer accepted")


async def test_an_offer_missed_behind_a_dialog_says_so_over_it(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, offer_timeout_s=2) as servers:
        async with scene_app(servers, frozen=False).run_test() as pilot:
            await open_over_the_desk(pilot, "o", "OutboxView")
            servers.place_call("missed@example.com", channel="chat", subject="Charged twice this month")
            await wait_until(pilot, lambda: top(pilot) == "OfferOver", "the offer over the outbox")
            await wait_until(pilot, lambda: desk(pilot).missed_offer is not None, "the offer timed out")
            await pilot.pause(0.2)
            assert top(pilot) == "OfferOver"
            shown = screen_text(pilot, "#offer-over")
            assert "Missed" in shown
            assert "missed@example.com" in shown
            assert "Available" in shown
            await pilot.press("escape")
            await wait_until(pilot, lambda: top(pilot) == "OutboxView", "the outbox again, as it was")
            await pilot.press("escape")
            assert "Missed" in screen_text(pilot, "#offer")  # on the desk's card too, until v
            await pilot.press("v")
            await wait_until(pilot, lambda: "Missed" not in screen_text(pilot, "#offer"), "routable again")
