"""Output names that never collide and never change: one JSON per input, whatever else is in the run
or already in the output folder (docs/batch.md#output-names).

A name is chosen once, the first time an input is extracted into a folder, and recorded in that
folder's ``_names.jsonl`` (output name and input path, relative to the folder). Later runs reuse
it, so a name does not change when other files join a run (extracting ``depot/Martin`` and then
``depot`` keeps ``Martin``'s outputs), and a new name is never one the folder already holds.
Outputs written before the index existed are adopted by the input they record (``source.path``);
a second output of the same input (the old scheme renamed outputs when a run changed) is removed,
so that ``tdx concepts`` and ``tdx export`` never count one handout twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from pipeline.errors import NotRegularFileError
from pipeline.files import read_regular, regular_file, write_atomic

RUN_REPORT = "_run.json"
# Not *.json: whatever globs an output folder's *.json for handouts (and _run.json) never meets it.
INDEX = "_names.jsonl"
RESERVED = (RUN_REPORT, INDEX)  # tdx's own files in an output folder; no handout gets these names
# Most file systems allow 255 bytes a name; atomic writes add a prefix and a suffix to it.
MAX_NAME_BYTES = 180
_RESERVED_KEYS = {n.casefold() for n in RESERVED}
_LEVELS = 3  # the stem, the relative path, the relative path with its extension; then numbers


def name_key(name: str) -> str:
    """Names that one file system may hold as one file: case (macOS, Windows) and Unicode
    normalisation (macOS stores "é" decomposed) do not tell them apart."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass
class Naming:
    names: dict[Path, str]  # input (as found) -> output name
    # Older outputs of this run's inputs, removed: (the output, its input).
    superseded: list[tuple[Path, Path]] = field(default_factory=list)


def assign_names(files: list[tuple[Path, Path]], out_dir: Path, *, write_index: bool = True) -> Naming:
    """The output name of each ``(file, root)`` input in ``out_dir``: the recorded one when the
    input was extracted there before, else a new one taken by no input and no file there."""
    folder = out_dir.resolve()
    index = read_index(out_dir)
    targets = {name: _resolve(folder, target) for name, target in index.items()}
    by_input: dict[str, str] = {}
    for name, target in targets.items():
        by_input.setdefault(target, name)
    # Each path resolved once: resolving is most of the cost on ten thousand files.
    identity = {file: str(file.resolve()) for file, _ in files}
    names: dict[Path, str] = {file: by_input[identity[file]] for file, _ in files if identity[file] in by_input}

    existing = _folder_names(out_dir)
    superseded = _adopt_legacy(out_dir, existing, index, files, identity, names)
    # An index naming two outputs for one input (edited by hand, two runs racing): one is kept.
    owner = {identity[file]: file for file, _ in files}
    for name, target in targets.items():
        if target in owner and by_input[target] != name and name in existing \
                and _recorded_input(out_dir / name) == target:
            (out_dir / name).unlink(missing_ok=True)
            superseded.append((out_dir / name, owner[target]))

    # Taken: every name in the folder, tdx's own, those recorded for other inputs, and this run's.
    taken = {name_key(n) for n in existing} | _RESERVED_KEYS | {name_key(n) for n in index} | \
        {name_key(n) for n in names.values()}
    roots = {root: str(root.resolve()) for root in {root for _, root in files}}
    relative = {file: _relative(identity[file], roots[root], file) for file, root in files if file not in names}
    names.update(_fresh_names(relative, taken))

    if write_index:
        _write_index(out_dir, folder, index, targets, names, identity, existing)
    return Naming(names, superseded)


