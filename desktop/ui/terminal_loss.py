"""A terminal that goes away (its window closed, tmux killed, ssh dropped) must not hang the desktop.

Textual 8.2.8's writer thread ends on the first write to a pseudo-terminal that is gone (EIO). The queue
in front of it holds 30 writes; the 31st blocks the event loop for good, so the SIGHUP that came with the
hang-up is never handled: the agent stays routable and the process runs on (found after a `tmux
kill-session`: a supervisor desktop and its 1,000-agent demo servers still running an hour later). This
writer keeps draining its queue once the terminal is gone and drops what it cannot write, so the loop
runs on and the SIGHUP handler (app.py) signs the agent out and exits.

Once more writes than that queue holds have been dropped, the desk log says so (one line): the moment
Textual's own writer would have hung the desktop, which a test waits for instead of a fixed time.
"""

from __future__ import annotations

import logging

from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

log = logging.getLogger(__name__)
PAST_THE_QUEUE = MAX_QUEUED_WRITES + 1


class DrainingWriterThread(WriterThread):
    terminal_lost = False
    dropped = 0

    def run(self) -> None:
        write, flush, get, qsize = self._file.write, self._file.flush, self._queue.get, self._queue.qsize
        while True:
            text = get()
            if text is None:
                break
            if self.terminal_lost:
                self._dropped()
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


    def _dropped(self) -> None:
        self.dropped += 1
        if self.dropped == PAST_THE_QUEUE:
            log.info("terminal gone: %d screen writes dropped, past the %d Textual's writer queues", self.dropped, MAX_QUEUED_WRITES)


def install() -> None:
    """Make Textual's Linux driver use the draining writer (before the app runs)."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # not a POSIX terminal (Windows has its own driver)
        return
    linux_driver.WriterThread = DrainingWriterThread  # type: ignore[misc]
