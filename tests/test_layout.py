"""The package layout is the architecture: topic subpackages in layers, each importing only the
layers below it (lazy imports inside functions included), no import cycles, no god-files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "corral"
# lowest first: a module may import its own layer and the ones before it, never one after it
LAYERS = ["core", "data", "datasets", "labels", "regions", "learn", "review", "report", "map", "labeler", "__init__"]
MAX_LINES = 400
# the facade is a list of ~50 user verbs, each a short forwarder with its user-facing docstring
MAX_LINES_OF = {"corral.labeler": 500}


def _layer(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _corral_imports(path: Path) -> set[str]:
    """Every corral module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "corral":
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if (SRC.parent / node.module.replace(".", "/") / a.name).with_suffix(".py").exists())
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "corral")
    return found


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def test_every_module_is_in_a_known_layer():
    assert {_layer(m) for m in MODULES} <= set(LAYERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_up_the_layers(module):
    mine = LAYERS.index(_layer(module))
    upward = sorted(m for m in _corral_imports(MODULES[module]) if LAYERS.index(_layer(m)) > mine)
    assert not upward, f"{module} ({_layer(module)}) imports higher layers: {upward}"


def test_no_import_cycles_between_modules():
    graph = {m: {i for i in _corral_imports(p) if i in MODULES and i != m} for m, p in MODULES.items()}
    graph = {m: {i for i in deps if not (m == "corral" or i == "corral")} for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(m, path):
        state[m] = 1
        for i in graph[m]:
            if state.get(i) == 1:
                raise AssertionError(f"import cycle: {' -> '.join(path + [m, i])}")
            if i not in state:
                visit(i, path + [m])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_god_files(module):
    lines = len(MODULES[module].read_text().splitlines())
    limit = MAX_LINES_OF.get(module, MAX_LINES)
    assert lines <= limit, f"{module} has {lines} lines: split it by purpose"


def test_pure_logic_never_imports_widgets():
    pure = [m for m in MODULES if _layer(m) in ("core", "data", "labels", "regions", "learn", "review", "report")]
    for m in pure:
        text = MODULES[m].read_text()
        assert "ipywidgets" not in text and "anywidget" not in text, f"{m} imports a widget library"


def test_the_layer_check_catches_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from corral.map.views import Views\n")
    assert "corral.map.views" in _corral_imports(bad)
