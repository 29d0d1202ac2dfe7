"""A terminal that goes away (its window closed, tmux killed, ssh dropped) must not hang the desktop.

Textual 8.2.8's writer thread ends on the first write to a pseudo-terminal that is gone (EIO). The queue
in front of it holds 30 writes; the 31st blocks the event loop for good, so the SIGHUP that came with the
hang-up is never handled: the agent stays routable and the process runs on (found after a `tmux
kill-session`: a supervisor desktop and its 1,000-agent demo servers still running an hour later). This
writer keeps draining its queue once the terminal is gone and drops what it cannot write, so the loop
runs on and the SIGHUP handler (app.py) signs the agent out and exits.
"""

from __future__ import annotations

from textual.drivers._writer_thread import WriterThread


class DrainingWriterThread(WriterThread):
    terminal_lost = False

    def run(self) -> None:
        write, flush, get, qsize = self._file.write, self._file.flush, self._queue.get, self._queue.qsize
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
                self.terminal_lost = True
        if not self.terminal_lost:
            try:
                flush()
            except OSError:
                pass


def install() -> None:
    """Make Textual's Linux driver use the draining writer (before the app runs)."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # not a POSIX terminal (Windows has its own driver)
        return
    linux_driver.WriterThread = DrainingWriterThread  # type: ignore[misc]
