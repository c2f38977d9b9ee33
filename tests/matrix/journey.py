"""Permission-matrix rows of the joined journey (see tests/matrix/__init__.py).

The world holds an initiative accepted in a published call (public on the journey
pages) and a submission whose decision is not released (404 there, and not one the
city may adopt). The project-from-submission and meeting-about rows reuse the
investments module's projects."""

from reviews.models import Decision
from tests.factories import accepted_submission
from tests.matrix.base import (
    ANONYMOUS,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Row,
    everyone,
    only,
    signed_in,
)
from tests.matrix.investments import CITY
from tests.reviews.factories import DecisionFactory


def build(world) -> None:
    world.extra.update(
        journey_accepted=accepted_submission(title_en="Matrix initiative"),
        journey_pending=DecisionFactory(status=Decision.Status.PENDING).submission,
    )


def accepted(world) -> dict:
    return {"pk": world.extra["journey_accepted"].pk}


def pending(world) -> dict:
    return {"pk": world.extra["journey_pending"].pk}


def from_submission(key):
    return lambda world: {"submission": world.extra[key].pk}


def about_project(key):
    return lambda world: {
        "organization": world.extra[key].owner_id,
        "project": world.extra[key].pk,
    }


ROWS = [
    Row("insights:journey-list", everyone(OK)),
    Row("insights:journey-list", everyone(NOT_ALLOWED), method="post"),
    Row("insights:journey-detail", everyone(OK), kwargs=accepted),
    Row("insights:journey-detail", everyone(NOT_FOUND), kwargs=pending),
    Row(
        "insights:journey-detail",
        everyone(NOT_ALLOWED),
        kwargs=accepted,
        method="post",
    ),
    # The city adopts an accepted submission as a project (the form, prefilled).
    Row(
        "investments:project-create",
        only(CITY, OK),
        data=from_submission("journey_accepted"),
        note="from-accepted-submission",
    ),
    Row(
        "investments:project-create",
        only(CITY, NOT_FOUND),
        data=from_submission("journey_pending"),
        note="from-unreleased-submission",
    ),
    # A meeting about a public project, a draft one, an accepted submission.
    Row(
        "meetings:request-create",
        signed_in(OK),
        data=about_project("inv_public"),
        note="about-public-project",
    ),
    Row(
        "meetings:request-create",
        {**signed_in(NOT_FOUND), **dict.fromkeys(CITY, OK), ANONYMOUS: LOGIN},
        data=about_project("inv_draft"),
        note="about-draft-project",
    ),
    Row(
        "meetings:request-create",
        signed_in(OK),
        data=from_submission("journey_accepted"),
        note="about-accepted-submission",
    ),
]
