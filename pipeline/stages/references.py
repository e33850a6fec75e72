"""Page references of quotations: finding the reference that stands next to a quotation.

Around a quotation a reference may stand in brackets after the mark (``» (p. 9)``), bare after it
(``» p.149``, ``» Teyssot 1978: 88``), after an incise (``», dit-il (p. 12).``), before the opening
mark (``p. 34 : « …``), opening the paragraph of notes (``p. 45 : …``), alone on a line
(``— Castel, p. 318``), or after a dash to the end of the line (``» — Becker, p. 171``). What
its text says is ``reference_parsing``'s job; the footnote a mark calls (``»[3]`` …
``[3] Ibid., p. 311.``) is ``footnotes``'.
"""

from __future__ import annotations

import re

from pipeline.models import Reference
from pipeline.stages.reference_parsing import DASH, FOLLOWING, PAGE_WORD, SP, parse_entry, parse_reference

# What may stand between a closing quote mark and its reference: Markdown emphasis closing around
# the quotation ("*« … »* (p. 3)"), spaces, at most one comma, full stop or semicolon ("» (p. 9)",
# "». (p. 9)", "», p. 12"), and one line break: hard-wrapped notes push the reference to the next
# line of the same paragraph ("»\n(p. 9)"; inside a block quote the next line starts with ">").
# A dash may stand before a bare reference ("» – p. 12"), as in slides and quick notes.
_GAP = rf"[*_]{{0,3}}{SP}*[.,;]?{SP}*(?:[–—]{SP}*)?(?:\n(?:[ \t]*>)*{SP}*)?"
# Markdown exporters (pandoc, Notion, Google Docs add-ons) escape brackets: "\(p. 12\)", "\[p. 88\]".
_BRACKETED = re.compile(rf"{_GAP}(?:\\?\((?P<paren>[^()\n]{{0,120}}?)\\?\)|\\?\[(?P<bracket>[^\[\]\n]{{0,120}}?)\\?\])")
_BARE = re.compile(
    rf"{_GAP}(?P<bare>{PAGE_WORD}{SP}*\d{{1,5}}(?:{SP}*{DASH}{SP}*\d{{1,5}})?(?:{SP}*{FOLLOWING})?)"
    rf"(?![\w-])", re.I)
# Author-date without brackets, as reading notes write it after a quotation of another work:
# "» Castel 1995: 12", "» Castel, 1995, p. 12", "» Beaud et Pialoux 1999 : 40-41". The pages are
# required: "» Castel 1995" names a work, not a place in it.
_BARE_AUTHOR_DATE = re.compile(
    rf"{_GAP}(?P<bare>(?-i:[A-ZÀ-Ý])[\w'’-]+(?:{SP}+(?:et|&){SP}+(?-i:[A-ZÀ-Ý])[\w'’-]+)?,?{SP}+"
    rf"(?:1[5-9]\d\d|20\d\d)[a-z]?{SP}*[:,]{SP}*(?:{PAGE_WORD}{SP}*)?\d{{1,5}}"
    rf"(?:{SP}*{DASH}{SP}*\d{{1,5}})?)(?![\w-])", re.I)
# "p. 34 : « …" — a page given just before the quotation it announces.
_BEFORE = re.compile(
    # Not the end of a word: "Le top 10 : « …" or "au cap 3 : « …" announce no page.
    # A dash may announce it too: "p. 34 – « …" in quick notes.
    rf"(?<!\w)(?P<bare>{PAGE_WORD}{SP}*\d{{1,5}}(?:{SP}*{DASH}{SP}*\d{{1,5}})?)\)?{SP}*[:,–—]?{SP}*$", re.I)


# The source after a dash to the end of the line, as slides set it beside a quotation:
# "» — Becker, p. 171", "» – H. S. Becker, Outsiders, 1963, p. 172.".
_DASHED = re.compile(rf"[*_]{{0,3}}{SP}*[.,]?{SP}*[–—]{SP}*(?P<line>[^\n«»“”()\[\]]{{2,120}}?)[ \t.*_]*$", re.M)


def _dashed_source(m: re.Match, pos: int) -> Reference | None:
    """The reference a dashed line gives when the whole of it is one (or a full entry)."""
    line, start = m.group("line"), pos + m.start("line")
    ref = parse_reference(line, start)
    if ref is not None and ref.kind != "malformed":
        return ref
    return parse_entry(line, start, position="after")


