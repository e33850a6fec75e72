"""Worker processes for batch runs: each loads the spaCy model once and extracts file after file.

A file that runs past its time limit, or a worker that dies under one (a crash, the OOM killer),
costs that file only: the worker is killed or reaped, replaced, and the file reported as failed.
The pool is written on ``multiprocessing`` directly because ``ProcessPoolExecutor`` can neither
stop one task nor survive the death of one worker (it breaks the whole pool).
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

# Seconds a worker gets past the file's time limit (enforced inside the worker with an alarm)
# before the pool kills it: the backstop for code that never returns to Python.
_GRACE = 10.0


@dataclass
class _Worker:
    process: mp.Process
    conn: Connection
    task: tuple | None = None
    started: float = 0.0


def _worker_main(conn: Connection, function: Callable, options: dict) -> None:
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            task = conn.recv()
        except EOFError:
            task = None
        if task is None:
            # Every result is sent and every output renamed into place: skip the interpreter's
            # teardown (freeing the model takes 0.7 s, which the pool would wait for).
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        conn.send(function(task, **options))


class WorkerPool:
    """Runs ``function(task, **options)`` over tasks in ``jobs`` processes, results as they come.

    ``on_lost(task, reason)`` makes the result of a task whose worker was killed or died.
    """

    def __init__(self, function: Callable, *, jobs: int, options: dict, time_limit: float | None,
                 on_lost: Callable[[tuple, str, str], object]):
        # "spawn": a forked child would inherit the parent's threads (the progress bar's) and locks.
        self.context = mp.get_context("spawn")
        self.function = function
        self.jobs = max(1, jobs)
        self.options = options
        self.time_limit = time_limit
        self.on_lost = on_lost
        self.workers: list[_Worker] = []

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.function, self.options), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, tasks: Iterable[tuple]) -> Iterator[object]:
        pending = deque(tasks)
        try:
            self.workers = [self._start() for _ in range(min(self.jobs, len(pending)))]
            while pending or any(w.task is not None for w in self.workers):
                for worker in self.workers:
                    if worker.task is None and pending:
                        worker.task, worker.started = pending.popleft(), time.monotonic()
                        worker.conn.send(worker.task)
                busy = [w for w in self.workers if w.task is not None]
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.5)
                for index, worker in enumerate(self.workers):
                    if worker.task is None:
                        continue
                    if worker.conn in ready:
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            result = None
                        if result is not None:
                            worker.task = None
                            yield result
                            continue
                    lost = None
                    if not worker.process.is_alive():
                        lost = ("worker_died", f"the worker process died (exit code {worker.process.exitcode}) "
                                               "while extracting this file; it may be too large or malformed.")
                    elif self.time_limit and time.monotonic() - worker.started > self.time_limit + _GRACE:
                        lost = ("timeout", f"extraction did not finish within {self.time_limit:g} s and was "
                                           "stopped; raise --timeout if the file is legitimately long.")
                    if lost:
                        task = worker.task
                        self._stop(worker)
                        self.workers[index] = self._start()
                        yield self.on_lost(task, *lost)
        finally:
            self.close()

    def _stop(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive() and worker.task is None:
                try:
                    worker.conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
        for worker in self.workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
            worker.conn.close()
        self.workers = []
