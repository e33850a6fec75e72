"""dev.py, the quick start: a quiet installer unless it fails, and `extract` with options alone."""

from __future__ import annotations

import sys
import tomllib

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
import dev  # noqa: E402  (dev.py is a script at the project's root, not a package)


def test_the_installer_is_quiet_when_it_succeeds(capsys):
    dev._quietly([sys.executable, "-c", "print('Collecting spacy ... 150 lines of noise')"])
    assert capsys.readouterr().out == ""


def test_the_installer_shows_all_it_said_when_it_fails(capsys):
    with pytest.raises(SystemExit) as stop:
        dev._quietly([sys.executable, "-c", "import sys; print('ERROR: No matching distribution for spacy'); "
                                            "sys.exit(1)"])
    assert "ERROR: No matching distribution for spacy" in capsys.readouterr().out
    assert str(stop.value).startswith("Error: installing into .venv/ failed (pip exit code 1")


@pytest.mark.parametrize("rest, args", [
    ([], ["raw", "-o", "outputs"]),
    (["--force"], ["raw", "-o", "outputs", "--force"]),
    (["-j", "2", "-q"], ["raw", "-o", "outputs", "-j", "2", "-q"]),
    (["--exclude", "old"], ["raw", "-o", "outputs", "--exclude", "old"]),
    (["other/"], ["-o", "outputs", "other/"]),
    (["other/", "-o", "out"], ["other/", "-o", "out"]),
    (["--output=out", "--force"], ["raw", "--output=out", "--force"]),
])
def test_extract_keeps_the_projects_folders_when_given_options_alone(rest, args):
    assert dev.extract_args(rest) == args


def test_the_license_is_the_spdx_string_setuptools_wants():
    """`license = { text = ... }` made setuptools print a page of deprecation warnings on install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert project["build-system"]["requires"] == ["setuptools>=77"], "the first to read an SPDX license"
