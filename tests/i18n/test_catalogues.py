"""The catalogues stay complete: every translatable string of the project has a French and a
Spanish translation, none is fuzzy, and each keeps the placeholders of its English text."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.i18n.catalogues import LANGUAGES, catalogue_path, placeholders

BASE = Path(settings.BASE_DIR)
# What makemessages reads: the project's code and templates (the Makefile's list).
IGNORED = [".venv", ".git", "tests", "bench", "node_modules", "staticfiles", "media"]


def _summary(entries) -> str:
    return "\n".join(f"  {e.occurrences[:1]} {e.msgid!r}" for e in entries[:30])


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """makemessages run over a copy of the project, merged into a copy of its catalogues:
    what the catalogues would hold if collected now."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext not found: install gettext (apt-get install -y gettext)")
    copy = tmp_path_factory.mktemp("project")
    for path in BASE.iterdir():
        if path.name in IGNORED or path.name.startswith("."):
            continue
        target = copy / path.name
        if path.is_dir():
            shutil.copytree(path, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(path, target)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete"]
    command += [f"--locale={language}" for language in LANGUAGES]
    command += ["--ignore=static/vendor/*"]
    subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=300)  # noqa: S603
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_project_string(collected, language):
    # given the strings the project marks today, merged into the committed catalogue
    po = polib.pofile(str(collected / language / "LC_MESSAGES" / "django.po"))
    # then none lacks a translation, and none is fuzzy (its English text changed since)
    untranslated = po.untranslated_entries()
    fuzzy = [e for e in po.fuzzy_entries() if not e.obsolete]
    assert not untranslated, (
        f"{len(untranslated)} string(s) have no {language} translation; run `make translations` "
        f"and translate them in locale/{language}/LC_MESSAGES/django.po:\n{_summary(untranslated)}"
    )
    assert not fuzzy, f"{len(fuzzy)} fuzzy {language} translation(s):\n{_summary(fuzzy)}"
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_keeps_each_strings_placeholders(language):
    # given the committed catalogue
    po = polib.pofile(str(catalogue_path(language)))
    wrong = []
    for entry in po.translated_entries():
        expected = placeholders(entry.msgid)
        if entry.msgid_plural:
            forms = entry.msgstr_plural.values()
            plural = placeholders(entry.msgid_plural)
            wrong += [entry for text in forms if placeholders(text) not in (expected, plural)]
        elif placeholders(entry.msgstr) != expected:
            wrong.append(entry)
    # then every translation has the same placeholders as its English text
    assert not wrong, _summary(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translations_are_not_left_in_english(language):
    # given the committed catalogue's sentences (a few words are the same in every language)
    po = polib.pofile(str(catalogue_path(language)))
    sentences = [e for e in po.translated_entries() if len(e.msgid.split()) >= 4]
    # then hardly any is left as its English text (codes and examples may stay as they are)
    same = [e for e in sentences if e.msgstr == e.msgid]
    assert len(same) <= 2, _summary(same)
