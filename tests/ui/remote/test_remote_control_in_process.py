"""A script drives a running desk over its remote-control socket (agent_desktop/remote/, docs/remote.md): a whole
voice contact by the desk's own command ids, keys for the wrap-up's picker, the desk's events as they come, the
same refusals as the keys, card data masked in what it reads. The command line's side: tests/e2e/remote/test_remote_command_line.py."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import loaded, wait_until

CARD = "4111 1111 1111 1111"


class Script:
    """A script's end of the socket: requests answered in order, events kept as they come."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.states: list[dict[str, Any]] = []
        self.seen = 0  # the states a wait has looked past
        self.notices: list[dict[str, Any]] = []
        self._answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._next = 0
        self._reading = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while line := await self.reader.readline():
            message = json.loads(line)
            if message.get("event") == "state":
                self.states.append(message["state"])
            elif message.get("event") == "notice":
                self.notices.append(message)
            else:
                await self._answers.put(message)

    async def ask(self, op: str, **fields: Any) -> dict[str, Any]:
        self._next += 1
        self.writer.write(json.dumps({"op": op, "id": self._next, **fields}).encode() + b"\n")
        await self.writer.drain()
        async with asyncio.timeout(10):
            reply = await self._answers.get()
        assert reply["id"] == self._next, reply
        return reply

    async def run(self, command: str) -> None:
        reply = await self.ask("run", command=command)
        assert reply["ok"], reply

    def close(self) -> None:
        self._reading.cancel()
        self.writer.close()


async def until_state(
    pilot: Pilot[None], script: Script, holds: Callable[[dict[str, Any]], bool], what: str
) -> dict[str, Any]:
    """The first state sent since the last one this waited for in which `holds`."""

    def found() -> int | None:
        return next((i for i in range(script.seen, len(script.states)) if holds(script.states[i])), None)

    await wait_until(pilot, lambda: found() is not None, f"an event with {what}")
    index = found()
    assert index is not None
    script.seen = index + 1
    return script.states[index]


def state_of(state: dict[str, Any]) -> str | None:
    return (state.get("agent") or {}).get("state")


def contact_states(state: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["state"], c["phase"]) for c in state["contacts"]]


@pytest.fixture
def socket_path() -> Iterator[Path]:
    # (a Unix socket's path must stay under 108 bytes: pytest's tmp_path may not)
    with tempfile.TemporaryDirectory(prefix="rc") as folder:
        yield Path(folder) / "remote" / "desk.sock"


async def test_a_script_takes_a_whole_voice_call_by_the_desks_own_commands(
    mocks: InProcessMocks, socket_path: Path
) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now, remote_socket=socket_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: app.remote.server is not None, "the remote control")
        assert oct(socket_path.stat().st_mode & 0o777) == "0o600"
        assert oct(socket_path.parent.stat().st_mode & 0o777) == "0o700"
        script = Script(*await asyncio.open_unix_connection(socket_path))
        try:
            assert (await script.ask("hello"))["protocol"] == 1
            first = await script.ask("subscribe")
            assert state_of(first["state"]) == "offline"
            assert first["state"]["front"] == "desk"

            refused = await script.ask("run", command="desk.accept")  # as the key would: no offer
            assert not refused["ok"], refused
            assert "a contact is offered" in refused["error"], refused
            unknown = await script.ask("run", command="desk.launch")
            assert not unknown["ok"]
            assert "no command 'desk.launch'" in unknown["error"]

            await script.run("desk.go_available")
            await until_state(pilot, script, lambda s: state_of(s) == "available", "the agent Available")

            await mocks.place_call("+14155550142", subject=f"Card {CARD} charged twice")
            offered = await until_state(pilot, script, lambda s: s["offer"] is not None, "the offer")
            contact = offered["offer"]["contact"]
            assert contact["channel"] == "voice", offered
            assert CARD not in json.dumps(offered), offered
            assert "1111" in contact["subject"], contact  # masked, not dropped: the last four stay

            await script.run("desk.accept")
            await until_state(pilot, script, lambda s: contact_states(s) == [("connected", "talking")], "connected")
            await script.run("desk.hold")
            await until_state(pilot, script, lambda s: contact_states(s) == [("on_hold", "talking")], "on hold")
            await script.run("desk.hold")  # the same key resumes
            await until_state(pilot, script, lambda s: contact_states(s)[:1] == [("connected", "talking")], "resumed")

            await script.run("desk.end_contact")
            await until_state(pilot, script, lambda s: [p for _, p in contact_states(s)] == ["wrap_up"], "wrap-up")
            await script.run("desk.pick_disposition")  # the outcome's picker opens in front of the desk
            picker = await until_state(pilot, script, lambda s: s["front"] != "desk", "the picker in front")
            busy = await script.ask("run", command="desk.submit_wrap_up")  # not through the picker
            assert not busy["ok"], busy
            assert picker["front"] in busy["error"], busy
            assert (await script.ask("press", keys=["enter"]))["ok"]  # the first outcome
            await until_state(pilot, script, lambda s: s["front"] == "desk", "the picker closed")

            await script.run("desk.submit_wrap_up")
            await until_state(pilot, script, lambda s: s["contacts"] == [], "the contact wrapped up")
        finally:
            script.close()
    assert not socket_path.exists()  # removed as the desk stopped


