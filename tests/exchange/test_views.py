import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from exchange import services
from exchange.models import Attachment, Call, Submission
from tests.exchange.conftest import make_pdf
from tests.exchange.factories import CallFactory, CriterionFactory, SubmissionFactory
from tests.factories import OrganizationFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_call_list_shows_public_calls_and_hides_drafts(client, call):
    CallFactory(phase=Call.Phase.DRAFT, title_en="Secret draft call")

    response = client.get(reverse("exchange:call-list"), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert call.title_uk in content
    assert "Secret draft" not in content


def test_call_list_shows_drafts_to_staff(client, staff):
    CallFactory(phase=Call.Phase.DRAFT, title_uk="Чернетка конкурсу")
    client.force_login(staff)

    response = client.get(reverse("exchange:call-list"))

    assert "Чернетка конкурсу" in response.content.decode()


@pytest.mark.parametrize("count", [1, 4])
def test_call_list_query_count(client, count, django_assert_max_num_queries):
    CallFactory.create_batch(count)

    with django_assert_max_num_queries(3):
        response = client.get(reverse("exchange:call-list"))

    assert len(response.context["rows"]) == count


def test_call_detail_shows_rubric_and_two_zones(client, call, submitter):
    CriterionFactory(call=call, name_uk="Вплив", weight=2, counts_toward_total=False)
    call.time_zone = "Europe/Kyiv"
    call.closes_at = datetime.datetime(2026, 12, 15, 16, 0, tzinfo=datetime.UTC)
    call.save()
    submitter.time_zone = "America/Denver"
    submitter.save()
    client.force_login(submitter)

    response = client.get(call.get_absolute_url())

    content = response.content.decode()
    assert "Вплив" in content
    assert "не враховується" in content or "shown, not counted" in content
    closes = str(response.context["closes"])
    assert "18:00" in closes
    assert "09:00" in closes


def test_deadline_in_english_names_both_places(client, call, submitter):
    call.time_zone = "Europe/Kyiv"
    call.closes_at = datetime.datetime(2026, 12, 15, 16, 0, tzinfo=datetime.UTC)
    call.save()
    submitter.time_zone = "America/Denver"
    submitter.preferred_language = "en"
    submitter.save()
    client.force_login(submitter)

    response = client.get(f"/en/exchange/calls/{call.slug}/")

    assert (
        "15 December 2026, 18:00 Kyiv time (09:00 in Albuquerque, your time)"
        in response.content.decode()
    )


def test_submit_button_only_for_eligible_editors(client, call, submitter):
    client.force_login(submitter)
    url = reverse("exchange:submission-create", kwargs={"slug": call.slug})

    assert url in client.get(call.get_absolute_url()).content.decode()
    client.force_login(UserFactory(role=Role.INVESTOR))
    assert url not in client.get(call.get_absolute_url()).content.decode()


def test_create_draft_then_submit_shows_every_missing_item(client, call, submitter):
    client.force_login(submitter)

    response = client.post(
        reverse("exchange:submission-create", kwargs={"slug": call.slug}),
        {"title_uk": "Проєкт", "asks": ["funding"], "submit": "1"},
        follow=True,
    )

    submission = Submission.objects.get()
    assert submission.status == Submission.Status.DRAFT
    assert response.redirect_chain[-1][0] == reverse(
        "exchange:submission-submit", kwargs={"pk": submission.pk}
    )
    assert len(response.context["missing"]) == 7
    assert "Сума фінансування" in response.content.decode() or response.context[
        "missing"
    ][5].startswith("The amount")


def test_submit_complete_draft(client, draft, submitter):
    client.force_login(submitter)

    response = client.post(
        reverse("exchange:submission-submit", kwargs={"pk": draft.pk})
    )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Submission.Status.SUBMITTED


def test_edit_keeps_input_on_bad_link(client, draft, submitter):
    client.force_login(submitter)

    response = client.post(
        reverse("exchange:submission-edit", kwargs={"pk": draft.pk}),
        {"title_uk": "Нова назва", "links": "not a link"},
    )

    assert response.status_code == 200
    assert 'value="Нова назва"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.title_uk == "Розумне паркування"


def test_detail_shows_provenance_and_versions(client, draft, submitter, staff):
    services.submit_submission(draft, by=submitter)
    services.add_translation(
        draft, "en", by=staff, title="Smart parking", summary="Sensors."
    )
    client.force_login(submitter)

    response = client.get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert "Smart parking" in content
    assert (
        f"Added later by {staff.get_full_name()}"
        in response.context["pairs"][0].en_note
        or "Додано пізніше" in content
    )
    assert response.context["latest_changes_url"].endswith("?from=1&to=2")


def test_detail_query_count(
    client, draft, submitter, pdf_bytes, django_assert_num_queries
):
    draft.tags.set([TagFactory(slug="robotics", name_uk="Робототехніка")])
    draft.tags.add(TagFactory(slug="ai", name_uk="Штучний інтелект"))
    services.submit_submission(draft, by=submitter)
    for name in ("b.pdf", "a.pdf"):
        services.upload_attachment(
            draft, SimpleUploadedFile(name, pdf_bytes), by=submitter
        )
    services.post_message(draft, "Question?", by=submitter)
    client.force_login(submitter)

    # Session, user, the submission with its call and phase, its documents, its
    # tags, the thread.
    with django_assert_num_queries(6):
        response = client.get(draft.get_absolute_url())

    content = response.content.decode()
    assert [a.original_name for a in response.context["attachments"]] == [
        "b.pdf",
        "a.pdf",
    ]
    assert [str(t.name) for t in response.context["tags"]] == [
        "Штучний інтелект",
        "Робототехніка",
    ]
    assert "Робототехніка" in content
    assert response.context["attachment_rows"][0]["url"] in content


def test_detail_without_tags_or_documents(client, draft, submitter):
    client.force_login(submitter)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert response.context["tags"] == []
    assert response.context["attachments"] == []


def test_diff_between_versions(client, draft, submitter):
    services.submit_submission(draft, by=submitter)
    services.update_submission(
        draft, by=submitter, solution_uk="Датчики, застосунок і карта."
    )
    client.force_login(submitter)

    response = client.get(
        reverse("exchange:submission-diff", kwargs={"pk": draft.pk}) + "?from=1&to=2"
    )

    content = response.content.decode()
    assert "<ins>" in content
    assert [c.field for c in response.context["changes"]] == ["solution_uk"]


def test_withdraw_asks_first(client, draft, submitter):
    client.force_login(submitter)
    url = reverse("exchange:submission-withdraw", kwargs={"pk": draft.pk})

    client.get(url)
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT
    client.post(url)
    draft.refresh_from_db()
    assert draft.status == Submission.Status.WITHDRAWN


def test_upload_renamed_text_shows_clear_message(client, draft, submitter):
    client.force_login(submitter)

    response = client.post(
        reverse("exchange:attachment-upload", kwargs={"pk": draft.pk}),
        {"file": SimpleUploadedFile("report.pdf", b"plain text pretending")},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert Attachment.objects.count() == 0
    messages = [str(m) for m in response.context["messages"]]
    assert any("not a PDF" in m or "не PDF" in m for m in messages)


def test_attachment_download_permission(client, draft, submitter, pdf_bytes):
    attachment = services.upload_attachment(
        draft, SimpleUploadedFile("plan.pdf", pdf_bytes), by=submitter
    )
    url = attachment.get_absolute_url()

    anonymous = client.get(url)
    client.force_login(UserFactory(role=Role.STAFF))
    staff_draft = client.get(url)
    client.force_login(submitter)
    own = client.get(url)

    assert anonymous.status_code == 302
    assert staff_draft.status_code == 404  # drafts are the organization's alone
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == pdf_bytes
    own.close()
    assert 'filename="plan.pdf"' in own["Content-Disposition"]


def test_blind_call_reviewer_sees_no_identity(
    client, draft, submitter, pdf_bytes, reviewer_of
):
    draft.call.is_blind = True
    draft.call.save()
    attachment = services.upload_attachment(
        draft, SimpleUploadedFile("Startup-plan.pdf", pdf_bytes), by=submitter
    )
    services.submit_submission(draft, by=submitter)
    services.post_message(draft, "Welcome", by=submitter)
    reviewer = reviewer_of(
        UserFactory(role=Role.REVIEWER, full_name="Rita Reviewer"), draft
    )
    services.post_message(draft, "A question", by=reviewer)
    client.force_login(reviewer)

    page = client.get(draft.get_absolute_url()).content.decode()
    download = client.get(attachment.get_absolute_url())
    download.close()

    assert draft.organization.name_uk not in page
    assert draft.organization.name_en not in page
    assert submitter.full_name not in page
    assert "Startup-plan" not in page
    assert "Rita Reviewer" not in page
    assert "Рецензент 1" in page or "Reviewer 1" in page
    assert (
        f'filename="submission-{draft.pk}-{attachment.pk}.pdf"'
        in download["Content-Disposition"]
    )


def test_blind_reviewer_gets_the_pdf_without_its_metadata(
    client, draft, submitter, reviewer_of
):
    draft.call.is_blind = True
    draft.call.save()
    signed = make_pdf("Kharkiv Robotics business plan")
    attachment = services.upload_attachment(
        draft, SimpleUploadedFile("plan.pdf", signed), by=submitter
    )
    services.submit_submission(draft, by=submitter)
    reviewer = reviewer_of(UserFactory(role=Role.REVIEWER), draft)

    client.force_login(reviewer)
    blind = client.get(attachment.get_absolute_url())
    blind_copy = b"".join(blind.streaming_content)
    client.force_login(submitter)
    own = client.get(attachment.get_absolute_url())
    own_copy = b"".join(own.streaming_content)
    own.close()

    assert PdfReader(io.BytesIO(own_copy)).metadata["/Title"] == (
        "Kharkiv Robotics business plan"
    )
    assert PdfReader(io.BytesIO(blind_copy)).metadata is None
    assert b"Kharkiv Robotics" not in blind_copy
    assert len(PdfReader(io.BytesIO(blind_copy)).pages) == 1


def test_submitter_sees_reviewer_as_number_in_blind_call(
    client, draft, submitter, reviewer_of
):
    draft.call.is_blind = True
    draft.call.save()
    services.submit_submission(draft, by=submitter)
    reviewer = reviewer_of(
        UserFactory(role=Role.REVIEWER, full_name="Rita Reviewer"), draft
    )
    services.post_message(draft, "A question", by=reviewer)
    client.force_login(submitter)

    page = client.get(
        reverse("exchange:submission-messages", kwargs={"pk": draft.pk})
    ).content.decode()

    assert "Rita Reviewer" not in page
    assert "Рецензент 1" in page or "Reviewer 1" in page


def test_page_shows_the_newest_messages_and_links_the_whole_thread(
    client, draft, submitter, reviewer_of
):
    draft.call.is_blind = True
    draft.call.save()
    services.submit_submission(draft, by=submitter)
    first = reviewer_of(UserFactory(role=Role.REVIEWER), draft)
    second = reviewer_of(UserFactory(role=Role.REVIEWER), draft)
    services.post_message(draft, "Question one from the first reviewer", by=first)
    for n in range(5):
        services.post_message(draft, f"Answer {n}", by=submitter)
    services.post_message(draft, "Question from the second reviewer", by=second)
    services.post_message(draft, "Follow-up from the first reviewer", by=first)
    client.force_login(submitter)
    thread_url = reverse("exchange:submission-messages", kwargs={"pk": draft.pk})

    page = client.get(draft.get_absolute_url())
    whole = client.get(thread_url)

    shown = page.context["thread"]
    assert [row["body"] for row in shown][-2:] == [
        "Question from the second reviewer",
        "Follow-up from the first reviewer",
    ]
    assert len(shown) == 5
    assert page.context["thread_has_earlier"]
    assert "Question one from the first reviewer" not in page.content.decode()
    assert thread_url in page.content.decode()
    assert len(whole.context["thread"]) == 8
    # The first reviewer to write is "Reviewer 1" on both pages, though the page
    # no longer shows their first message.
    labels = {row["body"]: row["author"] for row in shown}
    assert labels["Follow-up from the first reviewer"] == "Рецензент 1"
    assert labels["Question from the second reviewer"] == "Рецензент 2"
    assert whole.context["thread"][0]["author"] == "Рецензент 1"


def test_staff_flags_english_needed(client, draft, submitter, staff):
    services.submit_submission(draft, by=submitter)
    client.force_login(staff)

    client.post(
        reverse("exchange:submission-english", kwargs={"pk": draft.pk}), {"needed": "1"}
    )

    draft.refresh_from_db()
    assert draft.english_needed is True


def test_call_create_with_rubric(client, staff):
    organizer = OrganizationFactory(kind="foreign_partner", country="US")
    client.force_login(staff)
    data = {
        "organizer": organizer.pk,
        "title_en": "Albuquerque call",
        "time_zone": "America/Denver",
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-15T18:00",
        "reviews_per_submission": "3",
        "open_to_all_verified": "on",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-name_en": "Impact",
        "criteria-0-scale_min": "1",
        "criteria-0-scale_max": "5",
        "criteria-0-weight": "2",
        "criteria-0-is_required": "on",
        "criteria-0-counts_toward_total": "on",
        "criteria-0-position": "0",
        "criteria-1-scale_min": "1",
        "criteria-1-scale_max": "5",
        "criteria-1-weight": "1",
        "criteria-1-position": "0",
    }

    response = client.post(reverse("exchange:call-create"), data)

    call = Call.objects.get()
    assert response.status_code == 302
    assert call.closes_at == datetime.datetime(2026, 12, 16, 1, 0, tzinfo=datetime.UTC)
    assert [c.name_en for c in call.criteria.all()] == ["Impact"]
    assert call.phases.count() == 5


def test_call_edit_phase_switches(client, call, organizer_editor):
    client.force_login(organizer_editor)

    response = client.get(reverse("exchange:call-edit", kwargs={"slug": call.slug}))
    client.post(
        reverse("exchange:call-phase", kwargs={"slug": call.slug}), {"phase": "review"}
    )

    assert response.status_code == 200
    assert len(response.context["phases"].forms) == 5
    call.refresh_from_db()
    assert call.phase == Call.Phase.REVIEW


@pytest.mark.parametrize("count", [1, 4])
def test_my_submissions_query_count(
    client, call, startup, submitter, count, django_assert_max_num_queries
):
    SubmissionFactory.create_batch(count, call=call, organization=startup)
    client.force_login(submitter)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("exchange:my-submissions"))

    assert len(response.context["page_obj"].object_list) == count


@pytest.mark.parametrize("count", [1, 4])
def test_call_submissions_query_count(
    client, call, staff, count, django_assert_max_num_queries
):
    SubmissionFactory.create_batch(count, call=call, status=Submission.Status.SUBMITTED)
    SubmissionFactory(call=call)  # a draft: never listed for staff
    client.force_login(staff)

    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("exchange:call-submissions", kwargs={"slug": call.slug})
        )

    assert len(response.context["page_obj"].object_list) == count


def test_draft_closed_call_has_no_submit(client, call, submitter):
    call.closes_at = timezone.now() - datetime.timedelta(hours=1)
    call.save()
    client.force_login(submitter)

    response = client.get(
        reverse("exchange:submission-create", kwargs={"slug": call.slug})
    )

    assert response.status_code == 403
