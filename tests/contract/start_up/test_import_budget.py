"""The desk's start, counted in modules rather than timed: a fresh interpreter runs `agent-desktop run` up to
the app's first `run()` and counts what it imported (as harlequin's scripts/cold_start.py counts each step). A
count is the same on every machine where a wall clock is noise; it grows when a heavy import (FastAPI, a mock,
an HTTP server) creeps into the start, and a new module of the desk's own costs one. What the interpreter imports
before any code runs is not counted (a bare `python -c pass` in the same environment): Debian's python3.11 starts
with one module more than pyenv's (its `sitecustomize`), which is not the desk's.

The budgets sit a little above the counts of the day they were set; raise one deliberately, with the reason in
the commit, when the desk's start rightly needs more."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from benchmarks.desk_venv import desk_python

# `import agent_desktop.app.cli` (the command line: its parser and its command table). 33 -> 20: each subcommand's
# handler moved to a module of its own (agent_desktop/app/commands/), imported by the table only when it runs, so the
# command line no longer imports `subprocess` (and its selectors, signal, threading) to run `mocks`.
CLI_BUDGET = 20
# The whole start: what each raise was for is in the commits that made it (git log -L on this line). The last ones:
# 768 -> 777, the wire models split into a package (agent_desktop/domain/models/: nine section modules where one
# module was); 777 -> 782, the agent's Desk split into a package (agent_desktop/agent_desk/desk/: the model and its
# four rules, five modules where desk.py was). Each package's __init__ takes the old module's place. 782 -> 786: the
# outbox's counts in the domain and the outbox view's rows in the agent desk (no UI module imports the outbox), the
# card's tab model apart from its widget (ui/agent/callers/card_tab.py), and the one `Notice` both desks hand
# over, in agent_desktop/domain/changes.py (before, a type of the checker's only at start). 786 -> 791: a call's
# live transcript: its line and event (agent_desktop/domain/models/transcription.py, in the stream's union of events), the
# transcript the desks hold (agent_desktop/transcripts/call_transcript.py), its view and the agent's call area
# (ui/shared/call_transcript_view.py, ui/agent/conversations/desk_call.py), and the supervisor's alerts from what is
# said (agent_desktop/domain/supervisor/said_alerts.py). 791 -> 799: the agent's screen in feature packages (ui/agent/offers,
# contacts, conversations, callers, wrap_up, outbox, experts, suggestions: eight packages at start, each `__init__`
# a docstring; the modules themselves are the same). 799 -> 789: what only a key, a later screen or a conversation
# needs loads through the ON_DEMAND tables: the wrap-up's disposition picker (and its tree) and timed-out notice, the
# call's transcript view, the help's key lists (ui/keys/key_help.py), My day's wire models (domain/workforce/agent_day.py,
# domain/workforce/models.py), the suggestion area (and its package) and the outbox view's rows. 789 -> 790: the
# terminal's keys read in order, a key at a time (agent_desktop/ui/keys/key_turns.py), a part of every key's way in. 790 ->
# 795: the desk's softphone, known before the first frame (domain/calls/softphone.py, agent_desk/voice/ and its
# two modules: a call's media state and its use cases), and the one redraw pacer of both desks (ui/shared/). 795 ->
# 805: the outbox's kinds of write, a module each with their base and registry (outbox/kinds/), and the one thread
# that owns its file (outbox/sqlite_thread.py): every kind is read and sent by the desk it starts. 805 -> 815: four
# features of the agent's desk, each a port in the domain and its use case, read by the command table before the first
# frame: snooze and send later (domain/messages/conversation_waits.py, agent_desk/conversations/wait_times.py and
# waits_use_case.py), a recording's pause (domain/calls/recording.py, agent_desk/voice/recording_pauses.py),
# translation (domain/formats/languages.py, agent_desk/suggestions/translations.py, assist/translation.py), and refusals
# said in the agent's words (agent_desk/refusals.py, domain/formats/opaque_ids.py). 815 -> 827: the module map, moves
# only: twelve packages' `__init__` at start where their modules sat flat (domain/assist, calls, customers, flags,
# formats, messages, quality, streams; ui/keys, notices, remote, terminal), each a docstring. 827 -> 828: the Twilio
# desk's reader of its calls' own transcript streams (adapters/twilio/relay/call_lines.py). 828 -> 829: `resource`
# (a built-in of the standard library), for the key turns to tell a preempted desk from a free loop (ui/keys/key_turns.py).
# 829 -> 830: escape and a key read as alt and the key, told apart into the two keys (ui/keys/escape_then_key.py).
START_BUDGET = 830
# What the desk never needs to start: the mock servers, the relay and their stacks, httpx's own command line.
NEVER_AT_START = (
    "fastapi",
    "starlette",
    "uvicorn",
    "faker",
    "sqlite_utils",
    "orjson",
    "agent_desktop_mocks",
    "agent_desktop_relay",
    "redis",
    "click",
    "pygments",
)

# Run in an environment holding only the desk and its runtime dependencies (benchmarks/desk_venv.py), as a user's
# install does (tests/contract/config/test_install_scope.py): the dev tools' click would make httpx import its command line.
PROBE = """
import json, sys
import agent_desktop.app.cli
imported = lambda: sorted(name for name, module in sys.modules.items() if module is not None)
after_cli = imported()
from agent_desktop.ui.app import AgentDesktopApp

def counted(self, *args, **kwargs):
    print(json.dumps({"cli": after_cli, "start": imported()}))

AgentDesktopApp.run = counted  # the count is taken where the terminal would be opened
sys.exit(agent_desktop.app.cli.main(["run"]))
"""


def _imported_at_start(tmp_path: Path, python: Path) -> dict[str, list[str]]:
    closed = "http://127.0.0.1:9"  # the discard port: nothing answers, so the desk opens on its reconnecting link
    env = {name: value for name, value in os.environ.items() if not name.startswith("DESKTOP_")}
    env |= {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "DESKTOP_CCAAS__BASE_URL": closed,
        "DESKTOP_CRM__BASE_URL": closed,
        "DESKTOP_PRESENCE__BASE_URL": closed,
    }
    done = subprocess.run(
        [str(python), "-c", PROBE], capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    counted = json.loads(done.stdout.strip().splitlines()[-1])
    bare = subprocess.run(
        [str(python), "-c", "import sys; print(*(n for n, m in sys.modules.items() if m is not None))"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout.split()
    return {step: sorted(set(names) - set(bare)) for step, names in counted.items()}


def test_the_desk_starts_within_its_import_budget(tmp_path: Path, pytestconfig: pytest.Config) -> None:
    imported = _imported_at_start(tmp_path, desk_python(pytestconfig.cache.mkdir("desk-venv")))

    heavy = sorted(name for name in imported["start"] if name.split(".")[0] in NEVER_AT_START)
    assert not heavy, f"the desk's start imports what it never needs: {heavy[:10]}"
    assert len(imported["cli"]) <= CLI_BUDGET, f"`import agent_desktop.app.cli` imports {len(imported['cli'])} modules"
    assert len(imported["start"]) <= START_BUDGET, f"the desk's start imports {len(imported['start'])} modules"
