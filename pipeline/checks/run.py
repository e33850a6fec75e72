"""One ``tdx check`` run over many handouts: each read, checked against its book, its findings
selected; an input that cannot be used costs that input only (an ``Error:`` line), never the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.checks.book import SOURCE_SUFFIXES, SourceText, load_source
from pipeline.checks.lint import Config, keep
from pipeline.errors import TdxError
from pipeline.limits import TimeLimitExceeded, time_limit
from pipeline.models import CheckedSource, CheckReport, DocumentReport


@dataclass
class CheckRun:
    report: CheckReport
    texts: list[str | None]  # each document's handout text (columns, silencing comments)
    errors: list[str] = field(default_factory=list)  # "<file>: <what is wrong>. <what to do>"
    notes: list[str] = field(default_factory=list)

    @property
    def failed_inputs(self) -> bool:
        return bool(self.errors)


class _Books:
    """The books of a run, each read once: --source, the config's ``sources`` table, --sources DIR."""

    def __init__(self, run: CheckRun, page_offset: int, timeout: float | None):
        self.run, self.page_offset, self.timeout = run, page_offset, timeout
        self.loaded: dict[Path, SourceText | None] = {}

    def get(self, path: Path) -> SourceText | None:
        key = path.resolve()
        if key not in self.loaded:
            try:
                # Read in a child process, killed past the time limit or the memory ceiling: a
                # PDF reader looping in C code is out of reach of an alarm.
                from pipeline.batch.runner import DEFAULT_MAX_MEMORY_MB

                self.loaded[key] = load_source(path, page_offset=self.page_offset, time_limit=self.timeout,
                                               max_memory_mb=DEFAULT_MAX_MEMORY_MB)
            except TdxError as err:
                self.run.errors.append(str(err) + " The handouts are checked without the book.")
                self.loaded[key] = None
            except Exception as err:  # noqa: BLE001 - a malformed book costs the verification, not the run
                self.run.errors.append(f"{path}: the source cannot be read ({type(err).__name__}: {err}). Re-export "
                                       "it as PDF or .txt; the handouts are checked without the book.")
                self.loaded[key] = None
            book = self.loaded[key]
            if book is not None and book.numbering == "none":
                self.run.notes.append(f"{path} has no form feeds or [[PAGE N]] lines between pages: quotations "
                                      "are looked for, but their pages cannot be checked.")
        return self.loaded[key]

    def folder(self, directory: Path) -> list[SourceText]:
        if not directory.is_dir():
            self.run.errors.append(f"{directory}: no such folder of books. Give --sources a folder of .pdf or "
                                   ".txt books.")
            return []
        files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)
        return [b for b in (self.get(p) for p in files) if b is not None]


def run_check(paths: list[Path], config: Config, codes: set[str], *, source: Path | list[Path] | None = None,
              sources_dir: Path | None = None, book_pages: int | None = None, page_offset: int = 0,
              all_references: bool = False, timeout: float | None = None, exclude: tuple[str, ...] = (),
              lang: str | None = None) -> CheckRun:
    """Check every handout under ``paths`` (but those ``exclude`` matches): against ``source``, else
    the book the config's ``sources`` table names for it, else the book of ``sources_dir`` matching
    its title and author. Each handout, and each book's reading, gets ``timeout`` seconds. ``source``
    as a list: a book in several volumes, volume 1 first. ``lang``: the language of the findings'
    messages and hints (``pipeline.checks.check``)."""
    from pipeline import __version__
    from pipeline.batch.inputs import discover
    from pipeline.checks import check, load_handout
    from pipeline.checks.which_book import best_source, book_name

    run = CheckRun(CheckReport(tool_version=__version__, documents=[]), [])
    books = _Books(run, page_offset, timeout)
    volumes = ([source] if isinstance(source, Path) else list(source)) if source else []
    source = volumes[0] if volumes else None
    loaded = [books.get(v) for v in volumes]
    # A volume that cannot be read (its Error: line is out) leaves the book incomplete: the volumes'
    # numbers would shift, so the handouts are checked without the book, as with one volume.
    single = loaded if loaded and all(b is not None for b in loaded) else None
    if single is not None and len(single) == 1:
        single = single[0]
    shelf = books.folder(sources_dir) if sources_dir is not None and source is None else []
    for mapped in config.sources_map.values():
        books.get(mapped)
    book_files = set(books.loaded)
    files, failures = discover(paths, exclude=exclude, on_note=run.notes.append)
    run.errors += [failure.message for failure in failures]
    for file, _ in files:
        if file.resolve() in book_files:
            continue  # a book lying in the folder of handouts
        try:
            with time_limit(timeout):
                handout = load_handout(file)
            book = single
            if source is None:
                mapped = config.source_for(file)
                if mapped is not None:
                    book = books.get(mapped)
                elif shelf:
                    book = best_source(handout.metadata.book, shelf)
                    if book is None:
                        run.notes.append(f"{file}: no book of {sources_dir} answers to "
                                         f"{book_name(handout.metadata.book)}: checked without a book.")
            with time_limit(timeout):
                findings = check(handout, book, book_pages=book_pages, page_offset=page_offset,
                                 metadata="metadata_missing" in codes, all_references=all_references,
                                 lang=lang)
        except TimeLimitExceeded:
            run.errors.append(f"{file}: checking did not finish within {timeout:g} s and was stopped (timeout). "
                              "Raise --timeout if the handout is legitimately long.")
            continue
        except TdxError as err:
            run.errors.append(str(err))
            continue
        except OSError as err:
            run.errors.append(f"{file}: cannot be read ({err.strerror or err}). Check its permissions.")
            continue
        except Exception as err:  # noqa: BLE001 - a file tdx cannot handle costs that file, not the run
            run.errors.append(f"{file}: cannot be checked ({type(err).__name__}: {err}). Check that the file "
                              "opens, or re-export it.")
            continue
        run.report.documents.append(DocumentReport(path=str(file), findings=keep(findings, codes, handout.text)))
        run.texts.append(handout.text)
    if single is not None:
        # ``source`` stays the first volume (consumers of schema 1.7 read it); ``volumes`` has them all.
        # Pages of the file: a scanned spread is one page of the file holding two of the book.
        run.report.volumes = [CheckedSource(path=str(path), sha256=book.sha256, numbering=book.numbering,
                                            pages=book.pages[-1].index if book.pages else 0)
                              for path, book in zip(volumes, loaded)]
        run.report.source = run.report.volumes[0].model_copy()
    return run
