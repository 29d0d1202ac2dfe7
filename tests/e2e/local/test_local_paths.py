"""Local files the desk cannot trust (agent_desktop/local/paths.py): a cache, data or configuration folder
another user can write in, links and FIFOs planted there, files others can write, files too big or nested too
deep, a corrupt drafts database. The desk runs nobody else's code, changes nobody else's file, never hangs on
a file, and says what is wrong in one line (exit code 2), or, for drafts it cannot read, starts and says
where they went. We run as root here, so files of another user are made with os.chown (uid 65534, nobody)."""

from __future__ import annotations

import marshal
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore, conversation_drafts_path_beside
from agent_desktop.agent_desk.drafts.drafts import drafts_path_beside
from agent_desktop.app.cli import main
from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.local.paths import SQLITE_SIDE_FILES
from agent_desktop.outbox.store import EntryKind, Outbox
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.textual_compat import notifications
from tests.support.desktop_command import AGENT_DESKTOP, desktop_environment
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import desk_app_of
from tests.support.scenes.scenes import SIZE, scene_app, scene_servers, wait_until

NOBODY = 65534
CODE_CACHE = f"start-up-code-{sys.implementation.cache_tag}.marshal"  # the name the removed code cache read


def run_desktop(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """`agent-desktop` to its end: a hang is a failure here (TimeoutExpired), not a wait for the suite's end."""
    return subprocess.run(
        [AGENT_DESKTOP, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=desktop_environment(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg-cache"), **(env or {})),
    )


@pytest.fixture(autouse=True)
def the_desk_never_opens_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A desk that accepted what it should refuse fails the test in-process instead of taking the terminal."""

    def opened(self: AgentDesktopApp, *args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the desk opened: what it should have refused was accepted")

    monkeypatch.setattr(AgentDesktopApp, "run", opened)


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """`agent-desktop` as `agent_desktop.app.cli.main` in this process (XDG folders under tmp_path, tests/conftest.py): for
    what cannot hang, a second of start-up saved; what could hang runs in a process of its own (`run_desktop`)."""
    code = main(list(args))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def one_line_exit_2(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stderr.count("\n") == 1, result.stderr[-2000:]
    for part in expected:
        assert part in result.stderr, result.stderr


def closed_port_config(tmp_path: Path, extra: str = "") -> Path:
    """A configuration whose contact center is a closed port: whatever is refused is refused before it is asked."""
    config = tmp_path / "desktop.toml"
    config.write_text(f'{extra}\n[ccaas]\nbase_url = "http://127.0.0.1:9"\ntoken = "t"\n')
    config.chmod(0o600)
    return config


def victim_file(tmp_path: Path, name: str) -> Path:
    """A file of the user's own that the desk has no business with (a link will point at it)."""
    path = tmp_path / "victim" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"the user's own {name}\n")
    path.chmod(0o644)
    return path


def untouched(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), stat.S_IMODE(path.stat().st_mode)


# --- the cache folder: nothing in it is read, let alone run ---------------------------------------------------


def test_a_fifo_planted_in_a_shared_cache_folder_does_not_stop_the_desk(tmp_path: Path) -> None:
    """It hung every start for good: the start-up code cache opened it and waited for a writer."""
    cache = tmp_path / "xdg-cache" / "agent-desktop"
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    os.mkfifo(cache / CODE_CACHE)
    result = run_desktop(tmp_path, "run", "--config", str(tmp_path / "absent.toml"), timeout=20)
    one_line_exit_2(result, "not found")


def test_code_planted_in_a_linked_cache_folder_is_never_run(tmp_path: Path) -> None:
    """The cache folder a link to another user's folder, holding marshalled code for the type hints start-up
    compiles: it ran inside the desk (the marker file appeared). Now nothing in the cache folder is opened."""
    marker = tmp_path / "ran-planted-code"
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    hints = [
        "str",
        "int",
        "bool",
        "float",
        "Any",
        "str | None",
        "int | None",
        "float | None",
        "Path | None",
        "list[str]",
    ]
    codes = {
        ("eval", hint): compile(f"(__import__('pathlib').Path({str(marker)!r}).touch(), {hint})[1]", "<string>", "eval")
        for hint in hints
    }
    (theirs / CODE_CACHE).write_bytes(marshal.dumps(codes))
    (theirs / CODE_CACHE).chmod(0o600)
    os.chown(theirs, NOBODY, NOBODY)
    (tmp_path / "xdg-cache").mkdir()
    (tmp_path / "xdg-cache" / "agent-desktop").symlink_to(theirs)
    opened = tmp_path / "opened.txt"
    # The desk's own start (agent_desktop.app.cli.main), with every path it opens and every marshal.load recorded.
    script = (
        "import sys\n"
        f"log = open({str(opened)!r}, 'w', buffering=1)\n"
        "def hook(event, args):\n"
        "    if event == 'open' and isinstance(args[0], str): log.write(args[0] + '\\n')\n"
        "    if event == 'marshal.load': log.write('marshal.load\\n')\n"
        "sys.addaudithook(hook)\n"
        "from agent_desktop.app.cli import main\n"
        f"sys.exit(main(['run', '--config', {str(tmp_path / 'absent.toml')!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
        env=desktop_environment(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg-cache")),
    )
    one_line_exit_2(result, "not found")
    assert not marker.exists(), "code from another user's folder ran inside the desk"
    lines = opened.read_text().splitlines()
    assert "marshal.load" not in lines
    assert [line for line in lines if line.startswith((str(tmp_path / "xdg-cache"), str(theirs)))] == []


# --- the data folder: made first by someone else, or with links in it ------------------------------------------


def test_a_data_folder_another_user_made_with_links_in_it_changes_none_of_the_users_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It chmod'ed the user's own files 0600 and wrote the outbox into an unrelated file of theirs."""
    folder = tmp_path / "xdg-data" / "agent-desktop"  # the default data folder, made first by another user
    folder.mkdir(parents=True)
    victims = {
        name: victim_file(tmp_path, name) for name in ("outbox.db", "outbox.db-wal", "desk.log", "outbox-drafts.db")
    }
    for name, victim in victims.items():
        (folder / name).symlink_to(victim)
    os.chown(folder, NOBODY, NOBODY)
    folder.chmod(0o777)
    before = {name: untouched(victim) for name, victim in victims.items()}
    result = in_process(capsys, "run", "--config", str(closed_port_config(tmp_path)))
    one_line_exit_2(result, "agent-desktop: config: outbox_path: ", str(folder), "owned by uid 65534")
    assert {name: untouched(victim) for name, victim in victims.items()} == before


@pytest.mark.parametrize(
    ("home", "planted", "key"),
    [
        ("xdg-data", "outbox.db", "outbox_path"),
        ("xdg-data", "outbox.db-wal", "outbox_path"),
        ("xdg-data", "outbox.db-journal", "outbox_path"),
        ("xdg-state", "log/desk.log", "log_file"),  # the log lives in the user log folder
    ],
)
def test_a_link_in_the_users_own_data_folder_is_refused_not_written_through(
    tmp_path: Path, home: str, planted: str, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / home / "agent-desktop"
    (folder / planted).parent.mkdir(parents=True, mode=0o700)
    folder.chmod(0o700)
    victim = victim_file(tmp_path, "notes.txt")
    (folder / planted).symlink_to(victim)
    before = untouched(victim)
    result = in_process(capsys, "run", "--config", str(closed_port_config(tmp_path)))
    one_line_exit_2(result, f"agent-desktop: config: {key}: ", str(folder / planted), "a symbolic link")
    assert untouched(victim) == before


def test_a_fifo_as_the_outbox_is_refused_at_once(tmp_path: Path) -> None:
    outbox = tmp_path / "desk" / "outbox.db"
    outbox.parent.mkdir(mode=0o700)
    os.mkfifo(outbox)
    config = closed_port_config(tmp_path, f'outbox_path = "{outbox}"')
    result = run_desktop(tmp_path, "run", "--config", str(config), timeout=20)
    one_line_exit_2(result, "agent-desktop: config: outbox_path: ", "a FIFO, not a regular file")


# --- the configuration file: as ssh treats its own ------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "owner", "says"),
    [
        (0o666, None, "writable by everyone (mode 0666); refused: chmod go-w"),
        (0o620, None, "writable by its group (mode 0620)"),
        (0o644, NOBODY, "owned by uid 65534"),
    ],
    ids=["world-writable", "group-writable", "another-users"],
)
@pytest.mark.parametrize("where", ["--config", "default"])
def test_a_configuration_file_others_can_write_is_refused_in_one_line(
    tmp_path: Path, mode: int, owner: int | None, says: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was read silently: anyone who could write it chose the desk's servers and tokens."""
    if where == "default":
        config = tmp_path / "xdg-config" / "agent-desktop" / "config.toml"
        config.parent.mkdir(parents=True)
        args: tuple[str, ...] = ("run",)
    else:
        config = tmp_path / "shared.toml"
        args = ("run", "--config", str(config))
    config.write_text('agent_id = "agent-by-someone-else"\n[ccaas]\nbase_url = "http://127.0.0.1:9"\ntoken = "t"\n')
    config.chmod(mode)
    if owner is not None:
        os.chown(config, owner, owner)
    result = in_process(capsys, *args)
    one_line_exit_2(result, f"agent-desktop: config: config file {config}: {says}")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than 32 levels"),
        ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", "nested deeper than 32 levels"),
        ("keymap." + ".".join(["k"] * 5000) + ' = "x"\n', "nested deeper than 32 levels"),
        ("[" + ".".join(["t"] * 5000) + "]\n", "nested deeper than 32 levels"),
        ("# padding\n" * 200_000, "larger than 1 MiB"),
        (b'agent_id = "\xff"\n', "not UTF-8"),
    ],
    ids=["arrays", "inline-tables", "dotted-keys", "table-header", "too-big", "not-utf8"],
)
def test_a_configuration_nested_too_deep_or_too_big_is_one_line(
    tmp_path: Path, content: str | bytes, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The nested arrays gave a RecursionError traceback."""
    config = tmp_path / "deep.toml"
    config.write_bytes(content if isinstance(content, bytes) else content.encode())
    config.chmod(0o600)
    result = in_process(capsys, "run", "--config", str(config))
    one_line_exit_2(result, f"agent-desktop: config: config file {config}: {says}")


# --- files that are not files: the configuration and the quick responses ---------------------------------------


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "fifo.toml")
    return tmp_path / "fifo.toml"


def _big(tmp_path: Path) -> Path:
    big = tmp_path / "big.toml"
    with big.open("wb") as file:  # sparse: 10 GB that take no room
        file.truncate(10 << 30)
    return big


@pytest.mark.parametrize(
    ("where", "says"),
    [
        (_fifo, "a FIFO, not a regular file"),
        (lambda tmp: Path("/dev/zero"), "a character device, not a regular file"),
        (lambda tmp: Path("/dev/urandom"), "a character device, not a regular file"),
        (lambda tmp: tmp, "a directory, not a regular file"),
        (_big, "larger than 4 MiB"),
    ],
    ids=["fifo", "dev-zero", "dev-urandom", "a-folder", "10-GB"],
)
def test_a_quick_responses_file_that_is_no_file_is_one_line_not_a_hang(
    tmp_path: Path, where: Callable[[Path], Path], says: str
) -> None:
    """A FIFO hung the desk before its first frame; /dev/zero grew it by gigabytes."""
    path = where(tmp_path)
    config = closed_port_config(tmp_path, f'quick_responses_path = "{path}"')
    result = run_desktop(tmp_path, "run", "--config", str(config), timeout=20)
    one_line_exit_2(result, "agent-desktop: config: quick_responses_path: ", str(path), says)


@pytest.mark.parametrize("where", [_fifo, lambda tmp: Path("/dev/zero")], ids=["fifo", "dev-zero"])
def test_a_configuration_that_is_no_file_is_refused(tmp_path: Path, where: Callable[[Path], Path]) -> None:
    path = where(tmp_path)
    result = run_desktop(tmp_path, "run", "--config", str(path), timeout=20)
    one_line_exit_2(result, f"agent-desktop: config: config file {path}: ", "not a regular file")


def test_a_presence_directory_file_too_deep_or_a_fifo_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "people.json"
    deep.write_text('{"people": ' + "[" * 100_000 + "]" * 100_000 + "}")
    deep.chmod(0o600)
    fifo = _fifo(tmp_path)
    for path, says in ((deep, "nested deeper than 32 levels"), (fifo, "a FIFO, not a regular file")):
        presence = f'[presence]\nkind = "xmpp"\njid = "desk@example.com"\npassword = "p"\ndirectory_file = "{path}"\n'
        result = run_desktop(tmp_path, "run", "--config", str(closed_port_config(tmp_path, presence)), timeout=20)
        one_line_exit_2(result, "agent-desktop: config: presence.directory_file: ", str(path), says)


# --- drafts that cannot be read: the desk starts, says so, and loses nothing else --------------------------------


def _malformed(path: Path) -> bytes:
    """A real drafts database whose second page was overwritten: it opens, and fails when read."""
    db = sqlite3.connect(path)
    db.execute(
        "create table drafts (contact_id text primary key, disposition text, notes text not null, saved_at real not null)"
    )
    db.executemany("insert into drafts values (?, 'Resolved', ?, 1e10)", [(f"c-{n}", "n" * 200) for n in range(100)])
    db.commit()
    db.close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    path.chmod(0o600)
    return bytes(data)


@pytest.mark.parametrize("damage", ["not-a-database", "malformed"])
async def test_a_corrupt_drafts_database_is_set_aside_and_the_desk_starts(tmp_path: Path, damage: str) -> None:
    """It was a traceback at start-up, every start, until someone found and removed the file."""
    with scene_servers(tmp_path / "mocks", frozen=False, customers=20) as servers:
        folder = servers.settings.data_dir / "desk"
        outbox = Outbox(folder / "outbox.db")
        outbox.add(EntryKind.NOTE, {"customer_id": "cus-404", "text": "Called back"}, contact_id="c-kept")
        outbox.close()
        conversations = ConversationDraftStore(conversation_drafts_path_beside(folder / "outbox.db"))
        conversations.save_draft("c-kept", "Let me check that for you")
        conversations.close()
        drafts = drafts_path_beside(folder / "outbox.db")
        if damage == "malformed":
            bad = _malformed(drafts)
        else:
            bad = b"these are not drafts\n" * 300
            drafts.write_bytes(bad)
            drafts.chmod(0o600)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:

            def said() -> list[str]:
                return [str(n.message) for n in notifications(pilot.app) if "could not be read" in str(n.message)]

            await wait_until(pilot, lambda: said() != [], "the agent told")
            aside = [path for path in folder.iterdir() if path.name.startswith("outbox-drafts.db.unreadable-")]
            # (its SQLite side files go with it: opening it to create the retry keys' table wrote a WAL file)
            moved = [path for path in aside if not path.name.endswith(SQLITE_SIDE_FILES)]
            assert len(moved) == 1, "the bad file is kept, whole, beside"
            assert moved[0].read_bytes() == bad, "the bad file is kept, whole, beside"
            assert said()[0].startswith("The wrap-up drafts could not be read (")
            assert str(moved[0]) in said()[0]
            counts = of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.outbox.counts()
            assert counts.pending + counts.sent + counts.failed == 1, "the outbox entry is still there"
        assert ConversationDraftStore(conversation_drafts_path_beside(folder / "outbox.db")).load()[0] == {
            "c-kept": "Let me check that for you"
        }, "the other store's drafts are kept"


def test_a_demo_data_folder_others_can_write_in_is_one_line(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    result = run_desktop(tmp_path, "demo", "--data-dir", str(shared))
    one_line_exit_2(result, f"agent-desktop: demo: --data-dir: {shared}: writable by everyone (mode 0777)")


async def test_a_screenshot_of_the_desk_is_only_the_users_and_never_written_through_a_link(tmp_path: Path) -> None:
    """Textual's palette "Screenshot" wrote the screen (customers' names, conversations) 0644 into the
    downloads folder, through a link if one stood at its name."""
    shots = tmp_path / "downloads"
    victim = victim_file(tmp_path, "notes.txt")
    before = untouched(victim)
    with scene_servers(tmp_path / "mocks", frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            saved = Path(present(pilot.app.deliver_screenshot(path=str(shots))))
            assert saved.parent == shots
            assert stat.S_IMODE(saved.stat().st_mode) == 0o600
            assert stat.S_IMODE(shots.stat().st_mode) == 0o700
            assert b"<svg" in saved.read_bytes()
            (shots / "planted.svg").symlink_to(victim)
            assert pilot.app.deliver_screenshot(filename="planted.svg", path=str(shots)) is None
            await wait_until(
                pilot, lambda: any("not written over" in str(n.message) for n in notifications(pilot.app)), "said"
            )
    assert untouched(victim) == before
