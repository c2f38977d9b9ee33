import datetime

import pytest

from meetings import services
from meetings.models import MeetingRequest, SessionParticipant
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.meetings.factories import (
    B2BSessionFactory,
    MeetingRequestFactory,
    SessionParticipantFactory,
)


@pytest.fixture
def kyiv_user(db):
    return UserFactory(email="olena@example.org", time_zone="Europe/Kyiv")


@pytest.fixture
def denver_user(db):
    return UserFactory(
        email="jim@example.com", time_zone="America/Denver", preferred_language="en"
    )


@pytest.fixture
def pending(kyiv_user, denver_user):
    """Jim (Denver) asked Olena (Kyiv) for a meeting."""
    return MeetingRequestFactory(requester=denver_user, recipient=kyiv_user)


@pytest.fixture
def b2b(organization, editor):
    """A session on the organization's event: 3 slots, 1 table, 2 delegates, 3 locals,
    everyone available everywhere, and four accepted requests (one across-rule-breaker).
    """
    session = B2BSessionFactory(event__organizer=organization)
    start = session.event.starts_at
    slots = services.add_slots(
        session, by=editor, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    services.add_tables(session, by=editor, count=1)
    delegates = [
        SessionParticipantFactory(
            session=session,
            user=UserFactory(time_zone="America/Denver"),
            group=SessionParticipant.Group.DELEGATION,
        )
        for _ in range(2)
    ]
    locals_ = []
    for _ in range(3):
        company = OrganizationFactory()
        person = UserFactory()
        MembershipFactory(user=person, organization=company)
        locals_.append(
            SessionParticipantFactory(
                session=session, user=person, organization=company
            )
        )
    for participant in delegates + locals_:
        services.set_availability(
            participant, by=editor, slot_ids=[s.pk for s in slots]
        )
    requests = [
        MeetingRequestFactory(
            requester=d.user,
            recipient=local.user,
            event=session.event,
            status=MeetingRequest.Status.ACCEPTED,
        )
        for d, local in [
            (delegates[0], locals_[0]),
            (delegates[0], locals_[1]),
            (delegates[1], locals_[2]),
        ]
    ]
    # Two locals may not meet each other under the "across groups" rule.
    forbidden = MeetingRequestFactory(
        requester=locals_[0].user,
        recipient=locals_[1].user,
        event=session.event,
        status=MeetingRequest.Status.ACCEPTED,
    )
    return {
        "session": session,
        "slots": slots,
        "delegates": delegates,
        "locals": locals_,
        "requests": requests,
        "forbidden": forbidden,
    }
