"""Finding messages and hints in the reader's language (``pipeline.i18n``): the catalog is complete
and in step with the code, French pages and ``--lang fr`` say the findings in French, English stays
the default, and what comes from the handout or the book is never translated."""

from __future__ import annotations

import ast
import fnmatch
import json
import string
import tomllib
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.errors import TdxError
from pipeline.i18n import LOCALE_DIR, SOURCE_LANG, catalog_path, current, language, languages, t, tn
from pipeline.rules import METADATA_RULES, RULES
from tests.bookgen import BookPage, write_book_txt
from tests.essai import OWN_PAGES, _private_cache, book_txt, handout, source  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = [lang for lang in languages() if lang != SOURCE_LANG]

# -- the catalog against the code ------------------------------------------------------------------

_RULE_FIELDS = {"meaning", "fix", "why"}  # t(rule.meaning): the rules table marks these with N_()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _calls() -> list[tuple[str, ast.Call]]:
    """Every call of t(), tn() and N_() in pipeline/, with where it is."""
    out = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "tn", "N_"):
                out.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return out


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _msgids() -> dict[tuple[str, str | None], str]:
    """(msgid, msgid_plural) -> where the code says it."""
    found = {}
    for where, call in _calls():
        singular = _literal(call.args[0])
        if singular is None:
            continue
        plural = _literal(call.args[1]) if call.func.id == "tn" else None
        found.setdefault((singular, plural), where)
    return found


def test_every_message_given_to_t_is_a_literal_or_a_rules_marked_text():
    # An f-string would be translated after its fields are filled in: no catalog entry could match it.
    for where, call in _calls():
        first = call.args[0]
        if _literal(first) is not None:
            continue
        assert call.func.id == "t" and isinstance(first, ast.Attribute) and first.attr in _RULE_FIELDS, \
            f"{where}: {call.func.id}() needs a literal English text, not {ast.unparse(first)}"
        if call.func.id == "tn":
            assert _literal(call.args[1]) is not None, where


def test_every_call_fills_exactly_the_placeholders_of_its_text():
    for where, call in _calls():
        if call.func.id == "N_" or _literal(call.args[0]) is None or any(k.arg is None for k in call.keywords):
            continue  # N_ only marks; **fields is checked by running it
        given = {k.arg for k in call.keywords}
        texts = [_literal(call.args[0])] + ([_literal(call.args[1])] if call.func.id == "tn" else [])
        wanted = set().union(*map(_fields, texts))
        if call.func.id == "tn":
            given.add("n")
        assert wanted <= given, f"{where}: {sorted(wanted - given)} not given"
        assert given <= wanted | {"n"}, f"{where}: {sorted(given - wanted)} given but not in the text"


def test_every_rule_text_is_marked_for_the_catalog():
    msgids = {m for m, _ in _msgids()}
    for rule in [*RULES.values(), *METADATA_RULES.values()]:
        for text in (rule.meaning, rule.fix, rule.why):
            assert not text or text in msgids, f"{rule.code}: {text!r} is not marked with N_()"


def test_there_is_a_french_catalog():
    assert "fr" in CATALOGS


@pytest.mark.parametrize("lang", CATALOGS)
def test_catalog_translates_every_message_and_holds_nothing_else(lang):
    po = polib.pofile(str(catalog_path(lang)))
    wanted = _msgids()
    entries = {(e.msgid, e.msgid_plural or None): e for e in po if not e.obsolete}
    missing = [f"{where}: {m!r}" for (m, p), where in wanted.items() if (m, p) not in entries]
    assert not missing, f"add to {catalog_path(lang).name}:\n" + "\n".join(missing)
    unused = [m for key, e in entries.items() if key not in wanted for m in [e.msgid]]
    assert not unused, f"no longer said by the code, remove from the catalog: {unused}"
    assert not [e.msgid for e in po if e.obsolete or "fuzzy" in e.flags], "obsolete or fuzzy entries"
    nplurals = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    for (msgid, plural), entry in entries.items():
        if plural is None:
            assert entry.msgstr.strip(), f"{msgid!r} is not translated"
            assert _fields(entry.msgstr) == _fields(msgid), f"{msgid!r}: placeholders differ in {entry.msgstr!r}"
            continue
        forms = [entry.msgstr_plural.get(k, "") for k in range(nplurals)]
        assert all(f.strip() for f in forms), f"{msgid!r}: a plural form is not translated"
        assert _fields(forms[0]) <= _fields(msgid) | {"n"}, msgid
        assert all(_fields(f) == _fields(plural) for f in forms[1:]), f"{plural!r}: placeholders differ"


def test_the_catalogs_ship_in_the_wheel():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("polib") for d in dependencies)
    for path in LOCALE_DIR.rglob("*.po"):
        relative = path.relative_to(ROOT / "pipeline").as_posix()
        assert any(fnmatch.fnmatch(relative, glob) for glob in package_data.get("pipeline", [])), relative


