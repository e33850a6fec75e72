"""Extracted handouts read back (``tdx export``, ``concepts``, ``show``, ``check`` of a JSON): the
JSON validated against the contract and beyond what its types say (schema version, spans inside
the text, ids unique and pointing somewhere, numbers a database can hold). A bad file costs that
file only: its error goes to ``on_error`` and the others are read."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from pipeline.batch.names import RESERVED
from pipeline.errors import InputNotFoundError, NoHandoutsError, TdxError
from pipeline.files import read_regular
from pipeline.models import SCHEMA_VERSION, Handout, Span

# SQLite's integers are 64-bit; JSON numbers past 2**53 are not exact in most readers anyway.
_LARGEST = 2 ** 53


class BadHandoutError(TdxError):
    code = "bad_handout"


class DuplicateHandoutError(TdxError):
    """A second output of the same input (same ``source.path``): skipped, not an error."""

    code = "duplicate"


def read_handout(path: Path) -> Handout:
    """One extracted handout, or a ``TdxError`` saying what is wrong with it."""
    hint = "Export only what tdx extract wrote, or extract the handout again."
    try:
        data = read_regular(path, hint="Give an extracted handout (.json).")
    except OSError as err:
        raise BadHandoutError(f"cannot be read ({err.strerror or err}).", path=str(path),
                              hint="Check its permissions.") from None
    try:
        handout = Handout.model_validate_json(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the file"
        more = f", and {err.error_count() - 1} more" if err.error_count() > 1 else ""
        raise BadHandoutError(f"is not a tdx handout JSON ({where}: {first['msg']}{more}).", path=str(path),
                              hint=hint) from None
    except ValueError as err:
        raise BadHandoutError(f"is not a tdx handout JSON ({str(err).splitlines()[0]}).", path=str(path),
                              hint=hint) from None
    problem = handout_problem(handout)
    if problem:
        raise BadHandoutError(f"is not a tdx handout JSON ({problem}).", path=str(path), hint=hint)
    return handout


def handout_problem(handout: Handout) -> str | None:
    """What makes a handout that passes the types unusable, or None."""
    if _newer(handout.schema_version):
        return (f"schema {handout.schema_version}, newer than the {SCHEMA_VERSION} this tdx reads; "
                "upgrade tdx")
    for label, items in (("section", handout.sections), ("quotation", handout.quotes),
                         ("concept", handout.concepts), ("entity", handout.entities)):
        ids = [item.id for item in items]
        if len(set(ids)) < len(ids):
            return f"two {label}s share the id {next(i for i in ids if ids.count(i) > 1)!r}"
    sections = {s.id for s in handout.sections}
    pointers = [s.parent_id for s in handout.sections] + [q.section_id for q in handout.quotes] + \
        [m.section_id for c in handout.concepts for m in c.mentions]
    if dangling := next((p for p in pointers if p is not None and p not in sections), None):
        return f"the section id {dangling!r} names no section"
    return _bad_value(handout, len(handout.text))


def _newer(version: str) -> bool:
    try:
        given = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return True  # not a version this tdx wrote
    ours = tuple(int(part) for part in SCHEMA_VERSION.split(".")[:2])
    return given[0] != ours[0] or given > ours


def _bad_value(node, length: int) -> str | None:
    """A span outside the text or a number no consumer can hold, anywhere in the handout."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Span):
            if not item.start <= item.end <= length:
                return f"the span {item.start}-{item.end} is outside the {length}-character text"
        elif isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int) and abs(item) > _LARGEST:
            return f"the number {item:.3g} is out of range"
        elif isinstance(item, float) and (not math.isfinite(item) or abs(item) > _LARGEST):
            return f"the number {item!r} is out of range"
    return None


def load_outputs(paths: list[Path], *, on_error: Callable[[TdxError], None] | None = None
                 ) -> Iterator[tuple[Path, Handout]]:
    """Extracted handouts (JSON) under ``paths``, one at a time, each input once.

    In folders every ``*.json`` is a handout except tdx's own files (``_run.json``); a handout
    whose name starts with ``_`` (from ``_brouillon.md``) is one like any other. A file that is not
    a usable handout, or a second output of an input already read, goes to ``on_error`` (raised
    when there is none) and the others are still read.
    """
    def report(err: TdxError) -> None:
        if on_error is None:
            raise err
        on_error(err)

    reserved = {name.casefold() for name in RESERVED}
    files: list[Path] = []
    for path in paths:
        try:
            if path.is_dir():
                # Not only regular files: a FIFO named like an output is reported, not skipped.
                files += sorted(p for p in path.rglob("*.json") if not p.is_dir() and not p.name.startswith(".")
                                and p.name.casefold() not in reserved)
            elif path.exists() or path.is_symlink():
                files.append(path)
            else:
                report(InputNotFoundError("no such file or folder.", path=str(path),
                                          hint="Point at tdx's outputs/ folder."))
        except OSError as err:  # a name too long, a folder that may not be entered
            report(BadHandoutError(f"cannot be read ({err.strerror or err}).", path=str(path),
                                   hint="Check the name and the permissions of the folders above it."))
    if not files:
        raise NoHandoutsError("no extracted handouts (.json) here.", path=", ".join(map(str, paths)),
                              hint="Run `tdx extract` first, then export its output folder.")
    seen: dict[str, Path] = {}
    for file in files:
        try:
            handout = read_handout(file)
        except TdxError as err:
            report(err)
            continue
        if handout.source.path is not None:
            if handout.source.path in seen:
                report(DuplicateHandoutError(f"another output of {handout.source.path} ({seen[handout.source.path]})"
                                             "; skipped so that it is not counted twice.", path=str(file),
                                             hint="Extract again into this folder to remove the older one."))
                continue
            seen[handout.source.path] = file
        yield file, handout
