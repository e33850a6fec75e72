"""PDFs that cannot be read: the message says what is wrong, not something else."""

from __future__ import annotations

import re

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import DATA

OTHER = DATA / "td-plan-roman-tocqueville.txt"


def extract(tmp_path, *paths):
    result = CliRunner().invoke(app, ["extract", *map(str, paths), "-o", str(tmp_path / "out"), "-j", "1",
                                      "--no-concepts", "--no-entities"])
    return result.exit_code, " ".join(result.output.split())  # the terminal wraps long lines


def test_blank_pages_are_not_called_scanned(tmp_path):
    canvas = Canvas(str(tmp_path / "blank.pdf"), pagesize=A4)
    canvas.showPage()
    canvas.showPage()
    canvas.save()
    code, output = extract(tmp_path, tmp_path / "blank.pdf", OTHER)
    assert code == 1, output
    assert f"Error: {tmp_path / 'blank.pdf'}: the PDF has no text and no images on its 2 page(s)" in output
    assert "scanned" not in output
    assert (tmp_path / "out" / "td-plan-roman-tocqueville.json").exists()


def _good_pdf(path):
    canvas = Canvas(str(path), pagesize=A4, pageCompression=0)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 700, "Bonjour le monde")
    canvas.showPage()
    canvas.save()
    return path.read_bytes()


@pytest.mark.parametrize("damage", [
    # A MediaBox of two numbers: pdfminer trips with an IndexError, once reported as a bug of tdx.
    lambda pdf: re.sub(rb"/MediaBox \[[^\]]*\]", b"/MediaBox [ 0 0 ]", pdf),
    lambda pdf: re.sub(rb"/MediaBox \[[^\]]*\]", b"/MediaBox [ /a (b) 1 2 ]", pdf),
    lambda pdf: pdf[:len(pdf) // 2],
])
def test_a_malformed_pdf_is_corrupt_not_a_bug_to_report(tmp_path, damage):
    (tmp_path / "bad.pdf").write_bytes(damage(_good_pdf(tmp_path / "good.pdf")))
    code, output = extract(tmp_path, tmp_path / "bad.pdf", OTHER)
    assert code == 1, output
    assert f"Error: {tmp_path / 'bad.pdf'}: the PDF is corrupt or truncated" in output
    assert "Please report" not in output
    assert (tmp_path / "out" / "td-plan-roman-tocqueville.json").exists()
