"""The layout shows the pipeline, and no import runs from a lower floor to a higher one
(docs/architecture.md draws the floors)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FLOORS = (
    ("creatorlens.schemas",),
    ("creatorlens.transforms",),
    (
        "creatorlens.errors",
        "creatorlens.settings",
        "creatorlens.warehouse",
        "creatorlens.locking",
        "creatorlens.reference",
        "creatorlens.formatting",
        "creatorlens.quiet_exit",
        "creatorlens.stopping",
        "creatorlens.runs",
    ),
    ("creatorlens.ingest", "creatorlens.compute", "creatorlens.publish"),
    ("creatorlens.flows",),
    ("creatorlens.cli", "creatorlens.__main__", "creatorlens.demo"),
)
"""The floors, lowest first. A module imports its own floor or those below; on the stages'
floor, only its own stage."""
STAGES = FLOORS[3]
LARGEST = 420
"""Lines a module may have (about 400), unless it is listed in EARNED."""
EARNED = {
    "schemas/marts.py": "the marts' declarations: a column and its meaning each",
}


def place(module: str) -> tuple[int, str] | None:
    """(floor, the group that holds the module) for a project module; None for others."""
    for number, floor in enumerate(FLOORS):
        for group in floor:
            if module == group or module.startswith(group + "."):
                return number, group
    return None


def modules() -> dict[str, Path]:
    found = {}
    for top in ("schemas", "transforms", "creatorlens", "flows"):
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if top != "creatorlens":  # a stage's folder at the top is creatorlens.<folder>
                name = f"creatorlens.{name}"
            found[name.removesuffix(".__init__")] = path
    found.pop("creatorlens")  # the package's own __init__: a docstring
    return found


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_import_runs_up_the_floors_or_across_the_stages(module):
    here = place(module)
    assert here is not None, f"{module} is on no floor: add it to FLOORS"
    for name in imports(modules()[module]):
        there = place(name)
        if there is None:
            continue
        assert there[0] <= here[0], f"{module} (floor {here[0]}) imports {name} (floor {there[0]})"
        if here[0] == there[0] and here[1] in STAGES:
            assert there[1] == here[1], f"{module} imports another stage's {name}"


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_is_over_about_400_lines_unless_it_earns_it(module):
    path = modules()[module]
    relative = path.relative_to(ROOT).as_posix()
    lines = len(path.read_text().splitlines())
    assert lines <= LARGEST or relative in EARNED, f"{relative}: {lines} lines"


def test_tests_mirror_the_tree():
    """Every test module of a project module is named after it, in the same folders."""
    strays = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        relative = path.relative_to(ROOT / "tests")
        if len(relative.parts) == 1 or relative.parts[0] == "oracle":
            continue  # end-to-end tests of the whole product, and the second implementation
        source = ROOT.joinpath(*relative.parts[:-1])
        if not source.is_dir():
            strays.append(str(relative))
    assert strays == []
