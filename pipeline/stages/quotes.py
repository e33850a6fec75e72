"""Quotations: « » and “ ” pairs, Markdown block quotes, and quotations whose marks went missing.

Quote marks are balanced block by block (a block is a paragraph or a list item) with a stack, so
nested « « » » and “ ” inside « » pair correctly and the scan stays linear however many marks a
handout holds. What is left unbalanced is then resolved, never silently dropped:

- an opening mark left open at the end of its block continues into the next blocks when one of them
  holds an unmatched closing mark (a quotation running over several bullets or paragraphs, or the
  French convention that re-opens « at the start of each quoted paragraph);
- otherwise it is closed at the end of its block (before a trailing reference) and flagged
  ``missing_closing_mark``; an unmatched closing mark opens at the start of its block and is flagged
  ``missing_opening_mark``;
- a long paragraph with no marks that ends with a page reference is a quotation flagged
  ``no_quote_marks``; one ending with a bracketed speaker (``[Brigitte, 50 ans, infirmière]``) is an
  interview ``excerpt``; a block indented by spaces or a tab (verse, one per line) is a quotation
  with the place it ends with (``(v. 269-276)``), or the reference alone on the line below it.

Reading notes give pages their own ways: a page line closing a ``>`` block quote (``> p.219``), a
callout title (``> [!quote] Titre (p. 65)``), a page heading over that page's notes
(``**P.26**``) or a page opening the paragraph (``p. 45 : …``). Citations without a reference of
their own take those; quoted terms and fragments of a passage already quoted do not.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pipeline.document import Block, Document
from pipeline.models import Quote, Reference, Section, Span
from pipeline.stages import references
from pipeline.stages.locate import SectionIndex, boxes

_MARKS = re.compile(r"[«»“”„‹›\"]")
_HAS_WORD = re.compile(r"\w")
# What closes a reference before the next sentence: "(p. 1). Puis" -> the next quotation is "Puis".
_REFERENCE_TAIL = re.compile(r"[)\]]?[ \t\u00a0\u202f.,;:]*")
# A sentence end followed by the next sentence's capital: "… du marché. Elle …".
_SENTENCE_INSIDE = re.compile(r"[a-zà-ÿ]{2}[.!?…][ \u00a0\u202f]+[A-ZÀ-Ý]")
_INLINE_CODE = re.compile(r"(`+)[^`\n].{0,300}?(?<!`)\1(?!`)")
_CLOSER_OF = {"»": "«", "›": "‹", "”": "“„\"", "“": "„"}
_WS = " \t\n\u00a0\u202f\u2009"
# Bullet markers and spaces a recovered quotation must not start with.
_LEAD = _WS + "-*+•▪◦●■➔→►➢➤–—"
# How far a quotation may run over blocks before an unmatched mark is taken for a typo instead.
_MAX_JOIN_BLOCKS = 8
_MAX_JOIN_CHARS = 6000
# A quoted expression of at most this many words, with no reference, is a term, not a citation:
# handouts quote concepts (« tâcheronnisation », « coût marginal zéro ») all the time.
_TERM_MAX_WORDS = 8
# A quotation needs this many words to take the reference closing its sentence after an incise
# ("« … », écrit Weber (p. 12)"); a quoted term followed by a gloss does not.
_INCISE_MIN_WORDS = 4
# Above this many words, or with two sentences, an unreferenced quotation is a citation.
_CITATION_MIN_WORDS = 20
# A paragraph with no marks needs this many words before its trailing reference to be taken for an
# unmarked quotation rather than a paraphrase ("Voir le tableau (p. 12)").
_UNMARKED_MIN_WORDS = 12
# An indented block of several lines (verse) is a quotation from this many words.
_VERSE_MIN_WORDS = 6
# Callouts of Obsidian/GitHub Markdown that are not quotations.
_CALLOUT = re.compile(r"\[!(?P<type>[^\]]+)\]")
_QUOTE_CALLOUTS = {"quote", "cite", "citation"}
# "[Brigitte, 50 ans, infirmière]": a bracketed speaker ending an interview extract.
_ATTRIBUTION = re.compile(r"\[(?P<who>[A-ZÀ-Ý][^\[\]\n]{1,80}?,[^\[\]\n]{1,80})\][ \t.]*$")
_ATTRIBUTION_GAP = re.compile(r"[*_]{0,3}[ \t\u00a0\u202f.,]*")


@dataclass
class _Pair:
    open: int | None  # offset of the opening mark
    close: int | None  # offset of the closing mark
    open_mark: str | None
    close_mark: str | None
    block: int  # index of the block holding the opening (or, when missing, the closing) mark
    end_block: int
    issues: list[str] = field(default_factory=list)


@dataclass
class _BlockMarks:
    pairs: list[_Pair] = field(default_factory=list)
    open_left: list[tuple[int, str]] = field(default_factory=list)  # (offset, mark), outermost first
    close_left: list[tuple[int, str]] = field(default_factory=list)
    first_mark: int | None = None


def _balance(text: str, block: Block, index: int) -> _BlockMarks:
    out = _BlockMarks()
    stack: list[tuple[int, str]] = []
    # Marks inside inline code (`print("« x »")`) are code, as they are in fenced code blocks.
    code = [(c.start(), c.end()) for c in _INLINE_CODE.finditer(text, block.start, block.end)] \
        if "`" in text[block.start:block.end] else []
    k = 0
    for m in _MARKS.finditer(text, block.start, block.end):
        pos, ch = m.start(), m.group()
        while k < len(code) and code[k][1] <= pos:
            k += 1
        if k < len(code) and code[k][0] <= pos:
            continue
        if out.first_mark is None:
            out.first_mark = pos
        if ch == '"':
            # Straight quotes do not say which way they face: one closes the nearest open one.
            if stack and stack[-1][1] == '"':
                start, mark = stack.pop()
                out.pairs.append(_Pair(start, pos, mark, ch, index, index))
            else:
                stack.append((pos, ch))
            continue
        openers = _CLOSER_OF.get(ch)
        if ch == "“" and not (stack and stack[-1][1] == "„"):
            openers = None  # “ opens, except after German „
        if openers is None:
            stack.append((pos, ch))
            continue
        # Look a few levels down for the matching opener; deeper means the nesting is broken and
        # searching further would make adversarial input quadratic.
        for depth in range(1, min(len(stack), 4) + 1):
            if stack[-depth][1] in openers:
                break
        else:
            out.close_left.append((pos, ch))
            continue
        unclosed = stack[len(stack) - depth + 1:]
        del stack[len(stack) - depth + 1:]
        start, mark = stack.pop()
        pair = _Pair(start, pos, mark, ch, index, index)
        if unclosed:
            pair.issues.append("unbalanced_nesting")
        out.pairs.append(pair)
    out.open_left = stack
    return out


def _trim(text: str, start: int, end: int, lead: str = _WS) -> tuple[int, int]:
    while start < end and text[start] in lead:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return start, end


def _words(text: str) -> int:
    return len(re.findall(r"\w[\w'’-]*", text))


def _reads_as_citation(doc: Document, body: str, outer_start: int, outer_end: int) -> bool:
    """An unreferenced quotation is a citation when it is long and reads as prose: it ends a
    sentence or fills its paragraph. A long title in quotes ("The role of digital labour
    platforms in transforming the world of work") is a term."""
    words = _words(body)
    if words <= _TERM_MAX_WORDS:
        return False
    if body.rstrip(" *_").endswith((".", "!", "?", "…")):
        return True
    # Twenty words, or two sentences, are a passage cited, whatever ends it ("… et le reste" cut
    # by the handout): no title or concept runs that long in quotes.
    if words >= _CITATION_MIN_WORDS or _SENTENCE_INSIDE.search(body):
        return True
    # A quoted sentence standing as a sentence of the handout: capital first, after a full stop
    # ("… ces robots. « Sauf que l'étrange revient avec eux » (…)"). A title is named inside a
    # sentence, after a colon or a word, not in place of one.
    before = doc.text[max(0, outer_start - 3):outer_start].rstrip(" \t\u00a0\u202f*_")
    if body[:1].isupper() and (before == "" or before[-1] in ".!?…\n"):
        return True
    line = doc.line_at(outer_start)
    return (outer_end - outer_start) >= 0.6 * max(1, doc.line_at(outer_end).end - line.content_start)


class QuoteFinder:
    """Finds the quotations of a document whose sections are known (headings break quotations)."""

    def __call__(self, doc: Document, sections: list[Section]) -> list[Quote]:
        text = doc.text
        blocks = doc.blocks
        heading_starts = {s.heading_span.start for s in sections}
        # A heading ends any quotation running over blocks: each block gets the index of the first
        # block of its region; heading blocks are regions of their own (negative).
        region: list[int] = []
        current = 0
        for i, block in enumerate(blocks):
            if block.kind == "heading" or block.start in heading_starts:
                region.append(-1 - i)
                current = i + 1
            else:
                region.append(current)
        marks = [_balance(text, block, i) for i, block in enumerate(blocks)]
        pairs = self._resolve(text, blocks, marks, region)
        pairs.sort(key=lambda p: (p.open if p.open is not None else p.close, -(p.close or 0)))
        quotes = self._build(doc, blocks, pairs)
        quotes += self._unmarked(doc, blocks, quotes, region)
        quotes += self._blockquotes(doc, blocks, quotes)
        quotes.sort(key=lambda q: q.outer_span.start)
        _page_headings(doc, blocks, quotes, heading_starts)
        _drop_borrowed_references_of_fragments(doc, quotes)
        return _nest(quotes, sections, doc)

    # -- pairing -------------------------------------------------------------------------------
    def _resolve(self, text: str, blocks: list[Block], marks: list[_BlockMarks],
                 region: list[int]) -> list[_Pair]:
        pairs: list[_Pair] = []
        used_closers: set[int] = set()
        # Blocks whose leading « re-opens a quotation begun in an earlier block (French convention):
        # that mark belongs to the joined quotation, it opens no quotation of its own.
        continued: set[int] = set()
        for i, bm in enumerate(marks):
            if not bm.open_left or i in continued:
                continue
            (start, mark), *inner = bm.open_left
            extra = ["unbalanced_nesting"] if inner else []
            reopened: list[int] = []
            joined = self._join(text, blocks, marks, region, i, start, mark, used_closers, reopened)
            if joined is not None:
                joined.issues += extra
                pairs.append(joined)
                continued.update(reopened)
                continue
            pairs.append(_Pair(start, None, mark, None, i, i, ["missing_closing_mark", *extra]))
        for i, bm in enumerate(marks):
            for pos, ch in bm.close_left:
                if pos not in used_closers:
                    pairs.append(_Pair(None, pos, None, ch, i, i, ["missing_opening_mark"]))
        # Collected last: _join takes the closing pair of a re-opened quotation out of its block.
        return [p for bm in marks for p in bm.pairs] + pairs

    def _join(self, text, blocks, marks, region, i, start, mark, used_closers, reopened) -> _Pair | None:
        """Continue the quotation opened at ``start`` in block ``i`` into the following blocks.

        The blocks passed over that re-open the quotation with a leading « are added to ``reopened``.
        """
        if region[i] < 0:
            return None
        # A page reference ends a quotation: « … (p. 12) closing its block lost its », it does not
        # run on to the next stray » further down.
        if references.find_trailing(text, start + 1, blocks[i].end) is not None:
            return None
        # A quotation cut mid-sentence by a slide or page break runs on over the repeated slide
        # title ("… (suite)") and footer: the block where it resumes starts in lower case.
        mid_sentence = bool(re.search(r"[\w,]$", text[start:blocks[i].end].rstrip(_WS)))
        current = region[i]
        for j in range(i + 1, min(len(blocks), i + 1 + _MAX_JOIN_BLOCKS)):
            if blocks[j].start - start > _MAX_JOIN_CHARS:
                return None
            if region[j] != current:
                if not mid_sentence:
                    return None
                if region[j] < 0:
                    continue  # the heading repeated on the next slide
                if not text[blocks[j].start:blocks[j].start + 1].islower():
                    return None
                current, mid_sentence = region[j], False  # one break crossed, not two
            bm = marks[j]
            if bm.close_left and not (bm.open_left and bm.open_left[0][0] < bm.close_left[0][0]):
                pos, ch = bm.close_left[0]
                used_closers.add(pos)
                return _Pair(start, pos, mark, ch, i, j)
            starts_with_mark = (bm.first_mark is not None
                                and not text[blocks[j].start:bm.first_mark].strip(_LEAD))
            ends_with_reference = references.find_trailing(text, blocks[j].start, blocks[j].end) is not None
            if starts_with_mark and bm.open_left and bm.open_left[0][0] == bm.first_mark:
                reopened.append(j)
                if ends_with_reference:
                    # « re-opened, then a reference: the last paragraph, missing its ».
                    return _Pair(start, None, mark, None, i, j, ["missing_closing_mark"])
                continue  # « re-opened at the start of a continued paragraph
            if bm.open_left:
                return None  # another quotation opens here: ours was never closed
            first = next((p for p in bm.pairs if p.open == bm.first_mark), None) if starts_with_mark else None
            if first is not None and (not text[first.close + 1:blocks[j].end].strip(_WS + ".")
                                      or references.find_after(text, first.close + 1, blocks[j].end)):
                # The last paragraph of a re-opened quotation: « … » (p. 12) as a whole block.
                bm.pairs.remove(first)
                return _Pair(start, first.close, mark, first.close_mark, i, j)
            if ends_with_reference or any(
                    references.find_after(text, p.close + 1, blocks[j].end) for p in bm.pairs):
                return None  # a referenced paragraph or quotation of its own: ours ended before
            # A block with balanced marks only: the quotation may run through it.
        return None

    # -- records -------------------------------------------------------------------------------
    def _build(self, doc: Document, blocks: list[Block], pairs: list[_Pair]) -> list[Quote]:
        text = doc.text
        quotes: list[Quote] = []
        previous_end: dict[int, int] = {}
        for pair in pairs:
            first, last = blocks[pair.block], blocks[pair.end_block]
            reference: Reference | None = None
            if pair.open is None:
                # Missing opening mark: the quotation starts with its block, or after the previous
                # quotation of the block when there is one.
                floor = max(first.start, previous_end.get(pair.block, first.start))
                inner_start, outer_start = floor, floor
            else:
                outer_start, inner_start = pair.open, pair.open + 1
            if pair.close is None:
                end = last.end
                reference = references.find_trailing(text, inner_start, end)
                if reference is not None:
                    end = _bracket_before(text, reference, inner_start)
                inner_end = outer_end = end
            else:
                inner_end, outer_end = pair.close, pair.close + 1
            start, end = _trim(text, inner_start, inner_end, _LEAD if pair.open is None else _WS)
            if (pair.open is None or pair.close is None) and not _HAS_WORD.search(text, start, end):
                # A stray mark with nothing quotable next to it ("»»»", "« » »", "«««"): no
                # quotation, but a recovered one after it still starts after it.
                if pair.open is None:
                    previous_end[pair.block] = max(previous_end.get(pair.block, 0), outer_end)
                continue
            if end <= start:
                continue
            if reference is None and pair.close is not None:
                reference = references.find_after(text, outer_end, last.end)
            if reference is None and pair.close is not None and last.kind == "blockquote" \
                    and pair.end_block + 1 < len(blocks) and not text[outer_end:last.end].strip(_WS + ".*_"):
                # "> « … »\n>\n> (p. 12)": the reference is the next paragraph of the block quote.
                nxt = blocks[pair.end_block + 1]
                if nxt.kind == "blockquote" and nxt.first_line == nxt.last_line \
                        and all(doc.lines[k].quote_depth for k in range(last.last_line, nxt.first_line + 1)):
                    reference = _reference_line(text, nxt.start, nxt.end)
            if reference is None and pair.close is not None:
                # »[3] or »³ with the page in the note: the reference is the note's.
                reference = references.find_note(text, outer_end)
            if reference is None and pair.close is not None and _words(text[start:end]) >= _INCISE_MIN_WORDS:
                # « … », mot rapporté par X (cité par Y, p. 12). An incise naming the speaker
                # stands between the quotation and the reference closing its sentence.
                reference = references.find_after_incise(text, outer_end, last.end)
            if reference is None and pair.close is not None:
                # The reference typed inside the closing mark: « … le travail (p. 12) ». It is the
                # handout's, not the author's words: the quotation ends before its bracket.
                inside = references.find_trailing(text, start, end)
                if inside is not None and inside.kind not in ("location", "chapter"):
                    reference = inside
                    start, end = _trim(text, start, _bracket_before(text, inside, start),
                                       _LEAD if pair.open is None else _WS)
                    if end <= start:
                        continue
            attribution = None
            if reference is None and pair.close is not None:
                # « … » [Brigitte, 50 ans, infirmière]: an interview excerpt and its speaker.
                gap = _ATTRIBUTION_GAP.match(text, outer_end, last.end).end()
                if (m := _ATTRIBUTION.match(text, gap, last.end)) \
                        and references.parse_reference(m.group("who"), 0) is None:
                    attribution = m.group("who").strip()
            if reference is None and pair.open is not None:
                reference = references.find_before(text, pair.open, max(first.start, previous_end.get(pair.block, 0)))
            if pair.open is None:
                outer_start = start
            if pair.close is None:
                outer_end = end
            if reference is not None:
                # A quotation missing its opening mark starts after the last referenced one of its
                # block; quoted terms before it are part of it.
                previous_end[pair.end_block] = max(previous_end.get(pair.end_block, 0),
                                                   _REFERENCE_TAIL.match(text, reference.span.end).end())
            elif pair.open is None:
                # Nor does it start before the end of another one missing its opening mark: "A » B »"
                # is two quotations, not "A" and "A » B" (nor n overlapping ones, quadratic in size,
                # for a line of n stray »).
                previous_end[pair.end_block] = max(previous_end.get(pair.end_block, 0), outer_end)
            quotes.append(self._quote(doc, start, end, outer_start, outer_end, pair.open_mark,
                                      pair.close_mark, reference, list(pair.issues),
                                      kind="excerpt" if attribution else None, attribution=attribution))
        return quotes

    def _quote(self, doc, start, end, outer_start, outer_end, open_mark, close_mark, reference,
               issues, *, kind=None, attribution=None) -> Quote:
        body = doc.text[start:end]
        if kind is None:
            kind = "citation" if reference is not None or _reads_as_citation(doc, body, outer_start, outer_end) \
                else "term"
        if reference is not None and reference.kind == "malformed":
            issues.append("malformed_reference")
        if reference is None and kind == "citation":
            issues.append("missing_reference")
        return Quote(id="", text=body, span=Span(start=start, end=end),
                     outer_span=Span(start=outer_start, end=outer_end), open_mark=open_mark,
                     close_mark=close_mark, kind=kind, section_id=None, reference=reference,
                     attribution=attribution, issues=issues)

    def _unmarked(self, doc: Document, blocks: list[Block], quotes: list[Quote],
                  region: list[int]) -> list[Quote]:
        """Paragraphs with no quote marks ending with a reference or a speaker in brackets."""
        text = doc.text
        covered = _Coverage(quotes)
        found: list[Quote] = []
        for i, block in enumerate(blocks):
            if region[i] < 0 or block.kind not in ("paragraph", "item"):
                continue
            if covered.overlaps(block.start, block.end):
                continue
            if m := _ATTRIBUTION.search(text, block.start, block.end):
                who = m.group("who")
                if references.parse_reference(who, 0) is None and _words(text[block.start:m.start()]) >= 8:
                    start, end = _trim(text, block.start, m.start(), _LEAD)
                    found.append(self._quote(doc, start, end, start, end, None, None, None,
                                             ["no_quote_marks"], kind="excerpt",
                                             attribution=who.strip()))
                    continue
            reference = references.find_trailing(text, block.start, block.end)
            end_at = None
            if reference is None and i + 1 < len(blocks) and blocks[i + 1].first_line == blocks[i + 1].last_line \
                    and blocks[i + 1].kind == "paragraph" and blocks[i + 1].end - blocks[i + 1].start <= 60 \
                    and _set_off(doc, blocks, i):
                # An indented passage whose reference stands alone below it, after a blank line:
                # "    Texte cité…\n\n    (p. 23)".
                reference = _reference_line(text, blocks[i + 1].start, blocks[i + 1].end)
                end_at = block.end
            if reference is None:
                continue
            indented = _set_off(doc, blocks, i) or _verse_lines(doc, block, reference)
            # "(Introduction)" or "(v. 12)" after a plain paragraph is the handout pointing at a
            # place it sums up; a block indented as a quotation (verse, a passage set off by
            # spaces or a tab), or short lines of verse ending with their verse numbers, is the
            # quoted text itself.
            if reference.kind in ("location", "chapter") and not indented:
                continue
            start, end = _trim(text, block.start, end_at if end_at is not None
                               else _bracket_before(text, reference, block.start), _LEAD)
            # Verse runs short: two indented lines of a play are a quotation.
            least = _VERSE_MIN_WORDS if indented and block.last_line > block.first_line else _UNMARKED_MIN_WORDS
            if _words(text[start:end]) < least or _MARKS.search(text, start, end):
                continue
            # A passage set off by indentation needs no quote marks: typographically correct.
            found.append(self._quote(doc, start, end, start, end, None, None, reference,
                                     [] if indented else ["no_quote_marks"], kind="citation"))
        return found

    def _blockquotes(self, doc: Document, blocks: list[Block], quotes: list[Quote]) -> list[Quote]:
        """Markdown ``>`` block quotes are quotations even without guillemets."""
        text = doc.text
        covered = _Coverage(quotes)
        found: list[Quote] = []
        i = 0
        while i < len(blocks):
            if blocks[i].kind != "blockquote":
                i += 1
                continue
            j = i
            while j + 1 < len(blocks) and blocks[j + 1].kind == "blockquote" and \
                    all(doc.lines[k].quote_depth for k in range(blocks[j].last_line, blocks[j + 1].first_line + 1)):
                j += 1
            group = blocks[i:j + 1]
            i = j + 1
            start, end = group[0].start, group[-1].end
            title_reference = None
            callout = _CALLOUT.match(text, start, end)
            if callout:
                if callout.group("type").strip().lower() not in _QUOTE_CALLOUTS:
                    continue
                start = callout.end()
                if text[start:start + 1] in ("-", "+"):
                    start += 1  # Obsidian fold marker: "> [!quote]-"
                line = doc.line_at(start)
                body_line = next((ln for ln in doc.lines[line.index + 1:group[-1].last_line + 1]
                                  if ln.content_start < ln.end), None)
                if body_line is not None:
                    # The rest of the callout line is its title ("> [!quote] Casilli, p. 12"), never
                    # quoted text: the quotation starts on the next line, after its own '>' marker.
                    # A title may also name the passage before its reference:
                    # "> [!quote] Le don et l'échange (p. 12)".
                    title_reference = (references.find_in(text, start, line.end)
                                       or references.find_trailing(text, start, line.end)) \
                        if text[start:line.end].strip() else None
                    start = body_line.content_start
            reference = None
            if len(group) > 1:
                reference = references.find_in(text, group[-1].start, group[-1].end)
                if reference is not None:
                    end = group[-2].end
            if reference is None:
                reference = references.find_trailing(text, start, end)
                if reference is not None:
                    end = _bracket_before(text, reference, start)
                    while end > start and text[end - 1] in _WS + ">":
                        end -= 1  # the reference on a '>' line of its own
            if reference is None and group[-1].last_line > group[-1].first_line:
                # "> … dernière phrase.\n> p.219": the page on the last '>' line of the block.
                last_line = doc.lines[group[-1].last_line]
                if last_line.end - last_line.content_start <= 60:
                    reference = references.find_in(text, last_line.content_start, last_line.end)
                    if reference is not None and reference.kind == "malformed":
                        reference = None
                    if reference is not None:
                        end = doc.lines[group[-1].last_line - 1].end
            if reference is None and j + 1 < len(blocks) and blocks[j + 1].last_line == blocks[j + 1].first_line:
                reference = references.find_in(text, blocks[j + 1].start, blocks[j + 1].end)
            if reference is None:
                reference = title_reference
            start, end = _trim(text, start, end)
            if end <= start or covered.covers_most(start, end):
                continue
            found.append(self._quote(doc, start, end, start, end, ">", None, reference, [],
                                     kind="citation"))
        return found


def _indented(doc: Document, block: Block) -> bool:
    """A block whose lines are all set off by a tab or two spaces or more (a block quotation)."""
    for line in doc.lines[block.first_line:block.last_line + 1]:
        if line.kind != "text" or line.quote_depth or line.bullet:
            return False
        lead = doc.text[line.start:line.content_start]
        if not (lead.startswith("\t") or lead.startswith("  ")):
            return False
    return True


_PAGE_LINE_HINT = re.compile(r"[*_#\s]*p[\w .\u00a0]{0,6}\d", re.I)


def _set_off(doc: Document, blocks: list[Block], i: int) -> bool:
    """An indented block between text that is not: a block quotation. When the paragraphs on both
    sides are indented too, the indent is the alinéa of every paragraph (Word exports), not a quote."""
    if not _indented(doc, blocks[i]):
        return False
    neighbours = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks) and blocks[j].kind == "paragraph"]
    return len(neighbours) < 2 or not all(_indented(doc, b) for b in neighbours)


