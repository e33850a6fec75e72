"""The concept index of a corpus: each concept once, with its variants and the handouts using it.

Concepts of different handouts are merged with the same rules as variants within one handout: a
shared normalised key, or rapidfuzz above the same threshold for long keys.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.feed.handouts import load_outputs
from pipeline.models import CorpusConcept
from pipeline.stages.concepts import FUZZY_MIN_LENGTH, FUZZY_THRESHOLD, normalise


def concept_index(paths: list[Path], *, on_error=None) -> list[CorpusConcept]:
    """``on_error``: told of each file that is not a usable handout (raised when None)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    # (key -> surfaces with their mention counts), and which handouts use each key
    surfaces: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    handouts: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, int] = defaultdict(int)
    for json_path, handout in load_outputs(paths, on_error=on_error):
        name = handout.source.path or str(json_path)
        for concept in handout.concepts:
            keys = [k for k in (normalise(v) for v in [concept.label, *concept.variants]) if k]
            if not keys:
                continue
            for key in keys[1:]:
                union(keys[0], key)  # the handout already grouped these variants
            handouts[keys[0]].add(name)
            mentions[keys[0]] += len(concept.mentions)
            for variant in [concept.label, *concept.variants]:
                surfaces[keys[0]][variant] += 0
            for mention in concept.mentions:
                surfaces[keys[0]][mention.text] += 1
    long_keys = sorted(k for k in parent if len(k) >= FUZZY_MIN_LENGTH)
    for i, key in enumerate(long_keys):
        for other, _, _ in process.extract(key, long_keys[i + 1:], scorer=fuzz.ratio,
                                           score_cutoff=FUZZY_THRESHOLD, limit=None):
            union(key, other)

    groups: dict[str, list[str]] = defaultdict(list)
    for key in list(parent):
        groups[find(key)].append(key)
    index = []
    for keys in groups.values():
        seen: dict[str, int] = defaultdict(int)
        for key in keys:
            for surface, count in surfaces.get(key, {}).items():
                seen[surface] += count
        names = sorted(set().union(*(handouts.get(k, set()) for k in keys)))
        if not names:
            continue
        by_case = {}
        for surface in sorted(seen, key=lambda s: (-seen[s], s)):
            by_case.setdefault(surface.lower(), surface)
        variants = list(by_case.values())
        index.append(CorpusConcept(label=variants[0], variants=variants, handout_count=len(names),
                                   mention_count=sum(mentions.get(k, 0) for k in keys), handouts=names))
    index.sort(key=lambda c: (-c.handout_count, -c.mention_count, c.label))
    return index
