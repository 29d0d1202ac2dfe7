"""A static check over agent_desktop/ui: text built at run time reaches Textual's markup parser only through
the literal helpers (agent_desktop/ui/plain_text.py), `Content` or `Text`.

Textual parses a `str` as markup in border titles and subtitles, `Static`, `Label`, `update`, options,
tooltips, palette entries and table cells. A customer named `[/x]` then crashes the desktop and one
named `[@click=app.quit]x[/]` quits it on a click. import-linter cannot see this; the AST can.

Two rules:
- titles (`border_title`, `border_subtitle`, `title`, `sub_title`, `tooltip`, in an assignment or as a
  `tooltip=` / `title=` argument of a widget) take a string constant or a literal helper's result,
  nothing else: a variable holding a name is as dangerous as an f-string, and there are few titles.
  A `Binding`'s tooltip is the other way round: it must stay a `str` (never a literal helper's `Content`),
  because Textual's key panel (the palette's "Keys") appends it to a Rich `Text` and a `Content` there
  ended the app; every place that shows it (the footer, the palette, the help screen) makes it literal.
- the other sinks (`notify`, `Static`, `Label`, `update`, `Option`, buttons, table rows and cells,
  palette commands) refuse text *built* from parts: an f-string, `%`, `.format`, `+` or `.join` on
  strings, unless a literal helper wraps it. `Content.from_markup`/`Text.from_markup` of anything but
  a constant is refused everywhere.
What the AST cannot know (a plain variable handed to `Static`) the hostile-text sweep covers by running
every screen with hostile backend data (tests/e2e/hostile/test_hostile_sweep.py, tests/ui/hostile/test_hostile_fed.py).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[3] / "agent_desktop" / "ui"

# Calls whose result is literal whatever text goes in.
LITERAL_CALLS = {"plain", "literal_title", "screen_title", "palette_help", "cell", "Content", "Text"}
LITERAL_METHODS = {("Content", "styled"), ("Content", "assemble"), ("Text", "assemble"), ("Content", "from_rich_text")}
TITLE_ATTRS = {"border_title", "border_subtitle", "title", "sub_title", "tooltip"}
# Sink calls: name -> positions of the arguments that are shown, and keyword names.
SINK_CALLS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "notify": ((0,), ("message", "title")),
    "toast": ((1,), ("message", "title")),  # notify's literal form (agent_desktop/ui/plain_text.py)
    "Static": ((0,), ("content",)),
    "Label": ((0,), ("content", "renderable")),
    "update": ((0,), ("content",)),
    "Option": ((0,), ("prompt",)),
    "Button": ((0,), ("label",)),
    "RadioButton": ((0,), ("label",)),
    "Checkbox": ((0,), ("label",)),
    "TabPane": ((0,), ("title",)),
    "SystemCommand": ((0, 1), ("title", "help")),
    "PaletteCommand": ((0, 1), ("title", "help")),  # the desk's palette entries (agent_desktop/ui/palette.py)
    "DiscoveryHit": ((0,), ("display", "help")),
    "Hit": ((1,), ("match_display", "help")),
    "add_row": (tuple(range(20)), ()),
    "update_cell": ((2,), ("value",)),
    "update_cell_at": ((1,), ("value",)),
    "Binding": ((2,), ("description",)),  # Textual's key panel parses a binding's description as markup
    "add_column": ((0,), ("label",)),
}
# Keyword arguments that are titles wherever they appear (a widget's tooltip, a dialog's title).
TITLE_KEYWORDS = {"tooltip", "border_title", "border_subtitle"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    sink: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.sink} gets {self.code}"


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def is_literal_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in LITERAL_CALLS
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return (func.value.id, func.attr) in LITERAL_METHODS
    return False


def _has_string(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.JoinedStr) or (isinstance(n, ast.Constant) and isinstance(n.value, str))
        for n in ast.walk(node)
    )


def is_built_text(node: ast.AST) -> bool:
    """Text assembled at run time, not wrapped in a literal helper."""
    if is_literal_call(node):
        return False
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _has_string(node.left)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _has_string(node) or is_built_text(node.left) or is_built_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        # Content("\n").join(parts) is literal: Content never parses its parts as markup.
        return not (node.func.attr == "join" and is_literal_call(node.func.value))
    if isinstance(node, ast.IfExp):
        return is_built_text(node.body) or is_built_text(node.orelse)
    return False


def is_safe_title(node: ast.AST) -> bool:
    """A string constant, None, or a literal helper's result (either branch of a conditional)."""
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str)):
        return True
    if isinstance(node, ast.IfExp):
        return is_safe_title(node.body) and is_safe_title(node.orelse)
    return is_literal_call(node)


