"""Markdown ``>`` block quotes and Obsidian callouts (``> [!quote] Titre (p. 65)``) as quotations,
with the page on the last ``>`` line, on the line below, or in the callout's title."""

from __future__ import annotations

import re

from pipeline.document import Block, Document
from pipeline.models import Quote
from pipeline.stages import references
from pipeline.stages.quote_records import WS, Coverage, bracket_before, make_quote, reference_line, trim

# Callouts of Obsidian/GitHub Markdown that are not quotations.
_CALLOUT = re.compile(r"\[!(?P<type>[^\]]+)\]")
_QUOTE_CALLOUTS = {"quote", "cite", "citation"}


def blockquote_quotes(doc: Document, blocks: list[Block], quotes: list[Quote]) -> list[Quote]:
    """Markdown ``>`` block quotes are quotations even without guillemets."""
    text = doc.text
    covered = Coverage(quotes)
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
                end = bracket_before(text, reference, start)
                while end > start and text[end - 1] in WS + ">":
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
        if reference is None and j + 1 < len(blocks) and blocks[j + 1].last_line == blocks[j + 1].first_line \
                and blocks[j + 1].kind != "heading" and not _opens_next_quote(doc, blocks[j], blocks[j + 1]):
            # The reference alone on the line below the block ("— Castel, p. 318"); a heading
            # there ("## p. 13 - Le pouvoir") opens the next page's notes instead.
            reference = reference_line(text, blocks[j + 1].start, blocks[j + 1].end)
        if reference is None:
            reference = title_reference
        start, end = trim(text, start, end)
        if end <= start or covered.covers_most(start, end):
            continue
        found.append(make_quote(doc, start, end, start, end, ">", None, reference, [],
                                kind="citation"))
    return found


def _opens_next_quote(doc: Document, quote: Block, line: Block) -> bool:
    """A line set apart from the block quote above by a blank line and glued to the next one
    ("p. 365\n> [!quote]") heads that next quotation: it is no reference of the one above."""
    after = line.last_line + 1
    return line.first_line - quote.last_line > 1 and after < len(doc.lines) and doc.lines[after].quote_depth > 0
