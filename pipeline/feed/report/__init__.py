"""``tdx report``: HTML pages a teacher opens, prints and sends: ``index.html`` (the corpus at a
glance) and one page per handout, its text with its quotations, references and findings marked.

    layout.py    the handout's text cut into blocks and pieces under their marks
    strings.py   the interface text, French and English
    templates/   the Jinja2 templates, the style sheet and the script (inlined: the pages work offline)

Everything from a handout goes through Jinja2's autoescaping: the templates never mark it safe."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.errors import TdxError
from pipeline.feed.report.layout import blocks
from pipeline.feed.report.strings import LANGS, STRINGS
from pipeline.files import write_atomic
from pipeline.models import Finding, Handout

VERDICTS = ("verified", "wrong_page", "altered", "not_found")
SEVERITIES = ("error", "warning", "info")


@dataclass
class Row:
    """One handout in the index."""

    page: str  # its page's file name
    path: str
    title: str | None
    presenter: str | None
    book: str | None
    quotes: int
    referenced: int
    severities: dict[str, int]
    verdicts: dict[str, int]
    concepts: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (label, mentions)


@dataclass
class Written:
    index: Path
    pages: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["dictsum"] = lambda counts: sum(counts.values())
    return env


def _page_name(number: int, path: str) -> str:
    # The number keeps two handouts of one name apart; the rest is for the person reading the folder.
    stem = re.sub(r"[^\w-]+", "-", Path(path).stem, flags=re.ASCII).strip("-")[:60] or "fiche"
    return f"{number:03d}-{stem}.html"


def _book_name(handout: Handout) -> str | None:
    book = handout.metadata.book
    if not book.title and not book.authors:
        return None
    return ", ".join(part for part in (" et ".join(book.authors), book.title) if part)


def _row(page: str, path: str, handout: Handout, findings: list[Finding]) -> Row:
    return Row(page=page, path=path, title=handout.metadata.title, presenter=handout.metadata.presenter,
               book=_book_name(handout), quotes=len(handout.quotes),
               referenced=sum(q.reference is not None for q in handout.quotes),
               severities={s: sum(f.severity == s and f.code != "verified" for f in findings) for s in SEVERITIES},
               verdicts={v: sum(f.verdict == v for f in findings) for v in VERDICTS},
               concepts=_concept_keys(handout))


def _concept_keys(handout: Handout) -> dict[str, tuple[str, int]]:
    # The key concepts share across handouts, as within one (tdx concepts also merges near spellings).
    from pipeline.stages.concepts import normalise

    keys: dict[str, tuple[str, int]] = {}
    for concept in handout.concepts:
        key = normalise(concept.label)
        if key:
            label, count = keys.get(key, (concept.label, 0))
            keys[key] = (label, count + len(concept.mentions))
    return keys


GRID_ROWS = 25  # past that many, a grid is read no better than the list of tdx concepts


def concept_grid(rows: list[Row]) -> list[tuple[str, list[int]]]:
    """The concepts most handouts use, each with its mentions in every handout (0: not used)."""
    labels: dict[str, str] = {}
    used: dict[str, int] = {}
    total: dict[str, int] = {}
    for row in rows:
        for key, (label, count) in row.concepts.items():
            labels.setdefault(key, label)
            used[key] = used.get(key, 0) + 1
            total[key] = total.get(key, 0) + count
    keys = sorted(used, key=lambda k: (-used[k], -total[k], labels[k]))[:GRID_ROWS]
    return [(labels[k], [row.concepts.get(k, ("", 0))[1] for row in rows]) for k in keys]


def render_handout(handout: Handout, findings: list[Finding], *, path: str, lang: str = "fr",
                   source: str | None = None, env=None) -> str:
    """One handout's page: its text laid out with its marks, its findings beside their passages."""
    env = env or _environment()
    text_blocks, general = blocks(handout, findings)
    entities = {label: [e for e in handout.entities if e.label == label] for label in ("PER", "WORK", "ORG")}
    concepts = sorted(handout.concepts, key=lambda c: (-len(c.mentions), c.label))
    return env.get_template("handout.html.j2").render(
        t=STRINGS[lang], handout=handout, path=path, blocks=text_blocks, general=general, concepts=concepts,
        entities=entities, findings=findings, source=source, book=_book_name(handout),
        row=_row("", path, handout, findings), severities=SEVERITIES)


def render_index(rows: list[Row], *, lang: str = "fr", source: str | None = None, errors: list[str] = (),
                 env=None) -> str:
    env = env or _environment()
    return env.get_template("index.html.j2").render(t=STRINGS[lang], rows=rows, source=source, errors=list(errors),
                                                    severities=SEVERITIES, verdicts=VERDICTS,
                                                    grid=concept_grid(rows))


