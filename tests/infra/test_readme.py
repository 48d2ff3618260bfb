"""The README a newcomer reads: its first screen shows the two commands, its configuration
tables name every variable the settings and the entry-point script read, and it links only to
files the repository has."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text()
READS = re.compile(
    r"""(?:environ\.get|environ\[|env_bool|env_list|getenv)\(?\s*["']([A-Z][A-Z0-9_]+)"""
)


def _variables_read() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "strategy_tracker").rglob("*.py"):
        names |= set(READS.findall(path.read_text()))
    for script in ("bin/entrypoint", "bin/backup", "bin/restore"):
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / script).read_text()))
    return names


def test_readme_configuration_names_every_variable_read():
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", README, flags=re.MULTILINE))
    documented |= set(re.findall(r"^\| `[A-Z_]+` / `([A-Z][A-Z0-9_]+)`", README, flags=re.M))
    missing = _variables_read() - documented - {"PYTHONUNBUFFERED"}
    assert not missing, f"README.md's configuration tables lack {sorted(missing)}"


def test_readme_first_screen_shows_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:40])
    block = re.search(r"```sh\n(.*?)```", first_screen, flags=re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert [c for c in commands if c] == ["make run", "make test"]


def test_readme_links_only_to_files_the_repository_has():
    for target in re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README):
        assert (ROOT / target).exists(), target
    assert "DOMAIN.md" not in README.replace("docs/DOMAIN.md", "")
