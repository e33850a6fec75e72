"""The tdx command: what users type, what they see, and the exit codes."""

from __future__ import annotations

import json
import shutil

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
        (_file("slides.pptx", b"PK\x03\x04"), "unsupported file type"),
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