_VERSE_REFERENCE = re.compile(r"(?:.*,\s*)?(?:vv?\.|vers)\s*\d", re.I)


def _verse_lines(doc: Document, block: Block, reference: Reference) -> bool:
    """Two lines or more, each as short as a verse, closed by verse numbers ("(v. 237-238)")."""
    if block.last_line == block.first_line or not _VERSE_REFERENCE.match(reference.raw):
        return False
    return all(line.end - line.content_start <= 60 for line in doc.lines[block.first_line:block.last_line + 1])


def _page_headings(doc: Document, blocks: list[Block], quotes: list[Quote], heading_starts: set[int]) -> None:
    """Reading notes put the page on a line of its own before that page's notes ("**P.26**",
    "p. 26 :", "## Page 26"): the citations below it, up to the next page line or heading, take
    it when they have no reference of their own. Quoted terms do not: a page heading is no
    reference of theirs."""
    if not any(q.reference is None and q.kind == "citation" for q in quotes):
        return
    text = doc.text
    used = {q.reference.span.start for q in quotes if q.reference is not None}
    marks: list[tuple[int, Reference | None]] = []  # (offset, page line or None for a heading)
    for block in blocks:
        if block.start in heading_starts or block.kind == "heading":
            reference = _page_line(text, block.start, block.end) \
                if block.end - block.start <= 30 else None
            marks.append((block.start, reference))
            continue
        if block.first_line != block.last_line or block.end - block.start > 30:
            continue
        if text[block.start:block.start + 1] in "([" or not _PAGE_LINE_HINT.match(text, block.start, block.end):
            continue  # "(p. 23)" alone under a quotation is that quotation's reference
        reference = _page_line(text, block.start, block.end)
        if reference is not None and reference.span.start not in used \
                and not (doc.page_starts and doc.page_at(block.start) in reference.pages):
            # (A PDF's own folio, "Page 3" printed on page 3, is no page of the book.)
            marks.append((block.start, reference))
    starts = [offset for offset, _ in marks]
    block_starts = [block.start for block in blocks]
    for quote in quotes:
        if quote.reference is not None or quote.kind != "citation":
            continue
        # The page opening the quotation's own paragraph ("p. 45 : l'auteur écrit « … »") first.
        b = bisect.bisect_right(block_starts, quote.outer_span.start) - 1
        if b >= 0 and (leading := references.find_leading(text, blocks[b].start, quote.outer_span.start)):
            quote.reference = leading
        else:
            k = bisect.bisect_right(starts, quote.outer_span.start) - 1
            if k < 0 or marks[k][1] is None:
                continue
            quote.reference = marks[k][1].model_copy(update={"position": "page_heading"})
        if "missing_reference" in quote.issues:
            quote.issues.remove("missing_reference")


