"""Download my data and delete my account (accounts.personal_data)."""

import datetime
import json
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from accounts import permissions
from accounts import personal_data as registry
from accounts.models import Invitation, Membership, Role, User
from core import audit
from core.models import AuditEntry
from directory.models import ImportBatch, ProfileRevision
from events.models import CalendarToken
from exchange.models import Attachment, Message, Submission, SubmissionVersion
from investments.models import InvestorVerification
from meetings.models import Meeting, ProposedTime
from reviews.models import (
    OutboxMessage,
    Review,
    ReviewerInvitation,
    Score,
)
from tests.events.factories import EventFactory, RegistrationFactory
from tests.exchange.factories import CriterionFactory, SubmissionFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.investments.factories import DocumentFactory, InterestFactory
from tests.matching.factories import MatchProfileFactory, NeedOfferFactory
from tests.meetings.factories import (
    MeetingFactory,
    MeetingRequestFactory,
    WorkingHoursFactory,
)
from tests.reviews.factories import (
    AssignmentFactory,
    CallReviewerFactory,
    DecisionFactory,
    ReviewFactory,
    ScoreFactory,
)

PASSWORD = "correct-horse-42"
EMAIL = "olena.private@example.org"
NAME = "Олена Приватна-Тестова"

# Kinds of record that grow with `count` in make_records(), and those that exist once
# per person (one-to-one, or one per account).
SCALED = (
    "accounts.Membership",
    "directory.ProfileRevision",
    "directory.ImportBatch",
    "exchange.Submission",
    "exchange.SubmissionVersion",
    "exchange.Attachment",
    "exchange.Message",
    "reviews.Review",
    "reviews.Score",
    "reviews.ReviewerInvitation",
    "reviews.OutboxMessage",
    "investments.ProjectDocument",
    "investments.Interest",
    "events.Registration",
    "matching.NeedOffer",
    "meetings.WorkingHours",
    "meetings.MeetingRequest",
    "meetings.Meeting",
    "meetings.ProposedTime",
    "admin.LogEntry",
)
SINGLE = (
    "accounts.Invitation",
    "reviews.CallReviewer",
    "investments.InvestorVerification",
    "matching.MatchProfile",
)


def make_records(person: User, count: int) -> dict:
    """`count` records of every kind Mist holds about `person`, written the way the
    app writes them, with the copies of their name and e-mail Mist makes itself."""
    staff = UserFactory(role=Role.STAFF, email=f"staff-{person.pk}@example.org")
    invitation = Invitation.objects.create(
        email=person.email,
        role=person.role,
        invited_by=staff,
        accepted_by=person,
        accepted_at=timezone.now(),
    )
    audit.record("invitation.sent", invitation, actor=staff, email=person.email)
    criterion = None
    reviewer = None
    for i in range(count):
        organization = OrganizationFactory()
        MembershipFactory(user=person, organization=organization, title="CTO")
        audit.record("organization.updated", organization, actor=person)
        ProfileRevision.objects.create(
            organization=organization,
            proposed_by=person,
            base_version=1,
            changes={"description_en": "New text"},
        )
        ImportBatch.objects.create(
            file=ContentFile(b"name\nA\n", name="partners.csv"),
            original_name=f"partners-{i}.csv",
            created_by=person,
        )
        submission = SubmissionFactory(
            organization=organization,
            created_by=person,
            provenance={
                "summary_en": {
                    "origin": "submitter",
                    "by": person.pk,
                    "by_name": person.full_name,
                    "at": "2026-11-01T10:00:00+00:00",
                }
            },
        )
        SubmissionVersion.objects.create(
            submission=submission, number=1, content={}, created_by=person
        )
        Attachment.objects.create(
            submission=submission,
            file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
            original_name=f"plan-{i}.pdf",
            size=13,
            uploaded_by=person,
        )
        Message.objects.create(
            submission=submission, author=person, body=f"Our answer {i}."
        )
        if reviewer is None:
            reviewer = CallReviewerFactory(user=person, call=submission.call)
            criterion = CriterionFactory(call=submission.call)
        assignment = AssignmentFactory(
            call_reviewer=reviewer,
            submission=SubmissionFactory(
                call=submission.call, status=Submission.Status.SUBMITTED
            ),
        )
        review = ReviewFactory(assignment=assignment)
        ScoreFactory(review=review, criterion=criterion, value=4)
        ReviewerInvitation.objects.create(
            call=submission.call, email=person.email, user=person, invited_by=staff
        )
        decision = DecisionFactory(submission=submission)
        OutboxMessage.objects.create(
            decision=decision,
            to=person.email,
            subject="Decision",
            body=f"Dear {person.full_name}, your project is accepted.",
        )
        DocumentFactory(uploaded_by=person)
        InterestFactory(investor=person)
        RegistrationFactory(user=person, event=EventFactory())
        NeedOfferFactory(organization=organization, created_by=person)
        WorkingHoursFactory(user=person, weekday=i)
        meeting = MeetingFactory(request=MeetingRequestFactory(requester=person))
        ProposedTime.objects.create(
            request=meeting.request,
            proposed_by=person,
            starts_at=timezone.now() + datetime.timedelta(days=2),
            ends_at=timezone.now() + datetime.timedelta(days=2, hours=1),
        )
        LogEntry.objects.create(
            user=person,
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(person.pk),
            object_repr=str(person),
            action_flag=CHANGE,
            change_message=f"Changed {person.email}",
        )
    InvestorVerification.objects.create(user=person)
    MatchProfileFactory(user=person, about_en="Looking for pilots.")
    Token.objects.create(user=person)
    CalendarToken.objects.create(user=person)
    AccessAttempt.objects.create(
        username=person.email,
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/uk/accounts/login/",
        get_data="",
        post_data=f"username={person.email}",
        failures_since_start=1,
    )
    return {"staff": staff, "reviewer": reviewer}


