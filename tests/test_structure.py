"""The package's shape, held as rules a change cannot quietly break.

docs/architecture.md promises a tree a newcomer can read: imports point inward only,
no import cycles hidden behind imports inside functions, and families of modules that
share a name prefix made into packages. These tests read the source (nothing is
imported or run), so a change that breaks a rule fails here with the module named.
"""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lessonstudy"
SCRIPTS = ROOT / "web" / "static" / "js"

# Where each layer may reach (prefixes of module names); the rest of lessonstudy is off limits.
ALLOWED_INSIDE = {
    "lessonstudy.domain": ("lessonstudy.domain",),
    "lessonstudy.application": (
        "lessonstudy.application",
        "lessonstudy.domain",
        "lessonstudy.storage",
    ),
    "lessonstudy.projections": (
        "lessonstudy.projections",
        "lessonstudy.application",
        "lessonstudy.domain",
        "lessonstudy.storage",
    ),
}
MOST_LAZY_IMPORTS = 5


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield module_name(path), path, ast.parse(path.read_text(), str(path))


def imported_names(
    node: ast.Import | ast.ImportFrom, importer: str, is_package: bool, known: set[str]
) -> list[str]:
    """The modules an import statement names (relative ones resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = importer.split(".")
        anchor = anchor if is_package else anchor[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    # `from package import module` names the module alone (its package is imported
    # first whatever the importer does); `from module import name` names the module.
    submodules = [f"{base}.{alias.name}" for alias in node.names]
    named = [name for name in submodules if name in known]
    return named if len(named) == len(submodules) else [base, *named]


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports run when the module is imported (not those under `if TYPE_CHECKING:`)."""
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif (isinstance(node, ast.If) and not is_type_checking(node)) or isinstance(node, ast.Try):
            yield from (n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom))


def lazy_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports inside a function or class body."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield inner


def known_modules() -> set[str]:
    return {name for name, _, _ in modules()}


def import_graph() -> dict[str, set[str]]:
    known = known_modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path, tree in modules():
        is_package = path.name == "__init__.py"
        for node in top_level_imports(tree):
            for target in imported_names(node, name, is_package, known):
                if target in known and target != name:
                    graph[name].add(target)
    return graph


def test_every_layer_imports_inward_only() -> None:
    known = known_modules()
    breaches = []
    for name, path, tree in modules():
        layer = next((p for p in ALLOWED_INSIDE if name == p or name.startswith(p + ".")), None)
        if layer is None:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in imported_names(node, name, path.name == "__init__.py", known):
                if target.startswith("lessonstudy") and not target.startswith(
                    ALLOWED_INSIDE[layer]
                ):
                    breaches.append(f"{name}:{node.lineno} imports {target}")
    assert breaches == []


def cycles_in(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted({*graph, *(t for targets in graph.values() for t in targets)}):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_cycles_and_only_them() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"f"}, "f": {"e"}}
    assert sorted(cycles_in(graph)) == [["a", "b", "c"], ["e", "f"]]
    assert cycles_in({"a": {"b"}, "b": {"c"}, "d": {"a"}}) == []


def test_no_module_level_import_cycle() -> None:
    """No cycle among the modules' top-level imports.

    A package's __init__ that re-exports its modules is part of the graph, so a module
    importing a name through its own package (instead of from the module that defines
    it) shows up here too.
    """
    assert cycles_in(import_graph()) == []


def test_imports_inside_functions_are_few_and_say_why() -> None:
    lazy = []
    unexplained = []
    for name, path, tree in modules():
        lines = path.read_text().splitlines()
        for node in lazy_imports(tree):
            lazy.append(f"{name}:{node.lineno}")
            said = lines[node.lineno - 1] + " " + lines[node.lineno - 2]
            if "#" not in said:
                unexplained.append(f"{name}:{node.lineno}")
    assert unexplained == [], "a deliberate lazy import says why in a comment beside it"
    assert len(lazy) <= MOST_LAZY_IMPORTS, lazy


def prefix_families(folder: Path, suffix: str) -> list[str]:
    stems = [p.stem for p in folder.glob(f"*{suffix}") if p.stem != "__init__"]
    counts = Counter(re.split(r"[_.-]", stem)[0] for stem in stems if re.search(r"[_.-]", stem))
    # a module named for the family's word itself (catalogue.py beside catalogue_x.py) counts too
    counts = Counter({word: n + (word in stems) for word, n in counts.items()})
    return [f"{folder.relative_to(ROOT)}/{word}_* ({n})" for word, n in counts.items() if n >= 3]


@pytest.mark.parametrize(("top", "suffix"), [(PACKAGE, ".py"), (SCRIPTS, ".js")])
def test_families_of_modules_are_packages(top: Path, suffix: str) -> None:
    folders = [top, *(p for p in top.rglob("*") if p.is_dir() and p.name != "__pycache__")]
    families = [family for folder in folders for family in prefix_families(folder, suffix)]
    assert families == []