# -- the language chosen once ----------------------------------------------------------------------

def test_language_is_set_for_a_block_and_restored():
    assert current() == "en" and t("Nothing to do.") == "Nothing to do."
    with language("fr"):
        assert t("Nothing to do.") == "Rien à faire."
        assert tn("{n} error", "{n} errors", 0) == "0 erreur" and tn("{n} error", "{n} errors", 2) == "2 erreurs"
    assert current() == "en" and tn("{n} error", "{n} errors", 1) == "1 error"


def test_an_unknown_language_is_an_error_before_any_work():
    with pytest.raises(TdxError, match="no translation of the messages into 'de'"):
        pipeline.check(handout("« un mot » (p. 12)"), lang="de")
    assert current() == "en"


def test_a_text_the_catalog_lacks_is_said_in_english():
    with language("fr"):
        assert t("a text no catalog holds: {x}", x=1) == "a text no catalog holds: 1"


# -- findings in French and in English -------------------------------------------------------------

WRONG_PAGE = "« chaque habitant connaît le nom du magistrat qui répartit l'impôt » (p.44)"
ALTERED = "« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p. 44)"
UNREFERENCED = "« Et pourtant... la commune demeure, quand les régimes passent »"


def _by_code(findings) -> dict:
    return {f.code: f for f in findings}


def test_findings_in_french_and_in_english(source):
    text = handout(WRONG_PAGE, ALTERED, UNREFERENCED)
    fr = pipeline.check(text, source=source, lang="fr")
    en = pipeline.check(text, source=source, lang="en")
    assert [f.code for f in fr] == [f.code for f in en]
    # Only the words change: codes, places, pages and verdicts are the same.
    assert [f.model_dump(exclude={"message", "hint"}) for f in fr] == \
        [f.model_dump(exclude={"message", "hint"}) for f in en]
    fr, en = _by_code(fr), _by_code(en)

    assert fr["wrong_page"].message == "trouvée p. 41, et non à la page citée (p.44)"
    assert fr["wrong_page"].hint == "Citez (p.41)."
    assert en["wrong_page"].message == "found on p. 41, not on the page cited (p.44)"
    assert en["wrong_page"].hint == "Cite (p.41)."

    assert fr["altered"].message == "trouvée p. 44 avec des mots changés : « politique » au lieu de « administratif »"
    assert fr["altered"].hint.startswith("Citez les mots de l’ouvrage tels qu’ils sont imprimés")
    assert en["altered"].message == "found on p. 44 with changed words: «politique» instead of «administratif»"
    assert en["altered"].hint == RULES["altered"].fix

    assert fr["missing_reference"].message == "une citation n’a pas de référence de page"
    assert fr["missing_reference"].hint == "Ajoutez la page : l’ouvrage imprime ce passage p. 45."
    assert en["missing_reference"].message == RULES["missing_reference"].meaning
    assert en["missing_reference"].hint == "Add the page: the book prints it on p. 45."

    # English is the default, as tdx check's JSON has always been.
    default = _by_code(pipeline.check(text, source=source))
    assert {c: (f.message, f.hint) for c, f in default.items()} == {c: (f.message, f.hint) for c, f in en.items()}


def test_findings_without_the_book_in_french():
    text = handout("« Le comté (...) n'a point d'existence morale... » (p. 4O)",
                   "« On apprend à obéir en commandant soi-même [sic] » (ibid., p. 42)")
    fr = _by_code(pipeline.check(text, lang="fr", all_references=True))
    assert fr["malformed_reference"].message == "la référence de page (p. 4O) est illisible"
    assert fr["cut_in_parentheses"].message == "coupure écrite (...) au lieu de [...]"
    assert fr["cut_in_parentheses"].hint == "Écrivez les coupures entre crochets : [...]."
    assert fr["bare_ellipsis"].message == "... sans crochets dans une citation"
    assert fr["sic"].message == "[sic] : la citation conserve une erreur de l’original"


def test_a_book_in_volumes_names_the_tome_in_french(tmp_path):
    one = write_book_txt(OWN_PAGES[:3], tmp_path / "tome1.txt")
    two = write_book_txt([BookPage(str(41 + k), p.text) for k, p in enumerate(OWN_PAGES[3:])], tmp_path / "tome2.txt")
    text = handout("« Le comté n'est qu'un cadre administratif ; il n'a point d'existence morale » (t. I, p. 41)")
    fr = _by_code(pipeline.check(text, source=[one, two], lang="fr"))["wrong_page"]
    assert fr.message == "trouvée au tome 2, p. 41, et non dans le tome cité (t. I, p. 41)"
    assert fr.hint == "Citez le tome 2, p. 41."
    en = _by_code(pipeline.check(text, source=[one, two]))["wrong_page"]
    assert en.message == "found in volume 2 on p. 41, not in the volume cited (t. I, p. 41)"


