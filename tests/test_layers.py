"""The package's imports point one way: down the layers below, and never in a circle.

Every import counts, also one inside a function or under `if TYPE_CHECKING:` (a lazy import
hides a cycle, it does not remove it). A module imports from its own layer or a lower one;
within a layer, only the absence of cycles is required. docs/architecture.md explains the
layers; this list is their one definition.

Two rules keep the stages `frame -> frame` with I/O at the edges: a stage reads no file of the
run (the input, the roadmap, a finished run folder: the pipeline and the interface read them and
pass frames and typed values down), and a stage uses another stage's package only where
`SHARED_ACROSS_STAGES` says so.
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
    ("pipeline", ("cxtext.scheduled", "cxtext.stages", "cxtext.api", "cxtext.curate")),
    (
        "interface",
        (
            "cxtext",
            "cxtext.cli",
            "cxtext.cli_langid",
            "cxtext.cli_support",
            "cxtext.cli_themes",
            "cxtext.summary",
        ),
    ),
)

# Readers of the run's files, for the layers above the stages only: module -> the names a stage
# may still import from it (types of what is read, never the reading).
EDGE_READERS: dict[str, frozenset[str]] = {
    "cxtext.io.read": frozenset({"RawInput"}),
    "cxtext.io.initiatives": frozenset(),
    "cxtext.io.load": frozenset(),
}

# A stage calls its own package; these are the other stages' packages (or modules) it may use.
SHARED_ACROSS_STAGES: dict[str, tuple[str, ...]] = {
    "cxtext.engine": ("cxtext.language", "cxtext.embed"),  # it runs those two stages (or Ray)
    "cxtext.sentiment": ("cxtext.embed",),  # the Embedder contract: anchors embedded as comments
    "cxtext.themes": (
        "cxtext.embed",  # library examples embedded as comments are
        "cxtext.pii",  # a theme name typed into the decisions file is redacted
    ),
    "cxtext.journey": ("cxtext.embed", "cxtext.themes.library"),  # the library's example vectors
}


def module_files() -> dict[str, Path]:
    """Dotted name → file of every module of the package (a package is its __init__)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imported_names(name: str, path: Path, modules: dict[str, Path]) -> set[tuple[str, str]]:
    """(module, name) for every import of the package's modules in `name`'s file; the name is
    "" for `import module` and for a submodule imported from its package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                (f"{base}.{alias.name}", "")
                if f"{base}.{alias.name}" in modules
                else (base, alias.name)
                for alias in node.names
            ]
        else:
            continue
        found |= {(target, what) for target, what in targets if target in modules}
    return {(target, what) for target, what in found if target != name}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports anywhere in its file."""
    return {target for target, _ in imported_names(name, path, modules)}


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


def stage_of(name: str) -> str | None:
    """The stage package (or module) `name` belongs to; None outside the stages layer."""
    members = dict(LAYERS)["stages"]
    return next((m for m in members if name == m or name.startswith(m + ".")), None)


def edge_reads(names: dict[str, set[tuple[str, str]]]) -> list[str]:
    """Each import by a stage of a reader of the run's files (`EDGE_READERS`)."""
    return [
        f"{module} imports {target}{'.' + what if what else ''}: read it at the edge"
        for module, imported in sorted(names.items())
        if stage_of(module)
        for target, what in sorted(imported)
        if target in EDGE_READERS and what not in EDGE_READERS[target]
    ]


def stage_reaches(graph: dict[str, set[str]]) -> list[str]:
    """Each import by a stage of another stage's package not in `SHARED_ACROSS_STAGES`."""
    reaches = []
    for module, targets in sorted(graph.items()):
        stage = stage_of(module)
        allowed = SHARED_ACROSS_STAGES.get(stage or "", ())
        for target in sorted(targets):
            other = stage_of(target)
            shared = any(target == a or target.startswith(a + ".") for a in allowed)
            if stage and other and other != stage and not shared:
                reaches.append(f"{module} ({stage}) reaches into {target} ({other})")
    return reaches


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


def test_stages_read_no_file_of_the_run():
    """The input, the roadmap and a finished run folder are read by the pipeline and the
    interface (`stages`, `api`, `curate`), which pass frames and typed values down."""
    modules = module_files()
    names = {name: imported_names(name, path, modules) for name, path in modules.items()}
    assert edge_reads(names) == []


def test_stages_reach_into_no_other_stage_but_the_shared_ones():
    assert stage_reaches(import_graph()) == []


def test_the_stage_rules_can_fail():
    """The reaches these rules removed are caught: priority reading the roadmap and detecting
    its languages, themes reading a run folder."""
    assert edge_reads(
        {
            "cxtext.priority.initiatives": {("cxtext.io.read", "read_input")},
            "cxtext.themes.promote": {("cxtext.io.load", "load_run")},
            "cxtext.pii.fields": {("cxtext.io.read", "RawInput")},  # a type, not a reading
            "cxtext.curate": {("cxtext.io.load", "load_run")},  # above the stages
        }
    ) == [
        "cxtext.priority.initiatives imports cxtext.io.read.read_input: read it at the edge",
        "cxtext.themes.promote imports cxtext.io.load.load_run: read it at the edge",
    ]
    assert stage_reaches(
        {"cxtext.priority.initiatives": {"cxtext.language", "cxtext.vectors"}}
    ) == ["cxtext.priority.initiatives (cxtext.priority) reaches into cxtext.language "
          "(cxtext.language)"]  # fmt: skip
    modules = module_files()
    assert ("cxtext.io.read", "RawInput") in imported_names(
        "cxtext.pii.fields", modules["cxtext.pii.fields"], modules
    )


def test_the_walk_sees_lazy_imports_and_cycles():
    """The checks above can fail: a function-level import is an edge, a loop is a cycle."""
    modules = module_files()
    edges = imports_of("cxtext", modules["cxtext"], modules)
    assert "cxtext.api" in edges  # imported inside `analyze`, not at module level
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer_of("cxtext.io.load") < layer_of("cxtext.themes.promote") < layer_of("cxtext.api")
