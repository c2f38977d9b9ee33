"""The command-line wrapper of an import: a file, who the import is made by, and
one summary line."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    """A command that imports one file: `path` and `--user` are parsed here."""

    file_help = "the file to import"
    # Imports that write unless --dry-run say so here (the directory's import is a
    # dry run unless --apply, its own option).
    dry_run_option = False

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.file_help)
        parser.add_argument("--user", help="e-mail of the person the import is made by")
        if self.dry_run_option:
            parser.add_argument("--dry-run", action="store_true", help="write nothing")

    def source(self, path: str) -> Path:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        return source

    def actor(self, email: str | None):
        """The user named by --user (None without it)."""
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the e-mail {email}")
        return user

    def write_summary(self, phase: str, counts: list[tuple[int, str]]) -> None:
        """One line: "<phase>: 3 created, 1 updated, …"."""
        text = ", ".join(f"{number} {label}" for number, label in counts)
        self.stdout.write(f"{phase}: {text}")
