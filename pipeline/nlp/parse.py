"""Running the model over a handout: on a masked copy of its text, and NER only near names.

spaCy reads a *masked* copy of the text: Markdown markers, URLs, code and HTML are replaced by
spaces of the same length, so that the model never sees ``exploratoire**.`` and every token offset
is still an offset into ``Handout.text``. A long text is read in pieces of bounded size, each with
a few words of context either side, and joined back into one ``Doc``: memory no longer grows with
the text, and every token is tagged as in the whole text.
"""

from __future__ import annotations

import re

from pipeline.document import Document
from pipeline.nlp.model import Lexicon, lexicon, load

_LINE_MARKUP_KINDS = ("code", "html", "front_matter", "rule")
_INLINE = re.compile(
    r"<(?:https?|mailto|ftp):[^>\s]*>"  # autolinks
    r"|https?://\S+|www\.\S+"  # bare URLs
    r"|\]\([^)\s]*\)"  # the (url) part of [text](url)
    r"|(?<!\w)[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?!\w)"  # emphasis markers
    r"|[\[\]#`|➔→►➢➤]"
)


_SYMBOL_RUN = re.compile(r"[^\w\s]{40,}|\S{400,}")


def mask(doc: Document) -> str:
    """``doc.text`` with markup blanked out, same length, same line breaks."""
    chars = list(doc.text)
    for line in doc.lines:
        if line.kind in _LINE_MARKUP_KINDS:
            _blank(chars, line.start, line.end)
        elif line.content_start > line.start:
            _blank(chars, line.start, line.content_start)  # '#', '>', list markers
    text = "".join(chars)
    text = _INLINE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    # spaCy's tokenizer splits affixes off a whitespace-free chunk one at a time, which is
    # quadratic in the chunk's length ("«" * 10000 takes 11 s): long runs without a letter carry
    # no words anyway.
    return _SYMBOL_RUN.sub(lambda m: " " * len(m.group()), text)


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def parse(doc: Document, needs: frozenset[str]):
    """Run the model on the masked text. Token offsets are offsets into ``doc.text``.

    A long text is read in pieces (``pieces``), so that memory stays bounded whatever its length;
    the pieces are joined back into one ``Doc`` whose text is the masked text, character for
    character."""
    nlp = load(needs)
    masked = mask(doc)
    assert len(masked) == len(doc.text)
    # The other components over the whole text, NER near names only. (Not nlp.select_pipes: it
    # changes the shared model, which threads of a Dask worker use at the same time.)
    others = [name for name in nlp.pipe_names if name != "ner"]
    bounds = pieces(masked)
    if len(bounds) == 1:
        nlp.max_length = max(nlp.max_length, len(masked) + 1)  # pieces bound the size, not spaCy
        parsed = nlp.make_doc(masked)
        for name in others:
            parsed = nlp.get_pipe(name)(parsed)
    else:
        parsed = _parse_in_pieces(nlp, masked, bounds, others)
    if "entities" in needs:
        parsed.ents = _entities_near_names(nlp.get_pipe("ner"), parsed, lexicon(needs))
    return parsed


# What one piece may hold. spaCy's memory grows with the text it reads at once (about 3 GB per MB
# of text, measured on a 250 KB handout: the tok2vec activations of every token). In pieces of
# 20,000 characters a 2 MB text parses in 0.41 GB, the model included (0.23 GB), and no slower.
PIECE_CHARS = 20_000
# Words of context read on either side of a piece and then dropped: the tagger's tok2vec sees 4
# tokens either side of a token (depth 4, window 1), so with this margin every token of a piece is
# tagged as it would be in the whole text.
CONTEXT_WORDS = 16
_WORD_START = re.compile(r"(?<=\s)(?=\S)")


