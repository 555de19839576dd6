"""The layers of the package (docs/architecture.md), read from the imports of every module.

Data flows one way: a module imports only from its own package or from the layers below it;
packages that share a layer never import each other; no module imports, even lazily, one
that imports it back.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli.main import COMMANDS

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"

# Bottom first; packages on one line share a layer and stay independent of each other.
LAYERS = (
    ("advisor.errors", "advisor.exits"),
    ("advisor.contract",),
    ("advisor.io",),
    ("advisor.rulebase",),
    ("advisor.engines",),
    ("advisor.advice",),
    ("advisor.sessions",),
    ("advisor.render",),
    ("advisor.questionnaire",),
    ("advisor.batch", "advisor.toolkit", "advisor.web"),
    ("advisor.cli",),
    ("advisor",),  # the public API (advisor/__init__.py) and `python -m advisor`
)
TOP_LEVEL_MODULES_AT_MOST = 5


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    """The layer member a module belongs to: the longest entry of LAYERS that names it or a package above it."""
    members = [m for layer in LAYERS for m in layer if module == m or module.startswith(m + ".")]
    return max(members, key=len)


def layer_of(module: str) -> int:
    member = part_of(module)
    return next(i for i, layer in enumerate(LAYERS) if member in layer)


def imports_of(path: Path) -> set[str]:
    """Every advisor module a file imports, at its top or inside a function."""
    tree = ast.parse(path.read_text(), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "advisor"}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; write `from advisor.… import …`"
            if node.module and node.module.split(".")[0] == "advisor":
                modules = {f"{node.module}.{a.name}" for a in node.names}
                found |= {m for m in modules if _exists(m)} or {node.module}
    return found


def _exists(module: str) -> bool:
    path = PACKAGE.parent / module.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


GRAPH = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_only_from_below(module):
    own = layer_of(module)
    wrong = [f"{target} (layer {layer_of(target)}: {part_of(target)})" for target in sorted(GRAPH[module])
             if target != "advisor" and (layer_of(target) > own or
                                         (layer_of(target) == own and part_of(target) != part_of(module)))]
    assert not wrong, f"{module} (layer {own}: {part_of(module)}) imports from above or beside it: {wrong}"


def test_no_import_cycle():
    """Tarjan's strongly connected components over every import, lazy ones included."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH.get(node, ()):
            if target not in GRAPH:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    # a package's __init__ that gathers its modules is not a cycle with them
    real = [c for c in cycles if not all(m.startswith(min(c, key=len)) for m in c)]
    assert not real, f"modules that import each other: {real}"


def test_few_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= TOP_LEVEL_MODULES_AT_MOST, top


def test_every_package_is_in_a_layer():
    packages = {module_name(p.parent) for p in PACKAGE.rglob("__init__.py")}
    for package in packages:
        part_of(package)  # raises when no layer names it


def test_help_imports_no_command_and_nothing_heavy():
    """`advisor --help` lists every command without importing one (each is imported when it runs)."""
    script = ("import sys\nfrom advisor.cli.main import main\ntry:\n    main(['--help'])\n"
              "except SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.startswith(('advisor.cli.', 'pydantic', 'rich', 'yaml'))))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    *help_lines, imported = done.stdout.strip().splitlines()
    assert all(name in "\n".join(help_lines) for name in COMMANDS)
    assert ast.literal_eval(imported) == ["advisor.cli.commands", "advisor.cli.main"]


def test_a_command_imports_only_itself(tmp_path):
    script = ("import sys\nfrom advisor.cli.main import main\nmain(['rules', 'init', sys.argv[1]])\n"
              "print(sorted(m for m in sys.modules if m.startswith('advisor.cli.')))")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "mine")], capture_output=True, text=True,
                          check=True)
    assert ast.literal_eval(done.stdout.strip().splitlines()[-1]) == [
        "advisor.cli.commands", "advisor.cli.main", "advisor.cli.options", "advisor.cli.rules",
        "advisor.cli.rules.init"]


def test_the_public_api_evaluates_a_profile_file():
    import advisor

    advice = advisor.open_advisor(engine="python")
    (item,) = advisor.load_profiles(PACKAGE.parent / "profiles" / "laura-3-network-coordinator.yaml")
    result = advice.evaluate(item.profile, item.source)
    assert isinstance(result, advisor.Result) and len(result.results) == len(advice.rulebase.rules)
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(advisor, "no_such_name")
