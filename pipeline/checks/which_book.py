"""Which book a handout cites: its ``metadata.book`` (title, authors) against a source's first
pages, running headers and file name.

A source PDF or text rarely says its title in metadata one can trust; its title page and running
headers do, and so, usually, does its file name. The comparison is by words, folded (case, accents,
ligatures): the title's words of four letters or more and the authors' surnames, each found or not
in the source's front text. That is enough to tell *Égologie* from *De la démocratie en Amérique*,
and robust to a title page set in capitals over three lines or a file named ``tocqueville-t1.pdf``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.i18n import t
from pipeline.models import Book
from pipeline.text import fold

# Words too common in French titles to tell one book from another.
_COMMON = {"dans", "pour", "avec", "sans", "sous", "entre", "leur", "leurs", "cette", "essai", "essais",
           "tome", "livre", "volume", "introduction", "etude", "etudes", "notes", "quelques"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def _title_words(book: Book) -> set[str]:
    return {w for w in _words(" ".join(filter(None, [book.title, book.subtitle])))
            if len(w) >= 4 and w not in _COMMON}


def _surnames(book: Book) -> set[str]:
    # The last word of each name: "Alexis de Tocqueville" -> tocqueville, "Lefort, Jean" -> lefort.
    out = set()
    for author in book.authors:
        name = author.split(",")[0] if "," in author else author
        words = [w for w in re.findall(r"[a-z]+", fold(name)) if len(w) >= 3]
        if words:
            out.add(words[0] if "," in author else words[-1])
    return out


@dataclass(frozen=True)
class BookMatch:
    """How well a source answers to the book a handout names: the share of title words and of
    author surnames found in the source's front text (None when the handout does not say)."""

    title: float | None
    author: float | None

    @property
    def known(self) -> bool:
        return self.title is not None or self.author is not None

    @property
    def score(self) -> float:
        parts = [p for p in (self.title, self.author) if p is not None]
        return sum(parts) / len(parts) if parts else 0.0

    @property
    def other_book(self) -> bool:
        """The handout names a book, and the source shows neither its title nor its author."""
        return self.known and self.score < 0.34


def match_book(book: Book, front: str, file_name: str) -> BookMatch:
    """``book`` (a handout's ``metadata.book``) against a source's front text and file name."""
    have = _words(front) | _words(Path(file_name).stem.replace("_", " ").replace("-", " "))
    title, surnames = _title_words(book), _surnames(book)
    return BookMatch(title=len(title & have) / len(title) if title else None,
                     author=len(surnames & have) / len(surnames) if surnames else None)


def book_name(book: Book) -> str:
    """"*Égologie* (Jean Lefort)" as a finding says it."""
    name = f"*{book.title}*" if book.title else t("a book")
    return name + (f" ({', '.join(book.authors)})" if book.authors else "")


def best_source(book: Book, sources: list) -> object | None:
    """The one of ``sources`` (``SourceText``s) that answers best to ``book``, or None when the
    handout names no book or none answers to it."""
    scored = [(match_book(book, s.front, s.path), s) for s in sources]
    scored = [(m.score, s) for m, s in scored if m.known and not m.other_book]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None
