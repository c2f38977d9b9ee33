"""Bulk writes for imports of many rows: new model instances through COPY on
PostgreSQL (bulk_create elsewhere), small rows (links, report rows) as plain values
into their tables, on a second thread while the importing thread checks the next
chunk (directory.importing.engine is the example).
"""

import queue
import threading
from collections.abc import Callable

from django.db import connection, models
from django_countries.fields import CountryField

from core.pagecache import note_write


def insert_rows(
    model, columns: list[str], rows: list[tuple], *, batch_size: int, db=connection
):
    """Insert plain values, for the many small rows (links, report) where building
    model instances would cost more than the database work: COPY on PostgreSQL, a
    multi-row INSERT elsewhere. JSON columns take JSON text. `db` is the connection
    (the Writer thread passes the importing thread's one)."""
    if not rows:
        return
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    if db.vendor == "postgresql":
        with (
            db.cursor() as cursor,
            db.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        # COPY goes around the execute wrappers that watch writes.
        note_write(db)
        return
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with db.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            part = rows[start : start + batch_size]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))}",
                [value for row in part for value in row],
            )


def _copy_converter(field, db):
    """How a field's Python value goes into COPY: as it is for the types psycopg
    writes itself, through the field's own conversion for the rest."""
    plain = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.BooleanField,
        models.DateField,  # DateTimeField too
        models.ForeignKey,
        models.AutoField,
        models.BigAutoField,
    )
    if isinstance(field, plain) and not isinstance(
        field, CountryField | models.FileField
    ):
        return None
    return lambda value: field.get_db_prep_save(value, db)


def reserve_pks(model, instances: list, *, db=connection) -> bool:
    """Give new instances of `model` their primary keys before they are stored,
    from the table's sequence, so that their rows can be related to them first
    (PostgreSQL only: returns False elsewhere, and the instances keep no pk)."""
    if db.vendor != "postgresql" or not instances:
        return db.vendor == "postgresql"
    meta = model._meta
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(instances)],
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
    return True


def insert_instances(model, instances: list, *, now, db=connection) -> None:
    """Insert new instances of `model` and set their pks; `now` fills their
    auto_now(_add) fields (on PostgreSQL, None keeps the times the instances
    carry). On PostgreSQL through COPY with ids taken from the sequence first
    unless reserve_pks gave them already (Django's bulk_create spends more time
    preparing 35 columns than the database spends storing them); elsewhere through
    bulk_create."""
    if db.vendor != "postgresql":
        model.objects.using(db.alias).bulk_create(instances, batch_size=500)
        return
    if not instances:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    converters = [_copy_converter(f, db) for f in fields]
    quote = db.ops.quote_name
    unkeyed = [instance for instance in instances if instance.pk is None]
    reserve_pks(model, unkeyed, db=db)
    for instance in instances:
        if now is not None:
            for name in stamped:
                setattr(instance, name, now)
        instance._state.adding = False
    with db.cursor() as cursor:
        columns = ", ".join(quote(f.column) for f in fields)
        with (
            db.wrap_database_errors,
            cursor.cursor.copy(
                f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            ) as copy,
        ):
            for instance in instances:
                values = instance.__dict__
                copy.write_row(
                    [
                        values[f.attname]
                        if convert is None
                        else convert(getattr(instance, f.attname))
                        for f, convert in zip(fields, converters, strict=True)
                    ]
                )
    # COPY goes around the execute wrappers that watch writes.
    note_write(db)


class Writer:
    """Stores each chunk on a second thread, on the importing thread's connection
    (so inside its transaction), while that thread checks the next chunk: the
    database's work overlaps with Python's. One job at a time, in order; an error
    stops the rest and is raised in the importing thread. On SQLite (one writer, and
    a connection better kept on its thread) jobs run at once."""

    def __init__(self, db):
        self.db = db
        self.error: BaseException | None = None
        self.threaded = db.vendor == "postgresql"
        if self.threaded:
            self.jobs: queue.Queue = queue.Queue(maxsize=1)
            db.inc_thread_sharing()
            self.thread = threading.Thread(
                target=self._work, name="import-writer", daemon=True
            )
            self.thread.start()

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    job(self.db)
            except BaseException as exc:  # handed to the importing thread
                self.error = exc
            finally:
                self.jobs.task_done()

    def submit(self, job: Callable) -> None:
        self._raise()
        if self.threaded:
            self.jobs.put(job)
        else:
            job(self.db)

    def wait(self) -> None:
        """Until every submitted job is stored."""
        if self.threaded:
            self.jobs.join()
        self._raise()

    def stop(self) -> None:
        """End the thread once the submitted jobs are done; raises nothing."""
        if self.threaded and self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()
            self.db.dec_thread_sharing()

    def finish(self) -> None:
        self.stop()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error
