"""The Textual application: handed one run of the desktop (its sessions, built outside it), it draws them."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from platformdirs import user_downloads_path
from rich.console import Group
from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.content import Content
from textual.driver import Driver
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.screen import Screen

from agent_desktop import ui
from agent_desktop.agent_desk.attention import KeyWasRead, next_key
from agent_desktop.domain.formats import phone_format
from agent_desktop.domain.streams.stream_wake import resync_streams_now
from agent_desktop.local.desk_log import log_crash
from agent_desktop.local.paths import private_folder, write_new_private
from agent_desktop.services import DeskKind
from agent_desktop.ui import shared
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.keymap import normalized
from agent_desktop.ui.keys.command_bindings import APP_BINDINGS
from agent_desktop.ui.keys.escape_then_key import escape_then_key, keymap_keys
from agent_desktop.ui.keys.key_display import key_shown
from agent_desktop.ui.keys.key_turn import bind_now, edit_in_order, typed_into
from agent_desktop.ui.keys.key_turns import KeyTurns
from agent_desktop.ui.messages import DeskDrawn, OutboxChanged, OutboxCountsWanted, Resumed, TerminalGone
from agent_desktop.ui.notices.desktop_notifier import DesktopNotifier, NoticeSettings
from agent_desktop.ui.palette import DeskCommands
from agent_desktop.ui.plain_text import palette_help, plain, toast_text
from agent_desktop.ui.remote.remote_control import RemoteControl
from agent_desktop.ui.running_desk import RunningDesk
from agent_desktop.ui.terminal import input_log
from agent_desktop.ui.textual_compat import (
    CrashWithoutLocals,
    as_default_screen,
    bring_screen_back,
    check_bindings,
    dispatch_key,
    patch_textual,
    set_screen_aside,
)
from agent_desktop.ui.themes import DEFAULT_THEME, MONOCHROME_THEME, ThemeColours

patch_textual()  # three Textual 8.2.8 bugs the desk works round (docs/textual-patches.md)

# Start-up's objects are frozen this long after the first screen (its one full collection out of the start).
FREEZE_AFTER_S = 2.0


@dataclass(frozen=True)
class ScreenOptions:
    """How the desk looks and answers (how it runs is the runtime's: `DeskOptions`, agent_desktop/app/runtime.py)."""

    # How often the agent screen redraws its clock and countdowns (the configuration's: tests shorten it).
    status_clock_s: float = 0.5
    # Keys by binding id (`[keymap]`, checked by `agent_desktop.ui.keymap.keymap_problem` before the app is made).
    keymap: Mapping[str, str] = field(default_factory=dict)
    # `[notifications]`: the desktop notifications raised while the terminal is behind.
    notifications: NoticeSettings = field(default_factory=NoticeSettings)
    # The theme it opens in (agent_desktop/ui/themes.py: Textual's, or monochrome).
    theme: str = DEFAULT_THEME
    # Reader mode (docs/accessibility.md): the terminal's cursor on the focused row, the review region, no animation.
    reader: bool = False


class AgentDesktopApp(CrashWithoutLocals, App[None]):
    """An agent desktop for one agent, supervisor mode, or both (the demo: f2 switches).

    It is handed one run of the desktop (`RunningDesk`: agent_desktop/app/runtime.py builds it from the configuration
    and the backends) and draws its desks: `runtime.desks` names the screens this app offers, the first one shown at
    start. Quitting (ctrl+q, the palette, SIGTERM, SIGHUP, a terminal that went away) first takes the agent off
    routing: `quit_state` now, or as their next state with contacts in hand.
    """

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {DeskCommands}  # the desk's commands, from its table
    TITLE = "Agent desktop"
    BINDINGS = list(APP_BINDINGS)  # f2, ? and f1, with their keymap ids

    def __init__(
        self, runtime: RunningDesk, options: ScreenOptions | None = None, *, driver_class: type[Driver] | None = None
    ) -> None:
        """`runtime`: the run of the desktop it draws; `options`: how it looks and answers (`ScreenOptions`);
        `driver_class`: the driver that notices a terminal going away (agent_desktop/ui/terminal/terminal_loss.py)."""
        super().__init__(driver_class=driver_class)
        options = options or ScreenOptions()
        self.colours = ThemeColours(os.environ)
        self.register_theme(MONOCHROME_THEME)
        self.theme = options.theme
        self.keymap = normalized(options.keymap)
        self.set_keymap(self.keymap)  # Textual moves the bindings with these ids: footer, help and palette follow
        self._keymap_keys = keymap_keys(self.keymap)
        self.runtime = runtime
        self.clock = runtime.clock
        self.desks = runtime.desks
        self._leaving = False
        self._froze = False
        runtime.outbox_changed = self.refresh_outbox_counts
        runtime.write_refused = self._write_refused
        self.status_clock_s = options.status_clock_s
        self.desktop_notifier = DesktopNotifier(self, options.notifications)
        self.reader = options.reader
        if options.reader:
            self.animation_level = "none"
        self.remote = RemoteControl(runtime.remote_socket)  # scripts drive the agent's desk (docs/remote.md)
        self.key_turns = KeyTurns(self, self._read_input)  # a key read once the one before it is done

    def get_line_filters(self) -> Sequence[LineFilter]:
        return self.colours.line_filters(super().get_line_filters(), self.theme)  # monochrome, NO_COLOR

    def crash_message(self, error: BaseException | None) -> Group:
        """What the terminal shows when the desk stops on an error nobody expected (CrashWithoutLocals): where to
        look, not a traceback (its local variables hold what the agent typed). The frames go to desk.log. The path
        is a line of its own, folded (never cut) where the terminal is narrower than it."""
        kind = type(error).__name__ if error is not None else "an unknown error"
        if error is not None:
            log_crash(error)
        return Group(
            Text(
                f"agent-desktop stopped on an error it did not expect ({kind}). Wrap-ups already saved are in the "
                "outbox and are sent at the next start. Where it happened (the code's lines only, nothing typed) is in:",
                style="bold",
            ),
            Text(str(self.runtime.log_path), overflow="fold"),
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, and the app's (its keys as the keymap left them); the desk's own commands come
        from the command table (`DeskCommands`, agent_desktop/ui/palette.py)."""
        yield from super().get_system_commands(screen)
        if len(self.desks) > 1:
            key = key_shown(self, "app.switch_desk", "f2")
            yield SystemCommand(
                "Switch desk",
                palette_help(f"Switch between the agent and supervisor screens  (key: {key})"),
                self.action_switch_desk,
            )
        if not screen.is_modal:
            keys = f"{key_shown(self, 'app.help', 'question_mark')} or {key_shown(self, 'app.help_alt', 'f1')}"
            yield SystemCommand(
                "Help",
                palette_help(f"Every key, whether it applies now, and when it would  (key: {keys})"),
                self.action_help,
            )

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Textual's palette command "Screenshot", written by the local paths' rule (agent_desktop/local/paths.py): the
        screen shows customers' names and conversations, so the SVG is a new file only this user can read, never
        written through a link or over a file, in the folder Textual would use (the user's downloads folder)."""
        folder = Path(path) if path else user_downloads_path()
        name = filename or f"agent-desktop {datetime.now().strftime(time_format or '%Y-%m-%d %H%M%S')}.svg"
        target = folder / name.replace("/", "_")
        try:
            private_folder(folder)
            write_new_private(target, self.export_screenshot().encode())
        except OSError as error:
            self.notify(plain(str(error)), title="Screenshot not saved", severity="error")
            return None
        self.notify(plain(str(target)), title="Screenshot saved (only you can read it)")
        return str(target)

    def notify(
        self,
        message: str | Content,
        *,
        title: str | Content = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts here carry backend text (errors, addresses), so they are always literal.

        `markup` is ignored: widgets' `notify` passes True by default, and no toast of
        this app needs markup. Screens and widgets pass `plain(...)`/`literal_title(...)`
        for text they build, so the static check (tests/unit/architecture/test_literal_sinks.py) can see it.
        """
        super().notify(toast_text(message), title=toast_text(title), severity=severity, timeout=timeout, markup=False)
        self.remote.said(str(title), str(message), severity)

    def get_default_screen(self) -> Screen[Any]:
        """The first desk is the app's default screen, composed and shown as Textual shows a plain app's.

        Pushed over Textual's blank default screen from `on_mount` (as it was), it was composed, styled, laid
        out and rendered inside the app's start-up batch, which throws that render away: the terminal then got
        the header, then the status line, and the whole screen only two frames later. Its style file is read as
        the app's (`_read_screen_css`), where pushing it read it (and re-parsed every style sheet)."""
        first = self.desks[0]
        screen = self._make_desk(first)
        if isinstance(screen, AgentScreen):
            screen.restyle_at_first_resume = False  # styled at its mount, just before its first resume
        self._read_screen_css(screen)
        self.install_screen(screen, first)
        return as_default_screen(screen, self)  # f2 switches away from it as from a pushed one

    def _read_screen_css(self, screen: Screen[Any]) -> None:
        """`screen`'s CSS_PATH into the app's style sheet (Textual reads it when a screen is pushed; a default
        screen is not pushed). Parsed with the rest when the first widget is styled."""
        if self.css_monitor is not None:
            self.css_monitor.add_paths(screen.css_path)
        for path in screen.css_path:
            if not self.stylesheet.has_source(str(path), ""):
                self.stylesheet.read(path)

    def on_mount(self) -> None:
        for desk in self.desks[1:]:
            self.install_screen(self._make_desk(desk), desk)
        # Python's default SIGTERM/SIGHUP handling kills the process where it stands: the agent stays
        # routable and the terminal stays in the alternate screen with the mouse captured.
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread
                loop.add_signal_handler(signum, self._leave_on_signal)
        self.run_worker(self.runtime.run(), group="runtime", exclusive=True)  # the outbox sent, until the desk ends
        self.set_timer(FREEZE_AFTER_S, self._freeze_start_up)
        self.call_after_refresh(self._after_first_frame)
        if self.reader:
            from agent_desktop.ui.reader_cursor import ReaderCursor

            ReaderCursor(self).start()

    def _after_first_frame(self) -> None:
        """What the first frame does not draw, started once it is on screen: begun in `on_mount`, the phone numbers'
        tables read in a thread held the interpreter while that frame was made, and the remote control imported its
        server and made its socket before it."""
        self.run_worker(phone_format.warm, thread=True, group="warm-phone-numbers")  # the first number shown waits not
        self._start_remote_control()

    @work(group="remote-control")  # its coroutine made when the worker runs: none left unawaited if the app closes
    async def _start_remote_control(self) -> None:
        await self.remote.start(self)

    def on_desk_drawn(self, _: DeskDrawn) -> None:  # bubbled up from the agent screen, once it has drawn it
        self.remote.changed()

    def _freeze_start_up(self) -> None:
        """The desk's one collector policy: take what start-up made (modules, Textual's widgets and styles) out of
        the collector's full collections, whose walks of it were the tail of a customer's message reaching the
        screen (bench_transcript, docs/benchmarks.md)."""
        gc.collect()
        gc.freeze()
        self._froze = True

    # --- the CRM outbox: sent by the runtime; its counts and refusals drawn here -----------

    def _write_refused(self, title: str, text: str, desk: DeskKind) -> None:
        """The CRM refused a write for good: said in words, with the way to fix it (o). A supervisor's record is
        never told on the agent's screen."""
        if desk == "supervisor":
            if "supervisor" in self.desks and self.screen is self.get_screen("supervisor"):
                self.notify(plain(text), title=title, severity="error")
            return
        self.notify(plain(text), title=title, severity="error", timeout=30)

    def on_outbox_counts_wanted(self, _: OutboxCountsWanted) -> None:
        self.refresh_outbox_counts()

    @work(group="outbox-counts", exclusive=True)
    async def refresh_outbox_counts(self) -> None:
        counts = await self.runtime.outbox_counts()
        if "agent" not in self.desks or not self.is_screen_installed("agent"):
            return
        screen = self.get_screen("agent")
        if screen.is_attached:  # an agent screen not shown yet asks when it is mounted
            screen.post_message(OutboxChanged(counts))

    # --- quitting ---------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ask first with contacts in hand; then leave routing and exit."""
        if self._leaving or isinstance(self.screen, shared.QuitDialog):
            return
        in_hand = self._contacts_in_hand()
        if in_hand:
            self.push_screen(shared.QuitDialog(in_hand, self.runtime.quit_state.label), self._quit_answered)
            return
        await self._leave()

    def _quit_answered(self, quit_: bool | None) -> None:
        if quit_:
            self.run_worker(self._leave(), group="leave", exclusive=True)

    def _leave_on_signal(self) -> None:
        if not self._leaving:
            self.run_worker(self._leave(), group="leave", exclusive=True)

    def on_resumed(self, _: Resumed) -> None:
        """The process ran again after a SIGSTOP (terminal/terminal_loss.py): the terminal may show what was drawn before the
        pause under what another program drew meanwhile, so the whole screen is drawn again. (The streams notice the
        pause by their own clocks; they are told at once too, a dead socket bringing no clock reading.)"""
        self.refresh(repaint=True, layout=True)
        resync_streams_now()

    def on_terminal_gone(self, _: TerminalGone) -> None:
        """Nobody can see or type here any more: leave as on SIGHUP (which may never come, e.g. under make)."""
        self._leave_on_signal()

    def _contacts_in_hand(self) -> int:
        agent = self.runtime.agent
        return agent.desk.contacts_in_hand() if agent is not None else 0

    async def _leave(self) -> None:
        self._leaving = True
        problem = await self.runtime.leave_routing()  # what went wrong, in one line, if it could not
        self.exit(return_code=1 if problem else 0, message=Text(problem) if problem else None)

    def _make_desk(self, desk: DeskKind) -> AgentScreen | ui.SupervisorScreen:
        """The screen that draws one of the runtime's desks."""
        if desk == "supervisor":
            assert self.runtime.supervisor is not None  # (the runtime builds the desks it names)
            return ui.SupervisorScreen(self.runtime.supervisor.controller)
        session = self.runtime.agent
        assert session is not None
        for set_aside in session.set_aside:  # drafts the desk could not read: said, with where they went
            self.notify(plain(str(set_aside)), title="Drafts not restored", severity="warning", timeout=60)
        return AgentScreen(
            session.controller,
            self.clock,
            quick_responses=self.runtime.quick_responses,
            status_clock_s=self.status_clock_s,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_desk":
            return len(self.desks) > 1  # hidden from the footer unless there are two desks
        return True

    def why_not(self, action: str) -> str | None:
        """Why an app key does not apply now (the help screen says it)."""
        return "only in the demo, which opens both desks" if action == "switch_desk" else None

    # --- help: ? or F1, and a word for a key that did nothing ------------------------------------

    def action_help(self) -> None:
        """The help screen for the screen in front; pressed again there, it closes."""
        screen = self.screen
        if isinstance(screen, shared.HelpScreen):
            screen.dismiss(None)
            return
        self.push_screen(shared.HelpScreen(ui.help_sections(screen), str(screen.title or self.title)))

    def action_command_palette(self) -> None:
        """The command palette; one open under what came over it (the help, a time-out notice) comes back on top as
        it was: Textual's own opened a second, and the desk stopped (DuplicateIds)."""
        under = next((screen for screen in self.screen_stack[:-1] if isinstance(screen, CommandPalette)), None)
        if under is None:
            super().action_command_palette()
        else:
            bring_screen_back(self, under, set_screen_aside(self, under))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:  # from the terminal
            # Read once the key before it has done what it does, in the order they came (keys/key_turns.py);
            # none once the last screen has gone (the app closing with keys still queued).
            split = escape_then_key(event, self._keymap_keys) if isinstance(event, events.Key) else None
            for read in split or (event,):  # (escape and a letter at once came as alt and the letter)
                if self.screen_stack and not self.key_turns.waits(read):
                    await self._read_input(read)
            return
        await super().on_event(event)

    async def _read_input(self, event: events.Key | events.Paste) -> None:
        """A key (or a paste) from the terminal, before anyone takes it; then the next is read at once if this one
        did all it does in its turn or was typed into a text box, or once what it set off is done (keys/key_turns.py)."""
        stack, typing = list(self.screen_stack), typed_into(self.screen, event)
        in_turn = False
        try:
            in_turn = isinstance(event, events.Key) and await self._key_in_turn(event)
            if not in_turn and not (typing is not None and edit_in_order(typing, event)):
                await super().on_event(event)
        finally:  # when the next key is read: the attention model's rule 7
            changed = self.screen_stack != stack  # (then the screen in front may be none: the app closing)
            still_typing = not changed and typing is not None and self.screen.focused is typing
            self.key_turns.read(next_key(KeyWasRead(changed, in_turn, still_typing)), typing)

    async def _key_in_turn(self, event: events.Key) -> bool:
        """Whose the key is, decided now, in the order the keys arrived (agent_desktop/ui/agent/front_of_desk.py), and
        its binding run before the next key is read (keys/key_turn.py); False: Textual hands it to the focused widget."""
        desk = (
            self.get_screen("agent") if self.runtime.agent is not None and self.is_screen_installed("agent") else None
        )
        if isinstance(desk, AgentScreen) and await desk.front.route_key(event):
            desk.drawn_in_turn()
            return True
        if await bind_now(self, event):
            if isinstance(desk, AgentScreen):
                desk.drawn_in_turn()  # and what it decided drawn, its focus moved, before that key
            return True
        return False

    async def on_key(self, event: events.Key) -> None:
        # In place of Textual's own handler of a key that reached the app (prevent_default keeps it from running:
        # Textual runs a class's handler before its base's and stops at a prevented default), in its order: the
        # bindings, then `key_` methods; then a key that nothing took gets a word instead of silence: the
        # command it would run and when, or where the keys are listed.
        event.prevent_default()
        if input_log.LOGGING:
            input_log.log_input(
                "app", f"{event.key} reached the app; focused {self.focused!r} on {type(self.screen).__name__}"
            )
        ran = await check_bindings(self, event.key) or await dispatch_key(self, event)
        if input_log.LOGGING:
            screens = [type(s).__name__ for s in self.screen_stack]
            input_log.log_input("app", f"{event.key} ran {'a binding' if ran else 'nothing'}; screens {screens}")
        if ran:
            return
        # (enter too: lost as an offer's dialog came up under it, an email reply went unsent without a word)
        if (event.is_printable and event.key != "space") or event.key == "enter":
            self.notify(plain(ui.vain_key_message(self.screen, event.key, event.character)), title="Key", timeout=4)

    def action_switch_desk(self) -> None:
        """Both desks stay installed, so each keeps its stream and state while hidden."""
        if len(self.desks) < 2:
            return
        current = next(
            (d for d in self.desks if self.is_screen_installed(d) and self.get_screen(d) is self.screen), None
        )
        if current is None:
            return  # a dialog is open: close it first
        self.switch_screen(self.desks[(self.desks.index(current) + 1) % len(self.desks)])

    async def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)
        await self.remote.aclose()
        # The screens are closed by now: the runtime stops the sender, the sessions write their last drafts and close
        # their stores, then the backends close.
        await self.runtime.aclose()
        if self._froze:  # collectable again (tests run many apps in one process)
            gc.unfreeze()
