"""The house keeps its shape: imports run down the layers (`.importlinter`, also run by
`make lint`), no app has an import cycle, and no module grows past what a reader can hold."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# The project's packages, as the contracts list them.
APPS = (ROOT / ".importlinter").read_text().split("root_packages =")[1].split("include_")[0].split()
# A module past this many lines becomes a package cut at its sections (data files aside).
MODULE_LINES_MAX = 500


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own tool, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_architecture_imports_run_down_the_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/models.py", "from dashboards import views  # noqa", "down the layers"),
        ("rollups/models.py", "import exports.views  # noqa", "down the layers"),
        ("strategy_tracker/settings/base.py", "import reporting.models  # noqa", "wires apps"),
        ("jobs/runner.py", "from jobs import services  # noqa", "cycles"),
    ],
)
def test_architecture_a_forbidden_import_breaks_a_contract(tmp_path, module, line, contract):
    # given a copy of the project with one import that runs the wrong way
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    target = tmp_path / module
    target.write_text(target.read_text() + "\n" + line + "\n")
    # when the contracts are checked, then they fail and name the broken one
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert contract in result.stdout


def test_architecture_no_module_is_too_long():
    long = []
    for app in [*APPS, "bench"]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MODULE_LINES_MAX:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, "cut these into packages at their sections: " + "; ".join(long)
