"""The small book the verification tests read, and helpers to check a handout against it.

This is a test helper, not a test file. ``BOOK``: printed pages 41-45 of an essay with a running
header, a word hyphenated at a line end, a footnote call, a sentence over a page break and a maxim
printed twice; ``book_txt`` writes it as text (with form feeds between pages, or not; with its page
numbers, or not), ``OWN_PAGES`` are its pages for ``tests.bookgen.render_book`` to print as a PDF.
"""

from __future__ import annotations

import pytest

import pipeline
from pipeline.checks.book import load_source
from tests.bookgen import BookPage

BOOK = {
    "41": """ESSAI SUR LA COMMUNE
La commune est la seule association qui soit si bien dans la nature que
partout où il y a des hommes réunis, elle se forme d'elle-même. Elle
précède les lois qui la reconnaissent, et les lois ne font guère que la
régler après coup.

Dans les villages que j'ai visités, chaque habitant connaît le nom du
magistrat qui répartit l'impôt, et il sait où le trouver le soir. Cette
proximité rend l'adminis-
tration familière sans la rendre méprisable[1].

La liberté communale est la première école du citoyen.""",
    "42": """ESSAI SUR LA COMMUNE
On apprend à obéir en commandant soi-même, et l'on juge mieux les fautes
du pouvoir lorsqu'on a porté une part de ses charges. Le paysan qui a
siégé une année au conseil ne parle plus des affaires publiques comme
d'un orage lointain.

Il faut cependant se garder de croire que tout soit harmonie dans ces
petites républiques. Les querelles de voisinage y deviennent aisément
des affaires d'État, et la rancune d'un meunier peut retarder pendant
dix ans la construction d'un pont dont tout le monde""",
    "43": """ESSAI SUR LA COMMUNE
reconnaît pourtant l'utilité. Le temps finit par user ces résistances,
car la commune dure plus longtemps que les passions de ceux qui la
composent.

Les fonctionnaires communaux ne reçoivent presque aucun salaire. Ils
tirent leur autorité de l'estime de leurs voisins plutôt que de la
crainte qu'ils inspirent, et cette autorité, pour être douce, n'en est
pas moins réelle.""",
    "44": """ESSAI SUR LA COMMUNE
Le comté n'est qu'un cadre administratif ; il n'a point d'existence
morale. Personne ne se dit fier de son comté comme on se dit fier de sa
commune, et les électeurs connaissent rarement les hommes qu'ils y
envoient.

Lorsque le législateur veut contraindre une commune récalcitrante, il
ne lui envoie pas un préfet : il la cite devant un tribunal, et c'est
un juge qui prononce l'amende.""",
    "45": """ESSAI SUR LA COMMUNE
Ainsi le pouvoir se cache sous la forme de la justice, et il n'en
devient que plus fort. Je reviens toujours à la même conclusion, que
j'ai écrite au début de ce chapitre et qu'il faut répéter ici : la
liberté communale est la première école du citoyen.

Et pourtant... la commune demeure, quand les régimes passent. Aucune
constitution ne saurait remplacer ces habitudes, qui se forment
lentement et se perdent vite.""",
}


HEAD = "Sociologie politique\nExposé de Claire Morel\n\nFiche de lecture : *Essai sur la commune*\n\nJean Lefort\n\n"


def handout(*paragraphs: str) -> str:
    return HEAD + "\n\n".join(paragraphs) + "\n"


def book_txt(path, *, numbers: bool = True, form_feeds: bool = True):
    pages = [f"{text}\n\n{label}\n" if numbers else f"{text}\n" for label, text in BOOK.items()]
    path.write_text(("\f" if form_feeds else "\n").join(pages), encoding="utf-8")
    return path


OWN_PAGES = [BookPage(label, text.split("\n", 1)[1]) for label, text in BOOK.items()]


def verdicts(text: str, source) -> list:
    return [f for f in pipeline.check(text, source=source) if f.verdict is not None]


def only(text: str, source):
    found = verdicts(text, source)
    assert len(found) == 1, [(f.code, f.message) for f in found]
    return found[0]


# The fixtures both the alignment and the verdict tests use: the small book, read once per module,
# and a cache of each test's own.
@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return load_source(book_txt(tmp_path_factory.mktemp("book") / "essai.txt"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "cache"))