_FRAGMENT_NOISE = re.compile(r"[\W_]+")


def _drop_borrowed_references_of_fragments(doc: Document, quotes: list[Quote]) -> None:
    """A fragment of a passage already quoted (« je le vis » after the whole verse) is the
    handout commenting its words, not a new quotation: it keeps no reference it only borrowed
    from a page heading or from the end of its sentence. One with its own reference keeps it."""
    text = doc.text

    def borrowed(quote: Quote) -> bool:
        ref = quote.reference
        return ref is not None and (
            ref.position == "page_heading"
            or (ref.position == "after" and "," in text[quote.outer_span.end:ref.span.start]
                and len(text[quote.outer_span.end:ref.span.start].split()) > 2))

    if not any(borrowed(q) for q in quotes):
        return
    seen = ""  # the passages quoted so far, one string: one C-level search per quotation
    for quote in quotes:
        body = _FRAGMENT_NOISE.sub(" ", quote.text.lower()).strip()
        if body and borrowed(quote) and body in seen:
            # A repeated passage stays a citation (unreferenced: its page was given before).
            quote.reference = None
            quote.kind = "citation" if _reads_as_citation(doc, quote.text, quote.outer_span.start,
                                                         quote.outer_span.end) else "term"
        if len(body) > 40:
            seen += "\n" + body


