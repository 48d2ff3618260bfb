"""The export_membership_update management command."""

from __future__ import annotations

import io
import re

import pytest

from exports.services.csv import COLUMNS
from rollups.models import Rollup

Span = Rollup.Span
Scope = Rollup.Scope


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "iati", "pdf"])
def test_export_command_writes_the_file(world, tmp_path, fmt):
    from django.core.management import call_command

    output = tmp_path / f"update.{fmt}"
    out = io.StringIO()
    call_command(
        "export_membership_update",
        "--from",
        "2019-Q1",
        "--to",
        "2023-Q4",
        "--format",
        fmt,
        "--output",
        str(output),
        stdout=out,
    )
    assert output.stat().st_size > 0
    assert re.search(r"in \d+\.\d+ s", out.getvalue())
    if fmt == "csv":
        assert output.read_text(encoding="utf-8-sig").startswith(",".join(COLUMNS))


def test_export_command_rejects_a_bad_range(world, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="after it ends"):
        call_command(
            "export_membership_update",
            "--from",
            "2023-Q4",
            "--to",
            "2019-Q1",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "x.csv"),
        )
