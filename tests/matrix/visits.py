"""Permission-matrix rows of the `visits` app (see tests/matrix/__init__.py).

A planned, non-public delegation visit hosted by the world's staff inviter. The
world's organization (edited by the Role.EDITOR subject) is invited and hosts one
item that began an hour ago; the Role.INVESTOR subject is a member of the
delegation. Everyone else (city officer, reviewer, an editor elsewhere) gets 404:
nobody else sees a non-public visit."""

import datetime as dt

from django.utils import timezone

from accounts.models import Role
from tests.factories import OrganizationFactory, UserFactory
from tests.matrix.base import (
    ANONYMOUS,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    STAFF,
    Row,
    everyone,
    only,
    signed_in,
)
from visits.models import FollowUp, ProgrammeItem, Visit, VisitInvitation, VisitMember


def build(world) -> None:
    now = timezone.now()
    visit = Visit.objects.create(
        organization=OrganizationFactory(country="US", kind="foreign_partner"),
        title_uk="Візит",
        title_en="Visit",
        starts_on=timezone.localdate(now) - dt.timedelta(days=1),
        ends_on=timezone.localdate(now) + dt.timedelta(days=1),
        host=world.extra["inviter"],
        status=Visit.Status.PLANNED,
    )
    item = ProgrammeItem.objects.create(
        visit=visit,
        kind=ProgrammeItem.Kind.COMPANY_VISIT,
        title_uk="Візит до компанії",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now,
        organization=world.organization,
    )
    invitation = VisitInvitation.objects.create(
        visit=visit,
        organization=world.organization,
        starts_at=now + dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=3),
    )
    someone = UserFactory(email="matrix-delegate@example.org", role=Role.INVESTOR)
    member = VisitMember.objects.create(visit=visit, user=someone)
    follow_up = FollowUp.objects.create(
        visit=visit, text="Send the NDA", owner=someone, due_on=visit.ends_on
    )
    world.extra.update(
        visit=visit,
        visit_item=item,
        visit_invitation=invitation,
        visit_member=member,
        visit_follow_up=follow_up,
    )


def setup_actor(role, world, user) -> None:
    if role == Role.INVESTOR:
        VisitMember.objects.create(visit=world.extra["visit"], user=user)


def visit(world) -> dict:
    return {"pk": world.extra["visit"].pk}


def item(world) -> dict:
    return {"pk": world.extra["visit"].pk, "item_pk": world.extra["visit_item"].pk}


def invitation(world) -> dict:
    return {
        "pk": world.extra["visit"].pk,
        "invitation_pk": world.extra["visit_invitation"].pk,
    }


def member(world) -> dict:
    return {"pk": world.extra["visit"].pk, "member_pk": world.extra["visit_member"].pk}


def follow_up(world) -> dict:
    return {
        "pk": world.extra["visit"].pk,
        "follow_up_pk": world.extra["visit_follow_up"].pk,
    }


def staff_only(outcome) -> dict:
    """Staff act; the member and the invited editor see the visit but may not act;
    everyone else gets 404."""
    return {
        **everyone(NOT_FOUND),
        ANONYMOUS: LOGIN,
        Role.EDITOR: FORBIDDEN,
        Role.INVESTOR: FORBIDDEN,
        **dict.fromkeys(STAFF, outcome),
    }


def who_sees(outcome, *, editor=None, member=None) -> dict:
    """Staff, the invited editor and the member get `outcome` unless told."""
    return {
        **everyone(NOT_FOUND),
        ANONYMOUS: LOGIN,
        **dict.fromkeys(STAFF, outcome),
        Role.EDITOR: outcome if editor is None else editor,
        Role.INVESTOR: outcome if member is None else member,
    }


ROWS: list[Row] = [
    Row("visits:visit-list", only(STAFF, OK)),
    Row("visits:visit-list", signed_in(NOT_ALLOWED), method="post"),
    Row("visits:my-visits", signed_in(OK)),
    Row("visits:visit-create", only(STAFF, OK)),
    Row("visits:visit-detail", who_sees(OK), kwargs=visit),
    Row("visits:visit-edit", staff_only(OK), kwargs=visit),
    Row("visits:visit-status", staff_only(REDIRECT), kwargs=visit, method="post"),
    Row("visits:visit-status", signed_in(NOT_ALLOWED), kwargs=visit),
    Row("visits:visit-members", staff_only(OK), kwargs=visit),
    Row("visits:member-remove", staff_only(REDIRECT), kwargs=member, method="post"),
    Row("visits:item-create", staff_only(OK), kwargs=visit),
    Row("visits:item-edit", staff_only(OK), kwargs=item),
    Row("visits:item-cancel", staff_only(REDIRECT), kwargs=item, method="post"),
    Row("visits:item-outcome", who_sees(OK), kwargs=item),
    Row("visits:visit-proposal", staff_only(OK), kwargs=visit),
    Row("visits:visit-b2b", staff_only(OK), kwargs=visit),
    Row("visits:visit-invitations", who_sees(OK, member=FORBIDDEN), kwargs=visit),
    Row(
        "visits:invitation-accept",
        who_sees(FORBIDDEN, editor=REDIRECT, member=NOT_FOUND),
        kwargs=invitation,
        method="post",
    ),
    Row(
        "visits:invitation-decline",
        who_sees(FORBIDDEN, editor=REDIRECT, member=NOT_FOUND),
        kwargs=invitation,
        method="post",
    ),
    Row("visits:invitation-accept", signed_in(NOT_ALLOWED), kwargs=invitation),
    Row("visits:visit-disruption", staff_only(OK), kwargs=visit),
    Row("visits:programme-pdf", who_sees(OK), kwargs=visit),
    Row("visits:visit-report", who_sees(OK, editor=FORBIDDEN), kwargs=visit),
    Row("visits:report-pdf", who_sees(OK, editor=FORBIDDEN), kwargs=visit),
    Row(
        "visits:follow-up-create",
        staff_only(REDIRECT),
        kwargs=visit,
        method="post",
    ),
    Row(
        "visits:follow-up-done",
        who_sees(REDIRECT, editor=NOT_FOUND, member=NOT_FOUND),
        kwargs=follow_up,
        method="post",
    ),
]
