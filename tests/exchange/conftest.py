"""Fixtures of the exchange tests: private files in a temporary folder, a call
open for submissions and a startup editor."""

import io

import pytest

from accounts.models import Role
from tests.exchange.factories import CallFactory, SubmissionFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def call(db):
    return CallFactory()


@pytest.fixture
def startup(db):
    return OrganizationFactory(kind="startup", name_uk="Стартап", name_en="Startup")


@pytest.fixture
def submitter(startup):
    user = UserFactory(role=Role.EDITOR, email="founder@example.org")
    MembershipFactory(user=user, organization=startup)
    return user


@pytest.fixture
def draft(call, startup, submitter):
    return SubmissionFactory(call=call, organization=startup, created_by=submitter)


@pytest.fixture
def organizer_editor(call):
    user = UserFactory(role=Role.EDITOR, email="organizer@example.org")
    MembershipFactory(user=user, organization=call.organizer)
    return user


def make_pdf(text: str = "Hello") -> bytes:
    """A tiny valid one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def pdf_bytes():
    return make_pdf()


@pytest.fixture
def reviewer_of(settings):
    """Grant a reviewer access to a submission through a stand-in hook."""
    from tests.exchange import fake_access

    settings.MIST_SUBMISSION_ACCESS_HOOKS = [
        "tests.exchange.fake_access.reviewer_can_view"
    ]
    fake_access.GRANTS.clear()

    def grant(user, submission):
        fake_access.GRANTS.add((user.pk, submission.pk))
        return user

    yield grant
    fake_access.GRANTS.clear()
