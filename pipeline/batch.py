"""Many handouts in one run: finding the files, naming the outputs, writing them atomically.

A bad file never stops the run: its error is recorded and the other files are still processed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputNotFoundError, NoHandoutsError, TdxError
from pipeline.extract import extract
from pipeline.ingest import SUPPORTED_SUFFIXES


@dataclass
class Failure:
    path: str
    code: str
    message: str


@dataclass
class RunResult:
    written: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def discover(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[Failure]]:
    """Expand folders (recursively) into handout files. Returns ``(file, root)`` pairs and failures.

    A file named explicitly is kept whatever its extension, so that an unsupported one is reported
    instead of silently skipped; inside folders only supported handouts are taken.
    """
    found: list[tuple[Path, Path]] = []
    failures: list[Failure] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not files:
                err = NoHandoutsError(f"no handouts ({', '.join(SUPPORTED_SUFFIXES)}) in this folder.",
                                      path=str(path), hint="Point tdx at a folder holding handout files.")
                failures.append(Failure(str(path), err.code, str(err)))
            pairs = [(f, path) for f in files]
        elif path.exists():
            pairs = [(path, path.parent)]
        else:
            err = InputNotFoundError("no such file or folder.", path=str(path), hint="Check the path and try again.")
            failures.append(Failure(str(path), err.code, str(err)))
            continue
        for file, root in pairs:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                found.append((file, root))
    return found, failures


def output_names(files: list[tuple[Path, Path]]) -> dict[Path, str]:
    """Output file name for each input: ``casilli.txt`` -> ``casilli.json``.

    Inputs whose names collide get their path relative to the folder they were found in, with
    ``__`` for ``/`` (``a/casilli.txt`` -> ``a__casilli.json``); when that still collides (the same
    name with two extensions), the input's extension is kept (``casilli.md.json``).
    """
    by_stem: dict[str, list[tuple[Path, Path]]] = defaultdict(list)
    for file, root in files:
        by_stem[file.stem.lower()].append((file, root))
    names: dict[Path, str] = {}
    for group in by_stem.values():
        if len(group) == 1:
            names[group[0][0]] = group[0][0].stem + ".json"
            continue
        relative = ["__".join(_relative(file, root).with_suffix("").parts) for file, root in group]
        if len({r.lower() for r in relative}) < len(relative):
            relative = ["__".join(_relative(file, root).parts) for file, root in group]
        if len({r.lower() for r in relative}) < len(relative):  # same relative path under two roots
            relative = [f"{r}.{i}" for i, r in enumerate(relative, 1)]
        for (file, _), name in zip(group, relative):
            names[file] = name + ".json"
    return names


def _relative(file: Path, root: Path) -> Path:
    try:
        return file.resolve().relative_to(root.resolve())
    except ValueError:
        return Path(file.name)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_extract(paths: list[Path], out_dir: Path, *, on_file=None, **options) -> RunResult:
    """Extract every handout under ``paths`` into ``out_dir``; errors are collected, not raised."""
    result = RunResult()
    files, result.failures = discover(paths)
    names = output_names(files)
    for file, _ in files:
        try:
            handout = extract(file, **options)
        except TdxError as err:
            result.failures.append(Failure(str(file), err.code, str(err)))
            if on_file:
                on_file(file, None, err)
            continue
        except OSError as err:
            failure = Failure(str(file), "unreadable", f"{file}: cannot be read ({err.strerror}). "
                                                       "Check its permissions.")
            result.failures.append(failure)
            if on_file:
                on_file(file, None, failure)
            continue
        target = out_dir / names[file]
        write_atomic(target, handout.model_dump_json(indent=2) + "\n")
        result.written.append(target)
        if on_file:
            on_file(file, target, None)
    return result


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
