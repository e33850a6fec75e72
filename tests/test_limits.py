"""Time and memory limits (pipeline/limits.py): a time limit no ``except`` can swallow, the same
limits on one file as on a batch, and the limits that hold in code an alarm cannot stop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.batch.runner import BatchOptions, process_one, run_batch
from pipeline.batch.workers import WorkerPool
from pipeline.limits import (ChildDied, MemoryCeilingExceeded, TimeLimitExceeded, run_in_child, rss_mb,
                             time_limit)
from tests.conftest import DATA
from tests.hostile import nested_xobjects_pdf

FAST = dict(concepts=False, entities=False)


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_the_time_limit_goes_through_broad_excepts():
    swallowed = []
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.2):
            try:
                _spin(5)
            except Exception as err:  # noqa: BLE001 - what the lemmatizer cache and pdfplumber do
                swallowed.append(err)
            try:
                _spin(5)
            except OSError as err:  # TimeoutError is an OSError: the old limit died here
                swallowed.append(err)
    assert not swallowed and time.monotonic() - started < 2


def test_a_time_limit_swallowed_by_a_bare_except_fires_again():
    caught = 0
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            while True:
                try:
                    _spin(5)
                except BaseException:  # noqa: BLE001 - code that swallows everything, once
                    caught += 1
                    if caught > 1:
                        raise
    assert caught == 2


def test_no_alarm_survives_the_block():
    with time_limit(0.05):
        pass
    _spin(0.2)  # an alarm left armed would raise here


@pytest.mark.parametrize("catch", [Exception, OSError], ids=["except-Exception", "except-OSError"])
def test_a_stage_that_loops_inside_a_broad_try_is_a_timeout_record(tmp_path, monkeypatch, catch):
    import pipeline.batch.runner as runner

    def stage_in_a_broad_try(path, **_):
        try:
            _spin(30)
        except catch:  # noqa: BLE001
            pass
        raise AssertionError("the limit was swallowed")

    monkeypatch.setattr(runner, "extract", stage_in_a_broad_try)
    started = time.monotonic()
    record = process_one((str(DATA / "td-plan-roman-tocqueville.txt"), str(tmp_path / "t.json")),
                         time_limit=0.3, **FAST)
    assert record.status == "failed" and record.error.code == "timeout", record.error
    assert "did not finish within 0.3 s" in record.error.message and "corrupt" not in record.error.message
    assert time.monotonic() - started < 5 and not (tmp_path / "t.json").exists()


def test_a_pdf_that_loops_in_pdfminer_is_a_timeout_not_a_corrupt_pdf(tmp_path):
    """pdfplumber wraps every exception of pdfminer as PdfminerException ("corrupt or truncated"):
    the limit is not an Exception, so it is named for what it is."""
    pdf = nested_xobjects_pdf(tmp_path / "nested.pdf")
    record = process_one((str(pdf), str(tmp_path / "n.json")), time_limit=1, **FAST)
    assert record.error.code == "timeout", record.error
    assert "corrupt" not in record.error.message


def test_the_model_load_is_not_counted_in_the_first_files_time(tmp_path):
    """Loading the model takes 1-3 s; a 0.1 s handout under a 1.5 s limit is extracted."""
    report = run_batch([DATA / "td-plan-roman-tocqueville.txt"], tmp_path / "out",
                       BatchOptions(jobs=1, time_limit=1.5, concepts=True, entities=True))
    assert report.processed == 1, report.files[0].error


def test_check_has_a_time_limit_on_handouts(tmp_path):
    pdf = nested_xobjects_pdf(tmp_path / "nested.pdf")
    result = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "check",
                             str(DATA / "td-plan-roman-tocqueville.txt"), str(pdf), "--timeout", "1",
                             "--format", "json"], capture_output=True, text=True, timeout=90)
    assert result.returncode == 2
    assert f"Error: {pdf}: checking did not finish within 1 s and was stopped (timeout)." in result.stderr
    assert len(json.loads(result.stdout)["documents"]) == 1  # the other handout is checked


def test_check_stops_a_source_pdf_that_pdfium_never_finishes(tmp_path, monkeypatch):
    """PDFium is C code: no alarm reaches it; the source is read in a child process that is killed."""
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    pdf = nested_xobjects_pdf(tmp_path / "book.pdf")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "check",
                             str(DATA / "td-plan-roman-tocqueville.txt"), "--source", str(pdf), "--timeout", "2"],
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 2
    assert f"Error: {pdf}: reading the source PDF did not finish within 2 s and was stopped (timeout)." \
        in result.stderr
    assert time.monotonic() - started < 30


def _sleep(seconds):
    time.sleep(seconds)
    return seconds


def _allocate(megabytes):
    hold = bytearray(megabytes * 1024 * 1024)  # zero pages are not resident until written
    for i in range(0, len(hold), 4096):
        hold[i] = 1
    time.sleep(30)
    return len(hold)


def _crash():
    os._exit(7)


def test_run_in_child_gives_the_answer_or_stops_the_child():
    assert run_in_child(_sleep, 0.01, seconds=30) == 0.01
    with pytest.raises(TimeLimitExceeded):
        run_in_child(_sleep, 30, seconds=0.5)
    with pytest.raises(MemoryCeilingExceeded):
        run_in_child(_allocate, 400, seconds=60, max_memory_mb=200)
    with pytest.raises(ChildDied):
        run_in_child(_crash, seconds=30)
    with pytest.raises(ZeroDivisionError):
        run_in_child(divmod, 1, 0)


def _allocate_on_odd(task, **_):
    if task[0] % 2:
        _allocate(400)
    return ("ok", task[0])


def test_a_worker_over_the_memory_ceiling_is_stopped_and_the_others_go_on():
    pool = WorkerPool(_allocate_on_odd, jobs=2, options={}, time_limit=None, max_memory_mb=250,
                      on_lost=lambda task, code, message: (code, task[0]))
    results = sorted(pool.run([(i,) for i in range(4)]), key=lambda r: r[1])
    assert results == [("ok", 0), ("out_of_memory", 1), ("ok", 2), ("out_of_memory", 3)]


_KEPT = []


def _keep(task, **_):
    if task[0] == "big":
        kept = bytearray(200 * 1024 * 1024)  # what Python keeps after a large file
        kept[::4096] = b"x" * (len(kept) // 4096)  # pages are resident once written
        _KEPT.append(kept)
    return (task[0], os.getpid())


def test_a_worker_left_holding_half_the_ceiling_is_replaced_before_its_next_file():
    pool = WorkerPool(_keep, jobs=1, options={}, time_limit=None, max_memory_mb=300,
                      on_lost=lambda task, code, message: (code, task[0]))
    (_, first), (_, second), (_, third) = pool.run([("small",), ("big",), ("small",)])
    assert first == second != third


def _killed_on_odd(task, **_):
    if task[0] % 2:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
    return ("ok", task[0])


def test_a_worker_killed_by_the_system_is_reported_out_of_memory():
    pool = WorkerPool(_killed_on_odd, jobs=1, options={}, time_limit=None,
                      on_lost=lambda task, code, message: (code, task[0]))
    assert sorted(pool.run([(i,) for i in range(3)]), key=lambda r: r[1]) == \
        [("ok", 0), ("out_of_memory", 1), ("ok", 2)]


def test_one_file_gets_the_protections_of_a_batch(tmp_path):
    """A single-file run used to extract in the main process: killed by the OOM killer, it left no
    error, no report, no output folder. It runs in a worker now, under the same ceiling."""
    out = tmp_path / "out"
    seed = Path(__file__).resolve().parents[1] / "raw" / "casilli-en-attendant-les-robots.txt"  # 1 s to parse
    report = run_batch([seed], out, BatchOptions(max_memory_mb=1))
    assert [(f.status, f.error.code) for f in report.files] == [("failed", "out_of_memory")]
    assert "over the 1 MB memory ceiling" in report.files[0].error.message
    assert json.loads((out / "_run.json").read_text())["failed"] == 1


def test_rss_is_read_from_proc():
    if not Path("/proc/self/statm").exists():
        pytest.skip("no /proc")
    assert 5 < rss_mb() < 10_000
    assert rss_mb(2 ** 22 + 12345) is None
