"""The interface text of the report, in French (the default: the handouts and their readers are
French) and English. The handout itself is always shown as written."""

from __future__ import annotations

LANGS = ("fr", "en")

_FR = {
    "index_title": "Rapport tdx : les fiches",
    "handout": "Fiche", "title": "Titre", "presenter": "Exposant·e", "book": "Ouvrage",
    "quotes": "Citations", "referenced": "Référencées", "findings": "Remarques",
    "error": "erreurs", "warning": "avertissements", "info": "informations",
    "error_one": "erreur", "warning_one": "avertissement", "info_one": "information",
    "verified": "vérifiées", "verified_one": "vérifiée", "wrong_page": "mauvaise page", "altered": "modifiées", "not_found": "introuvables",
    "wrong_page_one": "mauvaise page", "altered_one": "modifiée", "not_found_one": "introuvable",
    "sort_by": "Trier par", "outline": "Plan", "text": "Texte de la fiche", "concepts": "Concepts",
    "people_works": "Personnes et œuvres", "people": "Personnes", "works": "Œuvres", "organisations": "Organisations",
    "mentions": "mentions", "mention": "mention", "hint": "Correction", "general": "Remarques sur l’ensemble de la fiche",
    "back": "Retour à la liste des fiches", "none": "aucune", "untitled": "(sans titre)",
    "citation": "citation", "term": "terme", "excerpt": "extrait", "reference": "référence",
    "legend": "Légende", "source": "Ouvrage vérifié", "book_says": "L’ouvrage imprime ({where})",
    "right_page": "Page juste : {where}", "cited_page": "page citée : {pages}",
    "quoted_words": "dans la fiche", "source_words": "dans l’ouvrage", "changed": "mots changés",
    "verdict": "Verdict", "similarity": "ressemblance {score:.0f} %", "finding_n": "Remarque {n}",
    "show_concept": "Surligner les mentions de « {label} »", "clear": "Effacer le surlignage",
    "skip": "Aller au texte", "failed": "Fiches non lues", "no_findings": "Aucune remarque.",
    "grid": "Les concepts de chaque fiche (nombre de mentions)", "concept": "Concept",
    # Read out, not shown, where a highlighted quotation starts and ends (class "sr").
    "opens": {"citation": "citation :", "term": "terme :", "excerpt": "extrait :", "changed": "mots changés :"},
    "closes": {"citation": "fin de la citation", "term": "fin du terme", "excerpt": "fin de l’extrait",
               "changed": "fin des mots changés"},
    "volume": "t. {n}, ", "extracted": "Extraction",
    "lang": "fr",
}

_EN = {
    "index_title": "tdx report: the handouts",
    "handout": "Handout", "title": "Title", "presenter": "Presenter", "book": "Book",
    "quotes": "Quotations", "referenced": "Referenced", "findings": "Findings",
    "error": "errors", "warning": "warnings", "info": "info",
    "error_one": "error", "warning_one": "warning", "info_one": "info",
    "verified": "verified", "verified_one": "verified", "wrong_page": "wrong page", "altered": "altered", "not_found": "not found",
    "wrong_page_one": "wrong page", "altered_one": "altered", "not_found_one": "not found",
    "sort_by": "Sort by", "outline": "Outline", "text": "The handout", "concepts": "Concepts",
    "people_works": "People and works", "people": "People", "works": "Works", "organisations": "Organisations",
    "mentions": "mentions", "mention": "mention", "hint": "Fix", "general": "About the whole handout",
    "back": "Back to the list of handouts", "none": "none", "untitled": "(untitled)",
    "citation": "citation", "term": "term", "excerpt": "excerpt", "reference": "reference",
    "legend": "Legend", "source": "Book checked", "book_says": "The book prints ({where})",
    "right_page": "Right page: {where}", "cited_page": "page cited: {pages}",
    "quoted_words": "in the handout", "source_words": "in the book", "changed": "changed words",
    "verdict": "Verdict", "similarity": "similarity {score:.0f}%", "finding_n": "Finding {n}",
    "show_concept": "Highlight the mentions of “{label}”", "clear": "Clear the highlighting",
    "skip": "Skip to the text", "failed": "Handouts not read", "no_findings": "No findings.",
    "grid": "The concepts of each handout (mentions)", "concept": "Concept",
    "opens": {"citation": "citation:", "term": "term:", "excerpt": "excerpt:", "changed": "changed words:"},
    "closes": {"citation": "end of citation", "term": "end of term", "excerpt": "end of excerpt",
               "changed": "end of changed words"},
    "volume": "vol. {n}, ", "extracted": "Extracted to",
    "lang": "en",
}

STRINGS = {"fr": _FR, "en": _EN}
