"""What the heading tests share: a title block to put before a body, a paragraph that is never a
heading, extraction without the language model, and the outline and span checks.

All names are invented.
"""

from __future__ import annotations

import re

import pipeline

# Sections need no language model: switch off the spaCy stages so the file runs in well under 10 s.
# The NLP stages are not what these tests are about, and loading spaCy would triple their time.
NO_NLP = {"concepts": False, "entities": False}


def extract(source):
    return pipeline.extract(source, **NO_NLP)

HEADER = (
    "\n\n\nAnthropologie des mondes numériques\n\n"
    "Maëlys Ondrejka\n\n"
    "Semestre 1, 2025-2026\n\n"
    "**TD : *Les Machines patientes***\n\n\n\n"
    "Isidore Kervadec\n\n"
    "Les Machines patientes\n\n"
    "Petite enquête sur l'attente\n\n\n\n"
)
# A body paragraph: long, and ending like a sentence, so it can never pass for a heading.
P = ("Un paragraphe de texte suivi, qui développe longuement une idée sans jamais prétendre au "
     "statut de titre, et qui se termine comme une phrase.")


def outline(handout) -> list[tuple[str, int, str | None]]:
    """(title, level, parent title) for each section, in document order."""
    by_id = {s.id: s for s in handout.sections}
    return [(s.title, s.level, by_id[s.parent_id].title if s.parent_id else None) for s in handout.sections]


def assert_section_spans(handout) -> None:
    """``heading_span`` is the heading line; ``span`` runs from it to the next heading of the same or a
    higher level (trailing blank lines excluded) and contains every subsection."""
    text, sections = handout.text, handout.sections
    by_id = {s.id: s for s in sections}
    for i, s in enumerate(sections):
        heading = text[s.heading_span.start:s.heading_span.end]
        # One line, except a title wrapped over two or three lines (its title joins them).
        assert heading == heading.strip() and ("\n" not in heading or "\n" not in s.title), s
        for word in re.findall(r"\w+", s.title):
            assert word in heading, (word, heading)
        assert s.span.start == s.heading_span.start and s.heading_span.end <= s.span.end
        following = next((n for n in sections[i + 1:] if n.level <= s.level), None)
        end = following.heading_span.start if following else len(text)
        assert s.span.end <= end and not text[s.span.end:end].strip(), (s.title, text[s.span.end:end])
        if s.parent_id:
            parent = by_id[s.parent_id]
            assert parent.level == s.level - 1
            assert parent.span.start < s.span.start and s.span.end <= parent.span.end
        else:
            assert s.level == 1
