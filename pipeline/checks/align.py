"""Finding a quotation in the book: the pieces it was cut into, and their alignment.

The book's words are indexed once by word trigrams (``pipeline.checks.book.SourceIndex``), and
each quotation is found in two steps, as passim finds reused passages: the trigrams a quotation
shares with the book point at a few candidate places, and only there is it aligned word by word.
No window is ever slid over the whole book.

A quotation is split into pieces where the handout cut it (``[...]``) or put in its own words
(``[les plateformes]``); each piece is aligned on its own, and the pieces must follow each other,
close together, in the book. (rapidfuzz's ``partial_ratio`` slides a window of the shorter string's
length, so it cannot align a quotation whose source span is longer than itself, which is what a cut
makes: rapidfuzz issue #323.) Words are compared case- and accent-folded, without punctuation, so
typographic quotes and apostrophes, line breaks and hyphenation in the source change nothing.
What a match means for the citation: ``pipeline.checks.verdicts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from pipeline.checks.book import SourceIndex, SourceText
from pipeline.checks.ocr import ocr_edges, ocr_equal, printed_after, printed_before
from pipeline.checks.words import Words, words


# -- quotations: pieces, alignment -------------------------------------------------------------------

# What a handout puts into a quotation that is not the author's: cuts and its own words in brackets.
_CUT = re.compile(r"\[\s*(?:\.{3}|…)\s*\]|\(\s*(?:\.{3}|…)\s*\)|\.{3}|…")
_BRACKETS = re.compile(r"\[[^\[\]\n]{0,80}\]")
# Tokens of the source between two pieces: a cut may leave out a page or so, words in brackets
# stand for a few words at most ("[les plateformes]" for "elles").
_MAX_CUT = 1200
_MAX_INSERT = 8
# Fewer words than this cannot be placed in a book with confidence.
MIN_WORDS = 5
# Below this share of its words found in one place, a quotation is not in the book.
_FOUND_MIN = 0.55


@dataclass
class _Piece:
    words: Words
    gap_before: int  # how many source words may lie between the previous piece and this one


def pieces(text: str, base: int) -> list[_Piece]:
    """The quotation ``text`` (starting at offset ``base`` of the handout) cut where the handout cut it."""
    marks = sorted([(m.start(), m.end(), _MAX_CUT) for m in _CUT.finditer(text)]
                   + [(m.start(), m.end(), _MAX_INSERT) for m in _BRACKETS.finditer(text)
                      if not _CUT.fullmatch(m.group())])
    out: list[_Piece] = []
    at, gap = 0, 0
    for start, end, allowance in marks:
        if start < at:
            continue
        piece = words(text, at, start, base=base)
        if len(piece):
            out.append(_Piece(piece, gap))
            gap = 0
        gap += allowance
        at = end
    piece = words(text, at, len(text), base=base)
    if len(piece):
        out.append(_Piece(piece, gap))
    return out


@dataclass
class _Placement:
    """Where one piece lies in the source."""

    piece: int
    start: int  # source word range
    end: int
    matched: int  # words of the piece found there
    blocks: list[tuple[int, int, int, int]]  # differing (quote a, quote b, source a, source b) ranges
    noise: int = 0  # words of the piece that differ there by OCR noise only


def _core(opcodes, q: list[str], norms: list[str], lo: int) -> tuple[int, int]:
    """The source range (relative to ``lo``) an alignment of the quote words ``q`` really covers.

    An alignment maximises matched words, whatever gaps it leaves: the words at either edge of the
    quotation may be matched to a copy of them farther away in the window — a chapter title
    repeating the sentence's first words, "de", "la" — rather than to the copy right next to the
    rest. Such an edge block is dropped when the same words stand right next to the rest, or when
    it is a word or two far out.
    """
    equal = [(op.src_start, op.src_end, op.dest_start, op.dest_end) for op in opcodes if op.tag == "equal"]
    if equal:
        # The quotation's words before (after) its longest matched run, printed right before (after)
        # that run: the matches scattered elsewhere are chance ones.
        k = max(range(len(equal)), key=lambda i: equal[i][1] - equal[i][0])
        qa, qb, sa, sb = equal[k]
        if k and printed_before(norms, lo + sa, q[:qa]) is not None:
            equal, k = equal[k:], 0
        if k < len(equal) - 1 and printed_after(norms, lo + sb, q[qb:]) is not None:
            equal = equal[:k + 1]
    while len(equal) > 1:
        (qa, qb, sa, sb), (qa2, _, sa2, _) = equal[0], equal[1]
        gap = (sa2 - sb) - (qa2 - qb)
        adjacent = sa2 - (qa2 - qa) >= 0 and norms[lo + sa2 - (qa2 - qa):lo + sa2] == q[qa:qa2]
        if gap >= 1 and (adjacent or (qb - qa <= 2 and gap >= 2)):
            equal.pop(0)
        else:
            break
    while len(equal) > 1:
        (_, qb, _, sb), (qa2, qb2, sa2, _) = equal[-2], equal[-1]
        gap = (sa2 - sb) - (qa2 - qb)
        adjacent = norms[lo + sb:lo + sb + (qb2 - qb)] == q[qb:qb2]
        if gap >= 1 and (adjacent or (qb2 - qa2 <= 2 and gap >= 2)):
            equal.pop()
        else:
            break
    if not equal:
        return 0, 0
    first, last = equal[0], equal[-1]
    # Quote words before the first match / after the last stand for as many source words, so a
    # word changed at an edge is shown as changed rather than as missing; as many as the book prints
    # them in when OCR glued two ("pouvoirest") or cut one ("pré parer", "consei 1").
    lead = printed_before(norms, lo + first[2], q[:first[0]]) if first[0] else None
    tail = printed_after(norms, lo + last[3], q[last[1]:]) if last[1] < len(q) else None
    start = first[2] - (lead if lead is not None else first[0])
    return max(0, start), last[3] + (tail if tail is not None else len(q) - last[1])


class _Aligner:
    def __init__(self, index: SourceIndex):
        self.index = index
        self.norms = index.words.norms

    def align(self, q: list[str], lo: int, hi: int) -> tuple[int, int, int, list]:
        """Align the quote words ``q`` inside source words ``[lo, hi)``: (start, end, matched, blocks)."""
        lo, hi = max(0, lo), min(len(self.norms), hi)
        window = self.norms[lo:hi]
        a, b = _core(Indel.opcodes(q, window), q, self.norms, lo)
        a, b = lo + a, min(lo + b, hi)
        if b <= a:
            return lo, lo, 0, [(0, len(q), lo, lo)]
        span = self.norms[a:b]
        matched, blocks = 0, []
        pending = None
        for op in Indel.opcodes(q, span):
            if op.tag == "equal":
                matched += op.src_end - op.src_start
                if pending:
                    blocks.append(pending)
                    pending = None
                continue
            qa, qb, sa, sb = op.src_start, op.src_end, a + op.dest_start, a + op.dest_end
            pending = (min(pending[0], qa), max(pending[1], qb), min(pending[2], sa), max(pending[3], sb)) \
                if pending else (qa, qb, sa, sb)
        if pending:
            blocks.append(pending)
        return a, b, matched, blocks

    def candidates(self, q: list[str], limit: int = 3) -> list[tuple[int, int]]:
        """Source windows where the quote words ``q`` may be, best first, from shared n-grams.

        Hits close together in the source form a cluster; in each, the hits are chained in the
        order of both texts, a jump costing more the more words it skips (the chaining of passim
        and minimap2). The best chain gives the window: a copy of the quotation's first words a
        sentence earlier ("Il y a cette différence entre les lois … Il y a cette différence entre
        les mœurs") does not stretch the window back to it.
        """
        hits = self.index.hits(q)
        if not hits:
            return []
        hits.sort()
        clusters: list[list[tuple[int, int]]] = [[hits[0]]]
        for s, qpos in hits[1:]:
            if s - clusters[-1][-1][0] <= len(q) + 20:
                clusters[-1].append((s, qpos))
            else:
                clusters.append([(s, qpos)])
        chains = sorted((_best_chain(c) for c in clusters), key=lambda c: -c[0])[:limit]
        slack = max(6, len(q) // 10)
        return [(chain[0][0] - chain[0][1] - slack, chain[-1][0] + len(q) - chain[-1][1] + slack)
                for _, chain in chains]

    def find_exact(self, q: list[str], lo: int, hi: int) -> int | None:
        """First place in ``[lo, hi)`` where the words ``q`` occur as they are (short pieces)."""
        lo, hi = max(0, lo), min(len(self.norms), hi)
        first = q[0]
        i = lo
        while True:
            try:
                i = self.norms.index(first, i, hi)
            except ValueError:
                return None
            if self.norms[i:i + len(q)] == q:
                return i
            i += 1


# Hits further apart than this in the quotation are not chained directly (it bounds the work).
_CHAIN_REACH = 40


def _best_chain(cluster: list[tuple[int, int]]) -> tuple[float, list[tuple[int, int]]]:
    """The heaviest chain of ``(source, quote)`` hits increasing in both: one point per hit, less
    a cost for every jump that skips words on one side only (1, plus 0.05 a word skipped)."""
    hits = sorted(cluster, key=lambda h: (h[1], h[0]))
    score = [1.0] * len(hits)
    back = [-1] * len(hits)
    for j, (sj, qj) in enumerate(hits):
        for i in range(j - 1, -1, -1):
            si, qi = hits[i]
            if qj - qi > _CHAIN_REACH:
                break
            if qi == qj or si >= sj:
                continue
            skipped = abs((sj - si) - (qj - qi))
            weight = score[i] + 1 - (1 + 0.05 * skipped if skipped else 0)
            if weight > score[j]:
                score[j], back[j] = weight, i
    end = max(range(len(hits)), key=score.__getitem__)
    best = score[end]
    chain = []
    while end >= 0:
        chain.append(hits[end])
        end = back[end]
    return best, chain[::-1]


@dataclass
class Match:
    """Where a whole quotation lies in the source, and how it differs from it."""

    placements: list[_Placement]
    quote_words: int
    matched: int
    source_words: int
    changes: list[tuple[tuple[int, int] | None, tuple[int, int] | None]]  # (handout chars, source chars)
    # Words that differ only by OCR noise, left out of ``changes``: (handout chars, source chars).
    ocr: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(p.start for p in self.placements)

    @property
    def end(self) -> int:
        return max(p.end for p in self.placements)

    @property
    def found(self) -> bool:
        # The margin of one and a half words matters for short quotations: six words out of ten
        # ("les lois de son … et qui") are what two unrelated sentences of one period share. And
        # words matched here and there over a long stretch of the book are chance.
        return self.matched >= min(_FOUND_MIN * self.quote_words + 1.5, self.quote_words) \
            and self.score >= 100 * _FOUND_MIN

    @property
    def score(self) -> float:
        # Capped: words glued by OCR, matched through tolerance, make fewer source words than quoted.
        return min(100.0, round(100 * 2 * self.matched / max(1, self.quote_words + self.source_words), 1))


class Locator:
    """Finds quotations in one source."""

    def __init__(self, source: SourceText):
        self.source = source
        self.index = source.index
        self.aligner = _Aligner(self.index)

    def locate(self, parts: list[_Piece], *, prefer: set[str] = frozenset()) -> Match | None:
        """Best placement of the pieces, in order and close together; ``prefer``: cited page labels,
        which break ties between two places of one passage printed twice in the book."""
        options: list[list[_Placement]] = []
        for k, part in enumerate(parts):
            found = []
            for lo, hi in self.aligner.candidates(part.words.norms):
                a, b, matched, blocks = self.aligner.align(part.words.norms, lo, hi)
                if matched:
                    found.append(_Placement(k, a, b, matched, blocks, self._noise(part.words.norms, blocks)))
            options.append(found)
        chain = self._chain(parts, options, prefer)
        if not chain:
            return None
        chain = self._fill(parts, chain)
        return self._match(parts, chain)

    def _noise(self, q: list[str], blocks: list[tuple[int, int, int, int]]) -> int:
        """How many quote words differ from the book only by OCR noise: a passage printed twice
        ("qui font des difficultés" early in the book, "qui forment des difficultés" on the page
        cited) must not lose the cited page to a word glued by the scanner there."""
        return sum(ob - oa for qa, qb, sa, sb in blocks
                   for oa, ob, _, _ in ocr_edges(q, self.index.words.norms, qa, qb, sa, sb, self.index.vocabulary,
                                                 self.index.one_after))

    def _weight(self, p: _Placement, prefer: set[str]) -> float:
        label = self.index.page_of_word(p.start).label
        return p.matched + p.noise + (0.5 if label is not None and label.lower() in prefer else 0)

    def _chain(self, parts: list[_Piece], options: list[list[_Placement]], prefer: set[str]) -> list[_Placement]:
        """The placements, one per piece at most, that follow each other in the book within the gaps
        the handout allows and match the most words (a small dynamic programme over pieces)."""
        # best[k][j]: (weight, chain) of the best chain ending with option j of piece k.
        best: list[list[tuple[float, list[_Placement]]]] = []
        for k, opts in enumerate(options):
            row = []
            for p in opts:
                top = (self._weight(p, prefer), [p])
                for k2 in range(k):
                    allowance = sum(parts[m].gap_before for m in range(k2 + 1, k + 1)) \
                        + sum(len(parts[m].words) + 10 for m in range(k2 + 1, k))
                    for (w, chain) in best[k2]:
                        last = chain[-1]
                        if last.end - 3 <= p.start <= last.end + allowance + 3:
                            if w + self._weight(p, prefer) > top[0]:
                                top = (w + self._weight(p, prefer), chain + [p])
                row.append(top)
            best.append(row)
        every = [entry for row in best for entry in row]
        return max(every, key=lambda e: e[0])[1] if every else []

    def _fill(self, parts: list[_Piece], chain: list[_Placement]) -> list[_Placement]:
        """Place the pieces the index could not (too short for a trigram, or changed) between their
        placed neighbours."""
        placed = {p.piece: p for p in chain}
        for k, part in enumerate(parts):
            if k in placed:
                continue
            before = max((m for m in placed if m < k), default=None)
            after = min((m for m in placed if m > k), default=None)
            if before is not None:
                lo = placed[before].end
                hi = lo + sum(parts[m].gap_before for m in range(before + 1, k + 1)) \
                    + sum(len(parts[m].words) for m in range(before + 1, k + 1)) + 3
                if after is not None:
                    hi = min(hi, placed[after].start)
            else:
                hi = placed[after].start
                lo = hi - sum(parts[m].gap_before for m in range(k + 1, after + 1)) \
                    - sum(len(parts[m].words) for m in range(k, after)) - 3
            q = part.words.norms
            if (at := self.aligner.find_exact(q, lo, hi)) is not None:
                placed[k] = _Placement(k, at, at + len(q), len(q), [])
            elif hi - lo <= 4 * len(q) + 20:
                a, b, matched, blocks = self.aligner.align(q, lo, hi)
                if matched:
                    placed[k] = _Placement(k, a, b, matched, blocks)
        return [placed[k] for k in sorted(placed)]

    def _match(self, parts: list[_Piece], chain: list[_Placement]) -> Match:
        src = self.index.words
        placed = {p.piece: p for p in chain}
        changes: list[tuple[tuple[int, int] | None, tuple[int, int] | None]] = []
        ocr: list[tuple[tuple[int, int], tuple[int, int]]] = []
        tolerated = 0  # quote words matched only through OCR tolerance
        for k, part in enumerate(parts):
            q = part.words
            if k not in placed:  # a piece found nowhere near the others: words the book lacks
                changes.append(((q.starts[0], q.ends[-1]), None))
                continue
            for qa, qb, sa, sb in placed[k].blocks:
                if self._ignorable(q.norms[qa:qb], sa, sb):
                    continue
                peeled = ocr_edges(q.norms, src.norms, qa, qb, sa, sb, self.index.vocabulary, self.index.one_after)
                for (oa, ob, osa, osb) in peeled:
                    # The "1" read for a final l is shown with its word: «nu1» for «nul».
                    one = not ocr_equal(q.norms[oa:ob], src.norms[osa:osb]) and self.index.one_after(osb - 1)
                    ocr.append(((q.starts[oa], q.ends[ob - 1]), (src.starts[osa], src.ends[osb - 1] + one)))
                    tolerated += ob - oa
                    if oa == qa and osa == sa:
                        qa, sa = ob, osb
                    else:
                        qb, sb = oa, osa
                if qb <= qa and (sb <= sa or qa in (0, len(q))):
                    # Nothing left, or only book words past the piece's end (before its start): a
                    # quotation leaves out nothing outside itself. The span ran on because OCR glued
                    # words ("noustrouvons"), so the book has fewer words than the quotation there.
                    continue
                changes.append(((q.starts[qa], q.ends[qb - 1]) if qb > qa else None,
                                (src.starts[sa], src.ends[sb - 1]) if sb > sa else None))
        return Match(chain, sum(len(p.words) for p in parts), sum(p.matched for p in chain) + tolerated,
                     sum(p.end - p.start for p in chain), changes, sorted(ocr))

    def _ignorable(self, quoted: list[str], sa: int, sb: int) -> bool:
        source = self.index.words.norms[sa:sb]
        if "".join(quoted) == "".join(source):
            return True  # "peut-être" against "peut-\nêtre" joined at the line end, "aujourd'hui" ...
        if not quoted and sb > sa:
            # Words the book has at a page break and the quotation not: a footnote or a running
            # line the page's text kept.
            return any(sa <= first <= sb for first in self.index.page_first_word)
        return False
