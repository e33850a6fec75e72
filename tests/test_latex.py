"""LaTeX handouts (pipeline/ingest/latex.py): sections, guillemets, footnotes and emphasis read from
the source; a source that does not parse is an ``Error:`` line."""

from __future__ import annotations

import re

import pytest

import pipeline
from pipeline.batch.runner import BatchOptions, run_batch
from pipeline.errors import TdxError
from pipeline.ingest import read
from tests.conftest import assert_spans_exact

FICHE = r"""\documentclass[12pt]{article}
\usepackage[T1]{fontenc}
\usepackage[french]{babel}
\title{Fiche de lecture\\\large{\textit{Outsiders}}}
\author{Claire \textsc{Martin}}
\date{Licence 2 -- printemps 2024}
\begin{document}
\maketitle

\section{Introduction}
% Un commentaire qui ne s'imprime pas.
Becker définit la \emph{carrière déviante} : \og la déviance n'est pas une qualité de
l'acte commis\fg{}\footnote{p. 12}. Le \textbf{stigmate} revient souvent.

\subsection*{Les entrepreneurs de morale}
Le créateur de normes \og se sent investi d'une mission sacrée\fg{} (p.~171).

\begin{itemize}
  \item premier point
  \item second point
\end{itemize}

\begin{tabular}{|l|l|}
\hline
Concept & Page \\
stigmate & 12 \\
\end{tabular}
\end{document}
"""


def test_latex_sections_guillemets_notes_and_emphasis(tmp_path):
    path = tmp_path / "fiche.tex"
    path.write_text(FICHE, encoding="utf-8")
    handout = pipeline.extract(path)
    assert handout.source.format == "latex" and handout.source.encoding == "utf-8"
    assert [(s.title, s.level) for s in handout.sections] == [("Introduction", 1), ("Les entrepreneurs de morale", 2)]
    text = handout.text
    assert text.startswith("Fiche de lecture\n\n*Outsiders*\n\nClaire Martin\n\nLicence 2 – printemps 2024\n\n# Introduction")
    assert "la *carrière déviante* : «\u00a0la déviance n'est pas une qualité de l'acte commis\u00a0»[^1]. " \
           "Le **stigmate**" in text
    assert text.endswith("\n\n[^1]: p. 12\n") and "commentaire" not in text
    assert "- premier point\n\n- second point" in text and "| Concept | Page |\n| stigmate | 12 |" in text
    assert [(q.text, q.reference.pages, q.reference.position) for q in handout.quotes] == [
        ("la déviance n'est pas une qualité de l'acte commis", [12], "note"),
        ("se sent investi d'une mission sacrée", [171], "after")]
    assert handout.metadata.book.title == "Outsiders"
    assert "carrière déviante" in {c.label.lower() for c in handout.concepts}
    assert_spans_exact(handout)


@pytest.mark.parametrize("source, line", [
    (FICHE.replace(r"\emph{carrière déviante}", r"\emph{carrière déviante"), 12),
    (FICHE.replace(r"\end{itemize}", ""), 18),
])
def test_a_source_that_does_not_parse_is_an_error_line_and_the_batch_goes_on(tmp_path, source, line):
    bad, good = tmp_path / "bad.tex", tmp_path / "good.tex"
    bad.write_text(source, encoding="utf-8")
    good.write_text(FICHE, encoding="utf-8")
    with pytest.raises(TdxError) as caught:
        read(bad)
    message = str(caught.value)
    assert message.startswith(f"{bad}: the LaTeX source does not parse (line ") and "extract its PDF" in message
    assert f"(line {line}): " in message and "never closed" in message
    report = run_batch([bad, good], tmp_path / "out", BatchOptions(jobs=1, concepts=False, entities=False))
    assert [f.status for f in report.files] == ["failed", "processed"]


@pytest.mark.parametrize("name", ["avivi55-fiche-eglise-armenienne", "sc22-fiche-autocompletion-google"])
def test_the_corpus_fiches_give_the_same_quotations_and_sections_as_their_pdfs(shared, name):
    def summary(path):
        handout = pipeline.extract(path, concepts=False, entities=False)
        typographic = str.maketrans({"’": "'"})  # TeX prints ' as ’
        # A footnote call is "[^1]" in the source's rendering, what \thefootnote printed in the PDF ("[a]").
        return ([(s.title.translate(typographic), s.level) for s in handout.sections],
                [re.sub(r"\[\^?\w\]", "[call]", q.text.translate(typographic)) for q in handout.quotes])

    pdf, tex = summary(shared / "corpus" / f"{name}.pdf"), summary(shared / "corpus" / f"{name}.tex")
    assert tex == pdf
