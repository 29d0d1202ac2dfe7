"""The keymap (`[keymap]` in the configuration): every command has a binding id, and a bad entry is one line
naming it (agent_desktop/ui/keymap.py), before the desk opens."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from agent_desktop.agent_desk.commands import COMMANDS, Command
from agent_desktop.app.config import ConfigError, load_settings
from agent_desktop.supervisor_desk.commands import SUPERVISOR_COMMANDS, SupervisorCommand
from agent_desktop.ui.keymap import KEYMAP_IDS, keymap_problem, normalized
from agent_desktop.ui.keys.command_bindings import APP_BINDINGS, desk_bindings, supervisor_bindings


def test_every_binding_of_the_tables_and_the_app_has_an_id() -> None:
    for binding in [*desk_bindings(), *supervisor_bindings(), *APP_BINDINGS]:
        assert binding.id, binding
        assert binding.id in KEYMAP_IDS, binding
    assert {c.id for c in COMMANDS} | {c.id for c in SUPERVISOR_COMMANDS} <= set(KEYMAP_IDS)
    assert {"desk.accept", "desk.reject", "desk.hold", "desk.go_available", "supervisor.sort", "app.help"} <= set(
        KEYMAP_IDS
    )


@pytest.mark.parametrize("table", [COMMANDS, SUPERVISOR_COMMANDS], ids=["agent", "supervisor"])
def test_one_key_one_id(table: tuple[Command | SupervisorCommand, ...]) -> None:
    """Textual moves every binding on a remapped key: rows sharing a key by design (h holds or resumes) share
    the id, so they move together, and two ids never share a key (one would lose its key to the other)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    keys_of: dict[str, set[str]] = defaultdict(set)
    for command in table:
        by_key[command.key].add(command.id)
        keys_of[command.id].add(command.key)
    assert {key: ids for key, ids in by_key.items() if len(ids) > 1} == {}
    assert {i: keys for i, keys in keys_of.items() if len(keys) > 1} == {}


@pytest.mark.parametrize(
    "keymap",
    [
        {},
        {"desk.accept": "y"},
        {"desk.accept": "y, ctrl+y"},
        {"desk.accept": "r", "desk.reject": "a"},  # swapped: no clash once both moved
        {"desk.hold": "q"},  # hold and resume move together
        {"desk.find_expert": "?"} | {"app.help": "f3"},
        {"supervisor.sort": "ctrl+o", "app.switch_desk": "f12", "desk.next_pane": "alt+right_square_bracket"},
    ],
)
def test_a_good_keymap_passes(keymap: dict[str, str]) -> None:
    assert keymap_problem(keymap) is None


@pytest.mark.parametrize(
    ("keymap", "says"),
    [
        ({"desk.acept": "y"}, "keymap.desk.acept: no command has this id (did you mean desk.accept?)"),
        ({"accept": "y"}, "keymap.accept: no command has this id"),
        ({"desk.accept": ""}, "keymap.desk.accept: an empty key"),
        ({"desk.accept": "y,"}, "keymap.desk.accept: an empty key"),
        ({"desk.accept": "ctrl+"}, "keymap.desk.accept: 'ctrl+' is not a key"),
        ({"desk.accept": "cmd+a"}, "keymap.desk.accept: 'cmd+a' is not a key"),
        ({"desk.accept": "F6"}, "keymap.desk.accept: 'F6' is not a key (did you mean f6?)"),
        ({"desk.accept": "ctrl + a"}, "keymap.desk.accept: 'ctrl + a' has a space in it"),
        ({"desk.accept": "r"}, "keymap.desk.accept: r is already the key of desk.reject on the agent screen"),
        ({"desk.accept": "?"}, "keymap.desk.accept: question_mark is already the key of app.help on the agent screen"),
        ({"desk.accept": "tab"}, "keymap.desk.accept: tab is already the key of Textual's Focus Next"),
        ({"desk.accept": "ctrl+p"}, "keymap.desk.accept: ctrl+p is already the key of Textual's"),
        ({"desk.accept": "ctrl+q"}, "keymap.desk.accept: ctrl+q is already the key of Textual's Quit"),
        ({"desk.accept": "y", "desk.reject": "y"}, "keymap.desk.accept: y is already the key of desk.reject"),
        (
            {"supervisor.sort": "d"},
            "keymap.supervisor.sort: d is already the key of supervisor.details on the supervisor screen",
        ),
        # a control character would reach the terminal raw where the footer and the help show the key
        ({"desk.accept": "\x1b"}, "keymap.desk.accept: '\\x1b' holds a control character (keys are written by name"),
        ({"desk.accept": "\x9b"}, "keymap.desk.accept: '\\x9b' holds a control character (keys are written by name"),
        (
            {"desk.accept": "ctrl+\u202e"},
            "keymap.desk.accept: 'ctrl+\\u202e' holds a control character (keys are written by name",
        ),
        # the offer dialog (an offer over a dialog) has its own back key
        ({"desk.go_available": "escape"}, "keymap.desk.go_available: escape is already the key of"),
    ],
)
def test_a_bad_entry_is_one_line_naming_it(keymap: dict[str, str], says: str) -> None:
    problem = keymap_problem(keymap)
    assert problem is not None, problem
    assert problem.startswith(says), problem
    assert "\n" not in problem, "one line, shown as written"
    assert problem.isprintable(), "one line, shown as written"


def test_the_keymap_is_stored_as_textual_writes_keys() -> None:
    assert normalized({"desk.accept": "?, ctrl+a", "desk.next_contact": "]"}) == {
        "desk.accept": "question_mark,ctrl+a",
        "desk.next_contact": "right_square_bracket",
    }


def test_the_configuration_reads_dotted_ids_quoted_or_not(tmp_path: Path) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text('[keymap]\n"desk.accept" = "y"\ndesk.reject = "ctrl+r"\n[keymap.supervisor]\nsort = "o"\n')
    assert load_settings(config).keymap == {"desk.accept": "y", "desk.reject": "ctrl+r", "supervisor.sort": "o"}


def test_a_keymap_entry_that_is_not_a_string_names_it(tmp_path: Path) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text("[keymap]\ndesk.accept = 1\n")
    with pytest.raises(ConfigError, match=r"^keymap\.desk\.accept: "):
        load_settings(config)


def test_every_id_is_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[3] / "docs" / "configuration.md").read_text()
    assert [i for i in KEYMAP_IDS if f"| `{i}` |" not in docs] == []


def test_the_drill_downs_keys_move_and_a_clash_there_is_named() -> None:
    assert keymap_problem({"drilldown.move": "v"}) is None
    assert keymap_problem({"drilldown.set_state": "j"}) == (
        "keymap.drilldown.set_state: j is already the key of supervisor.monitor on an agent's drill-down"
    )
