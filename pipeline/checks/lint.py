"""``tdx check`` as a linter: which rules run (``--select``/``--ignore``, a config file), findings
silenced in the handout itself, and which book each handout is checked against.

Configuration is read from the first ``tdx.toml`` (a ``[check]`` table) or ``pyproject.toml`` (a
``[tool.tdx.check]`` table) found going up from the handouts' folder; options on the command line
win over it. Keys: ``select``, ``extend-select``, ``ignore`` (codes or severities), ``fail-on``,
``all-references``, ``format``, ``source``, ``sources`` (a folder of books, or a table of handout
glob -> book). Paths in it are relative to the file. See docs/check.md.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.models import Finding
from pipeline.rules import METADATA_RULES, RULES

ALL_RULES = {**RULES, **METADATA_RULES}
_SEVERITIES = ("error", "warning", "info")
_KEYS = {"select", "extend-select", "ignore", "fail-on", "all-references", "format", "source", "sources"}


@dataclass
class Selection:
    """Which codes are reported. ``select`` replaces the default set (every rule on by default);
    ``extend_select`` adds to it; ``ignore`` takes away. Each entry is a code, a severity, or ``all``."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)

    def codes(self) -> set[str]:
        base = {c for c, r in ALL_RULES.items() if r.default} if self.select is None else _expand(self.select)
        return (base | _expand(self.extend_select)) - _expand(self.ignore)


def _expand(entries: list[str]) -> set[str]:
    out = set()
    for entry in entries:
        entry = entry.strip().lower()
        if entry == "all":
            out |= set(ALL_RULES)
        elif entry in _SEVERITIES:
            out |= {c for c, r in ALL_RULES.items() if r.severity == entry}
        elif entry in ALL_RULES:
            out.add(entry)
        elif entry:
            raise ConfigError(f"'{entry}' is neither a rule code nor a severity.",
                              hint="List the codes with `tdx rule --list`; severities are error, warning, info.")
    return out


def split_codes(values: list[str] | None) -> list[str] | None:
    """``--select a,b --select c`` -> [a, b, c]."""
    if values is None:
        return None
    return [v for value in values for v in re.split(r"[,\s]+", value) if v]


@dataclass
class Config:
    path: Path | None = None
    selection: Selection = field(default_factory=Selection)
    fail_on: str | None = None
    all_references: bool = False
    format: str | None = None
    source: Path | None = None
    sources_dir: Path | None = None
    sources_map: dict[str, Path] = field(default_factory=dict)

    def source_for(self, handout: Path) -> Path | None:
        """The book a ``sources`` table names for ``handout`` (by glob, relative to the config)."""
        for pattern, book in self.sources_map.items():
            base = self.path.parent if self.path else Path.cwd()
            if fnmatch.fnmatch(str(handout.resolve()), str((base / pattern).resolve())) or \
                    fnmatch.fnmatch(handout.name, pattern):
                return book
        return None


def find_config(paths: list[Path]) -> Path | None:
    """The first ``tdx.toml``, or ``pyproject.toml`` with a ``[tool.tdx.check]`` table, going up from
    the first handout's folder."""
    if not paths:
        return None
    start = paths[0].resolve()
    folder = start if start.is_dir() else start.parent
    for directory in [folder, *folder.parents]:
        if (directory / "tdx.toml").is_file():
            return directory / "tdx.toml"
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "check" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("tdx", {}):
                    return pyproject
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # another project's pyproject: not ours to judge
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot be read ({err}).", path=str(path), hint="Check the file.") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"is not valid TOML ({err}).", path=str(path), hint="Fix the TOML syntax.") from err
    table = data.get("check", {}) if path.name == "tdx.toml" else data.get("tool", {}).get("tdx", {}).get("check", {})
    where = "[check]" if path.name == "tdx.toml" else "[tool.tdx.check]"
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{where} has unknown key(s): {', '.join(sorted(unknown))}.", path=str(path),
                          hint=f"Known keys: {', '.join(sorted(_KEYS))}.")

    def codes(key: str) -> list[str]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} {key} must be a list of codes or severities.", path=str(path),
                              hint=f'Write {key} = ["missing_reference", "warning"].')
        return value

    base = path.parent
    config = Config(path=path, selection=Selection(select=codes("select") if "select" in table else None,
                                                   extend_select=codes("extend-select"), ignore=codes("ignore")),
                    all_references=bool(table.get("all-references", False)))
    try:
        config.selection.codes()  # an unknown code is said now, with the file's name
    except ConfigError as err:
        raise ConfigError(f"{where} {err.bare_message}", path=str(path), hint=err.hint) from err
    for key, allowed in (("fail-on", _SEVERITIES), ("format", ("concise", "table", "json", "github"))):
        value = table.get(key)
        if value is not None and value not in allowed:
            raise ConfigError(f"{where} {key} = {value!r} is not one of {', '.join(allowed)}.", path=str(path),
                              hint=f"Write {key} = \"{allowed[0]}\".")
    config.fail_on, config.format = table.get("fail-on"), table.get("format")
    if "source" in table:
        config.source = base / str(table["source"])
    sources = table.get("sources")
    if isinstance(sources, str):
        config.sources_dir = base / sources
    elif isinstance(sources, dict):
        config.sources_map = {str(k): base / str(v) for k, v in sources.items()}
    elif sources is not None:
        raise ConfigError(f"{where} sources must be a folder or a table of handout glob = book.", path=str(path),
                          hint='Write sources = "books/", or [tool.tdx.check.sources] with "td-*.md" = "books/x.pdf".')
    return config


# -- findings silenced in the handout --------------------------------------------------------------

# "<!-- tdx: ignore[wrong_page] -->" (invisible in rendered Markdown), "% tdx: ignore wrong_page" or
# "tdx: ignore" alone: the comment form is free, the words "tdx: ignore" are what count. On the line
# of the finding, or alone on the line before it. No code: every finding of that line.
_IGNORE = re.compile(r"tdx:\s*ignore(?:\[([^\]]*)\]|[ \t]+([a-z_][a-z_, \t]*))?", re.I)


def silenced_lines(text: str) -> dict[int, set[str] | None]:
    """1-based line -> the codes silenced there (None: all)."""
    out: dict[int, set[str] | None] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        m = _IGNORE.search(line)
        if m is None:
            continue
        listed = m.group(1) if m.group(1) is not None else m.group(2)
        codes = {c for c in re.split(r"[,\s]+", listed or "") if c in ALL_RULES} or None
        alone = not re.sub(r"<!--.*?-->|%.*$|#.*$|//.*$", "", line).strip() or line.strip().startswith(("<!--", "%"))
        targets = [number, number + 1] if alone else [number]
        for target in targets:
            previous = out.get(target, set())
            out[target] = None if codes is None or previous is None else previous | codes
    return out


def keep(findings: list[Finding], selection: set[str], text: str | None) -> list[Finding]:
    """``findings`` less those not selected and those silenced in ``text`` (the handout's).
    Verified citations are kept: they are confirmations the summary counts."""
    silenced = silenced_lines(text) if text and "tdx" in text else {}

    def shown(f: Finding) -> bool:
        if f.code != "verified" and f.code not in selection:
            return False
        if f.line is not None and f.line in silenced:
            codes = silenced[f.line]
            return not (codes is None or f.code in codes)
        return True

    return [f for f in findings if shown(f)]
