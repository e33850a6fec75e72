"""Decoding and normalisation of text input: encodings, BOM, line endings, Unicode forms."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from pipeline.errors import EmptyDocumentError, UndecodableError
from pipeline.ingest.text import decode, from_string, normalise

SAMPLE = "Séance 1 : « Le travail du clic » (p. 12) — tâcheronnisation, œuvre, l’écart\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),  # Word's "Unicode text" export carries a BOM
        (SAMPLE.encode("cp1252"), "cp1252"),  # ’, œ and — exist only in CP1252, not Latin-1
        ("Séance à la Sorbonne\n".encode("latin-1") + b"\x81", "latin-1"),  # 0x81 is unassigned in CP1252
    ],
)
def test_encodings_are_detected_and_recorded(data, encoding):
    text, detected, _ = decode(data)
    assert detected == encoding
    assert "Séance" in text


def test_mostly_utf8_with_a_stray_byte_stays_utf8_with_a_warning():
    data = ("é" * 50).encode("utf-8") + b"\xff" + "Séance".encode("utf-8")
    text, encoding, issues = decode(data)
    assert encoding == "utf-8" and text.endswith("Séance")


def test_binary_input_is_refused_with_a_hint():
    with pytest.raises(UndecodableError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_control_character_soup_is_refused():
    with pytest.raises(UndecodableError, match="control characters"):
        decode(bytes(range(1, 9)) * 20)


@pytest.mark.parametrize("text", ["", "   \n\n\t \n"])
def test_empty_input_is_refused(text):
    with pytest.raises(EmptyDocumentError):
        from_string(text)


def test_line_endings_and_unicode_forms_are_normalised():
    nfd = unicodedata.normalize("NFD", "Séance\r\nthèse\rfin")
    assert normalise(nfd) == "Séance\nthèse\nfin"


def test_non_breaking_spaces_are_kept_so_spans_stay_exact():
    doc = from_string("«\u00a0citation\u202f»")
    assert doc.text == "«\u00a0citation\u202f»"
