"""Finding messages and hints in the reader's language: English in the code (the gettext msgid, and
what the JSON gives by default), other languages in a gettext catalog, ``locale/<lang>/LC_MESSAGES/tdx.po``.

A ``.po`` file is what translators' tools (Poedit, Weblate, Lokalize) open; ``polib`` reads it as it
is, so there is no ``.mo`` to compile and keep in step. Placeholders are named (``{where}``,
``{cited}``) so that a translation orders them as its language needs; what fills them (a quotation's
words, a page label, the handout's own reference) comes from the handout or the book and is never
translated.

The language is chosen once by whoever runs the check (``with language("fr"):``, or
``pipeline.check(..., lang="fr")``), not passed to every rule: ``t()`` reads it from a context
variable. ``N_()`` only marks a string for the catalog (the rules table holds English, translated
where a finding is made), as gettext's own ``N_`` does.
"""

from __future__ import annotations

import gettext
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from pipeline.errors import TdxError

SOURCE_LANG = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "tdx"

_LANG: ContextVar[str] = ContextVar("tdx_lang", default=SOURCE_LANG)


def languages() -> tuple[str, ...]:
    """English and every language with a catalog."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANG, *found)


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Messages made inside are in ``lang`` (None: leave the language in force)."""
    if lang is None:
        yield
        return
    if lang != SOURCE_LANG:
        _catalog(lang)  # an unknown language is said before any work is done
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


def current() -> str:
    return _LANG.get()


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalog without translating it here (it is translated where used)."""
    return msgid


def t(msgid: str, /, **fields) -> str:
    """``msgid`` in the language in force, its ``{placeholders}`` filled with ``fields``."""
    lang = _LANG.get()
    text = msgid if lang == SOURCE_LANG else _catalog(lang).singular.get(msgid) or msgid
    return text.format(**fields) if fields else text


def tn(singular: str, plural: str, n: int, /, **fields) -> str:
    """The form for ``n`` of a message that has a singular and a plural (``n`` is a field too)."""
    lang = _LANG.get()
    if lang == SOURCE_LANG:
        text = singular if n == 1 else plural
    else:
        catalog = _catalog(lang)
        forms = catalog.plural.get(singular)
        text = forms[catalog.form(n)] if forms else (singular if n == 1 else plural)
    return text.format(n=n, **fields)


@dataclass(frozen=True)
class _Catalog:
    singular: dict[str, str]
    plural: dict[str, list[str]]  # msgid -> its forms, as the catalog's Plural-Forms numbers them
    form: Callable[[int], int]


@lru_cache(maxsize=None)
def _catalog(lang: str) -> _Catalog:
    import polib

    path = catalog_path(lang)
    if not path.is_file():
        raise TdxError(f"no translation of the messages into {lang!r}.",
                       hint=f"Give one of {', '.join(languages())}, or add {path.relative_to(LOCALE_DIR.parent)} "
                            "(docs/check.md: adding a language).")
    po = polib.pofile(str(path))
    singular, plural = {}, {}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            plural[entry.msgid] = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        else:
            singular[entry.msgid] = entry.msgstr
    # gettext's own reader of the C expression in "Plural-Forms: nplurals=2; plural=(n > 1);".
    rule = po.metadata.get("Plural-Forms", "plural=(n != 1);").split("plural=", 1)[1].rstrip(";").strip()
    return _Catalog(singular, plural, gettext.c2py(rule))