async def test_every_commands_key_is_named_as_press_takes_it(mocks: InProcessMocks, socket_path: Path) -> None:
    """`remote commands` names each key as a script presses it, one way for all (it said "⇧PgUp/Dn" for one
    command and "shift+pgdn" for its twin): each key reads back, through the same parser as `press`, as itself."""
    from agent_desktop.ui.remote.remote_desk import key_event

    app = desk_app(mocks.backends(), clock=mocks.clock.now, remote_socket=socket_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: app.remote.server is not None, "the remote control")
        script = Script(*await asyncio.open_unix_connection(socket_path))
        try:
            rows = {row["id"]: row["key"] for row in (await script.ask("commands"))["commands"]}
        finally:
            script.close()
    assert (rows["desk.transcript_up"], rows["desk.transcript_down"]) == ("shift+pageup", "shift+pagedown")
    for command, key in rows.items():
        for one in key.split(","):
            assert key_event(one).key == one, (command, key)


async def test_a_named_socket_folder_others_can_enter_is_refused_not_closed(mocks: InProcessMocks) -> None:
    """docs/remote.md: a folder the configuration names is refused if others can enter it. Chmod-ing it instead
    would close a shared folder (a socket named in /tmp, a desk run as root) to every other user."""
    from agent_desktop.ui.textual_compat import notifications

    with tempfile.TemporaryDirectory(prefix="rc") as short:
        shared = Path(short) / "shared"
        shared.mkdir()
        shared.chmod(0o755)
        app = desk_app(mocks.backends(), clock=mocks.clock.now, remote_socket=shared / "desk.sock")
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await wait_until(
                pilot, lambda: any(n.title == "No remote control" for n in notifications(app)), "the refusal said"
            )
            assert app.remote.server is None
            said = [n.message for n in notifications(app) if n.title == "No remote control"]
            assert "others can reach it" in said[0], said
        assert shared.stat().st_mode & 0o777 == 0o755  # left as its owner set it
        assert not (shared / "desk.sock").exists()


@pytest.mark.parametrize("turns", [0, 1, 2, 4, 8])  # the loop's turns between the start and the close
async def test_a_desk_closed_while_its_remote_control_starts_leaves_no_socket_and_no_error(
    mocks: InProcessMocks, socket_path: Path, turns: int
) -> None:
    """The remote control starts after the first frame: a desk closed by then (a browser tab closed as the desk
    started) must not end on an error, nor leave its socket behind, whichever point of the start it closes at."""
    app = desk_app(mocks.backends(), clock=mocks.clock.now, remote_socket=socket_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: app.remote.server is not None, "the remote control")
        await app.remote.aclose()
        starting = asyncio.create_task(app.remote.start(app))
        for _ in range(turns):
            await asyncio.sleep(0)
        app.exit()
    await starting  # raises what the start met
    assert app.remote.server is None
    assert not socket_path.exists()


@pytest.mark.parametrize(
    ("given", "key", "character"),
    [("?", "question_mark", "?"), ("question_mark", "question_mark", "?"), ("a", "a", "a"), ("space", "space", " ")]
    + [(".", "full_stop", "."), ("enter", "enter", None), ("ctrl+s", "ctrl+s", None)],
)
def test_a_key_a_script_presses_is_the_key_and_character_a_terminal_sends(
    given: str, key: str, character: str | None
) -> None:
    from agent_desktop.ui.remote.remote_desk import key_event

    event = key_event(given)
    assert (event.key, event.character) == (key, character)


async def test_a_flood_of_presses_waits_for_the_desk_and_piles_nothing_up(
    mocks: InProcessMocks, socket_path: Path
) -> None:
    """1,500 `remote press` runs, each waiting for its answer, piled their keys up in the desk faster
    than it read them (three minutes to work through, 90 -> 834 MiB, an offer missed meanwhile). A press is answered
    once the desk has read its keys: however many a script sends, no more than one request's keys wait."""
    from agent_desktop.ui.textual_compat import queued_messages

    app = desk_app(mocks.backends(), clock=mocks.clock.now, remote_socket=socket_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: app.remote.server is not None, "the remote control")
        script = Script(*await asyncio.open_unix_connection(socket_path))
        piled: list[int] = []
        try:
            for _ in range(150):
                assert (await script.ask("press", keys=["question_mark", "escape"]))["ok"]
                piled.append(queued_messages(app))
        finally:
            script.close()
        assert max(piled) <= 8, f"keys piled up in the desk: at most {max(piled)} messages waiting"
        await wait_until(pilot, lambda: app.screen is app.get_screen("agent"), "the desk in front")
