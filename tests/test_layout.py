"""The package's layout: no two modules import each other, directly or around a circle.

Every import of a ``pipeline`` module counts, at any depth in a file (imports inside functions)
and under ``if TYPE_CHECKING:`` too: a circle that only type hints close is still a circle to
read. An import of a module's own parent package (``from pipeline import __version__``) is left
out: Python has always imported the parent first.
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _imports(name: str, tree: ast.Module, modules) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                      for a in node.names}
    return {m for m in found if m in modules and m != name and not name.startswith(m + ".")}


def test_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(name, tree, modules) for name, tree in modules.items()}

    def reaches(start: str, goal: str) -> list[str] | None:
        stack, seen = [[start]], {start}
        while stack:
            path = stack.pop()
            for nxt in sorted(graph[path[-1]]):
                if nxt == goal:
                    return path + [nxt]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(path + [nxt])
        return None

    cycles = [cycle for name in graph if (cycle := reaches(name, name))]
    assert not cycles, " -> ".join(cycles[0])
