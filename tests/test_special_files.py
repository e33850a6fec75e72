"""FIFOs, devices and links to them where a file is expected: every command refuses them with an
``Error:`` line, goes on with the other files and exits non-zero — and never blocks. Each command
runs in a subprocess with a timeout, so that a regression fails instead of hanging the suite."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")

GOOD = DATA / "td-plan-roman-tocqueville.txt"


def tdx(*args, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture()
def inputs(tmp_path) -> Path:
    """A folder holding one good handout, a FIFO named like a handout, and links named ``x.txt``
    to a FIFO and to ``/dev/zero``."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "x.txt").symlink_to(folder / "pipe.txt")
    if Path("/dev/zero").exists():
        (folder / "zero.md").symlink_to("/dev/zero")
    return folder


def special(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != "good.txt")


@pytest.mark.parametrize("by_name", [True, False], ids=["named", "in-a-folder"])
def test_extract_refuses_special_files_and_extracts_the_others(inputs, tmp_path, by_name):
    out = tmp_path / "out"
    result = tdx("extract", *(sorted(inputs.iterdir()) if by_name else [inputs]), "-o", out, "-q",
                 "--no-concepts", "--no-entities")
    assert result.returncode == 1, result.stderr
    for path in special(inputs):
        assert f"Error: {path}: not a regular file but " in result.stderr
    assert "a link to a named pipe (FIFO)" in result.stderr and "a named pipe (FIFO): reading" in result.stderr
    assert json.loads((out / "good.json").read_text())["source"]["path"] == str(inputs / "good.txt")
    report = json.loads((out / "_run.json").read_text())
    assert {Path(f["path"]).name: f["error"]["code"] for f in report["files"] if f["error"]} == \
        {p.name: "not_regular_file" for p in special(inputs)}


def test_an_output_replaced_by_a_fifo_is_redone_not_read(inputs, tmp_path):
    # The FIFO is never opened (the run would block); it is not tdx's file, so the handout's
    # output takes another name rather than replace it (docs/batch.md, output names).
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "good.json")
    result = tdx("extract", inputs / "good.txt", "-o", out, "-q", "--no-concepts", "--no-entities")
    assert result.returncode == 0, result.stderr
    made = [p for p in out.glob("*.json") if p.is_file() and not p.name.startswith("_")]
    assert [json.loads(p.read_text())["source"]["path"] for p in made] == [str(inputs / "good.txt")]


def test_check_refuses_special_handouts_and_checks_the_others(inputs):
    result = tdx("check", inputs, "--format", "json")
    assert result.returncode == 2, result.stderr
    assert f"Error: {inputs / 'x.txt'}: not a regular file but a link to a named pipe (FIFO)" in result.stderr
    assert [d["path"] for d in json.loads(result.stdout)["documents"]] == [str(inputs / "good.txt")]


def test_a_fifo_given_as_source_is_not_called_a_folder(inputs):
    result = tdx("check", inputs / "good.txt", "--source", inputs / "pipe.txt")
    assert result.returncode == 2
    assert f"Error: {inputs / 'pipe.txt'}: not a regular file but a named pipe (FIFO)" in result.stderr
    assert "folder" not in result.stderr


def test_show_and_export_refuse_special_json(inputs, tmp_path):
    out = tmp_path / "out"
    assert tdx("extract", inputs / "good.txt", "-o", out, "-q", "--no-concepts", "--no-entities").returncode == 0
    os.mkfifo(out / "fifo.json")
    (out / "zero.json").symlink_to("/dev/zero")
    shown = tdx("show", out / "fifo.json")
    assert shown.returncode == 1 and f"Error: {out / 'fifo.json'}: not a regular file" in shown.stderr
    exported = tdx("export", out, "--csv", tmp_path / "csv", "--sqlite", tmp_path / "corpus.db")
    assert exported.returncode == 1
    assert exported.stderr.count("Error: ") == 2  # each special file once, though two exports read them
    assert f"{out / 'zero.json'}: not a regular file but a link to a character device" in exported.stderr
    assert "1 handout(s) exported" in exported.stdout  # the good one
    assert (tmp_path / "csv" / "quotations.csv").read_text(encoding="utf-8-sig").count("\n") > 1


def test_a_fifo_glossary_is_refused_before_any_work(inputs, tmp_path):
    result = tdx("extract", inputs / "good.txt", "-o", tmp_path / "out", "--glossary", inputs / "pipe.txt")
    assert result.returncode == 2
    assert f"Error: {inputs / 'pipe.txt'}: not a regular file but a named pipe (FIFO)" in result.stderr
