"""The report of a dry run or an apply, and the importer that makes it.

An import plans every row (reads and checks it, matches it by its natural key to
what already exists, decides its action) without writing: that plan is the dry
run's report. The apply plans again, against the database as it is by then, so what
the dry run promised is what it does, and writes only the rows planned to create or
update: importing the same file twice writes nothing the second time.
"""

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What an import does with one row."""

    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("Unchanged")
    REJECT = "reject", _("Reject")


WRITTEN = (Action.CREATE, Action.UPDATE)


@dataclass(frozen=True)
class RowError:
    """One reason a row is rejected: where (row number, column) and why."""

    row: int
    column: str
    message: str


@dataclass
class Report:
    """The rows of a dry run or an apply, each with its `action`, and their counts."""

    rows: list = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(Action.CREATE)

    @property
    def updated(self) -> int:
        return self.count(Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(Action.UNCHANGED)

    @property
    def rejected(self) -> int:
        return self.count(Action.REJECT)

    def counts(self) -> dict[str, int]:
        """The counts as the audit log records them."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


class Importer(ABC):
    """One import of one file: `check()` is the dry run, `apply()` writes.

    A subclass gives `plan()` and `write()`. The apply is one transaction, or, with
    `row_transactions`, one per row: a row that fails to save is then rejected with
    the error (`write_failed()`) and the others are kept.
    """

    row_transactions = False

    @abstractmethod
    def plan(self) -> tuple[Report, list]:
        """The report and the rows to write, each with its `action`; writes nothing."""

    @abstractmethod
    def write(self, row, *, by) -> None:
        """Create or update what one planned row says."""

    def write_failed(self, row, error: Exception) -> None:
        row.action = Action.REJECT

    def applied(self, report: Report, *, by) -> None:  # noqa: B027 (optional hook)
        """After the rows are written (e.g. one audit entry for the file)."""

    def check(self) -> Report:
        return self.plan()[0]

    def apply(
        self, *, by=None, progress: Callable[[int], None] | None = None
    ) -> Report:
        """Plan again and write every row planned to create or update; `progress` is
        told how many planned rows are done after each one."""
        whole = (
            contextlib.nullcontext() if self.row_transactions else transaction.atomic()
        )
        with whole:
            report, rows = self.plan()
            for done, row in enumerate(rows, start=1):
                if row.action in WRITTEN:
                    self._write(row, by=by)
                if progress:
                    progress(done)
            report.applied = True
            self.applied(report, by=by)
        return report

    def _write(self, row, *, by) -> None:
        if not self.row_transactions:
            self.write(row, by=by)
            return
        try:
            with transaction.atomic():
                self.write(row, by=by)
        except Exception as error:  # reported with the row, never silently dropped
            self.write_failed(row, error)
