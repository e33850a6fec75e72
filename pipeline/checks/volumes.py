"""A book in several volumes (``--source`` once per volume, tome 1 first): each citation is looked up
in the volume its reference names ("t. II, p. 45", "vol. 2, p. 45", "II, p. 45"), one naming none in
every volume, and the finding names the volume the words were found in."""

from __future__ import annotations

from pipeline.checks.book import SourceText
from pipeline.checks.cited import Cited
from pipeline.checks.verdicts import Verification, verify_quotes
from pipeline.i18n import t
from pipeline.models import Handout, Quote

# Which result of the volumes tells most about a citation: words found as cited, then found with
# changes, then found elsewhere, then not found at all.
_RANK = {"verified": 0, None: 1, "altered": 1, "wrong_page": 2, "not_found": 3}
# Two matches this close (% of words) are the same passage as far as the volumes go.
_CLOSE = 10


def verify_volumes(handout: Handout, volumes: list[SourceText],
                   citations: list[tuple[Quote, Cited | None]]) -> list[Verification]:
    """``verify_quotes`` over a book in ``volumes`` (volume 1 first)."""
    if len(volumes) == 1:
        return verify_quotes(handout, volumes[0], citations)
    # Each volume's findings name it ("found in volume 2 on p. 45").
    per_volume = [{v.quote.id: v for v in verify_quotes(handout, volume, citations, volume=n)}
                  for n, volume in enumerate(volumes, 1)]
    out = []
    for quote, cited in citations:
        found = [(n, results[quote.id]) for n, results in enumerate(per_volume, 1) if quote.id in results]
        if not found:
            continue  # a term, or too short to place: not checked in any volume
        named = cited.volume if cited is not None and cited.volume and cited.volume <= len(volumes) else None
        # Where the words are: the volumes whose match is about as close as the closest. A loose
        # match in one volume (a sentence alike) does not outweigh the passage itself in another;
        # among close ones (a passage printed in both), the verdict decides, then the volume order.
        top = max(v.details.get("score", 0) for _, v in found)
        near = [(n, v) for n, v in found if v.verdict != "not_found" and v.details.get("score", 0) >= top - _CLOSE]
        best_n, best = min(near or found,
                           key=lambda nv: (_RANK[nv[1].verdict], -nv[1].details.get("score", 0), nv[0]))
        if named is None:
            out.append(_naming(best, best_n))
            continue
        own = dict(found)[named]
        if own.verdict == "verified" or not near or any(n == named for n, _ in near):
            out.append(_naming(own, named))
            continue
        # Not in the volume cited, but in another: the volume is the wrong one.
        moved = _naming(best, best_n)
        moved.verdict, moved.severity = "wrong_page", "error"
        moved.message = t("found {where}, not in the volume cited ({cited})", where=best.where, cited=cited.raw)
        if best.changed:
            moved.message = t("{message}, and with changed words: {changed}", message=moved.message,
                              changed=best.changed)
        moved.hint = t("Cite volume {volume}, {pages}.", volume=best_n, pages=best.pages)
        out.append(moved)
    return out


def _naming(v: Verification, volume: int) -> Verification:
    """The finding with the volume it was found in, as data, and in its hint (its message names it
    already: ``verify_quotes(..., volume=n)``)."""
    if v.verdict == "not_found":
        return v
    v.details["source_volume"] = volume
    if v.verdict == "wrong_page" and not v.wrong_place:  # a wrong verse's hint names the verse to cite
        v.hint = t("Cite volume {volume}, {pages}.", volume=volume, pages=v.pages)
    return v
