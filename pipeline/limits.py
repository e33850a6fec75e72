"""The limits of one file's work: a time limit no ``except`` can swallow, and the memory a process
is using (what the worker pool's ceiling compares with ``--max-memory``).

The time limit is a SIGALRM whose handler raises ``TimeLimitExceeded``. It derives from
``BaseException``, not ``Exception``: Python's own ``TimeoutError`` is an ``OSError``, and the
broad ``except Exception`` / ``except OSError`` of tdx and of its libraries (a cache read, a
fallback, pdfplumber wrapping every error of pdfminer as "corrupt") caught it and let the file run
on unlimited. ``KeyboardInterrupt`` derives from ``BaseException`` for the same reason. Should some
code swallow it anyway (a bare ``except:``), the alarm fires again every ``_AGAIN`` seconds until the
limited block ends.

An alarm only interrupts Python code: a loop inside a C library (PDFium on a PDF of nested forms)
returns to Python only when it is done. Batch runs therefore also kill a worker that overruns its
limit by ``workers._GRACE`` seconds, and ``tdx check`` reads a source PDF in a child process.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_AGAIN = 0.5  # seconds between alarms once the limit is past


class TimeLimitExceeded(BaseException):  # noqa: N818 - named for what happened, like KeyboardInterrupt
    """The time limit of a ``time_limit`` block ran out."""

    def __init__(self, seconds: float):
        super().__init__(f"did not finish within {seconds:g} s")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` in the block once it has run ``seconds`` (None or 0: no limit).

    Signals reach the main thread only: elsewhere (a Dask worker's thread) the block runs
    unlimited. Limits do not nest: tdx sets one per file."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = True

    def expired(signum, frame):
        if armed:  # an alarm already on its way when the block ended must not escape it
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, _AGAIN)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def rss_mb(pid: int | None = None) -> float | None:
    """Resident memory of a process in MB (None where /proc cannot tell: not Linux, or gone)."""
    try:
        with open(f"/proc/{pid or os.getpid()}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return None


class MemoryCeilingExceeded(Exception):
    """A child process went over its memory ceiling and was stopped."""


class ChildDied(Exception):
    """A child process died without an answer (a crash in a C library, the OOM killer)."""


def run_in_child(function, *args, seconds: float | None = None, max_memory_mb: float | None = None):
    """``function(*args)`` in a spawned process that is killed past ``seconds`` or over
    ``max_memory_mb`` of resident memory: the limits that hold even in C code (PDFium) that an
    alarm cannot interrupt. Raises ``TimeLimitExceeded``, ``MemoryCeilingExceeded`` or
    ``ChildDied``; an exception of ``function`` is raised again here. ``function``, its arguments
    and its result must pickle."""
    import multiprocessing as mp
    import time

    context = mp.get_context("spawn")  # never fork a process that may hold threads and locks
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(sender, function, args), daemon=True)
    process.start()
    sender.close()
    deadline = time.monotonic() + seconds if seconds else None
    try:
        while not receiver.poll(0.1):
            if not process.is_alive() and not receiver.poll(0):
                raise ChildDied(f"exit code {process.exitcode}")
            if deadline is not None and time.monotonic() > deadline:
                raise TimeLimitExceeded(seconds)
            if max_memory_mb and (rss_mb(process.pid) or 0) > max_memory_mb:
                raise MemoryCeilingExceeded(f"over {max_memory_mb:g} MB")
        try:
            ok, value = receiver.recv()
        except EOFError:
            raise ChildDied(f"exit code {process.exitcode}") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        receiver.close()
    if not ok:
        raise value
    return value


def _child_main(sender, function, args) -> None:
    try:
        result = (True, function(*args))
    except Exception as err:  # noqa: BLE001 - handed to the parent, which raises it
        result = (False, err)
    sender.send(result)
    sender.close()
    os._exit(0)  # no interpreter teardown: the answer is sent
