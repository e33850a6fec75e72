"""A book in several volumes (``--source`` once per volume, tome 1 first): each citation is looked up
in the volume its reference names ("t. II, p. 45", "vol. 2, p. 45", "II, p. 45"), one naming none in
every volume, and the finding names the volume the words were found in."""

from __future__ import annotations

from pipeline.checks.book import SourceText
from pipeline.checks.cited import Cited
from pipeline.checks.verdicts import Verification, verify_quotes
from pipeline.models import Handout, Quote

# Which result of the volumes tells most about a citation: words found as cited, then found with
# changes, then found elsewhere, then not found at all.
_RANK = {"verified": 0, None: 1, "altered": 1, "wrong_page": 2, "not_found": 3}


def verify_volumes(handout: Handout, volumes: list[SourceText],
                   citations: list[tuple[Quote, Cited | None]]) -> list[Verification]:
    """``verify_quotes`` over a book in ``volumes`` (volume 1 first)."""
    if len(volumes) == 1:
        return verify_quotes(handout, volumes[0], citations)
    per_volume = [{v.quote.id: v for v in verify_quotes(handout, volume, citations)} for volume in volumes]
    out = []
    for quote, cited in citations:
        found = [(n, results[quote.id]) for n, results in enumerate(per_volume, 1) if quote.id in results]
        if not found:
            continue  # a term, or too short to place: not checked in any volume
        named = cited.volume if cited is not None and cited.volume and cited.volume <= len(volumes) else None
        best_n, best = min(found, key=lambda nv: (_RANK[nv[1].verdict], -nv[1].details.get("score", 0), nv[0]))
        if named is None:
            out.append(_naming(best, best_n))
            continue
        own = dict(found)[named]
        if own.verdict != "not_found" or best.verdict == "not_found":
            out.append(_naming(own, named))
            continue
        # Not in the volume cited, but in another: the volume is the wrong one.
        moved = _naming(best, best_n)
        moved.verdict, moved.severity = "wrong_page", "error"
        moved.message = (f"found in volume {best_n} on {_pages(best)}, not in the volume cited ({cited.raw})"
                         + _changed(best))
        moved.hint = f"Cite volume {best_n}, {_pages(best)}."
        out.append(moved)
    return out


def _pages(v: Verification) -> str:
    pages = v.details.get("source_pages") or []
    if not pages:
        return f"page {v.details.get('source_index')} of the file"
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}-{pages[-1]}"


def _changed(v: Verification) -> str:
    return f", and with changed words{v.message.split('with changed words', 1)[1]}" \
        if "with changed words" in v.message else ""


def _naming(v: Verification, volume: int) -> Verification:
    """The finding with the volume it was found in: "found in volume 2 on p. 45"."""
    if v.verdict == "not_found":
        return v
    v.message = v.message.replace("found on ", f"found in volume {volume} on ", 1)
    if v.verdict == "wrong_page" and not v.wrong_place:
        v.hint = f"Cite volume {volume}, {_pages(v)}."
    return v