def _load(path: Path) -> Handout:
    """An extracted handout's JSON as written, any other file extracted in full (the page shows its
    concepts and people too)."""
    if path.suffix.lower() == ".json":
        from pipeline.feed.handouts import read_handout

        return read_handout(path)
    from pipeline.extract import extract

    return extract(path)


def _extracted(path: Path) -> list[Path]:
    """The extracted handouts of a folder tdx extract wrote (its JSON but tdx's own files), else
    nothing: the folder then holds handouts, read as tdx check reads them."""
    from pipeline.batch.names import RESERVED

    if not path.is_dir():
        return []
    reserved = {name.casefold() for name in RESERVED}
    return sorted(p for p in path.rglob("*.json") if p.is_file() and not p.name.startswith(".")
                  and p.name.casefold() not in reserved)


def write_report(paths: list[Path], out_dir: Path, *, source=None, lang: str = "fr",
                 exclude: tuple[str, ...] = (), on_error: Callable[[str], None] | None = None,
                 jobs: int = 1) -> Written:
    """The report of the handouts under ``paths`` in ``out_dir``; ``source`` (a path or a loaded
    ``SourceText``, or a list of them, one per volume) the book every citation is verified against.
    A handout that cannot be read or checked is an error line (given to ``on_error`` and kept in
    ``Written.errors``), listed in the index; the others are still written. ``jobs``: processes
    writing the pages (on systems that fork; one elsewhere)."""
    from pipeline.batch.inputs import discover
    from pipeline.checks.book import SourceText, load_source

    if lang not in LANGS:
        raise TdxError(f"no interface text in {lang!r}.", hint=f"Give --lang {' or '.join(LANGS)}.")
    volumes = [s if isinstance(s, SourceText) else load_source(s)
               for s in (source if isinstance(source, (list, tuple)) else [source] if source is not None else [])]
    book = volumes or None
    source_name = " + ".join(Path(v.path).name for v in volumes) or None
    out_dir.mkdir(parents=True, exist_ok=True)
    env = _environment()
    done = Written(index=out_dir / "index.html")

    def failed(message: str) -> None:
        done.errors.append(message)
        if on_error is not None:
            on_error(message)

    files = []
    for path in paths:
        extracted = _extracted(path)
        if extracted:
            files += [(file, path) for file in extracted]
            continue
        found, failures = discover([path], exclude=exclude)
        files += found
        for failure in failures:
            failed(failure.message)
    global _JOB
    _JOB = _Job(out_dir, book, lang, source_name, env)
    try:
        results = _each(_report_page, list(enumerate((file for file, _ in files), 1)), jobs)
    finally:
        _JOB = None
    rows = []
    for page, row, error in results:  # in the order of the files, whichever process wrote them
        if error is not None:
            failed(error)
            continue
        done.pages.append(out_dir / page)
        rows.append(row)
    write_atomic(done.index, render_index(rows, lang=lang, source=source_name, errors=done.errors, env=env))
    return done


@dataclass
class _Job:
    """What every page of a report needs: set once before the pages are written, and inherited,
    not pickled, by forked workers (the book's text and index included)."""

    out_dir: Path
    book: list | None
    lang: str
    source_name: str | None
    env: object


_JOB: _Job | None = None


def _report_page(item: tuple[int, Path]) -> tuple[str | None, Row | None, str | None]:
    """One handout's page written: (its file name, its index row, None), or (None, None, the error)."""
    from pipeline.checks import check

    number, file = item
    job = _JOB
    try:
        handout = _load(file)
        findings = check(handout, job.book, lang=job.lang)  # the findings' words in the page's language
    except TdxError as err:
        return None, None, str(err)
    except OSError as err:
        return None, None, f"{file}: cannot be read ({err.strerror or err}). Check its permissions."
    except Exception as err:  # noqa: BLE001 - a file tdx cannot handle costs that file, not the report
        return None, None, (f"{file}: cannot be reported ({type(err).__name__}: {err}). Check that the file "
                            "opens, or re-export it.")
    page = _page_name(number, str(file))
    write_atomic(job.out_dir / page, render_handout(handout, findings, path=str(file), lang=job.lang,
                                                    source=job.source_name, env=job.env))
    return page, _row(page, str(file), handout, findings), None


def _each(work: Callable, items: list, jobs: int) -> list:
    """``work`` over ``items``, in order, by ``jobs`` forked processes when there is enough to share.
    Fork, not spawn: a spawned worker would spend longer importing tdx than writing its pages, and a
    forked one has the book and the templates already (issue 17: the report of 200 handouts within
    a tenth of their extraction)."""
    import multiprocessing

    if jobs <= 1 or len(items) < 2 * jobs or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    # The first item here: what it loads on first use (modules, the compiled templates, the message
    # catalog) is then loaded once, for every worker, instead of once in each.
    first = work(items[0])
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return [first] + pool.map(work, items[1:], chunksize=max(1, len(items) // (4 * jobs)))
