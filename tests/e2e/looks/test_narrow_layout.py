"""At 80×24 the agent desk shows the contacts, the selected contact and one pane: the one that follows the
selected contact, or the one a key went to (i the conversation, / the experts), f6 steps
through them; focus never stays in a pane out of sight. At 120×40 every pane shows and f6 is not offered."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.e2e.conversations.test_agent_conversations import desk, ready, servers, take  # noqa: F401  (servers: the fixture)
from tests.support.narrowing import present
from tests.support.palette import palette_titles
from tests.support.scenes.scenes import SIZE, SceneServers, scene_app

PANES = ("#customer", "#conversation", "#wrap-up", "#experts")


def shown(pilot: Pilot[None]) -> list[str]:
    return [pane for pane in PANES if pilot.app.screen.query_one(pane).display]


async def test_one_pane_at_a_time_at_80x24(servers: SceneServers) -> None:
    async with scene_app(servers, frozen=False).run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert shown(pilot) == ["#customer"]
        await take(pilot, servers, "narrow@example.com")
        assert shown(pilot) == ["#conversation"]
        for selector in ("#contacts", "#contact-detail", "#transcript", "#composer"):
            assert pilot.app.screen.query_one(selector).region.height > 0, selector
        await pilot.press("i", "f6")  # from the composer: the next pane; focus leaves the pane out of sight
        assert shown(pilot) == ["#experts"]
        assert present(pilot.app.focused).id == "contacts"
        await pilot.press("f6")  # round again: the card (a caller with a record: 1-5 bring it too)
        assert shown(pilot) == ["#customer"]
        await pilot.press("f6")
        assert shown(pilot) == ["#conversation"]
        await pilot.press("slash")
        assert shown(pilot) == ["#experts"]
        assert present(pilot.app.focused).id == "expert-search"
        await pilot.press("escape", "i")
        assert shown(pilot) == ["#conversation"]
        assert present(pilot.app.focused).id == "composer"
        palette = set(palette_titles(pilot.app))
        assert "Pane" in palette


async def test_every_pane_at_120x40(servers: SceneServers) -> None:
    async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await take(pilot, servers, "wide@example.com")
        assert shown(pilot) == ["#customer", "#conversation", "#wrap-up"]
        palette = set(palette_titles(pilot.app))
        assert "Pane" not in palette
