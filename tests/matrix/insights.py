"""Permission-matrix rows of the `insights` app (see tests/matrix/__init__.py).

Everything is public except the staff view, which cluster staff, admins and city
officers see."""

from accounts.models import Role
from tests.matrix.base import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    STAFF,
    Row,
    everyone,
    only,
)


def chart(world) -> dict:
    return {"slug": "organizations-kind"}


def no_chart(world) -> dict:
    return {"slug": "no-such-chart"}


def events_csv(world) -> dict:
    return {"slug": "events", "fmt": "csv"}


def no_dataset(world) -> dict:
    return {"slug": "organizations", "fmt": "csv"}  # listed, served by the directory


ROWS: list[Row] = [
    Row("insights:page", everyone(OK)),
    Row("insights:page", everyone(NOT_ALLOWED), method="post"),
    Row("insights:staff", only((*STAFF, Role.CITY_OFFICER), OK)),
    Row("insights:chart-csv", everyone(OK), kwargs=chart),
    Row("insights:chart-csv", everyone(NOT_FOUND), kwargs=no_chart, note="unknown"),
    Row("insights:report", everyone(OK)),
    Row("insights:open-data", everyone(OK)),
    Row("insights:dataset-download", everyone(OK), kwargs=events_csv),
    Row(
        "insights:dataset-download",
        everyone(NOT_FOUND),
        kwargs=no_dataset,
        note="elsewhere",
    ),
    Row("open-data-catalogue", everyone(OK)),
    Row("api:insight-list", everyone(OK)),
    Row("api:insight-detail", everyone(OK), kwargs=chart),
    Row("api:insight-detail", everyone(NOT_ALLOWED), kwargs=chart, method="post"),
]