def pieces(text: str, *, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` pieces of at most about ``size`` characters covering ``text``, cut where
    a word starts after whitespace — at a paragraph if one starts in the second half of the piece,
    else at a line, else at a word — so that the tokenizer splits every piece as it splits the
    whole text (it starts a token wherever a word follows whitespace). A piece can exceed ``size``
    only when it holds no whitespace (which ``mask`` prevents beyond 400 characters)."""
    bounds, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = (_last_cut(text, r"\n[ \t]*\n\s*(?=\S)", start + size // 2, end)
               or _last_cut(text, r"\n\s*(?=\S)", start + size // 2, end)
               or _last_cut(text, r"\s(?=\S)", start + 1, end)
               or _first_cut(text, end))
        if cut is None:
            break
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _last_cut(text: str, pattern: str, lo: int, hi: int) -> int | None:
    """The last place in ``[lo, hi]`` where ``pattern`` ends (a word after whitespace)."""
    found = None
    for m in re.finditer(pattern, text[lo:hi + 1] if hi < len(text) else text[lo:]):
        found = lo + m.end()
    return found if found is not None and lo < found <= hi else None


def _first_cut(text: str, after: int) -> int | None:
    m = _WORD_START.search(text, after)
    return m.start() if m and m.start() < len(text) else None


def _parse_in_pieces(nlp, masked: str, bounds: list[tuple[int, int]], components: list[str]):
    """Each piece read with ``CONTEXT_WORDS`` words of context on either side (``nlp.pipe``, a few
    pieces at a time), its own tokens kept, and the pieces joined into one ``Doc``.

    The tokens are joined as arrays (words, spaces and the attributes the components set) rather
    than with ``Doc.from_docs`` over ``Span.as_doc`` copies: a third of the time, and no second
    copy of every piece."""
    import numpy
    from spacy.attrs import IDX, LEMMA, LENGTH, MORPH, NORM, POS, SPACY, TAG
    from spacy.tokens import Doc

    annotations = [POS, TAG, MORPH, LEMMA, NORM]
    nlp.max_length = max(nlp.max_length, 2 * PIECE_CHARS)
    windows = [(_context_start(masked, a), a, b, _context_end(masked, b)) for a, b in bounds]
    texts = (masked[lo:hi] for lo, _, _, hi in windows)
    disable = [name for name in nlp.pipe_names if name not in components]
    words: list[str] = []
    spaces: list[bool] = []
    arrays = []
    for (lo, a, b, _), piece in zip(windows, nlp.pipe(texts, batch_size=2, disable=disable)):
        where = piece.to_array([IDX, LENGTH, SPACY])
        first, last = numpy.searchsorted(where[:, 0], [a - lo, b - lo])
        text = piece.text
        words += [text[i:i + n] for i, n, _ in where[first:last].tolist()]
        spaces += [bool(space) for space in where[first:last, 2].tolist()]
        arrays.append(piece.to_array(annotations)[first:last])
    parsed = Doc(nlp.vocab, words=words, spaces=spaces)
    parsed.from_array(annotations, numpy.vstack(arrays))
    assert parsed.text == masked, "pieces must join into the text they were cut from"
    return parsed


def _context_start(text: str, start: int) -> int:
    """Where the context before ``start`` begins: ``CONTEXT_WORDS`` words earlier, at a word."""
    for _ in range(CONTEXT_WORDS):
        i = start - 1
        while i >= 0 and text[i].isspace():
            i -= 1
        while i >= 0 and not text[i].isspace():
            i -= 1
        if i < 0:
            return 0
        start = i + 1
    return start


def _context_end(text: str, end: int) -> int:
    """Where the context after ``end`` ends: ``CONTEXT_WORDS`` words later, at a word."""
    found = end
    for _ in range(CONTEXT_WORDS):
        m = _WORD_START.search(text, found + 1)
        if m is None:
            return len(text)
        found = m.start()
    return found


# The NER model sees 4 tokens either side of a token (a 4-layer CNN with windows of 1), and its
# decisions look at the current token, the one before and the entity's first token.
NER_MARGIN = 8
_OPENS_SENTENCE = set("\n.!?…:;«\"“([-–—•*")


def _entities_near_names(ner, parsed, lexicon: Lexicon) -> list:
    """NER run only around words that could start a name, with a margin wider than what the model
    looks at, instead of over the whole text.

    An entity the entities stage keeps starts with a capital letter. A capitalized word is a
    possible name unless it opens a sentence or a line and is an ordinary word of the lexicon
    ("Dans", "Contexte"). Handouts have a name every few lines, yet the windows around them hold
    about a third of the tokens: NER, the most expensive component, costs a third as much.
    """
    from spacy.attrs import IDX, NORM
    from spacy.tokens import Doc, Span

    text = parsed.text
    words = [t.text for t in parsed]
    offsets = parsed.to_array([IDX, NORM])
    windows: list[list[int]] = []
    for i, word in enumerate(words):
        if not word[:1].isupper():
            continue
        j = int(offsets[i, 0]) - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if (j < 0 or text[j] in _OPENS_SENTENCE) and word.lower() in lexicon:
            continue
        start, end = max(0, i - NER_MARGIN), min(len(words), i + 1 + NER_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    if not windows:
        return []
    # Windows are made from the parsed tokens, not re-tokenized: the same words with the same
    # norms (what NER reads, with prefixes, suffixes and shapes that come with the words).
    spaces = [bool(t.whitespace_) for t in parsed]

    def window(a: int, b: int) -> Doc:
        piece = Doc(parsed.vocab, words=words[a:b], spaces=spaces[a:b])
        return piece.from_array([NORM], offsets[a:b, 1:2])

    pieces = ner.pipe((window(a, b) for a, b in windows), batch_size=64)
    return [Span(parsed, a + ent.start, a + ent.end, label=ent.label_)
            for (a, _), piece in zip(windows, pieces) for ent in piece.ents]