def find_after(text: str, pos: int, limit: int) -> Reference | None:
    """The reference starting right after offset ``pos`` (a closing mark), not reaching ``limit``."""
    window = text[pos:min(limit, pos + 240)]
    at = 0
    # One gloss may stand between the quotation and its reference:
    # "le « digital labor » (travail numérique) (p. 12)".
    for _ in range(2):
        if m := _BRACKETED.match(window, at):
            group = "paren" if m.group("paren") is not None else "bracket"
            raw = m.group(group)
            if (ref := parse_reference(raw, pos + m.start(group))) is not None:
                return ref
        if b := _BARE.match(window, at):
            return parse_reference(b.group("bare"), pos + b.start("bare"))
        if b := _BARE_AUTHOR_DATE.match(window, at):
            return parse_reference(b.group("bare"), pos + b.start("bare"))
        if at == 0 and (d := _DASHED.match(window)) and (ref := _dashed_source(d, pos)) is not None:
            return ref
        if m is None:
            return None
        at = m.end()
    return None


def find_before(text: str, pos: int, floor: int) -> Reference | None:
    """A page announced just before the opening mark at ``pos`` ("p. 34 : « … »")."""
    window_start = max(floor, pos - 40)
    if m := _BEFORE.search(text, window_start, pos):
        raw = m.group("bare")
        start = m.start("bare")
        # "(p. 12) « …" belongs to the previous quotation, not this one; "Castel (p. 318) : « …"
        # announces this one with its colon.
        if start > floor and text[start - 1] == "(" and ":" not in text[m.end("bare"):pos]:
            return None
        return parse_reference(raw, start, position="before")
    return None


# "p. 45 : …", "**p.45** – …", "[p. 45] …" opening a paragraph or a list item of reading notes.
_LEADING = re.compile(
    rf"[*_]{{0,2}}\[?(?P<bare>{PAGE_WORD}{SP}*\d{{1,5}}(?:{SP}*{DASH}{SP}*\d{{1,5}})?)\]?[*_]{{0,2}}"
    rf"(?:{SP}*[:–—]|{SP}+-){SP}+", re.I)


def find_leading(text: str, start: int, end: int) -> Reference | None:
    """The page opening a block of notes ("p. 45 : l'auteur écrit que « … »"), or ``None``."""
    m = _LEADING.match(text, start, end)
    return parse_reference(m.group("bare"), m.start("bare"), position="before") if m else None


def find_in(text: str, start: int, end: int) -> Reference | None:
    """A reference standing alone in ``text[start:end]`` (a line such as ``p235`` or ``(p. 12)``)."""
    chunk = text[start:end]
    # "— Castel, p. 318": the dash that sets an attribution line off its quotation.
    stripped = chunk.strip().lstrip("–—-").strip()
    lead = start + (chunk.index(stripped) if stripped else 0)
    if stripped[:2] in ("\\(", "\\[") and stripped[-2:] in ("\\)", "\\]"):
        return parse_reference(stripped[2:-2], lead + 2, position="block")  # "\(p. 12\)"
    if stripped[:1] in "([" and stripped[-1:] in ")]":
        return parse_reference(stripped[1:-1], lead + 1, position="block")
    return parse_reference(stripped, lead, position="block") if stripped else None


def find_trailing(text: str, start: int, end: int) -> Reference | None:
    """A bracketed reference ending the text ``text[start:end]`` (``… métier. (p.175)``)."""
    chunk = text[start:end].rstrip(" \t\u00a0.")
    if not chunk or chunk[-1] not in ")]":
        return None
    opener = "(" if chunk[-1] == ")" else "["
    open_at = chunk.rfind(opener)
    if open_at < 0 or len(chunk) - open_at > 122:
        return None
    inner_end = len(chunk) - 1
    if chunk[inner_end - 1:inner_end] == "\\":
        inner_end -= 1  # "\(p. 12\)": a Markdown exporter's escapes
    return parse_reference(chunk[open_at + 1:inner_end], start + open_at + 1)


# "», mot rapporté par Louis Racine (cité par X, p. 12)." : a comma, a short incise without any
# quote mark or sentence end, then the reference closing the sentence.
_INCISE = re.compile(
    rf"[*_]{{0,3}}{SP}*,{SP}*(?P<incise>[^«»“”\"()\[\].!?;:\n]{{1,80}}?){SP}*"
    rf"\((?P<paren>[^()\n]{{1,120}})\){SP}*(?=[.;!?…]|$)", re.M)
_INCISE_MAX_WORDS = 8


def find_after_incise(text: str, pos: int, limit: int) -> Reference | None:
    """The reference ending the sentence of a quotation after an incise: "« … », dit-il (p. 12)."."""
    m = _INCISE.match(text[:min(limit, pos + 240)], pos)
    if m is None or len(m.group("incise").split()) > _INCISE_MAX_WORDS:
        return None
    ref = parse_reference(m.group("paren"), m.start("paren"))
    # Only pages and book places: "(Paris, 1999)" or a gloss after an incise is no reference.
    return ref if ref is not None and ref.kind != "malformed" else None
