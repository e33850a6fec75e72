"""A page's words -> its lines in reading order: lines, and columns read one after the other."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from pipeline.ingest.pdf.words import Word

@dataclass(slots=True)
class Line:
    words: list[Word]
    page: int
    # The edges of the column the line is set in; None: the page's text block (one column).
    left: float | None = None
    right: float | None = None
    column: int = 0  # 0: the whole width, 1: left column, 2: right column
    note: bool = False  # in the footnote area at the page's foot
    note_start: bool = False  # the first line of one footnote ("[2] …", "² …")
    caption: bool = False  # a figure or table caption: it floats, as its figure does

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def mono(self) -> bool:
        return all(w.mono for w in self.words)


def _lines(words: list[Word], page_no: int) -> list[Line]:
    """Words -> lines, top to bottom, left to right. A word joins the current line when their
    vertical bands hold each other's middle, so superscripts (footnote calls) stay in their line."""
    lines: list[Line] = []
    band = (0.0, 0.0)
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        middle = (word.top + word.bottom) / 2
        if lines and (band[0] <= middle <= band[1] or word.top <= (band[0] + band[1]) / 2 <= word.bottom):
            lines[-1].words.append(word)
            band = (min(band[0], word.top), max(band[1], word.bottom))
        else:
            lines.append(Line([word], page_no))
            band = (word.top, word.bottom)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def page_lines(words: list[Word], page_no: int, height: float) -> list[Line]:
    """A page's lines in reading order. On a two-column page every run of rows that leaves the
    gutter free is read column by column (the left column, then the right one); rows that cross
    the gutter (a title block, a figure caption set across the page) are read where they are, so
    a full-width block above the columns comes first. A one-column page is left as it is."""
    rows = _lines(words, page_no)
    gutter = _gutter(rows)
    if gutter is None:
        return rows
    runs: list[tuple[bool | None, list[Line]]] = []  # (clear of the gutter? None: margin, rows)
    for k, row in enumerate(rows):
        clear: bool | None = _clear_of(row, gutter)
        # A running header or footer set apart in the page's margin ("Course     Author", flush
        # left and right) is a run of its own: read as one line, it is found on every page.
        if (row.top < 0.09 * height and (k + 1 == len(rows) or rows[k + 1].top - row.bottom > row.size)) or \
                (row.bottom > 0.91 * height and (k == 0 or row.top - rows[k - 1].bottom > row.size)):
            clear = None
        if runs and runs[-1][0] == clear and clear is not None:
            runs[-1][1].append(row)
        else:
            runs.append((clear, [row]))
    # A run is only set in columns if both sides have text on two rows at least; otherwise its
    # rows are short full-width lines that happen to stop before the gutter (a title block).
    split = [columns and sum(any(w.x1 <= gutter for w in r.words) and any(w.x0 >= gutter for w in r.words)
                             for r in run) >= 2 for columns, run in runs]
    sides = [[w for (columns, run), s in zip(runs, split) if s for r in run for w in r.words if (w.x0 < gutter) == left]
             for left in (True, False)]
    if not sides[0] or not sides[1]:
        return rows
    edges = [(min(w.x0 for w in side), max(w.x1 for w in side)) for side in sides]
    out: list[Line] = []
    for (columns, run), is_split in zip(runs, split):
        if not is_split:
            out.extend(run)
            continue
        for column, (left, right) in enumerate(edges, 1):
            for line in _lines([w for r in run for w in r.words if (w.x0 < gutter) == (column == 1)], page_no):
                line.left, line.right, line.column = left, right, column
                out.append(line)
    return out


def _clear_of(row: Line, gutter: float) -> bool:
    """Does the row leave the gutter blank? Its words on both sides must be further apart than a
    word space: a centred page number "– 3 –" or a full-width line with a space near the gutter
    crosses it."""
    left = [w.x1 for w in row.words if w.x0 < gutter]
    right = [w.x0 for w in row.words if w.x0 >= gutter]
    if not left or not right:
        return not any(w.x0 < gutter - 1 and w.x1 > gutter + 1 for w in row.words)
    return min(right) - max(left) >= 0.8 * row.size


def _gutter(rows: list[Line]) -> float | None:
    """The x of a two-column page's gutter, or None. The gutter is the vertical strip, in the middle
    of the text block, that many rows leave blank between text on both sides (a gap wider than any
    word space) and few rows cross; and the left column's lines run up to it, which sets columns
    apart from a table or tab-aligned "Label :   value" lines."""
    words = [w for r in rows for w in r.words]
    if len(rows) < 6:
        return None
    lo, hi = min(w.x0 for w in words), max(w.x1 for w in words)
    if hi - lo < 200:
        return None
    n = int(hi - lo) + 2
    gaps, cover = [0] * (n + 1), [0] * (n + 1)  # difference arrays over 1 pt cells
    for row in rows:
        ws = row.words
        for w in ws:
            cover[int(w.x0 - lo)] += 1
            cover[int(w.x1 - lo) + 1] -= 1
        for a, b in zip(ws, ws[1:]):
            if b.x0 - a.x1 >= 0.8 * max(a.size, b.size):
                gaps[int(a.x1 - lo) + 1] += 1
                gaps[int(b.x0 - lo)] -= 1
    best, best_x = 0, None
    g = c = 0
    for x in range(n):
        g += gaps[x]
        c += cover[x]
        if 0.3 * n <= x <= 0.7 * n and g - c > best:
            best, best_x = g - c, x
    if best_x is None or best < 3:
        return None
    x = lo + best_x + 0.5
    lefts = [max(w.x1 for w in r.words if w.x1 <= x) for r in rows
             if any(w.x1 <= x for w in r.words) and any(w.x0 >= x for w in r.words)]
    edge = max(lefts)
    if statistics.median(edge - e for e in lefts) > 0.2 * (edge - lo):
        return None
    return x
