"""Progress of a running dry run or apply, published so other connections see it.

The apply runs inside a single transaction, so a progress counter written through the
same connection would stay invisible until the end. On PostgreSQL the counter is
written through a second, autocommit connection; SQLite allows one writer at a time,
so there (the embedded single-process default) it goes to the cache, which the page
in the same process reads. The cache is written on every database too, and the page
shows whichever number is larger.

Every progress write is also a heartbeat (`ImportBatch.heartbeat_at` through the same
channels, a timestamp next to the count in the cache), which tells a stalled run
(directory.importing.recovery).
"""

import datetime

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from directory.models import ImportBatch

RUNNING = (ImportBatch.Status.CHECKING, ImportBatch.Status.APPLYING)


class Superseded(Exception):
    """The batch was started again, or given up on, since this run began."""


class Progress:
    """Publishes how many rows are done, and when, so other connections see it (module
    docstring). Raises Superseded when the batch row shows another attempt.

    `in_transaction`: the caller is inside the long apply transaction, so the batch
    row is written through a second connection (PostgreSQL), or not at all (SQLite,
    or when an outer transaction is open: the second connection could wait for a
    row lock this one holds).
    """

    def __init__(self, batch: ImportBatch, *, in_transaction: bool):
        self.batch_id = batch.pk
        self.attempt = batch.attempt
        self.in_transaction = in_transaction
        self.separate = (
            in_transaction
            and connection.vendor != "sqlite"
            and not connection.in_atomic_block
        )
        self._connection = None

    @staticmethod
    def cache_key(batch: ImportBatch) -> str:
        return f"directory:import-progress:{batch.pk}:{batch.attempt}"

    def __call__(self, processed: int) -> None:
        now = timezone.now()
        key = f"directory:import-progress:{self.batch_id}:{self.attempt}"
        cache.set(key, (processed, now.timestamp()), 6 * 3600)
        if not self.in_transaction:
            updated = ImportBatch.objects.filter(
                pk=self.batch_id, attempt=self.attempt
            ).update(processed_rows=processed, heartbeat_at=now)
            if not updated:
                raise Superseded
            return
        if not self.separate:
            return
        if self._connection is None:
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportBatch._meta.db_table} "
                "SET processed_rows = %s, heartbeat_at = %s "
                "WHERE id = %s AND attempt = %s",
                [processed, now, self.batch_id, self.attempt],
            )
            if cursor.rowcount == 0:
                raise Superseded

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _published(batch: ImportBatch) -> tuple[int, float] | None:
    """(rows done, heartbeat as a timestamp) of the running attempt, from the cache."""
    if batch.status not in RUNNING:
        return None
    return cache.get(Progress.cache_key(batch))


def processed_rows(batch: ImportBatch) -> int:
    """Rows done so far, including progress not yet visible in the batch row."""
    published = _published(batch)
    return max(batch.processed_rows, published[0] if published else 0)


def last_heartbeat(batch: ImportBatch) -> datetime.datetime:
    """When the running step last showed progress: the batch row's heartbeat or the
    cache's, whichever is later (the SQLite apply reaches only the cache)."""
    beat = batch.heartbeat_at or batch.created_at
    if published := _published(batch):
        cached = datetime.datetime.fromtimestamp(published[1], tz=datetime.UTC)
        beat = max(beat, cached)
    return beat
