"""A readable summary of one extracted handout for the terminal (``tdx show``)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from pipeline.errors import printable
from pipeline.models import Handout


def summary(handout: Handout, *, findings: list | None = None, top_concepts: int = 12, width: int = 70) -> Group:
    meta, book = handout.metadata, handout.metadata.book
    title = Text(meta.title or book.title or handout.source.path or "handout", style="bold")
    facts = [f"{label}: {value}" for label, value in (
        ("course", meta.course), ("presenter", meta.presenter), ("period", meta.period),
        ("book", " — ".join(x for x in (book.title, book.subtitle) if x)), ("by", ", ".join(book.authors)),
        ("source", f"{printable(handout.source.path or '')} ({handout.source.format}"
                   + (f", {handout.source.pages} pages)" if handout.source.pages else ")")),
    ) if value]

    tree = Tree(Text(f"Sections ({len(handout.sections)})", style="bold"))
    nodes = {}
    for section in handout.sections:
        parent = nodes.get(section.parent_id, tree)
        label = section.title + (f"  [p. {section.page}]" if section.page else "")
        nodes[section.id] = parent.add(label)

    by_quote: dict[str, list] = {}
    for finding in findings or []:
        quote_id = getattr(finding, "quote_id", None)
        if quote_id:
            by_quote.setdefault(quote_id, []).append(finding)
    quotes = Table(title=f"Quotations ({len(handout.quotes)})", title_justify="left", expand=False)
    rows = []
    for quote in handout.quotes:
        text = " ".join(quote.text.split())
        issues = list(quote.issues) + [f"{f.severity}: {f.code}" for f in by_quote.get(quote.id, [])
                                       if f.code not in quote.issues]
        rows.append((quote, text[:width] + ("…" if len(text) > width else ""), list(dict.fromkeys(issues))))
    # The findings go under their quotation, in its wide column: an 80-column terminal has no room
    # for a column of their own, and a code folded in the middle ("inconsistent_refe / rence_style")
    # is neither readable nor searchable. The column is never narrower than the longest code.
    longest = max((len(issue) for _, _, issues in rows for issue in issues), default=0)
    quotes.add_column("id", no_wrap=True)
    quotes.add_column("page", no_wrap=True)
    quotes.add_column("reference", overflow="fold")
    quotes.add_column("kind", no_wrap=True)
    quotes.add_column("quotation and findings", overflow="fold", min_width=max(longest, 20))
    for quote, text, issues in rows:
        cell = Text(text)
        if issues:
            cell.append("\n" + ", ".join(issues), style="yellow")
        quotes.add_row(quote.id, str(quote.page or ""), quote.reference.raw if quote.reference else "—",
                       quote.kind, cell)

    concepts = Table(title=f"Top concepts ({min(top_concepts, len(handout.concepts))} of {len(handout.concepts)})",
                     title_justify="left")
    for column in ("concept", "mentions", "variants"):
        concepts.add_column(column)
    for concept in handout.concepts[:top_concepts]:
        concepts.add_row(concept.label, str(len(concept.mentions)), ", ".join(concept.variants[:4]))
    return Group(title, Text("\n".join(facts)), Text(""), tree, Text(""), quotes, Text(""), concepts)
