"""Text set at an angle: a page turned with ``/Rotate`` (90, 180, 270), or text drawn turned.

pdfminer gives such text in the coordinates of the page as displayed, where its words are not
upright; the steps after this one (lines, columns, headers, paragraphs) read upright text only.
Words that were not upright used to be dropped, so a landscape page saved with ``/Rotate 90`` was
called "scanned" and a turned page among upright ones lost its text without a word. Here each
character's direction is read from its text matrix, and the characters of one direction are
turned back upright, in a frame of their own, before pdfplumber groups them into words. The box
where each word is printed, on the page as displayed, is kept for the output.
"""

from __future__ import annotations

import math
from collections import Counter

from pdfplumber.utils import extract_words

# A text layer set by OCR on a scan leans a little: within this of a right angle, it is that angle.
_SNAP = 3


def direction(char: dict) -> int:
    """The direction the character's text runs, in degrees clockwise from left-to-right on the
    page as displayed (pdfplumber's y axis points down): 0 upright, 90 downwards, 180 upside
    down, 270 upwards; other angles are rounded to 5 degrees."""
    a, b, *_ = char["matrix"]
    angle = math.degrees(math.atan2(-b, a)) % 360
    right = 90 * round(angle / 90)
    if abs(angle - right) <= _SNAP:
        return right % 360
    return 5 * round(angle / 5) % 360


def directions(chars: list[dict]) -> Counter:
    """How many printed characters run in each direction."""
    return Counter(direction(ch) for ch in chars if ch.get("text", " ").strip())


def turned_words(chars: list[dict], angle: int, width: float, height: float,
                 **options) -> tuple[list[dict], float]:
    """The words of the characters that run at ``angle``, turned upright, and the height of the
    page turned the same way. Each word is pdfplumber's word dict in the turned frame, with
    ``printed``: its box ``(x0, top, x1, bottom)`` on the page as displayed."""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def turn(x: float, y: float) -> tuple[float, float]:
        return x * cos + y * sin, -x * sin + y * cos

    corners = [turn(x, y) for x in (0, width) for y in (0, height)]
    left, top = min(x for x, _ in corners), min(y for _, y in corners)
    turned_height = max(y for _, y in corners) - top
    upright = []
    for ch in chars:
        if direction(ch) != angle:
            continue
        a, b, c, d, *_ = ch["matrix"]
        # The glyph is a box ``advance`` wide and ``size`` high, turned; pdfminer gives the box
        # around it on the page. Its middle stays the middle; its size is solved back from it.
        w = ch["adv"] * math.hypot(a, b)
        box_w, box_h = ch["x1"] - ch["x0"], ch["bottom"] - ch["top"]
        s, k = abs(sin), abs(cos)
        h = (box_h - w * s) / k if k > 0.3 else (box_w - w * k) / s
        h = max(h, 0.1)
        mx, my = turn((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
        mx, my = mx - left, my - top
        upright.append({**ch, "x0": mx - w / 2, "x1": mx + w / 2, "top": my - h / 2, "bottom": my + h / 2,
                        "doctop": my - h / 2, "upright": True, "size": h,
                        "printed": (ch["x0"], ch["top"], ch["x1"], ch["bottom"])})
    words = extract_words(upright, return_chars=True, **options)
    for word in words:
        boxes = [c["printed"] for c in word.pop("chars")]
        word["printed"] = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                           max(b[2] for b in boxes), max(b[3] for b in boxes))
    return words, turned_height