def _bracket_before(text: str, reference: Reference, floor: int) -> int:
    """Offset of the bracket opening a trailing reference such as ``(p.175)`` (or ``\\(p.175\\)``)."""
    after = text[reference.span.end:reference.span.end + 2].lstrip("\\")
    bracket = "(" if after[:1] == ")" else "["
    at = max(floor, text.rfind(bracket, floor, reference.span.start))
    return at - 1 if at > floor and text[at - 1] == "\\" else at


def _reference_line(text: str, start: int, end: int) -> Reference | None:
    """A line that is nothing but a reference ("(p. 23)", "p. 23", "(v. 405-406)"), or ``None``."""
    reference = references.find_in(text, start, end)
    return reference if reference is not None and reference.kind != "malformed" else None


def _page_line(text: str, start: int, end: int) -> Reference | None:
    """A line holding only a page ("p.219", "(p. 12)", "**P.26**", "Page 26 :"), or ``None``."""
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip(" \t*_#\u00a0"))
    tail = len(chunk.rstrip(" \t*_:\u00a0"))
    if tail <= lead:
        return None
    reference = references.find_in(text, start + lead, start + tail)
    if reference is None or reference.kind not in ("page", "page_range", "page_list") \
            or reference.back_reference or reference.author:
        return None
    return reference


