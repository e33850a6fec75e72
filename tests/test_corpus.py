"""The concept index of a corpus (``tdx concepts``): variants merged across handouts."""

from __future__ import annotations

import pipeline
from pipeline.feed.corpus import concept_index


def test_concept_index_merges_variants_across_handouts(tmp_path):
    texts = {
        "a": "Cours A\n\nIntroduction\n\nLa « tâcheronnisation » du travail, encore la tâcheronnisation.\n",
        "b": "Cours B\n\nIntroduction\n\nLa « tâcheronisation » et le « microtravail » du clic.\n",
        "c": "Cours C\n\nIntroduction\n\nLe « micro-travail » et la « tâcheronnisation ».\n",
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.json").write_text(pipeline.extract(text, entities=False).model_dump_json(), encoding="utf-8")
    index = {c.label: c for c in concept_index([tmp_path])}
    tach = next(c for c in index.values() if "tâcheronisation" in c.variants)
    assert tach.handout_count == 3 and "tâcheronnisation" in tach.variants and tach.mention_count == 4
    micro = next(c for c in index.values() if "microtravail" in c.variants)
    assert micro.handout_count == 2 and "micro-travail" in micro.variants
