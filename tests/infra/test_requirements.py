"""requirements.txt is complete: every package the web process, the worker and beat import is
pinned in it, and so is everything those packages need (a virtualenv built from it alone runs
the stack; CI's `make stack` builds one). A package installed by hand into a shared virtualenv
and forgotten here fails this test, not production."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from pathlib import Path

from django.conf import settings
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
NOT_RUNTIME = {"tests", "bench", ".venv", "node_modules", "docs", "static"}


def _pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line} is not pinned with =="
            pins[canonicalize_name(name)] = version
    return pins


def _project_packages() -> set[str]:
    return {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} | {"manage"}


def _imported_modules() -> set[str]:
    modules: set[str] = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_RUNTIME or parts[0].startswith("."):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    for dotted in [*settings.INSTALLED_APPS, *settings.MIDDLEWARE]:
        modules.add(dotted.split(".")[0])
    return modules - _project_packages() - set(sys.stdlib_module_names) - {"__future__"}


def test_requirements_pin_every_package_the_code_imports():
    pinned = _pinned()
    owners = importlib.metadata.packages_distributions()
    missing = {
        module: owners.get(module, ["?"])
        for module in _imported_modules()
        if not any(canonicalize_name(d) in pinned for d in owners.get(module, []))
    }
    assert not missing, f"imported but not in requirements.txt: {missing}"


def test_requirements_pin_what_the_pinned_packages_need():
    pinned = _pinned()
    environment = default_environment() | {"extra": ""}
    unmet = []
    for name in pinned:
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            if canonicalize_name(requirement.name) not in pinned:
                unmet.append(f"{name} needs {requirement}")
    assert not unmet, unmet
