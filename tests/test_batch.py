"""Batch runs: identical results whatever the jobs and order, failures isolated, incremental
reruns, limits, JSON Lines, and the same per-file function on a Dask cluster."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.batch.runner import RUN_REPORT, BatchOptions, process_one, run_batch
from pipeline.models import Handout, RunReport
from pipeline.batch.workers import WorkerPool
from tests.conftest import DATA, ROOT

FAST = dict(concepts=False, entities=False)


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "casilli-en-attendant-les-robots.txt", folder / "casilli.txt")
    shutil.copy(DATA / "fiche-markdown-bourdieu.md", folder / "sub" / "bourdieu.md")
    shutil.copy(DATA / "td-plan-roman-tocqueville.txt", folder / "sub" / "tocqueville.txt")
    shutil.copy(DATA / "td-cp1252-crlf-becker.txt", folder / "becker.txt")
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json")) if p.name != RUN_REPORT}


def test_results_do_not_depend_on_jobs_or_order(corpus, tmp_path):
    one = run_batch([corpus], tmp_path / "one", BatchOptions(jobs=1))
    two = run_batch(sorted(corpus.rglob("*.*"), reverse=True), tmp_path / "two", BatchOptions(jobs=2))
    assert one.processed == two.processed == 4 and one.failed == two.failed == 0
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    assert all(Handout.model_validate_json(data) for data in outputs(tmp_path / "one").values())


def test_reruns_skip_what_is_up_to_date_and_redo_what_changed(corpus, tmp_path):
    out = tmp_path / "out"
    first = run_batch([corpus], out, BatchOptions(jobs=1, **FAST))
    assert first.processed == 4
    again = run_batch([corpus], out, BatchOptions(jobs=1, **FAST))
    assert (again.processed, again.skipped) == (0, 4)
    (corpus / "becker.txt").write_bytes((corpus / "becker.txt").read_bytes() + b"\r\nUne ligne de plus.\r\n")
    changed = run_batch([corpus], out, BatchOptions(jobs=1, **FAST))
    assert [f.path for f in changed.files if f.status == "processed"] == [str(corpus / "becker.txt")]
    other_options = run_batch([corpus], out, BatchOptions(jobs=1, concepts=True, entities=False))
    assert other_options.processed == 4, "outputs made with other options are not up to date"
    forced = run_batch([corpus], out, BatchOptions(jobs=1, force=True, **FAST))
    assert forced.processed == 4


def test_outputs_of_other_code_are_not_up_to_date(corpus, tmp_path, monkeypatch):
    """A checkout's code changes without a version bump: its outputs must still be redone."""
    import importlib

    extraction = importlib.import_module("pipeline.extract")  # the module, not pipeline.extract()
    out = tmp_path / "out"
    run_batch([corpus], out, BatchOptions(jobs=1, **FAST))
    monkeypatch.setattr(extraction, "_code_and_model", lambda: "other code|3.8.0")
    assert run_batch([corpus], out, BatchOptions(jobs=1, **FAST)).processed == 4


def test_the_source_digest_follows_contents_and_names(tmp_path):
    from pipeline.extract import source_digest

    (tmp_path / "stages").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "stages" / "b.py").write_text("y = 2\n")
    first = source_digest(tmp_path)
    assert source_digest(tmp_path) == first
    (tmp_path / "a.py").write_text("x = 2\n")
    edited = source_digest(tmp_path)
    assert edited != first
    (tmp_path / "stages" / "b.py").rename(tmp_path / "stages" / "c.py")
    assert source_digest(tmp_path) != edited


def test_an_interrupted_run_resumes(corpus, tmp_path):
    out = tmp_path / "out"
    run_batch([corpus], out, BatchOptions(jobs=1, **FAST))
    # What a kill leaves behind: a temporary file and, from an old tool, a truncated output.
    (out / ".casilli.json.x.tmp").write_text("{", encoding="utf-8")
    (out / "bourdieu.json").write_text('{"schema_version": "1.3.0", "source": {', encoding="utf-8")
    (out / "tocqueville.json").unlink()
    report = run_batch([corpus], out, BatchOptions(jobs=1, **FAST))
    assert sorted(Path(f.path).name for f in report.files if f.status == "processed") == ["bourdieu.md", "tocqueville.txt"]
    assert report.skipped == 2


