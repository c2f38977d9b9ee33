import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.models import Role
from core.models import AuditEntry
from exchange import services
from exchange.models import Attachment, Call, CallPhase, Submission
from tests.exchange.factories import SubmissionFactory
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read messages in English (the catalogue has Ukrainian ones too)."""
    with translation.override("en"):
        yield


def test_create_call_makes_every_phase_and_a_slug(staff):
    organizer = OrganizationFactory(kind="foreign_partner", country="US")

    call = services.create_call(
        by=staff,
        organizer=organizer,
        title_en="Smart city 2027",
        time_zone="America/Denver",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )

    assert call.slug == "smart-city-2027"
    assert call.phase == Call.Phase.DRAFT
    assert sorted(call.phases.values_list("phase", flat=True)) == sorted(
        Call.Phase.values
    )
    assert call.active_settings().submitters_can_edit is True


def test_create_call_rejects_close_before_open(staff):
    organizer = OrganizationFactory()

    with pytest.raises(ValidationError) as error:
        services.create_call(
            by=staff,
            organizer=organizer,
            title_uk="Конкурс",
            opens_at=timezone.now(),
            closes_at=timezone.now() - datetime.timedelta(days=1),
        )

    assert "closes_at" in error.value.message_dict


def test_create_call_is_for_staff_only(editor, organization):
    with pytest.raises(PermissionDenied):
        services.create_call(by=editor, organizer=organization, title_uk="X")


def test_organizer_editor_updates_call(call, organizer_editor):
    services.update_call(call, by=organizer_editor, title_en="Renamed")

    call.refresh_from_db()
    assert call.title_en == "Renamed"


def test_advance_phases_switches_once_and_only_forward(call):
    now = timezone.now()
    CallPhase.objects.filter(call=call, phase=Call.Phase.REVIEW).update(
        starts_at=now - datetime.timedelta(hours=2)
    )
    CallPhase.objects.filter(call=call, phase=Call.Phase.DECISION).update(
        starts_at=now + datetime.timedelta(days=1)
    )

    switched = services.advance_phases(now)
    again = services.advance_phases(now)
    call.refresh_from_db()

    assert [c.pk for c in switched] == [call.pk]
    assert again == []
    assert call.phase == Call.Phase.REVIEW
    # Staff move it back by hand: the automatic switch does not fight them.
    services.set_phase(call, Call.Phase.SUBMISSION, by=UserFactory(role=Role.STAFF))
    assert services.advance_phases(now) == []
    later = services.advance_phases(now + datetime.timedelta(days=2))
    call.refresh_from_db()
    assert [c.pk for c in later] == [call.pk]
    assert call.phase == Call.Phase.DECISION


def test_advance_call_phases_command(call, capsys):
    CallPhase.objects.filter(call=call, phase=Call.Phase.REVIEW).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    call_command("advance_call_phases")

    call.refresh_from_db()
    assert call.phase == Call.Phase.REVIEW
    assert "Switched 1 call(s)." in capsys.readouterr().out


def test_create_submission_records_submitter_provenance(call, startup, submitter):
    submission = services.create_submission(
        call, startup, by=submitter, title_uk="Проєкт", summary_uk="Коротко"
    )

    assert submission.status == Submission.Status.DRAFT
    assert submission.provenance["title_uk"]["origin"] == "submitter"
    assert submission.provenance["title_uk"]["by"] == submitter.pk
    assert "title_en" not in submission.provenance


def test_create_submission_refuses_ineligible_organization(call, submitter, startup):
    call.open_to_all_verified = False
    call.save()

    with pytest.raises(PermissionDenied):
        services.create_submission(call, startup, by=submitter, title_uk="X")


def test_create_submission_listed_organization_is_eligible(call, submitter, startup):
    call.open_to_all_verified = False
    call.save()
    call.eligible_organizations.add(startup)

    submission = services.create_submission(call, startup, by=submitter, title_uk="X")

    assert submission.organization == startup


def test_submit_lists_every_missing_item(call, startup, submitter):
    submission = services.create_submission(
        call, startup, by=submitter, title_uk="Проєкт", asks=["funding"]
    )

    with pytest.raises(ValidationError) as error:
        services.submit_submission(submission, by=submitter)

    assert error.value.messages == [
        "A summary in Ukrainian or English.",
        "The problem the project solves.",
        "The solution.",
        "The team.",
        "The stage of the project.",
        "The amount of funding you ask for.",
        "The currency of the funding.",
    ]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


def test_submit_title_and_summary_in_different_languages_is_incomplete(draft):
    draft.summary_uk = ""
    draft.summary_en = "Summary"

    missing = services.missing_items(draft)

    assert missing == ["The title and the summary in the same language."]


def test_submit_makes_version_one(draft, submitter):
    services.submit_submission(draft, by=submitter)

    draft.refresh_from_db()
    assert draft.status == Submission.Status.SUBMITTED
    assert draft.version == 1
    version = draft.versions.get()
    assert version.number == 1
    assert version.content["title_uk"] == "Розумне паркування"
    assert version.content["funding_amount"] == "50000.00"
    assert AuditEntry.objects.filter(action="exchange.submission_submitted").exists()


def test_submit_after_close_is_refused(draft, submitter, call):
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()

    with pytest.raises(PermissionDenied):
        services.submit_submission(draft, by=submitter)


def test_edit_submitted_makes_new_version_and_keeps_it_complete(draft, submitter):
    services.submit_submission(draft, by=submitter)

    services.update_submission(draft, by=submitter, solution_uk="Нові датчики.")
    with pytest.raises(ValidationError):
        services.update_submission(draft, by=submitter, team_uk="")

    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.team_uk == "П'ять інженерів."
    assert [v.number for v in draft.versions.all()] == [1, 2]


def test_edit_refused_when_phase_forbids(draft, submitter, call):
    services.submit_submission(draft, by=submitter)
    call.phase = Call.Phase.REVIEW
    call.save()

    with pytest.raises(PermissionDenied):
        services.update_submission(draft, by=submitter, solution_uk="Інше")


def test_edit_allowed_when_phase_switch_allows(draft, submitter, call):
    services.submit_submission(draft, by=submitter)
    call.phase = Call.Phase.REVIEW
    call.save()
    CallPhase.objects.filter(call=call, phase=Call.Phase.REVIEW).update(
        submitters_can_edit=True
    )
    call = Call.objects.get(pk=call.pk)
    draft = Submission.objects.get(pk=draft.pk)

    services.update_submission(draft, by=submitter, solution_uk="Інше")

    assert draft.version == 2


def test_withdraw_any_time(draft, submitter, call):
    services.submit_submission(draft, by=submitter)
    call.phase = Call.Phase.DECISION
    call.save()

    services.withdraw_submission(draft, by=submitter)

    draft.refresh_from_db()
    assert draft.status == Submission.Status.WITHDRAWN
    with pytest.raises(PermissionDenied):
        services.withdraw_submission(draft, by=submitter)


def test_withdraw_by_outsider_refused(draft):
    with pytest.raises(PermissionDenied):
        services.withdraw_submission(draft, by=UserFactory(role=Role.EDITOR))


def test_english_needed_mails_the_submitters(
    draft, submitter, staff, django_capture_on_commit_callbacks
):
    services.submit_submission(draft, by=submitter)
    submitter.preferred_language = "en"
    submitter.save()

    with pytest.raises(PermissionDenied):
        services.set_english_needed(draft, True, by=submitter)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_english_needed(draft, True, by=staff)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["founder@example.org"]
    assert mail.outbox[0].subject == 'English needed for "Розумне паркування"'
    assert f"/exchange/submissions/{draft.pk}/" in mail.outbox[0].body


def test_add_translation_later_records_who(draft, submitter, staff):
    services.submit_submission(draft, by=submitter)
    services.set_english_needed(draft, True, by=staff)

    services.add_translation(
        draft, "en", by=staff, title="Smart parking", summary="Parking sensors."
    )

    draft.refresh_from_db()
    assert draft.provenance["title_en"]["origin"] == "added"
    assert draft.provenance["title_en"]["by"] == staff.pk
    assert "title_uk" not in draft.provenance  # made by the factory, not a person
    assert draft.english_needed is False
    assert draft.languages() == {"uk", "en"}
    assert draft.version == 2


def test_add_translation_by_outsider_refused(draft, submitter):
    services.submit_submission(draft, by=submitter)

    with pytest.raises(PermissionDenied):
        services.add_translation(
            draft, "en", by=UserFactory(role=Role.EDITOR), title="X"
        )


def test_languages_needs_title_and_summary():
    submission = Submission(title_uk="Т", summary_uk="", title_en="T", summary_en="S")

    assert submission.languages() == {"en"}


def test_upload_pdf_stored_privately(draft, submitter, pdf_bytes, settings):
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes, "application/pdf")

    attachment = services.upload_attachment(draft, upload, by=submitter)

    assert attachment.original_name == "plan.pdf"
    assert attachment.size == len(pdf_bytes)
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    with attachment.file.open("rb") as handle:
        assert handle.read() == pdf_bytes


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00 an exe", b"just some text, named like a PDF"],
)
def test_upload_renamed_file_rejected_by_content(draft, submitter, content):
    upload = SimpleUploadedFile("plan.pdf", content, "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.upload_attachment(draft, upload, by=submitter)

    assert error.value.messages == [
        "This file is not a PDF (its content says otherwise, whatever its name). "
        "Upload a PDF document."
    ]
    assert Attachment.objects.count() == 0


def test_upload_damaged_pdf_rejected(draft, submitter):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\nnot really", "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.upload_attachment(draft, upload, by=submitter)

    assert error.value.messages == ["This PDF is damaged and cannot be opened."]


def test_upload_over_20_mb_rejected(draft, submitter, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 10)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.7 and more", "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.upload_attachment(draft, upload, by=submitter)

    assert error.value.messages == ["The file is larger than 20 MB."]


def test_delete_attachment_removes_file(
    draft, submitter, pdf_bytes, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes, "application/pdf")
    attachment = services.upload_attachment(draft, upload, by=submitter)
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_attachment(attachment, by=submitter)

    assert not storage.exists(name)
    assert Attachment.objects.count() == 0


def test_post_message_marks_reviewers(draft, submitter, reviewer_of):
    services.submit_submission(draft, by=submitter)
    reviewer = reviewer_of(UserFactory(role=Role.REVIEWER), draft)

    question = services.post_message(draft, "How many sensors?", by=reviewer)
    answer = services.post_message(draft, "Two hundred.", by=submitter)

    assert question.is_from_reviewer is True
    assert answer.is_from_reviewer is False
    with pytest.raises(PermissionDenied):
        services.post_message(draft, "Hi", by=UserFactory(role=Role.REVIEWER))


def test_funding_not_asked_needs_no_amount(call, startup, submitter):
    submission = SubmissionFactory(
        call=call,
        organization=startup,
        asks=["mentoring"],
        funding_amount=None,
        funding_currency="",
    )

    assert services.missing_items(submission) == []
    assert submission.funding_amount is None
    assert Decimal("1") > 0


def test_advance_call_phases_task(call):
    from exchange.tasks import advance_call_phases_task

    CallPhase.objects.filter(call=call, phase=Call.Phase.REVIEW).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    switched = advance_call_phases_task.apply().get()

    call.refresh_from_db()
    assert switched == 1
    assert call.phase == Call.Phase.REVIEW
