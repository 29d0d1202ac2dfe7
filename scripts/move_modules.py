"""Move modules of a desk into feature packages and rewrite every reference to them: dotted names
(`agent_desktop.agent_desk.wrap_ups`, in code, strings and docs), `from agent_desktop.agent_desk import x` lines
and paths (`agent_desk/wrap_ups.py`). The CHANGELOG and the old move's records (scripts/restructure/) keep
the names of their day.

    python -m scripts.move_modules --dry-run   # print the moves
    python -m scripts.move_modules             # git mv, write the packages' __init__.py, rewrite

Run on a clean tree, then `ruff check --fix --select I . && ruff format .` orders the rewritten imports.
The moves are FEATURES below; a module already moved is left alone, so a second run does nothing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# desk package -> feature package -> (its docstring, its modules)
FEATURES: dict[str, dict[str, tuple[str, list[str]]]] = {
    "agent_desktop/agent_desk": {
        "wrap_up": (
            "Wrap-up: the disposition and notes of a contact that left the agent's hands, its time box, and "
            "their write to the CRM.",
            ["wrap_up_rules", "wrap_ups", "wrap_up_deadline", "wrap_up_use_cases", "disposition_tree"],
        ),
        "conversations": (
            "The conversations in hand: their transcripts, what is sent and held, the composer's limits and "
            "the response clocks.",
            [
                "conversations_in_hand",
                "conversation_use_cases",
                "composer_limits",
                "held_sends",
                "sla_clocks",
                "sla_breaches",
            ],
        ),
        "drafts": (
            "Nothing typed is lost: the composers' and wrap-ups' drafts, kept on disk while the agent types.",
            ["drafts", "conversation_drafts", "draft_keeper"],
        ),
        "suggestions": (
            "What the desk suggests as the customer writes: replies from the assistant model, articles from "
            "the knowledge base.",
            ["reply_suggestions", "article_hints", "knowledge_lookup"],
        ),
        "callbacks": ("Callbacks the agent schedules for a customer.", ["callback_rules", "callback_use_case"]),
        "follow_ups": (
            "Follow-ups sent after a contact, with the customer's consent checked.",
            ["follow_up", "follow_up_use_case"],
        ),
        "my_day": (
            "The agent's day: figures, evaluations, the schedule strip and the break limits.",
            ["my_day", "my_day_use_case", "schedule_strip", "break_limits"],
        ),
        "experts": (
            "Experts by presence, to consult, transfer or escalate to someone free.",
            ["experts", "directory", "expert_use_cases"],
        ),
        "flags": (
            "The agent's flag to the supervisor, its private thread, and the supervisors' broadcasts.",
            ["supervisor_help", "flag_use_cases"],
        ),
        "callers": (
            "The caller: the CRM record looked up before the answer, the case work, what can be copied.",
            ["lookups", "caller_use_cases", "copy_choices"],
        ),
    },
    "agent_desktop/supervisor_desk": {
        "monitoring": (
            "Monitoring: the contacts a supervisor watches, listens to, whispers into or barges in on.",
            ["monitored", "monitored_call", "monitoring_use_cases"],
        ),
        "workforce": (
            "Workforce: adherence, break overruns and the staffing gap.",
            ["adherence_board", "break_overruns", "workforce_gap", "workforce_use_case"],
        ),
        "quality": ("Quality evaluations of the agents' contacts.", ["evaluation_draft", "quality_use_cases"]),
        "flags": ("The agents' flags waiting for a supervisor's answer.", ["flag_queue", "flag_use_cases"]),
    },
}
KEEP_AS_WRITTEN = ("CHANGELOG.md", "scripts/restructure/", "scripts/restructure_packages.py", "scripts/move_modules.py")
TEXT_SUFFIXES = {".py", ".toml", ".md", ".tcss", ".cfg", ".ini", ".sh", ".txt", ".yml", ".yaml", ".json"}


def moves() -> dict[tuple[str, str], str]:
    """(desk package's name, module) -> feature package, for the modules not moved yet."""
    found = {}
    for desk, features in FEATURES.items():
        for feature, (_, modules) in features.items():
            for module in modules:
                if (ROOT / desk / f"{module}.py").exists():
                    found[(desk.rsplit("/", 1)[1], module)] = feature
    return found


def rewrite(text: str, moved: dict[tuple[str, str], str]) -> str:
    # one pass, so a package named like one of its modules (drafts/drafts.py) is not moved twice
    names = "|".join(sorted({module for _, module in moved}, key=len, reverse=True))
    text = re.sub(
        rf"(?<![\w])(?P<desk>agent_desk|supervisor_desk)(?P<sep>[./])(?P<module>{names})(?![\w])",
        lambda m: (
            f"{m['desk']}{m['sep']}{moved[(m['desk'], m['module'])]}{m['sep']}{m['module']}"
            if (m["desk"], m["module"]) in moved
            else m[0]
        ),
        text,
    )

    def from_line(match: re.Match[str]) -> str:
        desk = match["desk"]
        groups: dict[str, list[str]] = {}
        for item in (part.strip() for part in match["names"].split(",")):
            if not item:
                continue
            name = item.split(" as ")[0].strip()
            package = f"agent_desktop.{desk}" + (f".{moved[(desk, name)]}" if (desk, name) in moved else "")
            groups.setdefault(package, []).append(item)
        return "\n".join(f"{match['indent']}from {pkg} import {', '.join(names)}" for pkg, names in groups.items())

    return re.sub(
        r"^(?P<indent>[ \t]*)from agent_desktop\.(?P<desk>agent_desk|supervisor_desk) import (?P<names>[\w ,]+)$",
        from_line,
        text,
        flags=re.M,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true")
    options = parser.parse_args(argv)
    moved = moves()
    for (desk, module), feature in sorted(moved.items()):
        print(f"{desk}/{module}.py -> {desk}/{feature}/{module}.py")
    if options.dry_run or not moved:
        return
    for desk, features in FEATURES.items():
        for feature, (doc, modules) in features.items():
            if not any((desk.rsplit("/", 1)[1], m) in moved for m in modules):
                continue
            (ROOT / desk / feature).mkdir(exist_ok=True)
            init = ROOT / desk / feature / "__init__.py"
            if not init.exists():
                init.write_text(f'"""{doc}"""\n')
            for module in modules:
                if (desk.rsplit("/", 1)[1], module) in moved:
                    subprocess.run(
                        ["git", "mv", f"{desk}/{module}.py", f"{desk}/{feature}/{module}.py"], cwd=ROOT, check=True
                    )
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for path in filter(None, files.split("\0")):
        if path.startswith(KEEP_AS_WRITTEN) or not (Path(path).suffix in TEXT_SUFFIXES or path.endswith("Makefile")):
            continue
        file = ROOT / path
        if not file.is_file():
            continue
        text = file.read_text()
        new = rewrite(text, moved)
        if new != text:
            file.write_text(new)
    subprocess.run(["git", "add", "-A", "agent_desktop"], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
