"""Quote marks: balancing them block by block, then pairing what is left over blocks.

Quote marks are balanced block by block (a block is a paragraph or a list item) with a stack, so
nested « « » » and “ ” inside « » pair correctly and the scan stays linear however many marks a
handout holds. What is left unbalanced is then resolved, never silently dropped:

- an opening mark left open at the end of its block continues into the next blocks when one of them
  holds an unmatched closing mark (a quotation running over several bullets or paragraphs, or the
  French convention that re-opens « at the start of each quoted paragraph);
- otherwise it is closed at the end of its block (before a trailing reference) and flagged
  ``missing_closing_mark``; an unmatched closing mark opens at the start of its block and is flagged
  ``missing_opening_mark``;
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Block
from pipeline.stages import references
from pipeline.stages.quote_records import LEAD, WS

MARKS = re.compile(r"[«»“”„‹›\"]")
_INLINE_CODE = re.compile(r"(`+)[^`\n].{0,300}?(?<!`)\1(?!`)")
_CLOSER_OF = {"»": "«", "›": "‹", "”": "“„\"", "“": "„"}
# Quotations inside quotations inside quotations: French typography nests « “ ‘ ’ ” », three
# levels. Pairs deeper than this are balanced (so the outer ones pair right) but not quotations of
# their own: each would hold the text of all those inside it, and 10,000 nested « » (60 KB) made
# records quadratic in size and time. They are counted (``BlockMarks.too_deep``).
MAX_NESTING = 4
# How far a quotation may run over blocks before an unmatched mark is taken for a typo instead.
_MAX_JOIN_BLOCKS = 8
_MAX_JOIN_CHARS = 6000


@dataclass
class Pair:
    open: int | None  # offset of the opening mark
    close: int | None  # offset of the closing mark
    open_mark: str | None
    close_mark: str | None
    block: int  # index of the block holding the opening (or, when missing, the closing) mark
    end_block: int
    issues: list[str] = field(default_factory=list)


@dataclass
class BlockMarks:
    pairs: list[Pair] = field(default_factory=list)
    open_left: list[tuple[int, str]] = field(default_factory=list)  # (offset, mark), outermost first
    close_left: list[tuple[int, str]] = field(default_factory=list)
    first_mark: int | None = None
    too_deep: list[Pair] = field(default_factory=list)  # pairs nested deeper than MAX_NESTING, dropped


def balance(text: str, block: Block, index: int) -> BlockMarks:
    out = BlockMarks()
    stack: list[tuple[int, str]] = []
    # Marks inside inline code (`print("« x »")`) are code, as they are in fenced code blocks.
    code = [(c.start(), c.end()) for c in _INLINE_CODE.finditer(text, block.start, block.end)] \
        if "`" in text[block.start:block.end] else []
    k = 0
    for m in MARKS.finditer(text, block.start, block.end):
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
                (out.pairs if len(stack) < MAX_NESTING else out.too_deep).append(Pair(start, pos, mark, ch, index, index))
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
        pair = Pair(start, pos, mark, ch, index, index)
        if unclosed:
            pair.issues.append("unbalanced_nesting")
        (out.pairs if len(stack) < MAX_NESTING else out.too_deep).append(pair)
    out.open_left = stack
    return out


def resolve_pairs(text: str, blocks: list[Block], marks: list[BlockMarks],
                  region: list[int]) -> list[Pair]:
    pairs: list[Pair] = []
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
        joined = _join(text, blocks, marks, region, i, start, mark, used_closers, reopened)
        if joined is not None:
            joined.issues += extra
            pairs.append(joined)
            continued.update(reopened)
            continue
        pairs.append(Pair(start, None, mark, None, i, i, ["missing_closing_mark", *extra]))
    for i, bm in enumerate(marks):
        for pos, ch in bm.close_left:
            if pos not in used_closers:
                pairs.append(Pair(None, pos, None, ch, i, i, ["missing_opening_mark"]))
    # Collected last: _join takes the closing pair of a re-opened quotation out of its block.
    return [p for bm in marks for p in bm.pairs] + pairs

def _join(text, blocks, marks, region, i, start, mark, used_closers, reopened) -> Pair | None:
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
    mid_sentence = bool(re.search(r"[\w,]$", text[start:blocks[i].end].rstrip(WS)))
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
            return Pair(start, pos, mark, ch, i, j)
        starts_with_mark = (bm.first_mark is not None
                            and not text[blocks[j].start:bm.first_mark].strip(LEAD))
        ends_with_reference = references.find_trailing(text, blocks[j].start, blocks[j].end) is not None
        if starts_with_mark and bm.open_left and bm.open_left[0][0] == bm.first_mark:
            reopened.append(j)
            if ends_with_reference:
                # « re-opened, then a reference: the last paragraph, missing its ».
                return Pair(start, None, mark, None, i, j, ["missing_closing_mark"])
            continue  # « re-opened at the start of a continued paragraph
        if bm.open_left:
            return None  # another quotation opens here: ours was never closed
        first = next((p for p in bm.pairs if p.open == bm.first_mark), None) if starts_with_mark else None
        if first is not None and (not text[first.close + 1:blocks[j].end].strip(WS + ".")
                                  or references.find_after(text, first.close + 1, blocks[j].end)):
            # The last paragraph of a re-opened quotation: « … » (p. 12) as a whole block.
            bm.pairs.remove(first)
            return Pair(start, first.close, mark, first.close_mark, i, j)
        if ends_with_reference or any(
                references.find_after(text, p.close + 1, blocks[j].end) for p in bm.pairs):
            return None  # a referenced paragraph or quotation of its own: ours ended before
        # A block with balanced marks only: the quotation may run through it.
    return None