@pytest.fixture
def person(db):
    return UserFactory(
        email=EMAIL, full_name=NAME, role=Role.EDITOR, preferred_language="en"
    )


@pytest.fixture
def other(db):
    """Someone else, whose records must come through every deletion untouched."""
    return UserFactory(email="taras@example.org", full_name="Тарас Інший")


def _download(client) -> dict:
    response = client.post(reverse("accounts:my-data-download"))
    assert response.status_code == 200
    response.body = b"".join(response.streaming_content).decode()
    return response, json.loads(response.body)


# The registry.


def test_every_reference_to_a_user_is_decided():
    assert registry.uncovered_references() == []


def test_every_rule_names_an_existing_model_and_lookup():
    for rule in registry.RULES:
        model = apps.get_model(rule.model)
        assert rule.erase in (
            registry.KEEP,
            registry.DELETE,
            registry.UPDATE,
            registry.REPLACE_EMAIL,
        )
        for lookup in rule.via:
            # Raises FieldError for a lookup that no longer exists.
            str(model._base_manager.filter(**{f"{lookup}__isnull": True}).query)
        for name in rule.export:
            if name != "url":
                model._meta.get_field(name)
    exported = [rule.model for rule in registry.RULES if rule.export]
    assert len(exported) == len(set(exported))


def test_a_new_model_referring_to_users_fails_until_it_is_decided():
    attrs = {
        "__module__": __name__,
        "owner": models.ForeignKey(User, on_delete=models.CASCADE, related_name="+"),
        "Meta": type("Meta", (), {"app_label": "accounts"}),
    }
    try:
        models.Model.__class__("PersonalNote", (models.Model,), attrs)

        assert registry.uncovered_references() == ["accounts.PersonalNote.owner"]
    finally:
        del apps.all_models["accounts"]["personalnote"]
        apps.clear_cache()
    assert registry.uncovered_references() == []


