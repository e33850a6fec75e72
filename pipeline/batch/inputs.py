"""Which files a run reads: folders searched, glob patterns expanded, each file once, the files
``--exclude`` names and a folder's README and the like left out. ``tdx check`` finds its handouts
the same way; the names of their outputs are ``names``'s."""

from __future__ import annotations

import glob
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePath

from pipeline.errors import InputNotFoundError, NoHandoutsError, NotRegularFileError, UnreadableInputError
from pipeline.files import regular_file
from pipeline.ingest import SUPPORTED_SUFFIXES


@dataclass
class Failure:
    path: str
    code: str
    message: str


# What lies beside handouts in a course folder without being one: a folder's README, the list of
# its SOURCES, a LICENSE... (matched on the name without its extension, in any case).
NOT_HANDOUTS = ("readme", "sources", "license", "licence", "changelog", "contributing", "authors", "copying")


def discover(paths: list[Path], *, exclude: Sequence[str] = (), on_note: Callable[[str], None] | None = None
             ) -> tuple[list[tuple[Path, Path]], list[Failure]]:
    """Expand folders (recursively) into handout files. Returns ``(file, root)`` pairs and failures.

    A file named explicitly is kept whatever its extension, so that an unsupported one is reported
    instead of silently skipped; inside folders only supported handouts are taken, and not a
    README, SOURCES, LICENSE... (``NOT_HANDOUTS``; ``on_note`` is told which). ``exclude``: glob
    patterns (``--exclude``) leaving out any file they match, named explicitly or not (see
    ``excluded``).
    """
    found: list[tuple[Path, Path]] = []
    failures: list[Failure] = []
    seen: set[Path] = set()
    not_handouts: list[Path] = []
    for path, searched in _expand_globs(paths):
        try:
            pairs = _files_under(path, failures)
        except OSError as err:  # a name too long, a folder that may not be entered: this path only
            err = UnreadableInputError(f"cannot be read ({err.strerror or err}).", path=str(path),
                                       hint="Check the name and the permissions of the folders above it.")
            failures.append(Failure(str(path), err.code, str(err)))
            continue
        kept = [(file, root) for file, root in pairs if not (exclude and excluded(file, root, exclude))]
        if (searched or path.is_dir()) and kept:
            not_handouts += [file for file, _ in kept if file.stem.casefold() in NOT_HANDOUTS]
            kept = [(file, root) for file, root in kept if file.stem.casefold() not in NOT_HANDOUTS]
        if pairs and not kept and path.is_dir():
            err = NoHandoutsError("no handouts left in this folder once --exclude and its README, SOURCES... "
                                  "are left out.", path=str(path), hint="Check the --exclude patterns.")
            failures.append(Failure(str(path), err.code, str(err)))
        for file, root in kept:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                found.append((file, root))
    if not_handouts and on_note is not None:
        on_note(f"{', '.join(map(str, not_handouts))}: not read, taken for notes beside the handouts (a "
                "README, SOURCES, LICENSE or CHANGELOG file is not a handout); name such a file to read it.")
    return found, failures


def excluded(file: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether an ``--exclude`` pattern matches ``file``: a pattern without ``/`` matches the name
    of the file or of any folder between it and the folder searched (``old``, ``*.pdf``,
    ``brouillon-*``); a pattern with ``/`` matches the end of its path (``2023/*.md``, or the path
    as given, ``raw/old/*.md``), ``*`` matching across ``/`` as ``**`` does in ``.gitignore``."""
    try:
        below = PurePath(file.relative_to(root))
    except ValueError:
        below = PurePath(file.name)
    for pattern in patterns:
        pattern = pattern.rstrip("/") or pattern
        if "/" in pattern:
            bare = pattern.removeprefix("**/").removeprefix("./")
            if fnmatchcase(below.as_posix(), bare) or fnmatchcase(file.as_posix(), pattern) \
                    or fnmatchcase(file.as_posix(), bare) or fnmatchcase(file.as_posix(), "*/" + bare):
                return True
        elif any(fnmatchcase(part, pattern) for part in below.parts):
            return True
    return False


def _files_under(path: Path, failures: list[Failure]) -> list[tuple[Path, Path]]:
    """``(file, root)`` for a file named, or for each handout in a folder. A FIFO, a device or a
    socket (reading one would block) is a failure, named or found in a folder."""
    if path.is_dir():
        files = []
        for p in sorted(path.rglob("*")):
            # "~$fiche.docx" is the lock file Word and LibreOffice leave beside a document open in them.
            if p.suffix.lower() not in SUPPORTED_SUFFIXES or p.is_dir() or p.name.startswith("~$") \
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
        return [(f, path) for f in files]
    if path.exists():
        if (special := _special(path)) is not None:
            failures.append(special)
            return []
        return [(path, path.parent)]
    err = InputNotFoundError("no such file or folder.", path=str(path), hint="Check the path and try again.")
    failures.append(Failure(str(path), err.code, str(err)))
    return []


def _special(path: Path) -> Failure | None:
    """The failure of a FIFO, a device or a socket (reading one would block), None otherwise."""
    try:
        regular_file(path, hint="Give tdx the handout file itself.")
    except NotRegularFileError as err:
        return Failure(str(path), err.code, str(err))
    except OSError:
        return None  # a dangling link, no permission: reported where the file is read
    return None


def _expand_globs(paths: list[Path]) -> list[tuple[Path, bool]]:
    """Patterns the shell did not expand (quoted, or on Windows): ``'raw/**/*.md'``. Each path
    comes with whether tdx found it (by a pattern) rather than being given its name."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        matches = []
        if any(ch in str(path) for ch in "*?[") and not _exists(path):
            matches = sorted(glob.glob(str(path), recursive=True))
        out.extend([(Path(m), True) for m in matches] or [(path, False)])
    return out


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False
