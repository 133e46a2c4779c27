"""The layering rules of docs/ARCHITECTURE.md, read from the source: no cycles, no reaching across layers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Past these sizes a module or function holds more than one job (docs/ARCHITECTURE.md).
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules(package: str) -> dict[str, Path]:
    modules = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imports(path: Path, module: str) -> set[str]:
    """Every module `path` imports, at any depth of the file (lazy imports count too)."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _unit(module: str) -> str:
    """The layer a module belongs to: a stage package (bot.ingest …) or a top-level module (bot.engine)."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _graph(packages: tuple[str, ...]) -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for package in packages:
        modules.update(_modules(package))
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        edges = graph.setdefault(_unit(module), set())
        for target in _imports(path, module):
            if target in modules and _unit(target) != _unit(module):
                edges.add(_unit(target))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles_between_layers():
    graph = _graph(("bot", "embeddings", "ui"))
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_embeddings_imports_nothing_from_bot_or_ui():
    for module, path in _modules("embeddings").items():
        reached = {t for t in _imports(path, module) if t.split(".")[0] in ("bot", "ui")}
        assert not reached, f"{module} imports {sorted(reached)}"


def test_ui_uses_only_the_public_bot_api():
    bot_modules = set(_modules("bot")) - {"bot"}
    for module, path in _modules("ui").items():
        private = _imports(path, module) & bot_modules
        assert not private, f"{module} reaches into {sorted(private)}; use `from bot import …`"


def test_no_module_or_function_grows_past_one_job():
    too_long = []
    for package in ("bot", "embeddings", "ui"):
        for module, path in _modules(package).items():
            source = path.read_text(encoding="utf-8")
            if (lines := source.count("\n")) > MAX_MODULE_LINES:
                too_long.append(f"{module}: {lines} lines")
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        too_long.append(f"{module}.{node.name}: {length} lines")
    assert not too_long, "\n".join(too_long)