# Permissions.


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("accounts:my-data", "get"),
        ("accounts:my-data-download", "post"),
        ("accounts:account-delete", "get"),
        ("accounts:account-delete", "post"),
    ],
)
def test_anonymous_is_sent_to_sign_in(client, db, name, method):
    url = reverse(name)

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_is_sent_to_sign_in_from_the_admin_delete(client, other):
    response = client.get(reverse("accounts:user-delete", args=[other.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_a_platform_admin_deletes_someone_else(client, other, role):
    actor = UserFactory(role=role)
    client.force_login(actor)

    get = client.get(reverse("accounts:user-delete", args=[other.pk]))
    post = client.post(
        reverse("accounts:user-delete", args=[other.pk]), {"email": other.email}
    )

    assert (get.status_code, post.status_code) == (403, 403)
    other.refresh_from_db()
    assert other.email == "taras@example.org"
    assert other.anonymised_at is None


@pytest.mark.parametrize(
    ("actor", "target", "export", "delete"),
    [
        ("person", "person", True, True),
        ("person", "other", False, False),
        ("admin", "other", False, True),
        ("admin", "admin", True, True),
        ("staff", "other", False, False),
        ("anonymous", "other", False, False),
    ],
)
def test_personal_data_predicates(person, other, actor, target, export, delete):
    from django.contrib.auth.models import AnonymousUser

    people = {
        "person": person,
        "other": other,
        "admin": UserFactory(role=Role.ADMIN),
        "staff": UserFactory(role=Role.STAFF),
        "anonymous": AnonymousUser(),
    }
    user = people[actor]
    subject = user if actor == target else people[target]

    assert permissions.can_export_personal_data(user, subject) is export
    assert permissions.can_delete_account(user, subject) is delete


# Download my data.


def test_my_data_page_is_in_the_personal_menu(client, person):
    client.force_login(person)

    page = client.get(reverse("accounts:my-data"))

    assert page.status_code == 200
    assert reverse("accounts:my-data").encode() in page.content
    assert reverse("accounts:my-data-download").encode() in page.content
    assert reverse("accounts:account-delete").encode() in page.content


def test_export_contains_each_kind_of_record(client, person, other):
    make_records(person, 1)
    make_records(other, 1)
    client.force_login(person)

    response, data = _download(client)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mist-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    assert data["format"] == "mist-personal-data/1"
    assert data["person"]["email"] == EMAIL
    assert data["person"]["full_name"] == NAME
    records = data["records"]
    for label in SCALED + SINGLE:
        assert len(records[label]) == 1, label
    review = Review.objects.get(assignment__call_reviewer__user=person)
    assert records["reviews.Review"][0]["comments_to_submitters"] == (
        review.comments_to_submitters
    )
    assert records["reviews.Score"][0]["value"] == 4
    assert records["exchange.Message"][0]["body"] == "Our answer 0."
    assert records["matching.MatchProfile"][0]["about_en"] == "Looking for pilots."
    assert records["investments.Interest"][0]["amount"] == "500000.00"
    assert "officer_note" not in records["investments.Interest"][0]
    # The audit log lists the person's actions, this download included.
    assert [e["action"] for e in records["core.AuditEntry"]] == [
        "organization.updated",
        "user.data_exported",
    ]
    attachment = Attachment.objects.get(uploaded_by=person)
    assert records["exchange.Attachment"][0]["url"] == registry.absolute_url(
        attachment.get_absolute_url()
    )
    # Nothing of the other person's, and no secrets.
    text = response.body
    assert "taras@example.org" not in text
    assert Token.objects.get(user=person).key not in text
    assert CalendarToken.objects.get(user=person).token not in text
    entry = AuditEntry.objects.get(action="user.data_exported")
    assert (entry.actor, entry.object_id) == (person, str(person.pk))


def test_export_links_open_the_files_through_permission_checked_views(client, person):
    make_records(person, 1)
    client.force_login(person)
    _, data = _download(client)
    url = data["records"]["exchange.Attachment"][0]["url"]
    path = url.removeprefix(registry.absolute_url(""))

    own = client.get(path)
    client.logout()
    anonymous = client.get(path)

    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"%PDF-1.4 plan"
    assert anonymous.status_code in (302, 404)


@pytest.mark.parametrize("count", [1, 3])
def test_export_query_count(client, person, count, django_assert_num_queries):
    make_records(person, count)
    client.force_login(person)

    # Session and user, one query per kind of record, the audit entry.
    with django_assert_num_queries(2 + len(exported_rules()) + 1):
        _, data = _download(client)

    for label in SCALED:
        assert len(data["records"][label]) == count, label
    assert len(data["records"]["core.AuditEntry"]) == count + 1


def exported_rules():
    return [rule for rule in registry.active_rules() if rule.export]


# Delete my account.


def _text_columns():
    """Every text, e-mail and JSON column of every model, to look for leftovers."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField | models.JSONField):
                yield model, f


def _mentions(needle: str) -> list[str]:
    found = []
    needle = needle.lower()
    for model, f in _text_columns():
        for pk, value in model._base_manager.values_list("pk", f.attname):
            text = (
                value
                if isinstance(value, str)
                else json.dumps(value, ensure_ascii=False)
            )
            if needle in (text or "").lower():
                found.append(f"{model._meta.label}.{f.name}#{pk}")
    return found


def _figures():
    """What dashboards count: reviews and their scores, memberships of others…"""
    return {
        "reviews": Review.objects.count(),
        "submitted": Review.objects.filter(status=Review.Status.SUBMITTED).count(),
        "scores": Score.objects.count(),
        "score_total": Score.objects.aggregate(total=Sum("value"))["total"],
        "submissions": Submission.objects.count(),
        "messages": Message.objects.count(),
        "meetings": Meeting.objects.count(),
        "users": User.objects.count(),
    }


def test_delete_own_account_anonymises_the_person(
    client, person, other, django_capture_on_commit_callbacks
):
    make_records(person, 2)
    make_records(other, 1)
    other_before = {
        "memberships": list(Membership.objects.filter(user=other).values()),
        "reviews": list(
            Review.objects.filter(assignment__call_reviewer__user=other).values()
        ),
        "token": Token.objects.get(user=other).key,
        "user": User.objects.filter(pk=other.pk).values().get(),
    }
    figures = _figures()
    audit_before = dict(AuditEntry.objects.values_list("pk", "actor_id"))
    assert _mentions(EMAIL)
    assert _mentions(NAME)
    elsewhere = Client()
    elsewhere.force_login(person)
    client.force_login(person)

    page = client.get(reverse("accounts:account-delete"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:account-delete"), {"email": EMAIL.upper()}
        )

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    person.refresh_from_db()
    assert person.email == f"deleted-user-{person.pk}@deleted.invalid"
    assert person.anonymised_at is not None
    assert not person.is_active
    assert not person.has_usable_password()
    # Nothing names the person any more.
    assert _mentions(EMAIL) == []
    assert _mentions(NAME) == []
    assert not AccessAttempt.objects.filter(username__iexact=EMAIL).exists()
    # They cannot sign in, and every session and token has ended.
    sign_in = client.post(
        reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD}
    )
    assert sign_in.status_code == 200
    assert "_auth_user_id" not in client.session
    assert elsewhere.get(reverse("accounts:me")).status_code == 302
    assert not Token.objects.filter(user=person).exists()
    assert not CalendarToken.objects.filter(user=person).exists()
    assert not Membership.objects.filter(user=person).exists()
    # Reviews, scores and counts stay; the audit log keeps every entry and actor.
    assert _figures() == figures
    assert Review.objects.filter(assignment__call_reviewer__user=person).count() == 2
    after = dict(AuditEntry.objects.values_list("pk", "actor_id"))
    assert {pk: after[pk] for pk in audit_before} == audit_before
    # New entries: the upcoming event places and open meeting requests the person
    # gave up on the way out, and the deletion itself.
    assert sorted(
        AuditEntry.objects.exclude(pk__in=audit_before).values_list("action", flat=True)
    ) == [
        "event.registration_cancelled",
        "event.registration_cancelled",
        "meetings.request_cancelled",
        "meetings.request_cancelled",
        "user.anonymised",
    ]
    assert AuditEntry.objects.get(action="user.anonymised").details == {"by_self": True}
    # Someone else's data is untouched.
    assert (
        list(Membership.objects.filter(user=other).values())
        == (other_before["memberships"])
    )
    assert (
        list(Review.objects.filter(assignment__call_reviewer__user=other).values())
        == other_before["reviews"]
    )
    assert Token.objects.get(user=other).key == other_before["token"]
    assert User.objects.filter(pk=other.pk).values().get() == other_before["user"]
    # The confirmation goes to the old address, in the person's language.
    assert [m.subject for m in mail.outbox if m.to == [EMAIL]] == [
        "Your Mist account is deleted"
    ]


def test_deleted_person_is_named_in_both_languages(client, person):
    make_records(person, 1)
    staff = UserFactory(role=Role.ADMIN)
    client.force_login(person)
    client.post(reverse("accounts:account-delete"), {"email": EMAIL})
    person.refresh_from_db()
    review = Review.objects.get(assignment__call_reviewer__user=person)
    client.force_login(staff)

    pages = {}
    for language in ("uk", "en"):
        with translation.override(language):
            url = reverse(
                "reviews:submission-reviews", args=[review.assignment.submission_id]
            )
            pages[language] = client.get(url).content.decode()
            assert (
                str(person)
                == {
                    "uk": f"Видалений користувач #{person.pk}",
                    "en": f"Deleted user #{person.pk}",
                }[language]
            )

    assert f"Видалений користувач #{person.pk}" in pages["uk"]
    assert f"Deleted user #{person.pk}" in pages["en"]
    assert review.comments_to_submitters in pages["en"]
    # Pages that read the stored column show both languages.
    assert person.full_name == (
        f"Видалений користувач #{person.pk} / Deleted user #{person.pk}"
    )


def test_users_page_marks_a_deleted_account(client, person):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(person)
    client.post(reverse("accounts:account-delete"), {"email": EMAIL})
    client.force_login(admin)

    with translation.override("en"):
        page = client.get(reverse("accounts:user-list")).content.decode()

    assert f"Deleted user #{person.pk}" in page
    assert f"deleted-user-{person.pk}@deleted.invalid" in page


def test_delete_with_a_wrong_email_changes_nothing(client, person):
    client.force_login(person)

    response = client.post(
        reverse("accounts:account-delete"), {"email": "someone@example.org"}
    )

    assert response.status_code == 200
    assert (
        "Це не адреса електронної пошти облікового запису; нічого не видалено."
        in response.content.decode()
    )
    person.refresh_from_db()
    assert (person.email, person.anonymised_at) == (EMAIL, None)
    assert mail.outbox == []


def test_admin_deletes_an_account_on_request(
    client, person, other, django_capture_on_commit_callbacks
):
    admin = UserFactory(role=Role.ADMIN, preferred_language="uk")
    make_records(person, 1)
    client.force_login(admin)

    detail = client.get(reverse("accounts:user-detail", args=[person.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user-delete", args=[person.pk]), {"email": EMAIL}
        )

    assert reverse("accounts:user-delete", args=[person.pk]).encode() in detail.content
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user-list")
    person.refresh_from_db()
    assert person.anonymised_at is not None
    entry = AuditEntry.objects.get(action="user.anonymised")
    assert (entry.actor, entry.details) == (admin, {"by_self": False})
    assert [m.subject for m in mail.outbox if m.to == [EMAIL]] == [
        "Your Mist account is deleted"
    ]
    other.refresh_from_db()
    assert other.anonymised_at is None
    # Admin's own session goes on.
    assert client.get(reverse("accounts:user-list")).status_code == 200


def test_confirmation_mail_is_in_the_persons_language(
    client, person, django_capture_on_commit_callbacks
):
    person.preferred_language = "uk"
    person.save()
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:account-delete"), {"email": EMAIL})

    assert [m.subject for m in mail.outbox] == ["Ваш обліковий запис у Mist видалено"]


def test_a_deleted_account_cannot_be_deleted_again(client, person):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(person)
    client.post(reverse("accounts:account-delete"), {"email": EMAIL})
    person.refresh_from_db()
    client.force_login(admin)

    response = client.get(reverse("accounts:user-delete", args=[person.pk]))

    assert response.status_code == 403


def test_the_last_platform_admin_cannot_delete_themself(client, db):
    admin = UserFactory(role=Role.ADMIN, email="only-admin@example.org")
    client.force_login(admin)

    with translation.override("en"):
        url = reverse("accounts:account-delete")

    response = client.post(url, {"email": "only-admin@example.org"})

    assert response.status_code == 200
    assert (
        "only-admin@example.org is the last platform admin. Make another person a "
        "platform admin first, so that someone can still run Mist."
    ) in response.content.decode()
    admin.refresh_from_db()
    assert (admin.anonymised_at, admin.is_active) == (None, True)
    assert mail.outbox == []


def test_an_admin_deletes_themself_when_another_admin_remains(client, db):
    admin = UserFactory(role=Role.ADMIN, email="admin-a@example.org")
    UserFactory(role=Role.ADMIN, email="admin-b@example.org")
    client.force_login(admin)

    response = client.post(
        reverse("accounts:account-delete"), {"email": "admin-a@example.org"}
    )

    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.anonymised_at is not None
    assert not admin.is_platform_admin


def test_deleted_user_email_is_free_for_a_new_invitation(client, person):
    client.force_login(person)
    client.post(reverse("accounts:account-delete"), {"email": EMAIL})

    assert not User.objects.filter(email__iexact=EMAIL).exists()


def test_money_fields_export_as_strings(client, person):
    InterestFactory(investor=person, amount=Decimal("12.50"))
    client.force_login(person)

    _, data = _download(client)

    assert data["records"]["investments.Interest"][0]["amount"] == "12.50"


def test_export_of_a_new_account_lists_every_kind_empty(client, person):
    client.force_login(person)

    response, data = _download(client)

    assert response["Cache-Control"] == "private, no-store"
    assert set(data) == {"format", "generated_at", "site", "person", "records"}
    assert set(data["records"]) == {rule.model for rule in exported_rules()}
    listed = {label: rows for label, rows in data["records"].items() if rows}
    assert list(listed) == ["core.AuditEntry"]
    assert [e["action"] for e in listed["core.AuditEntry"]] == ["user.data_exported"]


def test_two_factor_devices_end_with_the_account(client, person):
    """Generic over django-otp's device models, when two-factor sign-in is installed."""
    if not apps.is_installed("django_otp"):
        pytest.skip("django-otp is not installed")
    created = []
    for model in registry.device_models():
        try:
            with transaction.atomic():
                created.append(model.objects.create(user=person, name="phone"))
        except Exception:  # a device model that needs more than a name
            continue
    assert created
    client.force_login(person)

    client.post(reverse("accounts:account-delete"), {"email": EMAIL})

    for model in registry.device_models():
        assert not model._base_manager.filter(user=person).exists()


def test_the_admin_site_cannot_delete_a_user_row(rf, person):
    from django.contrib import admin

    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    request = rf.get("/")
    request.user = superuser

    assert admin.site._registry[User].has_delete_permission(request, person) is False


def test_deletion_frees_upcoming_event_places_and_keeps_past_ones(
    client, person, other, django_capture_on_commit_callbacks
):
    upcoming = EventFactory(capacity=1, status="published")
    past = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    RegistrationFactory(event=upcoming, user=person, status="confirmed")
    waiting = RegistrationFactory(event=upcoming, user=other, status="waitlisted")
    attended = RegistrationFactory(event=past, user=person, status="confirmed")
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:account-delete"), {"email": EMAIL})

    waiting.refresh_from_db()
    attended.refresh_from_db()
    assert waiting.status == "confirmed"
    assert attended.status == "confirmed"
    assert upcoming.registrations.get(user=person).status == "cancelled"


def test_deletion_calls_off_open_meeting_requests_and_keeps_past_meetings(
    client, person, other, django_capture_on_commit_callbacks
):
    pending = MeetingRequestFactory(requester=person, recipient=other)
    held = MeetingFactory(
        request=MeetingRequestFactory(
            requester=other, recipient=person, status="accepted"
        ),
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(days=1, minutes=-30),
        outcome="follow_up",
    )
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:account-delete"), {"email": EMAIL})

    pending.refresh_from_db()
    held.refresh_from_db()
    held.request.refresh_from_db()
    assert pending.status == "cancelled"
    assert (held.status, held.outcome, held.request.status) == (
        "scheduled",
        "follow_up",
        "accepted",
    )
    told = [m for m in mail.outbox if m.to == [other.email]]
    assert len(told) == 1
    assert f"#{person.pk}" in told[0].subject + told[0].body
    assert NAME not in told[0].subject + told[0].body
