"""Footnotes that give a quotation its reference: ``»[3]`` … ``[3] Ibid., p. 311.``

The call right after the closing mark (``»[3]``, ``»³``, ``»[^3]``, ``»<sup>3</sup>``, a PDF's
``»3``) points at the note, found at the start of a line further down; the note gives pages or
points back (``Ibid.``), or is a full bibliographic entry whose last page is the cited one.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from pipeline.models import Reference
from pipeline.stages.reference_parsing import SP, parse_entry, parse_reference

# Footnote calls right after a closing mark: "»[3]", "»³", "»[^3]", "»<sup>3</sup>", "»^3^".
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Exports of word processors write the call as a link: "[2](#sdfootnote2sym)" (LibreOffice),
# "[[2]](#ftnt2)" (Google Docs).
_NOTE_LINK = r"(?:\(#[^()\s]{1,40}\))?"
_NOTE_CALL = re.compile(
    # PDF text gives a superscript call as a plain number glued to the mark: "»3 ".
    rf"(?P<glued>\d{{1,2}})(?!\w)|"
    rf"[*_]{{0,3}}{SP}?(?:\[?\\?\[\^?(?P<a>\d{{1,3}})\\?\]\]?{_NOTE_LINK}|(?P<b>[{_SUPERSCRIPTS}]{{1,3}})|"
    rf"<sup>(?P<c>\d{{1,3}})</sup>|\^(?P<d>\d{{1,3}})\^?)")


# A footnote definition at the start of a line, in the style of its call: "[3] …" or "[^3]: …" for
# a bracketed call ("b"); "³ …", "<sup>3</sup> …" for a superscript one ("s"), whose note Word and
# PDF exports may also print with a plain number ("3 Ibid.", "3. Ibid.": "p") when no superscript
# one exists. Found in one pass over the document, so that a handout with hundreds of calls and no
# notes does not scan its text once per call.
_NOTE_LINE = re.compile(
    # A bracketed note may be a list item ("- [2] …") and have a stop or a dash after its number
    # ("[2]. …", "[2] – …"), as notes typed by hand in Markdown do.
    rf"^[ \t>]*(?:(?:[-*+•][ \t]+)?\[?\\?\[\^?(?P<b>\d{{1,3}})\\?\]\]?{_NOTE_LINK}(?::|{SP}*[.–—-])?|(?P<s>[{_SUPERSCRIPTS}]{{1,3}})|"
    rf"<sup>(?P<sup>\d{{1,3}})</sup>|\^(?P<caret>\d{{1,3}})\^?|(?P<p>\d{{1,3}})[.)]?)"
    rf"{SP}*(?P<body>[^\W\d_\[(«\"“][^\n]*)$", re.M)


@lru_cache(maxsize=8)
def _note_lines(text: str) -> dict[str, list[tuple[int, str]]]:
    """``{"b3": [(body offset, body), …], "s3": …, "p3": …}`` for every line that may be a note."""
    index: dict[str, list[tuple[int, str]]] = {}
    for m in _NOTE_LINE.finditer(text):
        if m.group("b"):
            key = "b" + m.group("b")
        elif m.group("s"):
            key = "s" + "".join(str(_SUPERSCRIPTS.index(ch)) for ch in m.group("s"))
        elif m.group("sup") or m.group("caret"):
            key = "s" + (m.group("sup") or m.group("caret"))
        else:
            key = "p" + m.group("p")
        index.setdefault(key, []).append((m.start("body"), m.group("body")))
    return index


def _notes_after(text: str, key: str, pos: int) -> list[tuple[int, str]]:
    lines = _note_lines(text).get(key, [])
    return lines[bisect.bisect_right(lines, (pos, "")):]


_ABBREVIATION_END = re.compile(r"\b(?:ibid|idem|id|cit|sqq?|ss?|suiv|ff?|éd|trad|dir|coll|chap)\.$", re.I)



def find_note(text: str, pos: int) -> Reference | None:
    """The reference given by the footnote called right after offset ``pos`` (a closing mark).

    ``»[3]`` with ``[3] Ibid., p. 311.`` in the notes, ``»³`` with ``³ CHM, p. 86.`` at the foot of
    the page, Markdown ``[^3]`` with ``[^3]: …``: the page is the note's. A note that gives no page
    (a comment, a bibliography entry without page) gives no reference.
    """
    call = _NOTE_CALL.match(text, pos)
    if call is None:
        return None
    number = call.group("a") or call.group("c") or call.group("d") or call.group("glued")
    style = "bracket" if call.group("a") else "superscript"
    if number is None:
        number = "".join(str(_SUPERSCRIPTS.index(ch)) for ch in call.group("b"))
    if exact := _notes_after(text, ("b" if style == "bracket" else "s") + number, call.end()):
        # "[3] …", "³ …": the note itself, which gives a page or not.
        start, body = exact[0]
        return _note_reference(body, start)
    if style == "superscript":
        # A plain "2." may be a numbered heading before the note: the first of a few lines
        # numbered so that gives a reference.
        for start, body in _notes_after(text, "p" + number, call.end())[:5]:
            if (ref := _note_reference(body, start)) is not None:
                return ref
    return None


def _note_reference(body: str, start: int) -> Reference | None:
    body = body.rstrip(" \u00a0\u202f")
    if body.endswith(".") and not _ABBREVIATION_END.search(body):
        body = body[:-1]  # the note's full stop, not an abbreviation's ("Ibid.")
    if len(body) <= 120 and (ref := parse_reference(body, start, position="note")) is not None \
            and ref.kind != "malformed":
        # A note gives pages or points back; "Deuxième partie" is a heading numbered like a note.
        return ref if ref.kind not in ("location", "chapter") else None
    # A full bibliographic note ("A. Auteur, Titre, Paris, Éditeur, 1999, p. 112").
    return parse_entry(body, start, position="note")
