"""A scanned two-page spread: one landscape PDF page holding two printed pages side by side.

Only the geometry is here: whether a page's text falls in two blocks with an empty vertical gutter
near the middle, and the text of each block. Whether the blocks are two printed pages (each with its
number) is for ``pipeline.checks.book`` to say. PDFium gives the text's rectangles one per run of a
line (``FPDFText_CountRects``), a few dozen a page: cheap enough to look at every landscape page of
a book, where character boxes would cost thousands of calls a page.
"""

from __future__ import annotations

# Wider than tall by this much: a portrait page (a book read page by page) is never looked at.
_LANDSCAPE = 1.15
# Where the gutter may be, as shares of the page's width: a scan rarely centres the fold exactly.
_MIDDLE = (0.35, 0.65)
# The narrowest gutter, as a share of the width: wider than the gap between two words or two
# columns of figures set close.
_MIN_GUTTER = 0.02
# A run narrower than this share of the width (a speck, a stray mark OCR read in the fold) is not
# allowed to close the gutter.
_SPECK = 0.015
# Lines of text each block needs for the page to be two pages, not a caption beside a figure.
_MIN_LINES = 3


def spread_halves(page, textpage) -> tuple[str, str] | None:
    """The text of the left and of the right block of a landscape ``page`` (pypdfium2's ``PdfPage``
    and its ``PdfTextPage``), cut at the gutter between them; None when the page is portrait, turned
    (/Rotate), or its text crosses the middle (a single column, a wide table)."""
    width, height = page.get_size()
    if width < _LANDSCAPE * height or page.get_rotation() % 360:
        return None
    left, bottom, right, top = page.get_bbox()
    runs = [textpage.get_rect(k) for k in range(textpage.count_rects())]
    cut = _gutter([(x0, x1) for x0, _, x1, _ in runs if x1 - x0 >= _SPECK * width], left, width)
    if cut is None:
        return None
    lines = (sum(x1 <= cut for _, _, x1, _ in runs), sum(x0 >= cut for x0, _, _, _ in runs))
    if min(lines) < _MIN_LINES:
        return None
    return (textpage.get_text_bounded(left=left, bottom=bottom, right=cut, top=top),
            textpage.get_text_bounded(left=cut, bottom=bottom, right=right, top=top))


def _gutter(spans: list[tuple[float, float]], left: float, width: float) -> float | None:
    """The middle of the widest stretch no text run covers near the middle of the page, when wide
    enough to be a gutter."""
    low, high = left + _MIDDLE[0] * width, left + _MIDDLE[1] * width
    best: tuple[float, float] | None = None
    reach = None
    for x0, x1 in sorted(spans):
        if reach is not None and x0 > reach:
            start, end = max(reach, low), min(x0, high)
            if end > start and (best is None or x0 - reach > best[1] - best[0]):
                best = (reach, x0)
        reach = x1 if reach is None else max(reach, x1)
    if best is None or best[1] - best[0] < _MIN_GUTTER * width:
        return None
    return (best[0] + best[1]) / 2