def read_index(out_dir: Path) -> dict[str, str]:
    """``_names.jsonl``: output name -> input path relative to the folder. Damaged lines are
    ignored: the outputs themselves say which input they came from."""
    index: dict[str, str] = {}
    try:
        regular_file(out_dir / INDEX)
        with open(out_dir / INDEX, encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                    if _plain_name(entry["output"]) and isinstance(entry["input"], str):
                        index[entry["output"]] = entry["input"]
                except (ValueError, KeyError, TypeError, RecursionError):
                    continue
    except (OSError, UnicodeDecodeError, NotRegularFileError):
        pass
    return index


def _plain_name(name) -> bool:
    """An index entry may only name a handout's output in the folder itself: never a path (an
    edited ``../x.json`` would write outside the folder), a hidden file or tdx's own files."""
    return (isinstance(name, str) and name.endswith(".json") and not name.startswith(".")
            and "/" not in name and "\\" not in name and "\0" not in name and name_key(name) not in _RESERVED_KEYS)


def _resolve(folder: Path, target: str) -> str:
    """An index entry's input as an absolute path, from the resolved output folder."""
    return os.path.normpath(os.path.join(folder, target))


def _folder_names(out_dir: Path) -> set[str]:
    try:
        return {entry.name for entry in os.scandir(out_dir)}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _adopt_legacy(out_dir, existing, index, files, identity, names) -> list[tuple[Path, Path]]:
    """Outputs written before the index: each is given back to the input it records, and a second
    output of an input that already has one is removed (it would be counted twice)."""
    indexed = {name_key(n) for n in index}
    legacy = sorted((n for n in existing if n.lower().endswith(".json") and not n.startswith(".")
                     and name_key(n) not in indexed and name_key(n) not in _RESERVED_KEYS),
                    key=lambda n: (len(n), n))  # the shortest, the old scheme's plain name, wins
    if not legacy:
        return []
    wanted = {identity[file]: file for file, _ in files}
    superseded = []
    for name in legacy:
        recorded = _recorded_input(out_dir / name)
        file = wanted.get(recorded) if recorded else None
        if file is None:
            continue  # another input's, or not tdx's: its name stays taken
        if file in names:
            (out_dir / name).unlink(missing_ok=True)
            superseded.append((out_dir / name, file))
        else:
            names[file] = name
    return superseded


def _recorded_input(output: Path) -> str | None:
    """The input an old output was made from, resolved as the path given then (from this folder)."""
    try:
        data = json.loads(read_regular(output).decode("utf-8"))  # a FIFO named like an output: skipped
        path = data["source"]["path"]
        if not isinstance(path, str) or "schema_version" not in data:
            return None
        return str(Path(path).resolve())
    except (OSError, ValueError, KeyError, TypeError, RecursionError, NotRegularFileError):
        return None


def _fresh_names(relative: dict[Path, PurePath], taken: set[str]) -> dict[Path, str]:
    """New names for inputs, given each one's path relative to the folder it was found in: the
    stem when it is free; else that relative path, ``__`` for ``/``; else that path with the
    extension; else that with ``-2``, ``-3``… Inputs of one run that would share a name all move on
    together, so the name does not depend on their order."""
    level = {file: 0 for file in relative}
    numbered: list[Path] = []
    while True:
        candidates = {file: _candidate(file, relative[file], level[file]) for file in level if level[file] < _LEVELS}
        counts: dict[str, int] = {}
        for name in candidates.values():
            counts[name_key(name)] = counts.get(name_key(name), 0) + 1
        clashing = [f for f, n in candidates.items() if counts[name_key(n)] > 1 or name_key(n) in taken]
        if not clashing:
            break
        for file in clashing:
            level[file] += 1
            if level[file] == _LEVELS:
                numbered.append(file)
    names = dict(candidates)
    used = taken | {name_key(n) for n in names.values()}
    for file in sorted(numbered, key=lambda f: (str(relative[f]), str(f))):
        base = _candidate(file, relative[file], _LEVELS - 1)[:-len(".json")]
        number = 2
        while name_key(name := _fit(f"{base}-{number}")) in used:
            number += 1
        used.add(name_key(name))
        names[file] = name
    return names


def _candidate(file: Path, relative: PurePath, level: int) -> str:
    if level == 0:
        return _fit(file.stem)
    if level == 1 and relative.suffix:
        relative = relative.with_suffix("")
    return _fit("__".join(relative.parts))


def _fit(stem: str) -> str:
    """``stem.json``, made a safe file name: control characters (terminal escapes), backslashes (a
    folder separator on Windows) and a leading dot (a hidden file, skipped by readers) replaced,
    and long names cut, with a hash of the whole name, to what file systems allow."""
    stem = "".join("_" if unicodedata.category(ch) == "Cc" or ch == "\\" else ch for ch in stem) or "_"
    if stem.startswith("."):
        stem = "_" + stem[1:]
    if len((stem + ".json").encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        digest = hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        cut = stem.encode("utf-8", "surrogateescape")[:MAX_NAME_BYTES - len(digest) - 6]
        stem = cut.decode("utf-8", "ignore") + "-" + digest
    return stem + ".json"


def _relative(identity: str, root: str, file: Path) -> PurePath:
    """The input's path below the folder it was found in (its name alone when named directly)."""
    if identity.startswith(root.rstrip(os.sep) + os.sep):
        return PurePath(identity[len(root.rstrip(os.sep)) + 1:])
    return PurePath(file.name)


def _write_index(out_dir: Path, folder: Path, index: dict[str, str], targets: dict[str, str],
                 names: dict[Path, str], identity: dict[Path, str], existing: set[str]) -> None:
    """Record this run's names beside the older ones; an entry whose input and output are both
    gone frees its name, and an input has one entry."""
    mine = {name_key(n) for n in names.values()}
    mine_inputs = {identity[file] for file in names}
    merged = {name: target for name, target in index.items()
              if name_key(name) not in mine and targets[name] not in mine_inputs
              and (name in existing or os.path.exists(targets[name]))}
    for file, name in names.items():
        merged[name] = os.path.relpath(identity[file], folder)
    if merged == index and (out_dir / INDEX).exists():
        return
    # ASCII escapes: a name that is not valid UTF-8 (its bytes surrogate-escaped) stays writable.
    write_atomic(out_dir / INDEX, "".join(json.dumps({"output": name, "input": target}) + "\n"
                                          for name, target in sorted(merged.items())))