def findings_in(source: str, path: str = "<string>") -> list[Finding]:
    tree = ast.parse(source)
    found: list[Finding] = []

    def add(node: ast.expr, sink: str) -> None:
        found.append(Finding(path, node.lineno, sink, ast.unparse(node)[:100]))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in TITLE_ATTRS
                    and node.value is not None
                    and (isinstance(node, ast.AugAssign) or not is_safe_title(node.value))
                ):
                    add(node.value, f".{target.attr} =")
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name in ("from_markup",) and not all(isinstance(a, ast.Constant) for a in node.args):
                add(node, "from_markup")
            for keyword in node.keywords:
                if (
                    keyword.arg == "markup"
                    and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False)
                    and (name != "notify" or not isinstance(keyword.value, ast.Name))  # App.notify's own parameter
                ):
                    add(keyword.value, f"{name}(markup=)")
                if name == "Binding" and keyword.arg == "tooltip":
                    if is_literal_call(keyword.value) or is_built_text(keyword.value):
                        add(keyword.value, "Binding(tooltip=) must be a str from our own words")
                elif keyword.arg in TITLE_KEYWORDS and not is_safe_title(keyword.value):
                    add(keyword.value, f"{name}({keyword.arg}=)")
            if name in SINK_CALLS:
                positions, keywords = SINK_CALLS[name]
                shown = [a for i, a in enumerate(node.args) if i in positions]
                shown += [k.value for k in node.keywords if k.arg in keywords]
                for arg in shown:
                    if is_built_text(arg):
                        add(arg, f"{name}()")
            if name in ("set_options", "Select") and node.args:
                for tup in ast.walk(node.args[0]):
                    if isinstance(tup, ast.Tuple) and tup.elts and not is_safe_title(tup.elts[0]):
                        add(tup.elts[0], f"{name}() option prompt")
    return found


def ui_findings() -> list[Finding]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        found += findings_in(path.read_text(), str(path.relative_to(UI.parent.parent)))
    return found


def test_backend_text_reaches_titles_and_widgets_only_through_the_literal_helpers() -> None:
    findings = ui_findings()
    assert not findings, "Wrap these in plain()/literal_title()/cell() (agent_desktop/ui/plain_text.py):\n" + "\n".join(
        map(str, findings)
    )


# --- the check itself can fail: what it was written for --------------------------------------------

BAD = [
    # Crashes, as the code was
    'box.border_title = f"Case for {one_line(self.customer_name, 50)}"',
    'box.border_title = f"Who is calling from {one_line(self.address, 40)}?"',
    "self.border_title = title",
    'self.border_subtitle = "skill: " + skill',
    'self.border_title += f" · for {name}"',
    "self.sub_title = event.agent.name",
    'self.notify(f"Sent to {expert.name}.", title="Escalation message")',
    'self.notify(error.message, title=f"Reply from {who}")',
    'Static("To: %s" % name)',
    'Label("To: {}".format(name))',
    'summary.update("Waiting in " + queue.name)',
    'yield Option(", ".join(skills))',
    'table.add_row(f"{agent.name}", cell(agent.id))',
    "select.set_options((d, d) for d in dispositions)",
    'SystemCommand(binding.description, f"{binding.tooltip} (key: {key})", callback)',
    "Content.from_markup(customer.name)",
    "widget.tooltip = expert.title",
    # A Content tooltip on a binding ended the app when the palette's "Keys" was opened
    "Binding('x', 'y', 'Z', tooltip=literal_title(command.description, limit=200))",
    "Binding('x', 'y', 'Z', tooltip=f'{name} waits')",
    "Binding('x', 'y', f'Call {name}')",
    'toast(self, f"{name} has no contact in progress.", title="Monitor")',
    'toast(self.app, plain(n.text), title=f"From {who}")',
    'self.sub_title = f"{agent.name} (away)"',
]
GOOD = [
    'box.border_title = literal_title(f"Case for {one_line(self.customer_name, 50)}")',
    'box.border_title = "Transfer"',
    "self.border_subtitle = literal_title(subtitle) if count > 1 else ''",
    "self.sub_title = literal_title(event.agent.name)",
    'self.notify(plain(f"Sent to {expert.name}."), title="Escalation message")',
    "self.notify(error.message, title=literal_title(who))",
    'Static(Content(f"To: {name}"))',
    'summary.update(Text.assemble(("x", "dim"), cell(agent.reason)))',
    "summary.update(plain(self.agent_id))",
    'table.add_row(cell(agent.name), Text(f"{n:>2}"))',
    "select.set_options((cell(d), d) for d in dispositions)",
    'SystemCommand("Switch desk", literal_title(f"{binding.tooltip} (key: {key})"), callback)',
    'Content.from_markup("[b]constant[/b]")',
    'self.update(Content("\\n").join(lines) if lines else "")',
    "Binding('x', 'y', 'Z', tooltip='constant')",
    "Binding(command.key, command.action, command.label, tooltip=command.description)",
    "people.update((e.id, e) for e in experts)",
    'toast(screen, plain(f"{name} has no contact in progress."), title="Monitor")',
    "self.sub_title = screen_title(desk.agent.name)",
    'SystemCommand("Help", palette_help(f"Every key  (key: {keys})"), self.action_help)',
]


@pytest.mark.parametrize("code", BAD)
def test_the_check_refuses(code: str) -> None:
    assert findings_in(code), f"not caught: {code}"


@pytest.mark.parametrize("code", GOOD)
def test_the_check_accepts(code: str) -> None:
    assert not findings_in(code), f"refused: {code}"