# -- what the handout and the book say is never translated -----------------------------------------

def test_quoted_words_and_page_labels_pass_through_unchanged(source):
    # The handout's reference keeps its own style (p.44, not p. 44), the quoted and printed words
    # their spelling, and a heading its words, in a French message as in an English one.
    text = handout("## Chapitre 2 : Nothing to do. (p. 40-80)",
                   "« Le comté n'est qu'un cadre politique ; il n'a point d'existence morale. » (p.640)")
    fr = _by_code(pipeline.check(text, source=source, lang="fr"))
    outside = fr["page_outside_chapter"]
    assert outside.message == ("la p. 640 est hors des pp. 40-80, les pages qu’indique le titre "
                               "« Chapitre 2 : Nothing to do. (p. 40-80) »")
    assert "(p.640)" in fr["wrong_page"].message and "« politique » au lieu de « administratif »" in \
        fr["wrong_page"].message
    # A value that happens to be an English msgid is the handout's text: not translated.
    with language("fr"):
        assert t("Cite {pages}.", pages="Nothing to do.") == "Citez Nothing to do.."


# -- the commands ----------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def fiche(tmp_path):
    path = tmp_path / "fiche.md"
    path.write_text(handout(WRONG_PAGE, UNREFERENCED), encoding="utf-8")
    return path


def test_report_pages_are_french_with_french_findings_by_default(fiche, tmp_path):
    book = book_txt(tmp_path / "essai.txt")
    result = runner.invoke(app, ["report", str(fiche), "-o", str(tmp_path / "fr"), "--source", str(book)])
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "fr").glob("001-*.html")).read_text(encoding="utf-8")
    assert "Citez (p.41)." in page and "et non à la page citée (p.44)" in page
    assert "Cite (p.41)." not in page and "not on the page cited" not in page
    assert "Ajoutez la page" in page and "Add the page" not in page

    result = runner.invoke(app, ["report", str(fiche), "-o", str(tmp_path / "en"), "--source", str(book),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "en").glob("001-*.html")).read_text(encoding="utf-8")
    assert "Cite (p.41)." in page and "Citez" not in page


def test_check_lang_fr_json_and_lines(fiche, tmp_path):
    book = book_txt(tmp_path / "essai.txt")
    base = ["check", str(fiche), "--source", str(book), "--format"]
    fr = runner.invoke(app, [*base, "json", "--lang", "fr"])
    en = runner.invoke(app, [*base, "json"])
    assert fr.exit_code == en.exit_code == 1, fr.output
    fr_findings = json.loads(fr.stdout)["documents"][0]["findings"]
    en_findings = json.loads(en.stdout)["documents"][0]["findings"]
    assert [f["code"] for f in fr_findings] == [f["code"] for f in en_findings]
    wrong = next(f for f in fr_findings if f["code"] == "wrong_page")
    assert (wrong["message"], wrong["hint"]) == ("trouvée p. 41, et non à la page citée (p.44)", "Citez (p.41).")
    assert next(f for f in en_findings if f["code"] == "wrong_page")["hint"] == "Cite (p.41)."

    lines = runner.invoke(app, [*base, "concise", "--lang", "fr"]).stdout
    assert "wrong_page trouvée p. 41" in lines
    assert "2 erreurs, 0 avertissement, 0 information dans 1 fiche ; 2 citations confrontées à" in lines
    assert ": 1 vérifiée, 1 à la mauvaise page, 0 modifiée, 0 introuvable." in lines
    assert "2 errors, 0 warnings, 0 info in 1 handout; 2 citations checked against" in \
        runner.invoke(app, [*base, "concise"]).stdout
    table = runner.invoke(app, [*base, "table", "--lang", "fr"], env={"COLUMNS": "200"}).stdout
    assert "gravité" in table and "Citez (p.41)." in table
    assert runner.invoke(app, [*base, "json", "--lang", "de"]).exit_code == 2


def test_rule_explained_in_french():
    result = runner.invoke(app, ["rule", "wrong_page", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Ce que cela signifie : la citation est dans l’ouvrage, mais à une autre page (indiquée)." in result.stdout
    assert "Comment corriger : Citez la page où l’ouvrage l’imprime." in result.stdout
    assert result.stdout.startswith("wrong_page (error)")  # the code and severity never change
    assert "What it means: the quotation is in the book" in runner.invoke(app, ["rule", "wrong_page"]).stdout
    listed = runner.invoke(app, ["rule", "--list", "--lang", "fr"]).stdout
    assert "metadata_missing" in listed and "(désactivée par défaut)" in listed
