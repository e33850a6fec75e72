"""The lemmatizer's tables as tdx reads them (from spaCy's file, or from tdx's cache) are the
tables spaCy reads, and a cache that is missing, stale, damaged or unwritable never changes them."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from pipeline import nlp  # noqa: E402
from pipeline.nlp import lookups  # noqa: E402
from pipeline.text import fold  # noqa: E402

TABLES = ["lemma_lookup", "lemma_rules", "lemma_exc", "lemma_index"]


@pytest.fixture(scope="module")
def model_file():
    return nlp.load(frozenset({"lemmas"})).path / "lemmatizer" / "lookups" / "lookups.bin"


@pytest.fixture(scope="module")
def spacys(model_file):
    from spacy.lookups import Lookups

    return Lookups().from_disk(model_file.parent)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "model"


def assert_same_tables(ours, theirs):
    assert ours.tables == theirs.tables == TABLES
    for name in TABLES:
        mine, spacys = ours.get_table(name), theirs.get_table(name)
        assert list(mine.keys()) == list(spacys.keys()), name
        for key, value in spacys.items():
            if name == "lemma_index":  # word lists become sets (membership is all the lemmatizer asks)
                assert mine[key] == frozenset(value)
            elif name == "lemma_exc":  # {word: [lemmas]} per part of speech
                assert list(mine[key].keys()) == list(value.keys())
                assert {w: mine[key][w] for w in value} == value
            else:
                assert mine[key] == value
        assert mine.bloom.to_bytes() == spacys.bloom.to_bytes(), name


def test_tables_read_without_the_cache_are_spacys(model_file, spacys, cache):
    tables = lookups.load_tables(model_file, cache=False)
    assert_same_tables(tables.lookups, spacys)
    assert not cache.exists()


def test_the_first_run_caches_and_the_next_reads_the_same_tables(model_file, spacys, cache):
    first = lookups.load_tables(model_file)
    assert len(list(cache.iterdir())) == 1
    second = lookups.load_tables(model_file)
    assert isinstance(second.lookups.get_table("lemma_lookup")._data, lookups.LemmaLists)  # from the cache
    assert_same_tables(second.lookups, spacys)
    assert second.lemmas == first.lemmas and second.folded == first.folded
    assert second.folded == frozenset(fold(w) for w in second.lemmas)


def test_cached_values_are_new_lists_like_spacys(model_file, cache):
    lookups.load_tables(model_file)
    table = lookups.load_tables(model_file).lookups.get_table("lemma_lookup")
    first, again = table.get("mangeait"), table["mangeait"]
    assert first == again == ["manger"] and first is not again
    assert table.get("pas-un-mot-du-tout") is None and "pas-un-mot-du-tout" not in table
    exceptions = lookups.load_tables(model_file).lookups.get_table("lemma_exc")["verb"]
    assert exceptions.get("été") == ["être"] and exceptions.get("xyz", []) == []


def test_the_lexicon_is_the_same_from_the_cache(model_file, cache):
    lemmas, folded = lookups.lexicon_words(lookups.load_tables(model_file, cache=False).lookups)
    lookups.load_tables(model_file)
    cached = lookups.load_tables(model_file)
    assert (cached.lemmas, cached.folded) == (lemmas, folded)
    assert "étude" in cached.lemmas and "etude" in cached.folded


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated"])
def test_a_damaged_cache_is_rebuilt(model_file, spacys, cache, damage):
    lookups.load_tables(model_file)
    (path,) = cache.iterdir()
    good = path.read_bytes()
    path.write_bytes({"empty": b"", "garbage": b"\x00garbage", "truncated": good[: len(good) // 2]}[damage])
    assert_same_tables(lookups.load_tables(model_file).lookups, spacys)
    assert path.read_bytes() == good  # rewritten whole


def test_a_cache_made_for_another_file_is_not_used(model_file, spacys, cache):
    import srsly

    lookups.load_tables(model_file)
    (path,) = cache.iterdir()
    packed = srsly.msgpack_loads(path.read_bytes())
    packed["key"] += "|reinstalled"
    packed["lemma_lookup"][2] = packed["lemma_lookup"][2].replace("manger", "MANGER")
    path.write_bytes(srsly.msgpack_dumps(packed))
    assert lookups.load_tables(model_file).lookups.get_table("lemma_lookup")["mangeait"] == ["manger"]


def test_an_unwritable_cache_only_costs_speed(model_file, spacys, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TDX_CACHE_DIR", str(blocker / "cache"))
    assert_same_tables(lookups.load_tables(model_file).lookups, spacys)


def test_without_a_cache_folder_the_tables_are_read_from_the_model(model_file, spacys, monkeypatch):
    monkeypatch.setattr(lookups, "cache_dir", lambda: None)  # a user without a home
    assert_same_tables(lookups.load_tables(model_file).lookups, spacys)


def test_a_word_holding_a_separator_is_not_cached():
    with pytest.raises(ValueError):
        lookups._joined(["a", "b\tc"], "\n")
    with pytest.raises(ValueError):
        lookups._joined([], "\t")
    assert lookups._joined(["a", "b"], "\n") == "a\nb"


def test_frozen_tables_read_like_spacys_and_refuse_writes():
    from spacy.lookups import Table

    data = {"chat": ["chat"], "chats": ["chat"]}
    ours, theirs = lookups.FrozenTable("t", data), Table("t", data)
    assert ours.to_bytes() == theirs.to_bytes()
    assert "chats" in ours and ours.get("chats") == theirs.get("chats") and len(ours) == 2
    assert ours == theirs and dict(ours.items()) == dict(theirs.items())
    with pytest.raises(TypeError):
        ours["chien"] = ["chien"]
    restored = lookups.FrozenTable().from_bytes(theirs.to_bytes())
    assert restored.name == "t" and restored.get("chat") == ["chat"]
    assert restored.bloom.to_bytes() == theirs.bloom.to_bytes()


def test_the_model_lemmatizes_with_these_tables():
    model = nlp.load(frozenset({"lemmas"}))
    assert model.pipe_names == ["tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"]
    assert [t.lemma_ for t in model("Les travailleurs mangeaient des pommes.")][:3] == ["le", "travailleur", "manger"]
