"""The whole visit in the personal calendar feed, in the member's own zone."""

import datetime as dt

import icalendar
from django.urls import reverse

from events.services import calendar_token_of
from tests.visits.factories import ProgrammeItemFactory, site_time
from visits import services
from visits.calendar import personal_items
from visits.models import Visit


def test_personal_feed_holds_the_visit_in_the_members_zone_and_sequence_rises(
    client, visit, member, host
):
    item = ProgrammeItemFactory(
        visit=visit,
        title_uk="Екскурсія заводом",
        title_en="Factory tour",
        starts_at=site_time(visit.starts_on, 15),
        ends_at=site_time(visit.starts_on, 16),
    )
    url = reverse(
        "events:personal-feed", kwargs={"token": calendar_token_of(member).token}
    )

    first = icalendar.Calendar.from_ical(client.get(url).content)
    services.update_item(
        item,
        by=host,
        starts_at=site_time(visit.starts_on, 17),
        ends_at=site_time(visit.starts_on, 18),
    )
    second = icalendar.Calendar.from_ical(client.get(url).content)

    [before] = [e for e in first.walk("VEVENT") if "visit-item" in str(e["uid"])]
    [after] = [e for e in second.walk("VEVENT") if "visit-item" in str(e["uid"])]
    assert before["dtstart"].params["TZID"] == "America/Los_Angeles"
    # 15:00 in Kyiv is 05:00 in California (06:00 in the weeks only the US has
    # moved its clocks).
    assert before.decoded("dtstart").hour in (5, 6)
    assert before.decoded("dtstart") == site_time(visit.starts_on, 15)
    assert after.decoded("dtstart") == site_time(visit.starts_on, 17)
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert str(after["summary"]) == "Екскурсія заводом"  # the feed's URL is /uk/


def test_drafts_and_other_peoples_visits_stay_out(visit, member):
    ProgrammeItemFactory(visit=visit)
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.DRAFT)

    assert personal_items(member) == []


def test_an_invited_editor_sees_no_visit_items_in_their_feed(
    visit, local_org, local_editor
):
    ProgrammeItemFactory(visit=visit, organization=local_org)

    assert personal_items(local_editor) == []


def test_feed_survives_a_day_across_midnight_in_california(visit, member):
    start = site_time(visit.starts_on, 9)
    ProgrammeItemFactory(
        visit=visit, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )

    [component] = personal_items(member)

    assert component.decoded("dtstart").date() == (start - dt.timedelta(days=1)).date()
