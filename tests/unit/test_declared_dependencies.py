"""Every library the code imports is declared in pyproject.toml, and every declared one is used."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("registry", "schemas", "importers", "config")
SCRIPT_FOLDERS = ("tests", "bench", "scripts")
# Top-level names of the repository itself: its packages and the modules scripts import locally.
LOCAL = {
    *PACKAGES,
    *SCRIPT_FOLDERS,
    *(path.stem for folder in SCRIPT_FOLDERS for path in (ROOT / folder).rglob("*.py")),
}
# Declared but never imported by name: what needs them, instead.
USED_WITHOUT_IMPORT = {
    "granian": "`registry serve` runs it as the WSGI server",
    "defusedxml": "openpyxl parses workbook parts with it when it is installed",
    "language-data": "langcodes reads language names from it",
    "psycopg": "SQLAlchemy's driver for postgresql+psycopg:// URLs",
    "pytest-cov": "pytest --cov in CI",
    "schemathesis": "API property tests",
    "ruff": "lint and format",
    "uv": "compiles and installs the lock file",
}


def _distribution(requirement: str) -> str:
    """Return the normalised distribution name of a requirement string."""
    return re.split(r"[<>=\[; ~!]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> tuple[set[str], set[str]]:
    """Return the runtime and the optional distributions pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    runtime = {_distribution(r) for r in project["dependencies"]}
    optional = {
        _distribution(r) for extra in project["optional-dependencies"].values() for r in extra
    }
    return runtime, optional


@cache
def _imported(folders: tuple[str, ...]) -> dict[str, set[str]]:
    """Return the distributions imported by modules under folders, with one importing file."""
    names = metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                modules = []
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                for module in modules:
                    top = module.split(".")[0]
                    if top in sys.stdlib_module_names or top in LOCAL or top == "__future__":
                        continue
                    for dist in names.get(top, [top]):
                        found.setdefault(dist.lower().replace("_", "-"), set()).add(
                            str(path.relative_to(ROOT))
                        )
    return found


def test_every_library_the_application_imports_is_a_runtime_dependency() -> None:
    runtime, _ = _declared()
    missing = {d: sorted(files)[0] for d, files in _imported(PACKAGES).items() if d not in runtime}
    assert missing == {}


def test_every_library_the_tests_import_is_declared() -> None:
    runtime, optional = _declared()
    imported = _imported(("tests", "bench"))
    missing = {d: sorted(f)[0] for d, f in imported.items() if d not in runtime | optional}
    assert missing == {}


def test_every_declared_library_is_used() -> None:
    runtime, optional = _declared()
    imported = set(_imported(PACKAGES)) | set(_imported(("tests", "bench")))
    unused = (runtime | optional) - imported - set(USED_WITHOUT_IMPORT)
    assert unused == set()