class _Coverage:
    """The character ranges quotations (and their references) already cover."""

    def __init__(self, quotes: list[Quote]):
        self.spans = sorted((q.outer_span.start, max(q.outer_span.end, q.reference.span.end if q.reference else 0))
                            for q in quotes)
        self.starts = [s for s, _ in self.spans]
        # Spans may contain one another; the longest end so far bounds how far back to look.
        self.max_len = max((e - s for s, e in self.spans), default=0)

    def _near(self, start: int, end: int):
        k = bisect.bisect_left(self.starts, start - self.max_len)
        while k < len(self.spans) and self.spans[k][0] < end:
            yield self.spans[k]
            k += 1

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and e > start for s, e in self._near(start, end))

    def covers_most(self, start: int, end: int) -> bool:
        inside = sum(max(0, min(e, end) - max(s, start)) for s, e in self._near(start, end))
        return inside >= 0.6 * (end - start)


def _nest(quotes: list[Quote], sections: list[Section], doc: Document) -> list[Quote]:
    """Fold quotations lying inside another into its ``nested`` list; number and place the rest."""
    top: list[Quote] = []
    for quote in quotes:
        if top and quote.outer_span.start >= top[-1].outer_span.start and quote.outer_span.end <= top[-1].outer_span.end:
            top[-1].nested.append(quote.outer_span)
            continue
        top.append(quote)
    index = SectionIndex(sections)
    for n, quote in enumerate(top, 1):
        quote.id = f"q{n}"
        quote.section_id = index.at(quote.outer_span.start)
        quote.page = doc.page_at(quote.span.start)
        quote.boxes = boxes(doc, quote.span.start, quote.span.end)
        if quote.reference is not None:
            quote.reference.page = doc.page_at(quote.reference.span.start)
    return top
