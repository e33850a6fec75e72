"""The book's glossary (``--glossary FILE.toml``): read and validated before any handout is read.

A glossary is written by hand, so every mistake in it is a user's, and each must stop the run
with the line to fix rather than change what is found: ``aliases = "micro-travail"`` (a string,
not a list) was once read letter by letter and matched every "à"; an integer alias failed every
handout as an internal error; a 400,000-character label made the matcher take gigabytes. pydantic
checks the types and sizes (strict: no number is taken for a string); the line of the offending
key is found in the file's text, since ``tomllib`` keeps no positions.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from pipeline.errors import TdxError
from pipeline.files import regular_file

# Generous for a book's glossary (a few hundred concepts), small enough that the concept matcher
# stays fast: a term is at most a few words, a definition a paragraph.
MAX_BYTES = 2_000_000
MAX_CONCEPTS = 5_000
MAX_ALIASES = 100
MAX_TERM = 200
MAX_DEFINITION = 5_000

_HINT = 'Write one [[concept]] table per concept: label = "microtravail", aliases = ["micro-travail"], definition = "…".'
_Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TERM)]


class _Entry(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    label: _Term
    aliases: list[_Term] = Field(default_factory=list, max_length=MAX_ALIASES)
    definition: Annotated[str, StringConstraints(max_length=MAX_DEFINITION)] | None = None


class _File(BaseModel):
    # A misspelt table ([[concepts]]) would otherwise give an empty glossary without a word.
    model_config = ConfigDict(strict=True, extra="forbid")

    concept: list[_Entry] = Field(default_factory=list, max_length=MAX_CONCEPTS)


@dataclass
class Glossary:
    """The validated entries, as dicts ``{"label", "aliases", "definition"}`` (what the concepts stage reads)."""

    entries: list[dict] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.entries, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    @classmethod
    def load(cls, path: str | Path) -> Glossary:
        """A TOML file of ``[[concept]]`` tables: ``label``, optional ``aliases`` and ``definition``.
        Raises ``TdxError`` naming the line at fault."""
        path = Path(path)
        text = _read(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise TdxError(f"the glossary is not valid TOML ({err}).", path=str(path), hint=_HINT) from None
        except RecursionError:
            # tomllib parses nested arrays and inline tables recursively.
            raise TdxError("the glossary nests arrays or tables too deeply to be a glossary.", path=str(path),
                           hint=_HINT) from None
        try:
            parsed = _File.model_validate(data)
        except ValidationError as err:
            raise TdxError(_describe(err, text), path=str(path), hint=_HINT) from None
        # Entries keep only the keys given (a definition absent is not "definition": None), so that
        # the fingerprint of an output made with an unchanged glossary does not change.
        return cls([entry.model_dump(exclude_unset=True) for entry in parsed.concept])


def _read(path: Path) -> str:
    if not path.exists():
        raise TdxError("glossary file not found.", path=str(path), hint="Check the --glossary path.")
    # A folder, or a FIFO or device that would block the run while it is read.
    regular_file(path, hint="Give the path of a .toml file to --glossary.")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise TdxError(f"the glossary cannot be read ({err.strerror}).", path=str(path),
                       hint="Check its permissions.") from None
    if len(data) > MAX_BYTES:
        raise TdxError(f"the glossary is over {MAX_BYTES // 1_000_000} MB: too big for a book's glossary.",
                       path=str(path), hint="Check that --glossary names the glossary file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise TdxError(f"the glossary is not UTF-8 (line {line}).", path=str(path),
                       hint="Save it as UTF-8 (TOML files are).") from None


def _describe(err: ValidationError, text: str) -> str:
    """The first error of ``err`` as "line N: concept 3, aliases: a list is expected"."""
    first = err.errors()[0]
    loc = first["loc"]
    where = _locate(loc, text)
    what = _MESSAGES.get(first["type"], first["msg"]).format(**first.get("ctx", {}))
    if loc and loc[0] == "concept" and len(loc) >= 2 and isinstance(loc[1], int):
        name = f"concept {loc[1] + 1}" + (f", {loc[2]}" if len(loc) > 2 else "")
        if len(loc) > 3 and isinstance(loc[3], int):
            name += f" {loc[3] + 1}"
    else:
        name = ".".join(str(part) for part in loc) or "the file"
    return f"{where}{name}: {what}."


_MESSAGES = {
    "missing": "a label is required",
    "extra_forbidden": "unknown key (a glossary knows [[concept]] tables with label, aliases and definition)",
    "string_type": "a string in quotes is expected",
    "list_type": "a list is expected, as in [\"a\", \"b\"]",
    "string_too_short": "it is empty",
    "string_too_long": "longer than {max_length} characters",
    "too_long": "more than {max_length} items",
    "model_type": "a table is expected",
}


def _locate(loc: tuple, text: str) -> str:
    """The line of the key at ``loc`` in the TOML text, as "line N: ", or "" when not found.
    Follows the ``[[concept]]`` headers in order; inline tables fall back to the header's line."""
    if not loc:
        return ""
    lines = text.splitlines()
    if loc[0] != "concept" or len(loc) < 2 or not isinstance(loc[1], int):
        key = re.compile(rf"^\s*(?:\[+\s*)?{re.escape(str(loc[0]))}\b")
        return next((f"line {n}: " for n, line in enumerate(lines, 1) if key.match(line)), "")
    headers = [n for n, line in enumerate(lines) if re.match(r"^\s*\[\[\s*concept\s*\]\]", line)]
    if loc[1] >= len(headers):
        # concept = [{ label = "…" }, …]: an array of inline tables, on the line of its key.
        key = re.compile(r"^\s*concept\s*=")
        return next((f"line {n}: " for n, line in enumerate(lines, 1) if key.match(line)), "")
    start = headers[loc[1]]
    end = next((n for n, line in enumerate(lines[start + 1:], start + 1) if re.match(r"^\s*\[", line)), len(lines))
    if len(loc) > 2:
        key = re.compile(rf"^\s*[\"']?{re.escape(str(loc[2]))}[\"']?\s*=")
        found = next((n for n in range(start + 1, end) if key.match(lines[n])), None)
        if found is not None:
            return f"line {found + 1}: "
    return f"line {start + 1}: "
