"""The one thread that uses the outbox's SQLite connection (as toolong's `LineReader` alone reads its file): every
statement runs there, one job after another in the order asked, so no lock guards the connection. Code on any other
thread waits for its job (`call`); code on the event loop awaits it (`run`) without tying up a worker thread."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from queue import SimpleQueue
from typing import TypeVar

T = TypeVar("T")
_Job = tuple[Callable[[], object], "Future[object]"]


class SqliteThread(threading.Thread):
    """Opens the connection (`open_db`, whose error `start_owning` raises), then runs jobs until `stop`."""

    def __init__(self, open_db: Callable[[], sqlite3.Connection], name: str) -> None:
        super().__init__(name=name, daemon=True)  # daemon: an outbox never closed does not hold the process
        self._open_db = open_db
        self._jobs: SimpleQueue[_Job | None] = SimpleQueue()
        self._opened: Future[sqlite3.Connection] = Future()
        self._accepting = threading.Lock()  # a job is queued before the stop or refused, never after it
        self._stopped = False

    def start_owning(self) -> sqlite3.Connection:
        """Start the thread; the connection it opened (or the error opening it)."""
        self.start()
        return self._opened.result()

    def run(self) -> None:
        try:
            db = self._open_db()
        except BaseException as error:  # the opener's error is the caller's (OutboxUnavailable)
            self._stopped = True
            self._opened.set_exception(error)
            return
        self._opened.set_result(db)
        while (job := self._jobs.get()) is not None:
            work, done = job
            if not done.set_running_or_notify_cancel():
                continue
            try:
                done.set_result(work())
            except BaseException as error:  # the job's caller gets it, as it would have calling it itself
                done.set_exception(error)
            del job, work, done  # nothing of the last job kept while waiting: its outbox can be collected
        db.close()

    def _submit(self, work: Callable[[], T]) -> Future[T]:
        done: Future[T] = Future()
        with self._accepting:
            if self._stopped:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            self._jobs.put((work, done))  # type: ignore[arg-type]  # (a Future[T] is read back as its own T)
        return done

    def call(self, work: Callable[[], T]) -> T:
        """`work()` run on this thread, its result or its error; inline when called from this thread already (a
        job that calls the outbox again)."""
        if threading.current_thread() is self:
            return work()
        return self._submit(work).result()

    async def run_async(self, work: Callable[[], T]) -> T:
        """`work()` run on this thread, awaited."""
        return await asyncio.wrap_future(self._submit(work))

    def stop(self) -> None:
        """No more jobs; those queued run, then the connection closes. Waits for that unless on this thread."""
        with self._accepting:
            if self._stopped:
                return
            self._stopped = True
            self._jobs.put(None)
        if threading.current_thread() is not self:
            self.join()
