"""The package's layers, read from the source: each layer imports only the layers below it.

The order is the architecture (docs/architecture.md): `core` finds and reads the data
package; `validation` checks it; `findings` answers questions from it; `outputs` turns it
into files and pages; `release` builds derived files, versions and diffs (it sits above the
outputs and findings because `indru-data build` regenerates them); the facade
(`indru_data/__init__.py` and the generated per-table loaders) is the public API over them;
`cli` is a thin layer on top of that API, kept apart from the library as frictionless-py
keeps its console. Imports are read with `ast`, inside functions too, so a
lazy import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "indru_data"
LAYERS = ["core", "validation", "findings", "outputs", "release", "facade", "cli"]
FACADE = {"indru_data", "indru_data._loaders"}
LEAVES = {"indru_data._version"}  # importable from anywhere: it holds a constant


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The indru_data modules `path` imports (absolute names; relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "indru_data"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "indru_data":
                continue
            found.add(target)
            # `from indru_data.x import y` may name a module y
            for a in node.names:
                if (
                    (SRC.parent / Path(*f"{target}.{a.name}".split(".")))
                    .with_suffix(".py")
                    .exists()
                ):
                    found.add(f"{target}.{a.name}")
    return found - {name}


def layer(module: str) -> int | None:
    parts = module.split(".")
    if module in FACADE:
        return LAYERS.index("facade")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return None


MODULES = sorted(SRC.rglob("*.py"))


def test_every_module_sits_in_a_layer() -> None:
    homeless = [
        module_name(p)
        for p in MODULES
        if layer(module_name(p)) is None and module_name(p) not in LEAVES
    ]
    assert homeless == [], f"modules outside every layer: {homeless}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_only_layers_below(path: Path) -> None:
    mine = layer(module_name(path))
    if mine is None:
        return
    upward = [
        m
        for m in sorted(imports(path))
        if m not in LEAVES and (layer(m) is None or layer(m) > mine)  # type: ignore[operator]
    ]
    assert upward == [], f"{module_name(path)} ({LAYERS[mine]}) imports upward: {upward}"


def test_no_import_cycles() -> None:
    graph = {module_name(p): imports(p) for p in MODULES}
    # a package's __init__ importing its own submodules is not a cycle of the code's design
    seen: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        seen[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if n not in graph:
                continue
            if seen.get(n) == 1:
                cycle = [*stack[stack.index(n) :], n]
                if not _package_and_own_module(cycle):
                    cycles.append(cycle)
            elif n not in seen:
                visit(n)
        stack.pop()
        seen[m] = 2

    def _package_and_own_module(cycle: list[str]) -> bool:
        return any(b.startswith(a + ".") for a, b in itertools.pairwise(cycle))

    for m in sorted(graph):
        if m not in seen:
            visit(m)
    assert cycles == [], f"import cycles: {cycles}"


def test_a_broken_layering_is_caught(tmp_path: Path) -> None:
    """The check itself: a core module importing the CLI is reported."""
    fake = SRC / "core" / "descriptor.py"
    found = imports(fake) | {"indru_data.cli"}
    assert [m for m in found if layer(m) is not None and layer(m) > layer("indru_data.core.x")]


# Generated modules may be long (one loader per table); the rest stay readable at a sitting.
MAX_LINES = 400
GENERATED = {"indru_data._loaders"}


def test_modules_stay_small() -> None:
    long = {
        module_name(p): n
        for p in MODULES
        if module_name(p) not in GENERATED
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines (split them by job): {long}"


def test_benchmarks_stay_small() -> None:
    bench = Path(__file__).resolve().parents[1] / "benchmarks"
    long = {
        p.name: n
        for p in sorted(bench.glob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"benchmark scripts over {MAX_LINES} lines: {long}"
