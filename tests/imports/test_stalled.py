"""Stalled imports: a dry run or apply whose process died is detected and restarted."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from core.models import AuditEntry
from directory import importing
from directory.models import ImportBatch, ImportRow, Organization
from directory.tasks import apply_import_task, check_import_task
from tests.factories import UserFactory
from tests.imports.conftest import company_row, csv_bytes

LONG_AGO = datetime.timedelta(hours=1)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def checked_batch(make_batch):
    batch = make_batch(csv_bytes([company_row(1), company_row(2)]))
    return importing.check_import(batch)


def stall(batch: ImportBatch, status: str, *, ago=LONG_AGO) -> ImportBatch:
    """Leave `batch` as its dead process left it: running, heartbeat `ago`."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, heartbeat_at=timezone.now() - ago, processed_rows=1
    )
    batch.refresh_from_db()
    return batch


def en_url(name: str, **kwargs) -> str:
    """Pages in English, so assertions on their text hold once Ukrainian exists."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def detail_url(batch) -> str:
    return en_url("directory:import-detail", pk=batch.pk)


def restart_url(batch) -> str:
    return en_url("directory:import-restart", pk=batch.pk)


def test_apply_with_an_old_heartbeat_is_shown_stalled_with_a_restart(
    staff_client, checked_batch
):
    stall(checked_batch, ImportBatch.Status.APPLYING)

    response = staff_client.get(detail_url(checked_batch), {"page": 1})
    text = response.content.decode()

    assert importing.is_stalled(checked_batch) is True
    assert response.context["stalled"] is True
    assert response.context["restart_step"] == "apply"
    assert "The apply has stalled" in text
    assert "nothing of this one was saved" in text
    assert 'hx-trigger="every 1s"' not in text
    assert '<meta http-equiv="refresh"' not in text
    assert f'action="{restart_url(checked_batch)}"' in text
    assert "Apply again" in text


def test_stalled_fragment_stops_polling_and_offers_the_dry_run_again(
    staff_client, checked_batch
):
    stall(checked_batch, ImportBatch.Status.CHECKING)

    fragment = staff_client.get(
        detail_url(checked_batch), headers={"hx-request": "true"}
    )
    text = fragment.content.decode()

    assert "<html" not in text
    assert 'hx-trigger="every 1s"' not in text
    assert "The dry run has stalled" in text
    assert "Run the dry run again" in text


def test_batch_with_a_fresh_heartbeat_is_not_stalled(staff_client, checked_batch):
    stall(
        checked_batch, ImportBatch.Status.APPLYING, ago=datetime.timedelta(seconds=60)
    )

    response = staff_client.get(detail_url(checked_batch))
    text = response.content.decode()

    assert importing.is_stalled(checked_batch) is False
    assert response.context["restart_step"] == ""
    assert 'hx-trigger="every 1s"' in text
    assert "Apply again" not in text
    assert importing.restart_import(checked_batch, user=None) is False


def test_stall_limit_comes_from_the_setting(settings, checked_batch):
    stall(checked_batch, ImportBatch.Status.APPLYING, ago=datetime.timedelta(minutes=2))

    settings.MIST_IMPORT_STALL_SECONDS = 300
    within = importing.is_stalled(checked_batch)
    settings.MIST_IMPORT_STALL_SECONDS = 60
    beyond = importing.is_stalled(checked_batch)

    assert (within, beyond) == (False, True)


def test_cached_heartbeat_keeps_an_apply_alive(checked_batch):
    # The SQLite apply (and one inside an outer transaction) reaches only the cache.
    stall(checked_batch, ImportBatch.Status.APPLYING)

    importing.Progress(checked_batch, in_transaction=True)(1)

    assert importing.is_stalled(checked_batch) is False


def test_finished_batches_are_never_stalled(checked_batch):
    ImportBatch.objects.filter(pk=checked_batch.pk).update(
        heartbeat_at=timezone.now() - LONG_AGO
    )
    checked_batch.refresh_from_db()

    assert importing.is_stalled(checked_batch) is False
    assert importing.restart_step(checked_batch) == ""


def test_progress_moves_the_heartbeat(make_batch):
    batch = make_batch(csv_bytes([company_row(n) for n in range(1, 6)]))
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=None)
    before = timezone.now()

    importing.check_import(batch, chunk_size=2)

    batch.refresh_from_db()
    assert batch.heartbeat_at >= before


def test_restarting_a_stalled_apply_applies_it(
    staff_client, staff, checked_batch, django_capture_on_commit_callbacks
):
    stall(checked_batch, ImportBatch.Status.APPLYING)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(restart_url(checked_batch), {"confirm": "yes"})

    checked_batch.refresh_from_db()
    assert response.status_code == 302
    assert response.url == detail_url(checked_batch)
    assert checked_batch.status == ImportBatch.Status.APPLIED
    assert checked_batch.attempt == 1
    assert checked_batch.created_count == 2
    assert Organization.objects.filter(edrpou__isnull=False).count() == 2
    assert checked_batch.rows.count() == 2
    entry = AuditEntry.objects.get(action="import.restarted")
    assert (entry.actor, entry.details) == (staff, {"step": "apply", "attempt": 1})


def test_restarting_a_stalled_dry_run_checks_every_row_once(
    staff_client, make_batch, django_capture_on_commit_callbacks
):
    batch = make_batch(csv_bytes([company_row(1), company_row(2, email="bad")]))
    stall(batch, ImportBatch.Status.CHECKING)
    # What the dead dry run had recorded before it died.
    ImportRow.objects.create(batch=batch, row=2, action=ImportRow.Action.CREATE)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(restart_url(batch), {"confirm": "yes"})

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED
    assert list(batch.rows.order_by("row").values_list("row", "action")) == [
        (2, ImportRow.Action.CREATE),
        (3, ImportRow.Action.REJECT),
    ]
    assert Organization.objects.filter(edrpou__isnull=False).count() == 0


def test_restart_needs_the_confirmation(staff_client, checked_batch):
    stall(checked_batch, ImportBatch.Status.APPLYING)

    response = staff_client.post(restart_url(checked_batch))

    checked_batch.refresh_from_db()
    assert response.status_code == 302
    assert checked_batch.attempt == 0
    assert importing.is_stalled(checked_batch) is True


def test_restart_twice_is_refused(
    staff_client, staff, checked_batch, django_capture_on_commit_callbacks
):
    stalled = stall(checked_batch, ImportBatch.Status.APPLYING)
    read_by_second = ImportBatch.objects.get(pk=stalled.pk)

    with django_capture_on_commit_callbacks() as queued:
        first = importing.restart_import(stalled, user=staff)
        second = importing.restart_import(read_by_second, user=staff)
        response = staff_client.post(restart_url(stalled), {"confirm": "yes"})

    stalled.refresh_from_db()
    assert (first, second) == (True, False)
    assert len(queued) == 1
    assert stalled.attempt == 1
    assert importing.is_stalled(stalled) is False
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "This import cannot be started again now: it is still running, has ended, "
        "or someone started it again already."
    ]


def test_restart_of_a_finished_batch_is_refused(staff, checked_batch):
    assert importing.restart_import(checked_batch, user=staff) is False


def test_task_of_a_superseded_attempt_does_nothing(staff, checked_batch):
    stalled = stall(checked_batch, ImportBatch.Status.APPLYING)
    ImportBatch.objects.filter(pk=stalled.pk).update(attempt=3)

    apply_import_task(stalled.pk, staff.pk, attempt=2)
    check_import_task(stalled.pk, attempt=2)

    stalled.refresh_from_db()
    assert (stalled.status, stalled.attempt) == (ImportBatch.Status.APPLYING, 3)
    assert Organization.objects.filter(edrpou__isnull=False).count() == 0


def test_apply_superseded_midway_writes_nothing(staff, make_batch):
    batch = make_batch(csv_bytes([company_row(n) for n in range(1, 7)]))
    importing.check_import(batch)

    def restarted_elsewhere(processed):
        # Seen through the apply's own connection, so rolled back with it below;
        # a real restart commits on its own connection (the PostgreSQL test).
        if processed == 2:
            ImportBatch.objects.filter(pk=batch.pk).update(attempt=9)

    importing.apply_import(
        batch, user=staff, chunk_size=2, on_chunk=restarted_elsewhere
    )

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLYING
    assert batch.error_message_uk == batch.error_message_en == ""
    assert Organization.objects.filter(edrpou__isnull=False).count() == 0
    assert batch.rows.count() == 6  # the dry run's rows, untouched


def test_recover_imports_marks_stalled_batches_failed(make_batch, capsys):
    dead_apply = stall(
        importing.check_import(make_batch(csv_bytes([company_row(1)]))),
        ImportBatch.Status.APPLYING,
    )
    dead_check = stall(make_batch(csv_bytes([company_row(2)])), "checking")
    ImportRow.objects.create(batch=dead_check, row=2, action=ImportRow.Action.CREATE)
    alive = make_batch(csv_bytes([company_row(3)]))
    ImportBatch.objects.filter(pk=alive.pk).update(
        status=ImportBatch.Status.CHECKING, heartbeat_at=timezone.now()
    )

    with translation.override("en"):
        call_command("recover_imports")

    assert capsys.readouterr().out == (
        "2 stalled import(s) marked failed (no progress for 300 s)\n"
    )
    dead_apply.refresh_from_db()
    dead_check.refresh_from_db()
    alive.refresh_from_db()
    assert dead_apply.status == dead_check.status == ImportBatch.Status.FAILED
    assert dead_apply.error_message_en == (
        "The apply stopped: no progress for 5 minutes, so the process running it "
        "has ended. Nothing was written; apply the import again."
    )
    assert dead_check.error_message_en == (
        "The dry run stopped: no progress for 5 minutes, so the process running "
        "it has ended. Run the dry run again."
    )
    assert (dead_apply.attempt, dead_check.attempt) == (1, 1)
    assert alive.status == ImportBatch.Status.CHECKING
    assert dead_check.rows.count() == 0  # a part of a dry run is no report
    assert dead_apply.rows.count() == 1  # the dry run's, as the apply left them
    # What staff can do next: apply again, or run the dry run again.
    assert importing.restart_step(dead_apply) == ""
    assert importing.start_apply(dead_apply, user=None) is True
    assert importing.restart_step(dead_check) == "check"


def test_failed_dry_run_can_be_run_again_from_its_page(
    staff_client, make_batch, django_capture_on_commit_callbacks
):
    batch = stall(make_batch(csv_bytes([company_row(1)])), "checking")
    importing.fail_stalled_imports()

    page = staff_client.get(detail_url(batch)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(restart_url(batch), {"confirm": "yes"})

    batch.refresh_from_db()
    assert "Run the dry run again" in page
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.created_count == 1


def test_recover_imports_leaves_moving_batches_alone(checked_batch, capsys):
    call_command("recover_imports")

    checked_batch.refresh_from_db()
    assert capsys.readouterr().out.startswith("0 stalled import(s) marked failed")
    assert checked_batch.status == ImportBatch.Status.CHECKED


def test_restart_is_for_staff_only(client, checked_batch):
    stall(checked_batch, ImportBatch.Status.APPLYING)
    url = restart_url(checked_batch)

    anonymous = client.post(url, {"confirm": "yes"})
    outcomes = {}
    for role in (Role.EDITOR, Role.CITY_OFFICER, Role.REVIEWER, Role.INVESTOR):
        client.force_login(UserFactory(role=role))
        outcomes[role] = client.post(url, {"confirm": "yes"}).status_code

    checked_batch.refresh_from_db()
    assert anonymous.status_code == 302
    assert "/accounts/" in anonymous.url or "login" in anonymous.url
    assert set(outcomes.values()) == {403}
    assert checked_batch.attempt == 0


# PostgreSQL: the apply's heartbeat goes through the second connection.


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has a single writer"
)
def test_apply_heartbeat_is_visible_to_other_connections(vocabulary, staff):
    from django.core.files.base import ContentFile

    batch = ImportBatch(original_name="p.csv", created_by=staff)
    batch.file.save("p.csv", ContentFile(csv_bytes([company_row(n) for n in range(6)])))
    importing.check_import(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=None)
    seen = []

    def look(processed):
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT heartbeat_at FROM directory_importbatch WHERE id = %s",
                    [batch.pk],
                )
                seen.append(cursor.fetchone()[0])
        finally:
            other.close()

    importing.apply_import(batch, user=staff, chunk_size=2, on_chunk=look)

    assert len(seen) == 3
    assert all(beat is not None for beat in seen)
    assert seen == sorted(seen)
    assert Organization.objects.count() == 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has a single writer"
)
def test_apply_restarted_elsewhere_stops_at_its_next_heartbeat(vocabulary, staff):
    from django.core.files.base import ContentFile

    batch = ImportBatch(original_name="p.csv", created_by=staff)
    batch.file.save("p.csv", ContentFile(csv_bytes([company_row(n) for n in range(6)])))
    importing.check_import(batch)
    chunks = []

    def restart_from_another_connection(processed):
        chunks.append(processed)
        if processed == 2:
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "UPDATE directory_importbatch SET attempt = attempt + 1 "
                        "WHERE id = %s",
                        [batch.pk],
                    )
            finally:
                other.close()

    importing.apply_import(
        batch, user=staff, chunk_size=2, on_chunk=restart_from_another_connection
    )

    batch.refresh_from_db()
    assert chunks == [2]  # the heartbeat of the next chunk found the new attempt
    assert batch.status == ImportBatch.Status.APPLYING
    assert batch.error_message_uk == batch.error_message_en == ""
    assert Organization.objects.count() == 0


def test_import_list_marks_stalled_batches(staff_client, checked_batch, make_batch):
    stall(checked_batch, ImportBatch.Status.APPLYING)
    make_batch(csv_bytes([company_row(5)]))

    response = staff_client.get(en_url("directory:import-list"))

    assert [b.stalled for b in response.context["batches"]] == [False, True]
    assert response.content.decode().count('text-bg-warning">stalled<') == 1
