"""E-mails about meetings, each in its reader's language with times in their zone.

The texts are built here (one template serves every notice), so each function
activates the reader's language itself."""

import zoneinfo

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core import mail
from meetings.models import B2BSession, Meeting, MeetingRequest, ProposedTime
from meetings.timewindows import zone_of


def when(value, zone: zoneinfo.ZoneInfo) -> str:
    """ "Tue, 12 May 2027, 10:00 (Europe/Kyiv)" in the active language."""
    local = value.astimezone(zone)
    day = formats.date_format(local, "D, j E Y")
    return f"{day}, {local:%H:%M} ({zone.key})"


def _send(user, subject: str, lines: list[str], url: str) -> None:
    context = {"subject": subject, "lines": lines, "url": url}
    mail.send("meetings/emails/notice", context, to=user, kind="meeting")


def _name(user) -> str:
    return user.get_full_name() or user.email


def notify_request(kind: str, request: MeetingRequest, user) -> None:
    """Tell `user` what the other side did with the request (`kind` names the step)."""
    other = request.other_side(user)
    with translation.override(mail.language_of(user)):
        url = mail.absolute_url(request.get_absolute_url())
        name = _name(other)
        subjects = {
            "received": _("%(name)s asks you for a meeting"),
            "accepted": _("%(name)s accepted your meeting request"),
            "declined": _("%(name)s declined your meeting request"),
            "cancelled": _("%(name)s called off the meeting request"),
            "expired": _("Your meeting request to %(name)s expired"),
        }
        subject = subjects[kind] % {"name": name}
        lines = [subject + "."]
        if kind == "received" and request.message:
            lines.append(request.message)
        _send(user, subject, lines, url)


def notify_proposed_time(proposed: ProposedTime, user) -> None:
    """The other side proposed a time: show it in the reader's zone and theirs."""
    request = proposed.request
    proposer = proposed.proposed_by
    with translation.override(mail.language_of(user)):
        subject = _("%(name)s proposes a time for your meeting") % {
            "name": _name(proposer)
        }
        lines = [
            _("Proposed: %(time)s, your time.")
            % {"time": when(proposed.starts_at, zone_of(user))},
            _("For %(name)s that is %(time)s.")
            % {
                "name": _name(proposer),
                "time": when(proposed.starts_at, zone_of(proposer)),
            },
        ]
        _send(user, subject, lines, mail.absolute_url(request.get_absolute_url()))


def notify_meeting(kind: str, meeting: Meeting, user) -> None:
    """A meeting was confirmed, moved or postponed; times in the reader's zone."""
    request = meeting.request
    other = request.other_side(user)
    with translation.override(mail.language_of(user)):
        name = _name(other)
        if kind == "postponed":
            subject = _("Your meeting with %(name)s is postponed") % {"name": name}
            lines = [
                subject + ".",
                _("No free slot was left; the organizer will be in touch."),
            ]
        else:
            subjects = {
                "confirmed": _("Meeting with %(name)s confirmed"),
                "scheduled": _("Meeting with %(name)s scheduled"),
                "moved": _("Your meeting with %(name)s has moved"),
            }
            subject = subjects[kind] % {"name": name}
            lines = [
                _("When: %(time)s, your time.")
                % {"time": when(meeting.starts_at, zone_of(user))},
                _("For %(name)s that is %(time)s.")
                % {"name": name, "time": when(meeting.starts_at, zone_of(other))},
            ]
            if meeting.table_id:
                lines.append(_("Table: %(name)s") % {"name": meeting.table.name})
        url = mail.absolute_url(reverse("meetings:agenda"))
        _send(user, subject, lines, url)


def notify_disruption(session: B2BSession, user, moved: int, postponed: int) -> None:
    """Sent with the per-meeting notices: why the schedule changed."""
    with translation.override(mail.language_of(user)):
        subject = _("%(session)s: the schedule changed") % {"session": session.title}
        lines = [
            _("Part of the session was disrupted, so the meetings in it were moved."),
            _("Moved: %(moved)s; postponed: %(postponed)s.")
            % {"moved": moved, "postponed": postponed},
        ]
        _send(user, subject, lines, mail.absolute_url(reverse("meetings:agenda")))


def remind_outcome(meeting: Meeting, user) -> None:
    """The day after: ask one side what came of the meeting (two clicks)."""
    other = meeting.request.other_side(user)
    context = {
        "name": _name(other),
        "when": lambda: when(meeting.starts_at, zone_of(user)),
        "url": lambda: mail.absolute_url(
            reverse("meetings:meeting-outcome", kwargs={"pk": meeting.pk})
        ),
    }
    mail.send("meetings/emails/outcome_reminder", context, to=user, kind="meeting")
