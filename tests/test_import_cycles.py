"""No import cycles among the project's own modules (`bot`, `flows`).

The graph is read statically with `ast`: every `import` and `from ... import` of a project module counts,
wherever it stands: at module level, inside a function (a lazy import only hides a cycle), and under
`if TYPE_CHECKING:` (a type-only cycle is still two modules that cannot be understood apart).

An edge goes to the most specific module named: `from bot.services import notices` is an edge to
`bot.services.notices`, `from bot.storage.records import Case` to `bot.storage.records`. The implicit
import of parent packages (`bot/services/__init__.py` before `bot.services.notices`) is not an edge: a
package may re-export its own modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "flows")


def project_modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name (a package by its own name)."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_names(path: Path, module: str) -> Iterator[str]:
    """The dotted names a module imports, anywhere in its body, relative imports made absolute.

    `from a.b import c` yields both `a.b.c` (in case `c` is a module) and `a.b`; the caller keeps the
    most specific one that is a project module.
    """
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # The package the relative import starts from: the module's own package, then up.
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = package[: len(package) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                yield f"{source}.{alias.name}" if alias.name != "*" else source


def import_graph() -> dict[str, set[str]]:
    """Each project module and the project modules it imports."""
    modules = project_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported in imported_names(path, name):
            target = imported
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module (iterative: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return sorted(components)


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One concrete cycle through a component's first module (a shortest one), to name in the failure."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for successor in sorted(graph[node] & members):
                if successor == start:
                    return [*paths[node], start]
                if successor not in paths:
                    paths[successor] = [*paths[node], successor]
                    following.append(successor)
        frontier = following
    raise AssertionError(f"{component} is not strongly connected")


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": set(), "g": {"g"}}
    assert strongly_connected(graph) == [["a", "b", "c"], ["d", "e"]]
    assert a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_the_graph_sees_lazy_relative_and_type_only_imports() -> None:
    graph = import_graph()
    assert "bot.services.notices" in graph and "flows.conversations.engine" in graph
    # Something must be read: a graph with no edges would pass the test below for the wrong reason.
    assert sum(len(targets) for targets in graph.values()) > len(graph)


# The one cycle not broken yet (issue 24): the engine looks flows up by name in the registry (a lazy
# import in `_flows`), the registry imports every flow, and every flow imports the engine; `commands`
# reads the registry too (`scratch_keys`) and `home` imports `commands` for /help. Breaking it means
# the name look-up (`flow_named`, `settle`, `enter`, `start`, `back`, ...) in a module above the
# registry, `safety.crisis_first` moved to the router, and /help's lines reachable without the
# command handlers. Listed whole so it can only shrink: any other cycle, or this one grown by a
# module, fails; once it is broken (or changes), this list must be emptied (or shrunk) to pass.
KNOWN_CYCLES: list[list[str]] = [
    [
        "flows.conversations.commands",
        "flows.conversations.complaint",
        "flows.conversations.engine",
        "flows.conversations.home",
        "flows.conversations.landlord",
        "flows.conversations.new_complaint",
        "flows.conversations.people",
        "flows.conversations.portal",
        "flows.conversations.referral",
        "flows.conversations.registry",
        "flows.conversations.safety",
        "flows.conversations.sending",
        "flows.conversations.stage2",
        "flows.conversations.tracking",
    ],
]


def test_no_import_cycles() -> None:
    graph = import_graph()
    components = strongly_connected(graph)
    new = [c for c in components if c not in KNOWN_CYCLES]
    assert not new, (
        "import cycles among the project's modules (each component, one cycle in it):\n"
        + "\n".join(f"  {{{', '.join(c)}}}\n    {' → '.join(a_cycle(graph, c))}" for c in new)
    )
    gone = [c for c in KNOWN_CYCLES if c not in components]
    assert not gone, (
        f"no longer a cycle as listed: take it out of KNOWN_CYCLES (or list what is left): {gone}"
    )
