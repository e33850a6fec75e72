"""Running the model over a handout: on a masked copy of its text, and NER only near names.

spaCy reads a *masked* copy of the text: Markdown markers, URLs, code and HTML are replaced by
spaces of the same length, so that the model never sees ``exploratoire**.`` and every token offset
is still an offset into ``Handout.text``.
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
    """Run the model on the masked text. Token offsets are offsets into ``doc.text``."""
    nlp = load(needs)
    masked = mask(doc)
    assert len(masked) == len(doc.text)
    nlp.max_length = max(nlp.max_length, len(masked) + 1)  # batch limits guard size, not spaCy
    if "entities" not in needs:
        return nlp(masked)
    # The other components over the whole text, NER near names only. (Not nlp.select_pipes: it
    # changes the shared model, which threads of a Dask worker use at the same time.)
    parsed = nlp.make_doc(masked)
    for name, component in nlp.pipeline:
        if name != "ner":
            parsed = component(parsed)
    parsed.ents = _entities_near_names(nlp.get_pipe("ner"), parsed, lexicon(needs))
    return parsed


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
