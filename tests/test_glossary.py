"""The glossary (--glossary FILE.toml): validated before any work, the line at fault in the error."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import TdxError
from pipeline.stages.glossary import MAX_TERM, Glossary
from tests.conftest import DATA

GOOD = '[[concept]]\nlabel = "microtravail"\naliases = ["micro-travail"]\ndefinition = "Le travail du clic."\n'


def write(tmp_path, content: str):
    path = tmp_path / "glossaire.toml"
    path.write_text(content, encoding="utf-8")
    return path


def test_a_good_glossary_keeps_its_entries_as_written(tmp_path):
    glossary = Glossary.load(write(tmp_path, GOOD + '\n[[concept]]\nlabel = "hétéromation"\n'))
    assert glossary.entries == [
        {"label": "microtravail", "aliases": ["micro-travail"], "definition": "Le travail du clic."},
        # No aliases given, none invented: the glossary's fingerprint stays what it was.
        {"label": "hétéromation"}]


@pytest.mark.parametrize("content, message", [
    # A string where a list is due was once read letter by letter: "à" matched every "à".
    ('# glossaire\n\n[[concept]]\nlabel = "microtravail"\naliases = "micro-travail"\n',
     r'line 5: concept 1, aliases: a list is expected'),
    # An integer alias failed every handout as an internal error.
    ('[[concept]]\nlabel = "a"\n\n[[concept]]\nlabel = "b"\naliases = ["ok", 3]\n',
     r"line 6: concept 2, aliases 2: a string in quotes is expected"),
    ('[[concept]]\nlabel = 12\n', r"line 2: concept 1, label: a string in quotes is expected"),
    # A 400,000-character label took gigabytes in the matcher.
    ('[[concept]]\nlabel = "' + "a" * 400_000 + '"\n', rf"line 2: concept 1, label: longer than {MAX_TERM} characters"),
    ('[[concept]]\nlabel = "  "\n', r"line 2: concept 1, label: it is empty"),
    ('[[concept]]\naliases = ["x"]\n', r"line 1: concept 1, label: a label is required"),
    ('concept = [{label = "a"}, {aliases = ["b"]}]\n', r"line 1: concept 2, label: a label is required"),
    # A misspelt key or table would otherwise be ignored without a word.
    ('[[concept]]\nlabel = "a"\nalias = ["b"]\n', r"line 3: concept 1, alias: unknown key"),
    ('[[concepts]]\nlabel = "a"\n', r"line 1: concepts: unknown key"),
    ('[[concept]]\nlabel = "a"\nlabel = "b"\n', r"not valid TOML \(.*line 3"),
    # tomllib parses nesting recursively: deep nesting is a RecursionError, not a glossary.
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nests arrays or tables too deeply"),
    ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", "nests arrays or tables too deeply"),
])
def test_a_bad_glossary_is_a_clear_error_with_its_line(tmp_path, content, message):
    with pytest.raises(TdxError, match=message):
        Glossary.load(write(tmp_path, content))


def test_a_glossary_that_is_not_a_regular_file_or_not_utf8(tmp_path):
    with pytest.raises(TdxError, match="not a regular file"):
        Glossary.load(tmp_path)
    with pytest.raises(TdxError, match="not found"):
        Glossary.load(tmp_path / "absent.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes('[[concept]]\nlabel = "hétéromation"\n'.encode("latin-1"))
    with pytest.raises(TdxError, match=r"not UTF-8 \(line 2\)"):
        Glossary.load(path)


@pytest.mark.parametrize("content", ['[[concept]]\nlabel = "a"\naliases = "micro-travail"\n', None])
def test_the_cli_refuses_a_bad_glossary_before_any_work(tmp_path, content):
    glossary = write(tmp_path, content) if content is not None else tmp_path  # None: a folder
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(DATA / "td-plan-roman-tocqueville.txt"), "-o", str(out),
                                      "-j", "1", "--glossary", str(glossary)])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and str(glossary) in result.output
    assert "Traceback" not in result.output
    assert not list(out.glob("*.json")), "no handout is extracted with a glossary that is wrong"
