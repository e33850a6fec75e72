"""Worker processes for batch runs: each loads the spaCy model once and extracts file after file.

A file that runs past its time limit or over the memory ceiling, or a worker that dies under one
(a crash, the OOM killer), costs that file only: the worker is killed or reaped, replaced, and the
file reported as failed.

The memory ceiling is watched from here, on each busy worker's resident memory (``/proc``), every
``_POLL`` seconds, rather than set inside the worker with ``setrlimit(RLIMIT_AS)``: the address space
of a worker is several times its memory (spaCy, numpy and OpenBLAS map arenas and thread buffers
they never touch), so an address-space limit either fails ordinary files or bounds nothing, and
where it hits, a C library gets NULL from malloc and may crash instead of raising ``MemoryError``.
Resident memory is what runs a machine out of memory; killing from outside works whatever code
the worker is in. A sampled ceiling can be overshot between two looks: by how much one process
allocates in ``_POLL`` seconds, which the bounded pieces of spaCy's parse and the ceiling on
PDF streams keep small.
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

from pipeline.limits import rss_mb

# Seconds a worker gets past the file's time limit (enforced inside the worker with an alarm)
# before the pool kills it: the backstop for code that never returns to Python.
_GRACE = 10.0
_POLL = 0.1  # seconds between two looks at the workers (results, deaths, time, memory)
_READY = "ready"  # what a worker sends once it has loaded what every file needs


@dataclass
class _Worker:
    process: mp.Process
    conn: Connection
    task: tuple | None = None
    started: float = 0.0
    ready: bool = False


def _worker_main(conn: Connection, function: Callable, options: dict, warm_up: Callable | None) -> None:
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if warm_up is not None:
        warm_up(**options)  # the model loads before any file's clock starts
    conn.send(_READY)
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

    ``on_lost(task, code, message)`` makes the result of a task whose worker was killed (over
    ``time_limit`` plus a grace, or over ``max_memory_mb`` of resident memory) or died.
    ``warm_up(**options)`` runs in each worker before it is given a task.
    """

    def __init__(self, function: Callable, *, jobs: int, options: dict, time_limit: float | None,
                 on_lost: Callable[[tuple, str, str], object], max_memory_mb: float | None = None,
                 warm_up: Callable | None = None):
        # "spawn": a forked child would inherit the parent's threads (the progress bar's) and locks.
        self.context = mp.get_context("spawn")
        self.function = function
        self.jobs = max(1, jobs)
        self.options = options
        self.time_limit = time_limit
        self.on_lost = on_lost
        self.max_memory_mb = max_memory_mb
        self.warm_up = warm_up
        self.deaths_loading = 0
        self.workers: list[_Worker] = []

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.function, self.options, self.warm_up),
                                       daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, tasks: Iterable[tuple]) -> Iterator[object]:
        pending = deque(tasks)
        try:
            self.workers = [self._start() for _ in range(min(self.jobs, len(pending)))]
            while pending or any(w.task is not None for w in self.workers):
                for index, worker in enumerate(self.workers):
                    if worker.ready and worker.task is None and pending:
                        try:
                            worker.conn.send(pending[0])
                        except (BrokenPipeError, OSError):  # died while idle: the task waits for another
                            self._stop(worker)
                            self.workers[index] = self._start()
                            continue
                        worker.task, worker.started = pending.popleft(), time.monotonic()
                watched = [w for w in self.workers if w.task is not None or not w.ready]
                ready = wait([w.conn for w in watched] + [w.process.sentinel for w in watched], timeout=_POLL)
                for index, worker in enumerate(self.workers):
                    if worker.conn in ready:
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            result = None
                        if result == _READY:
                            worker.ready = True
                            continue
                        if result is not None and worker.task is not None:
                            worker.task = None
                            if self._bloated(worker):
                                self._retire(worker)
                                self.workers[index] = self._start()
                            yield result
                            continue
                    lost = self._lost(worker)
                    if lost and worker.task is None:  # died while loading: start another, a few times
                        self._stop(worker)
                        self.workers[index] = self._start()
                        self.deaths_loading += 1
                        if self.deaths_loading > 3 * self.jobs and pending:
                            yield self.on_lost(pending.popleft(), *lost)  # never loads: tasks fail, no loop
                    elif lost:
                        task = worker.task
                        self._stop(worker)
                        self.workers[index] = self._start()
                        yield self.on_lost(task, *lost)
        finally:
            self.close()

    def _lost(self, worker: _Worker) -> tuple[str, str] | None:
        """Why a worker must be given up: dead, over its time, or over its memory; None if it is fine."""
        if not worker.process.is_alive():
            if worker.process.exitcode == -9:  # SIGKILL, and not from this pool: the kernel's OOM killer
                return ("out_of_memory", "the system killed the worker process (SIGKILL), most likely for "
                                         "want of memory; split the file or run fewer --jobs.")
            return ("worker_died", f"the worker process died (exit code {worker.process.exitcode}) "
                                   "while extracting this file; it may be too large or malformed.")
        if worker.task is None:
            return None
        if self.time_limit and time.monotonic() - worker.started > self.time_limit + _GRACE:
            return ("timeout", f"extraction did not finish within {self.time_limit:g} s and was "
                               "stopped; raise --timeout if the file is legitimately long.")
        if self.max_memory_mb and (rss := rss_mb(worker.process.pid)) is not None and rss > self.max_memory_mb:
            return ("out_of_memory", f"extraction went over the {self.max_memory_mb:g} MB memory ceiling "
                                     f"({rss:.0f} MB) and was stopped (out_of_memory). Split the file, or "
                                     "raise --max-memory if it is legitimately large.")
        return None

    def _bloated(self, worker: _Worker) -> bool:
        """Whether an idle worker holds over half the ceiling: Python keeps the memory of a large
        file, and the next file must not be stopped for what the last one left."""
        return bool(self.max_memory_mb) and (rss_mb(worker.process.pid) or 0) > self.max_memory_mb / 2

    def _retire(self, worker: _Worker) -> None:
        try:
            worker.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        worker.process.join(timeout=2)
        self._stop(worker)

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
