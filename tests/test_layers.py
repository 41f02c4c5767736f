"""The package's imports point one way: down the layers below, and never in a circle.

Every import counts, also one inside a function or under `if TYPE_CHECKING:` (a lazy import
hides a cycle, it does not remove it). A module imports from its own layer or a lower one;
within a layer, only the absence of cycles is required. docs/architecture.md explains the
layers; this list is their one definition.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cxtext"

# Lowest first. A module belongs to the layer naming it or its nearest enclosing package.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "cxtext.version",
            "cxtext.errors",
            "cxtext.files",
            "cxtext.frames",
            "cxtext.imports",
            "cxtext.progress",
            "cxtext.config",
            "cxtext.dates",
            "cxtext.languages",
            "cxtext.vectors",
            "cxtext.scores",
            "cxtext.result",
            "cxtext.taxonomy",
            "cxtext.neighbours",
            "cxtext.wording",
        ),
    ),
    ("io", ("cxtext.io",)),
    ("state", ("cxtext.state",)),
    (
        "stages",
        (
            "cxtext.clean",
            "cxtext.pii",
            "cxtext.language",
            "cxtext.embed",
            "cxtext.engine",
            "cxtext.sentiment",
            "cxtext.themes",
            "cxtext.journey",
            "cxtext.priority",
            "cxtext.trends",
        ),
    ),
    ("run facts", ("cxtext.run_info",)),
    ("outputs", ("cxtext.outputs",)),
    ("pipeline", ("cxtext.stages", "cxtext.api", "cxtext.curate")),
    (
        "interface",
        ("cxtext", "cxtext.cli", "cxtext.cli_support", "cxtext.cli_themes", "cxtext.summary"),
    ),
)


def module_files() -> dict[str, Path]:
    """Dotted name → file of every module of the package (a package is its __init__)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found |= {target for target in targets if target in modules and target != name}
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def layer_of(name: str) -> int:
    """Index of the module's layer: the longest listed prefix wins."""
    best, length = -1, -1
    for index, (_, members) in enumerate(LAYERS):
        for member in members:
            if (name == member or name.startswith(member + ".")) and len(member) > length:
                best, length = index, len(member)
    return best


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_module_has_a_layer():
    unplaced = [name for name in module_files() if layer_of(name) < 0]
    assert not unplaced, f"add these modules to a layer in LAYERS: {unplaced}"


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_no_import_from_a_lower_layer_to_a_higher_one():
    upward = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if layer_of(target) > layer_of(name)
    ]
    assert upward == []


def test_the_walk_sees_lazy_imports_and_cycles():
    """The checks above can fail: a function-level import is an edge, a loop is a cycle."""
    modules = module_files()
    edges = imports_of("cxtext", modules["cxtext"], modules)
    assert "cxtext.api" in edges  # imported inside `analyze`, not at module level
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer_of("cxtext.io.load") < layer_of("cxtext.themes.promote") < layer_of("cxtext.api")
