"""Rewrite a long regex union so that what its alternatives share is written once.

spaCy's French tokenizer matches hyphenated and elided words ("anti-robot", "entr'ouvert") with one
pattern of 266 alternatives, ``(?:^anti[-‐][<letters>][<letters>'-]*$)|(?:^archi…)|…``, where each
``<letters>`` is a class of a few thousand Unicode ranges: 1.4 MB of pattern in all. CPython compiles
it in 3.5 s (and the model compiles it twice: when spacy.lang.fr is imported and when the tokenizer
is loaded), most of tdx's start-up. Written as ``^(?:anti|archi|…)[-‐][<letters>][<letters>'-]*$``,
the same strings match and it compiles in a few milliseconds.

``factor_union`` only rewrites what it fully understands: alternatives made of literals, escapes,
character classes, non-capturing groups and quantifiers, under global inline flags. Anything else
(capturing groups, lookarounds, backreferences) leaves the pattern as it is. Each rewrite is an
identity of regular languages (``AB|AC = A(?:B|C)``, ``BA|CA = (?:B|C)A``, ``A|A = A``,
``|A = (?:A)?``), so ``re.match`` finds a match in a string exactly when the original does; the
match's end and groups may differ, which is why callers that only test for a match (spaCy's
``token_match``) are the users of this module.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_LEX = re.compile(
    r"\[\^?\]?[^\]\\]*(?:\\.[^\]\\]*)*\]"  # a character class ("]" first is a literal)
    r"|\\[1-9]"  # a backreference: not ours to rewrite
    r"|\\."  # an escaped character
    r"|\(\?:"  # a non-capturing group
    r"|\(\??"  # any other group
    r"|\)"
    r"|\{(?:\d+(?:,\d*)?|,\d+)\}[?+]?|[*+?][?+]?"  # quantifiers, lazy or possessive
    r"|\|"
    r"|.",
    re.S,
)


class _Unsupported(Exception):
    pass


Seq = tuple[str, ...]  # one alternative as a sequence of atoms


@lru_cache(maxsize=8)
def factor_union(pattern: str) -> str:
    """An equivalent pattern (for whether ``re.match`` matches) with shared heads and tails factored."""
    flags = _FLAGS.match(pattern)
    head = flags.group() if flags else ""
    try:
        alternatives = _alternatives(pattern[len(head):])
    except _Unsupported:
        return pattern
    return head + _union(list(dict.fromkeys(alternatives)))


def _alternatives(pattern: str) -> list[Seq]:
    """The top-level alternatives as atom sequences; ``(?:X|Y)`` alone in an alternative is opened."""
    result: list[Seq] = []
    for seq in _split(pattern):
        if len(seq) == 1 and seq[0].startswith("(?:") and seq[0].endswith(")"):
            result.extend(_alternatives(seq[0][3:-1]))
        else:
            result.append(seq)
    return result


def _split(pattern: str) -> list[Seq]:
    """Atoms (a literal, escape, class or group, with its quantifier) of each top-level alternative."""
    alternatives: list[Seq] = []
    atoms: list[str] = []
    depth = 0
    group: list[str] = []
    for token in _LEX.findall(pattern):
        if token.startswith("(") and token != "(?:" or token[0] == "\\" and token[1:].isdigit():
            raise _Unsupported(token)
        if depth:
            group.append(token)
            depth += token == "(?:"
            depth -= token == ")"
            if not depth:
                atoms.append("".join(group))
            continue
        if token == "(?:":
            depth, group = 1, [token]
        elif token == ")":
            raise _Unsupported("unbalanced )")
        elif token == "|":
            alternatives.append(tuple(atoms))
            atoms = []
        elif token[0] in "*+?" or token[0] == "{" and len(token) > 1:
            if not atoms:
                raise _Unsupported("quantifier without an atom")
            atoms[-1] += token
        else:
            atoms.append(token)
    if depth:
        raise _Unsupported("unbalanced (")
    alternatives.append(tuple(atoms))
    return alternatives


def _union(seqs: list[Seq]) -> str:
    """A pattern for the union of ``seqs`` (distinct), shared tails factored first, then heads."""
    if len(seqs) == 1:
        return "".join(seqs[0])
    if () in seqs:
        rest = [s for s in seqs if s]
        return f"(?:{_union(rest)})?"
    shortest = min(map(len, seqs))
    p = 0
    while p < shortest and all(s[p] == seqs[0][p] for s in seqs):
        p += 1
    if p:
        return "".join(seqs[0][:p]) + _group(_union(_distinct(s[p:] for s in seqs)))
    q = 0
    while q < shortest and all(s[-1 - q] == seqs[0][-1 - q] for s in seqs):
        q += 1
    if q:
        return _group(_union(_distinct(s[:-q] for s in seqs))) + "".join(seqs[0][-q:])
    # Tails first: the long letter classes sit at the end of every alternative.
    for key in (lambda s: s[-1], lambda s: s[0]):
        groups: dict[str, list[Seq]] = {}
        for s in seqs:
            groups.setdefault(key(s), []).append(s)
        if len(groups) < len(seqs):
            return "|".join(_union(members) for members in groups.values())
    return "|".join("".join(s) for s in seqs)


def _distinct(seqs) -> list[Seq]:
    return list(dict.fromkeys(seqs))


def _group(pattern: str) -> str:
    return f"(?:{pattern})" if pattern else ""
