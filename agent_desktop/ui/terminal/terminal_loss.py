"""A terminal that goes away (its window closed, tmux killed, ssh dropped) ends the desktop cleanly, however it
was started: the agent signed out, the demo's servers stopped, nothing left running or spinning.

The desk notices from the terminal itself, not only from a SIGHUP: a SIGHUP reaches only the terminal's
session leader and its foreground group, and under `make demo` make is the leader (it waits for its child,
the desktop, which never hears of the hang-up). What Textual 8.2.8 does then, and what this module changes:
- its input thread reads the hung-up terminal's end of input (an empty read, or EIO) and loops straight back
  to read it again: a core kept busy for ever. The input thread here stops at end of input;
- its writer thread ends on the first write that fails (EIO, EPIPE); the queue in front holds 30 writes and
  the 31st blocked the event loop for good (found after a `tmux kill-session`: a desktop and its 1,000-agent
  demo servers still running an hour later). The writer here drops what it cannot write, so the loop runs on.
Either one tells the app (`TerminalGone`), which signs the agent out and exits as on SIGHUP (app.py).

And a pause: Textual's driver starts application mode again on every SIGCONT (`resume_application_mode`), also
one that follows a SIGSTOP it never suspended for (`kill -STOP`, a debugger, a job-control stop): a second input
thread then read the terminal beside the first, and quitting joined only the newer one and cleared the event the
older one waits for, which ran on for ever, a thread the interpreter waits for at exit (the desk never ended).
Here a SIGCONT after a suspend Textual made starts application mode again; any other only tells the app that it
was paused (`Resumed`: it redraws and resyncs with its backends).
"""

from __future__ import annotations

import contextlib
import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Callable

from agent_desktop.ui.messages import Resumed, TerminalGone
from agent_desktop.ui.terminal import input_log
from agent_desktop.ui.textual_compat import (  # the driver's own writer and parser, and what it keeps to itself
    WriterThread,
    XTermParser,
    driver_app,
    driver_debug,
    driver_writer,
    use_writer_thread,
    writer_output,
)


class DrainingWriterThread(WriterThread):
    terminal_lost = False
    on_lost: Callable[[], None] | None = None  # called once (from this thread) when a write first fails

    def run(self) -> None:
        file, queue = writer_output(self)
        write, flush, get, qsize = file.write, file.flush, queue.get, queue.qsize
        while True:
            text = get()
            if text is None:
                break
            if self.terminal_lost:
                continue  # nothing can be shown any more: keep the queue moving
            try:
                write(text)
                if qsize() == 0:
                    flush()
            except OSError:
                self._lost()
        if not self.terminal_lost:
            with contextlib.suppress(OSError):
                flush()

    def _lost(self) -> None:
        self.terminal_lost = True
        if self.on_lost is not None:
            self.on_lost()


def driver_class() -> type | None:
    """The driver that notices a gone terminal: the Linux driver here, or for `agent-desktop serve` (textual-serve
    names its web driver in TEXTUAL_DRIVER) the one that notices a gone browser session (served_driver.py). None
    where Textual uses another driver: no POSIX terminal, or another one named in TEXTUAL_DRIVER."""
    named = os.environ.get("TEXTUAL_DRIVER")
    if named:
        from agent_desktop.ui.terminal import served_driver

        return served_driver.ServedDeskDriver if named == served_driver.WEB_DRIVER else None
    try:
        from textual.drivers import linux_driver
    except ImportError:  # not a POSIX terminal (Windows has its own driver)
        return None

    class TerminalLossDriver(linux_driver.LinuxDriver):
        _told = False
        _suspended = False  # application mode stopped by a suspend (ctrl+z): a SIGCONT starts it again

        def suspend_application_mode(self) -> None:
            self._suspended = True
            super().suspend_application_mode()

        def resume_application_mode(self) -> None:
            """Called on every SIGCONT (in the signal handler, on the main thread)."""
            if self._suspended:
                self._suspended = False
                super().resume_application_mode()
                return
            # Stopped without a suspend: the terminal is still in application mode, its threads still run.
            driver_app(self).post_message(Resumed())  # thread-safe

        def start_application_mode(self) -> None:
            super().start_application_mode()  # type: ignore[no-untyped-call]  # Textual leaves it unannotated
            writer = driver_writer(self)
            if isinstance(writer, DrainingWriterThread):
                writer.on_lost = lambda: self._terminal_gone("a write to the terminal failed")
                if writer.terminal_lost:  # before it could tell anyone
                    self._terminal_gone("a write to the terminal failed")

        def _terminal_gone(self, why: str) -> None:
            if not self._told:
                self._told = True
                driver_app(self).post_message(TerminalGone(why))  # thread-safe

        def run_input_thread(self) -> None:
            """Textual's input loop (LinuxDriver.run_input_thread in 8.2.8) that stops at end of input."""
            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            parser = XTermParser(driver_debug(self))
            decode = getincrementaldecoder("utf-8")().decode
            try:
                while not self.exit_event.is_set():
                    if selector.select(0.1):
                        try:
                            data = os.read(self.fileno, 1024 * 4)
                        except OSError:  # EIO: the terminal hung up
                            data = b""
                        if not data:  # end of input: nobody can type here any more
                            self._terminal_gone("the terminal's input ended")
                            return
                        for event in parser.feed(decode(data)):
                            if input_log.LOGGING:
                                input_log.log_input("driver", repr(event))
                            self.process_message(event)
                    for event in parser.tick():
                        if input_log.LOGGING:
                            input_log.log_input("driver", repr(event))
                        self.process_message(event)
            finally:
                selector.close()

    return TerminalLossDriver


def install() -> None:
    """Make Textual's Linux driver use the draining writer (before the app runs)."""
    use_writer_thread(DrainingWriterThread)
