"""Which files a run reads: folders searched, glob patterns expanded, each file once. ``tdx check``
finds its handouts the same way; the names of their outputs are ``names``'s."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputNotFoundError, NoHandoutsError, UnreadableInputError
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
        try:
            pairs = _files_under(path, failures)
        except OSError as err:  # a name too long, a folder that may not be entered: this path only
            err = UnreadableInputError(f"cannot be read ({err.strerror or err}).", path=str(path),
                                       hint="Check the name and the permissions of the folders above it.")
            failures.append(Failure(str(path), err.code, str(err)))
            continue
        for file, root in pairs:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                found.append((file, root))
    return found, failures


def _files_under(path: Path, failures: list[Failure]) -> list[tuple[Path, Path]]:
    """``(file, root)`` for a file named, or for each handout in a folder."""
    if path.is_dir():
        # "~$fiche.docx" is the lock file Word and LibreOffice leave beside a document open in them.
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                       and not p.name.startswith("~$")
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not files:
            err = NoHandoutsError(f"no handouts ({', '.join(SUPPORTED_SUFFIXES)}) in this folder.",
                                  path=str(path), hint="Point tdx at a folder holding handout files.")
            failures.append(Failure(str(path), err.code, str(err)))
        return [(f, path) for f in files]
    if path.exists():
        return [(path, path.parent)]
    err = InputNotFoundError("no such file or folder.", path=str(path), hint="Check the path and try again.")
    failures.append(Failure(str(path), err.code, str(err)))
    return []


def _expand_globs(paths: list[Path]) -> list[Path]:
    """Patterns the shell did not expand (quoted, or on Windows): ``'raw/**/*.md'``."""
    out: list[Path] = []
    for path in paths:
        matches = []
        if any(ch in str(path) for ch in "*?[") and not _exists(path):
            matches = sorted(glob.glob(str(path), recursive=True))
        out.extend([Path(m) for m in matches] or [path])
    return out


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False
