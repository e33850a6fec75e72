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
    assert [i.code for i in issues] == ["encoding_errors"]  # the lost byte is said, not hidden


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


UTF8_LINE = "Séance 3 : le travail numérique\n".encode("utf-8")
CP1252_PASTE = "Un passage collé depuis Word : économie, tâche, œuvre — l’écart.\nSuite élevée.\n".encode("cp1252")


def test_a_pasted_cp1252_passage_is_decoded_as_cp1252_and_the_rest_as_utf8():
    text, encoding, issues = decode(UTF8_LINE + CP1252_PASTE + UTF8_LINE)
    assert encoding == "utf-8"
    # Each region in its own encoding: no "numÃ©rique" in the UTF-8 lines, no U+FFFD in the pasted ones.
    assert text == UTF8_LINE.decode() + CP1252_PASTE.decode("cp1252") + UTF8_LINE.decode()
    issue, = issues
    assert issue.code == "mixed_encoding" and "lines 2-3" in issue.message and "CP1252" in issue.message


def test_invalid_bytes_in_a_utf8_file_are_counted_with_their_lines():
    data = UTF8_LINE * 3 + "Ligne abîmée ".encode() + b"\xe9\xff fin\n" + UTF8_LINE
    text, encoding, issues = decode(data)
    assert encoding == "utf-8" and text.count("\ufffd") == 2
    issue, = issues
    assert issue.code == "encoding_errors" and issue.message.startswith("2 byte(s) on line 4 ")


def test_a_utf8_file_with_a_bom_is_repaired_the_same_way():
    text, encoding, issues = decode(codecs.BOM_UTF8 + UTF8_LINE + CP1252_PASTE)
    assert encoding == "utf-8-sig" and "économie" in text and "numérique" in text
    assert [i.code for i in issues] == ["mixed_encoding"]


def test_a_file_wholly_in_cp1252_reports_no_repair():
    text, encoding, issues = decode(CP1252_PASTE * 3)
    assert encoding == "cp1252" and issues == [] and "œuvre" in text


def test_the_repair_reaches_the_output(tmp_path):
    import pipeline

    (tmp_path / "mixte.txt").write_bytes(UTF8_LINE + b"\n" + CP1252_PASTE)
    handout = pipeline.extract(tmp_path / "mixte.txt", concepts=False, entities=False)
    assert "numérique" in handout.text and "Ã" not in handout.text
    assert "mixed_encoding" in [i.code for i in handout.issues]


@pytest.mark.parametrize("eol", [b"\r\n", b"\r"])
def test_lines_are_told_apart_whatever_ends_them(eol):
    # Old Mac files end lines with CR alone: the pasted line is still a line of its own.
    data = UTF8_LINE.rstrip(b"\n") + eol + "Collé : économie".encode("cp1252") + eol + UTF8_LINE.rstrip(b"\n") + eol
    text, _, issues = decode(data)
    assert "numérique" in text and "économie" in text and eol.decode() in text
    assert [i.code for i in issues] == ["mixed_encoding"] and "line 2 " in issues[0].message
