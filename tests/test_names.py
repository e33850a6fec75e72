"""Output names (pipeline/batch/names.py): one distinct output per input within a run and against
what the output folder holds, stable when other files join a later run, old outputs migrated."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.batch import runner
from pipeline.batch.names import INDEX, RUN_REPORT, assign_names
from pipeline.batch.runner import BatchOptions, process_one, run_batch
from pipeline.models import Handout

FAST = dict(concepts=False, entities=False)


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    """Every file extracted in this process: these tests are about names, and a worker pool per
    Hypothesis example would take minutes."""
    def serial(tasks, worker_options, **_):
        for task in tasks:
            yield process_one(task, **worker_options)

    monkeypatch.setattr(runner, "_execute", serial)


def _write(root: Path, relative: str, number: int) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Séance {number}\n\nUn texte de travail, le numéro {number}, sur l'attente.\n", encoding="utf-8")
    return path


def _handouts(out: Path) -> dict[str, str]:
    """Output name -> the input it was made from, for every handout in ``out``."""
    return {p.name: str(Path(Handout.model_validate_json(p.read_bytes()).source.path).resolve())
            for p in out.glob("*.json") if p.name != RUN_REPORT}


def _run(paths, out: Path):
    return run_batch(paths, out, BatchOptions(jobs=1, **FAST))


# Pieces of names that collide once joined (a/b.md and a__b.md), are tdx's own (_run), differ only
# by case or Unicode normalisation, hold terminal escapes, or reach the length limit.
PIECES = ["a", "b", "A", "__", "_", "_run", "_names", "é", "e\u0301", "中文", " ", "-", "x.y", "\x1b[31m",
          "Casilli", "casilli"]
segment = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join).filter(
    lambda s: not s.startswith(".") and s.strip() == s and s not in (".", ".."))
relative = st.tuples(st.lists(segment, max_size=2), segment | st.just("x" * 240),
                     st.sampled_from([".md", ".txt", ".MD"])).map(
    lambda t: "/".join([*t[0], t[1] + t[2]]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(relative, min_size=1, max_size=7, unique=True),
       first=st.integers(min_value=0, max_value=7))
def test_one_distinct_stable_output_per_input(names, first):
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "in", Path(tmp) / "out"
        inputs = []
        for number, name in enumerate(names):
            try:
                inputs.append(str(_write(root, name, number).resolve()))
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                continue  # "a" as a file and as a folder: one of them cannot exist
        # A first run over part of the corpus, named from a deeper folder; then the whole corpus.
        some = [Path(p) for p in inputs[:first]]
        if some:
            _run(some, out)
        before = _handouts(out)
        report = _run([root], out)
        assert report.failed == 0, [f.error for f in report.files if f.error]
        after = _handouts(out)
        assert sorted(after.values()) == sorted(inputs), "one output per input, none lost, none twice"
        assert all(after.get(name) == made for name, made in before.items()), "names do not change"
        assert all(len(name.encode("utf-8", "surrogateescape")) < 200 and "\x1b" not in name for name in after)
        again = _run([root], out)
        assert again.processed == 0 and again.skipped == len(inputs)
        assert _handouts(out) == after


def test_an_input_named_like_the_run_report_keeps_its_output(tmp_path):
    _write(tmp_path / "in", "_run.md", 1)
    _write(tmp_path / "in", "_brouillon.md", 2)
    report = _run([tmp_path / "in"], tmp_path / "out")
    names = {Path(f.path).name: f.output for f in report.files}
    assert names["_run.md"] not in (RUN_REPORT, INDEX) and names["_brouillon.md"] == "_brouillon.json"
    assert Handout.model_validate_json((tmp_path / "out" / names["_run.md"]).read_bytes())
    assert json.loads((tmp_path / "out" / RUN_REPORT).read_text(encoding="utf-8"))["processed"] == 2


def test_a_folder_then_its_parent_keeps_one_output_per_handout(tmp_path):
    depot = tmp_path / "depot"
    _write(depot, "Martin/td.md", 1)
    _write(depot, "Durand/td.md", 2)
    _run([depot / "Martin"], tmp_path / "out")
    assert sorted(_handouts(tmp_path / "out")) == ["td.json"]
    _run([depot], tmp_path / "out")
    outputs = _handouts(tmp_path / "out")
    assert outputs["td.json"] == str((depot / "Martin" / "td.md").resolve()), "Martin's output keeps its name"
    assert sorted(outputs.values()) == sorted(str(p.resolve()) for p in depot.rglob("*.md"))


def test_a_name_the_folder_already_holds_is_not_taken(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "td.json").write_text('{"mine": "a file that is not tdx\'s"}', encoding="utf-8")
    _write(tmp_path / "in", "td.md", 1)
    report = _run([tmp_path / "in"], out)
    assert report.files[0].output != "td.json"
    assert json.loads((out / "td.json").read_text(encoding="utf-8")) == {"mine": "a file that is not tdx's"}


def test_old_outputs_are_adopted_and_duplicates_removed(tmp_path):
    """What the old naming left after `tdx extract depot/Martin` then `tdx extract depot`: two
    outputs of one handout. The next run keeps one, and `tdx concepts` counts the handout once."""
    depot, out = tmp_path / "depot", tmp_path / "out"
    martin = _write(depot, "Martin/td.md", 1)
    durand = _write(depot, "Durand/td.md", 2)
    out.mkdir()
    made = process_one((str(martin), str(out / "td.json")), **FAST)
    assert made.status == "processed"
    (out / "Martin__td.json").write_bytes((out / "td.json").read_bytes())
    process_one((str(durand), str(out / "Durand__td.json")), **FAST)

    naming = assign_names([(martin, depot), (durand, depot)], out)
    assert naming.names == {martin: "td.json", durand: "Durand__td.json"}
    assert naming.superseded == [(out / "Martin__td.json", martin)] and not (out / "Martin__td.json").exists()
    (out / "Martin__td.json").write_bytes((out / "td.json").read_bytes())  # the same again, for a whole run
    (out / INDEX).unlink()
    notes = []
    report = run_batch([depot], out, BatchOptions(jobs=1, **FAST), on_note=notes.append)
    assert notes == [f"{out / 'Martin__td.json'}: removed, an older output of {martin} (now {out / 'td.json'})."]
    assert report.skipped == 2, "the adopted outputs are up to date"
    assert sorted(_handouts(out).values()) == sorted([str(martin.resolve()), str(durand.resolve())])


def test_the_index_survives_a_moved_output_folder(tmp_path):
    """Input paths are recorded relative to the output folder: a project moved as a whole keeps
    its names."""
    _write(tmp_path / "p" / "in", "a/td.md", 1)
    _run([tmp_path / "p" / "in" / "a"], tmp_path / "p" / "out")
    _write(tmp_path / "p" / "in", "b/td.md", 2)
    (tmp_path / "p").rename(tmp_path / "q")
    report = _run([tmp_path / "q" / "in"], tmp_path / "q" / "out")
    names = {Path(f.path).relative_to(tmp_path / "q" / "in").as_posix(): f.output for f in report.files}
    assert names == {"a/td.md": "td.json", "b/td.md": "b__td.json"}
    assert report.skipped == 1, "the moved output is still up to date"


def test_a_damaged_or_hostile_index_never_writes_outside_the_folder(tmp_path):
    _write(tmp_path / "in", "td.md", 1)
    _write(tmp_path / "in", "autre.md", 2)
    out = tmp_path / "out"
    out.mkdir()
    target = "../in/td.md"
    (out / INDEX).write_text("\n".join([
        "{not json",
        json.dumps({"output": "../evil.json", "input": target}),
        json.dumps({"output": RUN_REPORT, "input": "../in/autre.md"}),
        json.dumps({"output": ".hidden.json", "input": target}),
        json.dumps({"output": 3, "input": target}),
        "[" * 50_000,
    ]) + "\n", encoding="utf-8")
    report = _run([tmp_path / "in"], out)
    assert report.failed == 0 and sorted(f.output for f in report.files) == ["autre.json", "td.json"]
    assert not (tmp_path / "evil.json").exists() and not (out / ".hidden.json").exists()
    assert json.loads((out / RUN_REPORT).read_text(encoding="utf-8"))["processed"] == 2


def test_an_index_naming_two_outputs_for_one_input_keeps_one(tmp_path):
    td = _write(tmp_path / "in", "td.md", 1)
    out = tmp_path / "out"
    _run([td], out)
    (out / "copie.json").write_bytes((out / "td.json").read_bytes())
    with open(out / INDEX, "a", encoding="utf-8") as index:
        index.write(json.dumps({"output": "copie.json", "input": "../in/td.md"}) + "\n")
    _run([td], out)
    assert list(_handouts(out).values()) == [str(td.resolve())]


@pytest.mark.parametrize("names, expected", [
    (["b.md", "a/b.md", "a__b.md"], ["b.json", "a__b.md.json", "a__b.json"]),
    (["_run.md", "_names.md"], ["_run.md.json", "_names.json"]),
    (["Td.md", "td.md"], ["Td.md-2.json", "td.md-3.json"]),  # one file on macOS and Windows
    (["x\\y.md"], ["x_y.json"]),
    ([".md"], ["_md.json"]),  # a hidden file named explicitly
])
def test_documented_names(tmp_path, names, expected):
    files = [(_write(tmp_path / "in", name, i), tmp_path / "in") for i, name in enumerate(names)]
    assert [assign_names(files, tmp_path / "out", write_index=False).names[f] for f, _ in files] == expected
