"""The package's import graph: no cycles, and every import points down the layers of the yearly cycle.

Every ``import`` and ``from … import`` of the package is counted, including
those inside functions: a lazy import that points up a layer is still a
dependency that points up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "addin"

# Bottom to top. A module may import modules of its own layer entry or of an
# entry below it; entries on one line are side by side and never import each other.
LAYERS: list[tuple[str, ...]] = [
    ("addin", ),                                  # the base: errors, log, fiscal, vocab, normalize, atomic, jsonio
    ("addin.xlsx", ),                              # spreadsheet I/O, no domain words
    ("addin.plan", "addin.xlam"),
    ("addin.forms", ),
    ("addin.validation", ),
    ("addin.consolidation", ),
    ("addin.reports", ),
    ("addin.jobs", ),
    ("addin.devtools", ),                          # `reform bench`: builds synthetic plans and runs the jobs
    ("addin.cli", "addin.excel"),
    ("addin.__main__", ),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> tuple[int, str]:
    """(layer index, entry) of a module: the longest entry that is the module or one of its packages."""
    best: tuple[int, str] | None = None
    for index, entries in enumerate(LAYERS):
        for entry in entries:
            if (module == entry or module.startswith(entry + ".")) and (best is None or len(entry) > len(best[1])):
                best = (index, entry)
    assert best is not None, module
    return best


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package modules ``path`` imports (a ``from pkg import name`` counts ``pkg.name`` when it is a module)."""
    current = module_name(path)
    package = current if path.name == "__init__.py" else current.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "addin")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "addin":
                continue
            submodules = {f"{target}.{a.name}" for a in node.names} & modules
            found.update(submodules or {target})
    return {m for m in found if m in modules and m != current}


GRAPH = {module_name(p): p for p in PACKAGE.rglob("*.py")}
EDGES = {m: imports_of(p, set(GRAPH)) for m, p in GRAPH.items()}


def test_the_graph_is_read():
    assert "addin.plan.model" in EDGES["addin.plan.reader"]
    assert "addin.xlsx.guard" in EDGES["addin.plan.reader"]


def test_no_import_cycles():
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(EDGES[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(EDGES):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down(module):
    index, entry = layer_of(module)
    wrong = []
    for target in sorted(EDGES[module]):
        t_index, t_entry = layer_of(target)
        if t_index > index or (t_index == index and t_entry != entry and t_entry != "addin"):
            wrong.append(f"{module} ({entry}) imports {target} ({t_entry})")
    assert wrong == []


def test_the_base_has_no_domain_imports():
    """Base modules (directly in addin/) import only each other."""
    base = [m for m in GRAPH if layer_of(m)[1] == "addin"]
    assert set(base) >= {"addin.errors", "addin.fiscal", "addin.normalize"}
    for module in base:
        assert all(layer_of(t)[1] == "addin" for t in EDGES[module]), module


def test_no_module_over_400_lines():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