def test_failures_are_isolated_and_reported(corpus, tmp_path):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (corpus / "binary.md").write_bytes(b"\x00\x01" * 100)
    report = run_batch([corpus, tmp_path / "missing.txt"], tmp_path / "out", BatchOptions(jobs=2, **FAST))
    errors = {Path(f.path).name: f.error.code for f in report.files if f.status == "failed"}
    assert errors == {"broken.pdf": "unreadable_pdf", "binary.md": "undecodable", "missing.txt": "not_found"}
    assert report.processed == 4
    on_disk = RunReport.model_validate_json((tmp_path / "out" / RUN_REPORT).read_text(encoding="utf-8"))
    assert on_disk.failed == 3 and all(f.error.message for f in on_disk.files if f.error)


def test_size_and_time_limits(corpus, tmp_path):
    report = run_batch([corpus / "casilli.txt", corpus / "becker.txt"], tmp_path / "out",
                       BatchOptions(jobs=1, max_bytes=5_000, **FAST))
    assert {Path(f.path).name: f.error.code for f in report.files if f.error} == {"casilli.txt": "too_large"}
    # A limit of a millisecond: the alarm inside the worker stops the extraction, the worker lives on.
    report = run_batch([corpus / "casilli.txt", corpus / "becker.txt"], tmp_path / "out2",
                       BatchOptions(jobs=1, time_limit=0.001))
    assert {f.error.code for f in report.files if f.error} == {"timeout"}


def _die_on_odd(task, **_):
    if task[0] % 2:
        os._exit(3)  # a crash the Python code cannot catch (segfault, OOM killer)
    return ("ok", task[0])


def test_a_dying_worker_is_replaced_and_its_file_reported():
    pool = WorkerPool(_die_on_odd, jobs=2, options={}, time_limit=None,
                      on_lost=lambda task, code, message: (code, task[0]))
    results = sorted(pool.run([(i,) for i in range(6)]), key=lambda r: r[1])
    assert results == [("ok", 0), ("worker_died", 1), ("ok", 2), ("worker_died", 3), ("ok", 4), ("worker_died", 5)]


def test_jsonl_holds_the_whole_corpus(corpus, tmp_path):
    out = tmp_path / "out"
    run_batch([corpus], out, BatchOptions(jobs=1, **FAST))
    run_batch([corpus], out, BatchOptions(jobs=1, jsonl=tmp_path / "corpus.jsonl", **FAST))  # all skipped
    lines = (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    assert {Handout.model_validate_json(line).source.path for line in lines} == {str(p) for p in corpus.rglob("*.*")}


def test_glob_patterns_are_expanded(corpus, tmp_path):
    report = run_batch([Path(f"{corpus}/**/*.txt")], tmp_path / "out", BatchOptions(jobs=1, **FAST))
    assert report.processed == 3


def test_process_one_matches_a_one_file_extract(tmp_path):
    import pipeline

    source = DATA / "fiche-markdown-bourdieu.md"
    record = process_one((str(source), str(tmp_path / "b.json")), **FAST)
    assert record.status == "processed" and record.tokens > 100
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8")) == \
        json.loads(pipeline.extract(source, **FAST).model_dump_json())


def test_dask_local_cluster_gives_the_same_outputs(corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    run_batch([corpus], tmp_path / "local", BatchOptions(jobs=1, **FAST))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        report = run_batch([corpus], tmp_path / "dask", BatchOptions(dask=cluster.scheduler_address, **FAST))
    assert report.executor == "dask" and report.processed == 4
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")


def test_a_pdf_bomb_costs_its_file_only(corpus, tmp_path):
    from tests.hostile import stream_bomb_pdf

    stream_bomb_pdf(corpus / "bomb.pdf", inflated_mb=100)
    report = run_batch([corpus], tmp_path / "out", BatchOptions(jobs=2, **FAST))
    errors = {Path(f.path).name: f.error.code for f in report.files if f.error}
    assert errors == {"bomb.pdf": "unreadable_pdf"} and report.processed == 4
