"""The package's layout keeps the promises of docs/design.md: three parts that depend on each
other in one direction, small modules and functions, no private names across modules, and
a module map that lists exactly the modules there are."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import utils

PACKAGE = Path(utils.__file__).resolve().parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
DESIGN = (PACKAGE.parent / "docs" / "design.md").read_text(encoding="utf-8")
#: which part may import which: analysis is the base; persuasion uses analysis; course
#: (notebooks, grading) may use both. utils/validate.py and utils/paths.py are shared.
MAY_IMPORT = {"analysis": {"analysis"}, "persuasion": {"analysis", "persuasion"},
              "course": {"analysis", "persuasion", "course"}}


def part_of(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else None


def relative_imports(path: Path):
    """(line, target module as utils-relative dotted name, names) of each relative import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(PACKAGE).parent.parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
            target = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, target, [a.name for a in node.names]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small_and_its_functions_short(path):
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= 400, f"{path.name} has {source.count(chr(10))} lines; split it"
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > 80]
    assert long == [], f"functions over 80 lines: {long}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_crosses_a_module_boundary(path):
    private = [(line, target, name) for line, target, names in relative_imports(path)
               for name in names if name.startswith("_")]
    assert private == [], f"{path.name} imports private names of other modules: {private}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_parts_depend_in_one_direction(path):
    part = part_of(path)
    if part is None:
        return
    wrong = [(line, target) for line, target, _ in relative_imports(path)
             if target.split(".")[0] in MAY_IMPORT and target.split(".")[0] not in MAY_IMPORT[part]]
    assert wrong == [], f"{part} must not import {sorted({t for _, t in wrong})}: {wrong}"


def test_the_module_map_lists_exactly_the_modules():
    section = DESIGN[DESIGN.index("## Module map"):]
    section = section[:section.index("\n## ", 1)] if "\n## " in section[1:] else section
    listed = set(re.findall(r"`(utils/[\w/]+\.py)`", section))
    actual = {str(p.relative_to(PACKAGE.parent)) for p in MODULES}
    assert sorted(actual - listed) == [], "modules missing from the map in docs/design.md"
    assert sorted(listed - actual) == [], "the map in docs/design.md lists modules that are gone"
