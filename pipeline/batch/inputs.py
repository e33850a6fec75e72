"""Which files a run reads and what it names their outputs: folders searched, glob patterns
expanded, colliding names told apart. ``tdx check`` finds its handouts the same way."""

from __future__ import annotations

import glob
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputNotFoundError, NoHandoutsError, NotRegularFileError
from pipeline.files import regular_file
from pipeline.ingest import SUPPORTED_SUFFIXES


@dataclass
class Failure:
    path: str
    code: str
    message: str


def discover(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[Failure]]:
    """Expand folders (recursively) into handout files. Returns ``(file, root)`` pairs and failures.

    A file named explicitly is kept whatever its extension, so that an unsupported one is reported
    instead of silently skipped; inside folders only supported handouts are taken.
    """
    found: list[tuple[Path, Path]] = []
    failures: list[Failure] = []
    seen: set[Path] = set()
    for path in _expand_globs(paths):
        if path.is_dir():
            files = []
            for p in sorted(path.rglob("*")):
                if p.suffix.lower() not in SUPPORTED_SUFFIXES or p.is_dir() \
                        or any(part.startswith(".") for part in p.relative_to(path).parts):
                    continue
                if p.is_file():
                    files.append(p)
                elif (special := _special(p)) is not None:  # a FIFO named like a handout: say so
                    failures.append(special)
            if not files:
                err = NoHandoutsError(f"no handouts ({', '.join(SUPPORTED_SUFFIXES)}) in this folder.",
                                      path=str(path), hint="Point tdx at a folder holding handout files.")
                failures.append(Failure(str(path), err.code, str(err)))
            pairs = [(f, path) for f in files]
        elif path.exists():
            if (special := _special(path)) is not None:
                failures.append(special)
                continue
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


def _special(path: Path) -> Failure | None:
    """The failure of a FIFO, a device or a socket (reading one would block), None otherwise."""
    try:
        regular_file(path, hint="Give tdx the handout file itself.")
    except NotRegularFileError as err:
        return Failure(str(path), err.code, str(err))
    except OSError:
        return None  # a dangling link, no permission: reported where the file is read
    return None


def _expand_globs(paths: list[Path]) -> list[Path]:
    """Patterns the shell did not expand (quoted, or on Windows): ``'raw/**/*.md'``."""
    out: list[Path] = []
    for path in paths:
        matches = []
        if not path.exists() and any(ch in str(path) for ch in "*?["):
            matches = sorted(glob.glob(str(path), recursive=True))
        out.extend([Path(m) for m in matches] or [path])
    return out


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
