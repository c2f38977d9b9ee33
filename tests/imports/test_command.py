"""The import_organizations command: one summary line."""

import pytest
from django.core.management import CommandError, call_command

from directory.models import Organization
from tests.imports.conftest import company_row, csv_bytes


def test_command_dry_run_then_apply(vocabulary, tmp_path, capsys):
    path = tmp_path / "partners.csv"
    path.write_bytes(csv_bytes([company_row(1), company_row(2, email="bad")]))

    call_command("import_organizations", str(path))
    dry_run = capsys.readouterr().out
    call_command("import_organizations", str(path), "--apply")
    applied = capsys.readouterr().out

    assert dry_run.endswith(
        "(dry run): 2 rows, 1 created, 0 updated, 0 unchanged, 1 rejected\n"
    )
    assert applied.endswith(
        "(applied): 2 rows, 1 created, 0 updated, 0 unchanged, 1 rejected\n"
    )
    assert Organization.objects.filter(edrpou__isnull=False).count() == 1


def test_command_reports_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_organizations", str(tmp_path / "none.csv"))
