"""E-mails about delegation visits, each in its reader's language with times in the
deployment zone and their own (the meetings notice template serves them all)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import mail
from meetings.emails import when
from meetings.timewindows import zone_of


def _name(user) -> str:
    return user.get_full_name() or user.email


def _times(value, user) -> str:
    """ "Tue, 12 May 2027, 10:00 (Europe/Kyiv); your time: …" when they differ."""
    here = timezone.get_default_timezone()
    own = zone_of(user)
    text = when(value, here)
    if own.key != getattr(here, "key", str(here)):
        text += "; " + _("your time: %(time)s") % {"time": when(value, own)}
    return text


def _send(user, subject: str, lines: list[str], url: str) -> None:
    context = {"subject": subject, "lines": lines, "url": url}
    mail.send("meetings/emails/notice", context, to=user, kind="meeting")


def notify_invitation(invitation, user) -> None:
    """An editor of the invited organization: the delegation asks to meet."""
    visit = invitation.visit
    with translation.override(mail.language_of(user)):
        subject = _("A delegation would like to meet %(org)s") % {
            "org": invitation.organization.name
        }
        lines = [
            _("%(visit)s (%(partner)s) proposes a meeting on %(time)s.")
            % {
                "visit": visit.title,
                "partner": visit.organization.name,
                "time": _times(invitation.starts_at, user),
            }
        ]
        if invitation.reasons:
            lines.append(_("Why: %(reasons)s") % {"reasons": invitation.reasons})
        if invitation.message:
            lines.append(invitation.message)
        lines.append(_("Please accept or decline on the invitation page."))
        url = mail.absolute_url(visit.get_absolute_url() + "invitations/")
        _send(user, subject, lines, url)


def notify_answer(invitation, user) -> None:
    """The host: an invited organization answered."""
    with translation.override(mail.language_of(user)):
        if invitation.status == invitation.Status.ACCEPTED:
            subject = _("%(org)s accepted the meeting with the delegation")
        else:
            subject = _("%(org)s declined the meeting with the delegation")
        subject = subject % {"org": invitation.organization.name}
        lines = [subject + ".", _times(invitation.starts_at, user)]
        url = mail.absolute_url(invitation.visit.get_absolute_url() + "invitations/")
        _send(user, subject, lines, url)


def notify_change(item, user, *, kind: str) -> None:
    """A programme item was added, moved, postponed or cancelled."""
    visit = item.visit
    with translation.override(mail.language_of(user)):
        subjects = {
            "added": _("Programme of %(visit)s: new item"),
            "moved": _("Programme of %(visit)s: an item moved"),
            "postponed": _("Programme of %(visit)s: an item is postponed"),
            "cancelled": _("Programme of %(visit)s: an item is cancelled"),
        }
        subject = subjects[kind] % {"visit": visit.title}
        lines = [f"{item.title}: {_times(item.starts_at, user)}"]
        if item.place:
            lines.append(item.place)
        _send(user, subject, lines, mail.absolute_url(visit.get_absolute_url()))


def notify_disruption(visit, user, *, items, reason: str) -> None:
    """Everyone affected by a disrupted day, with the new times of their items."""
    with translation.override(mail.language_of(user)):
        subject = _("Programme of %(visit)s changed: %(reason)s") % {
            "visit": visit.title,
            "reason": reason,
        }
        lines = []
        for item in items:
            if item.status == item.Status.POSTPONED:
                lines.append(_("%(title)s: postponed") % {"title": item.title})
            else:
                lines.append(
                    _("%(title)s: now %(time)s")
                    % {"title": item.title, "time": _times(item.starts_at, user)}
                )
        _send(user, subject, lines, mail.absolute_url(visit.get_absolute_url()))


def remind_outcome(item, user) -> int:
    """Ask one side what came of a company visit; returns the e-mails queued."""
    visit = item.visit
    with translation.override(mail.language_of(user)):
        subject = _("What came of %(title)s?") % {"title": item.title}
        lines = [
            _("%(title)s took place on %(time)s during %(visit)s.")
            % {
                "title": item.title,
                "time": _times(item.starts_at, user),
                "visit": visit.title,
            },
            _(
                "Tell us in one click what came of it; the visit report shows what "
                "both sides say."
            ),
        ]
        url = mail.absolute_url(visit.get_absolute_url() + f"items/{item.pk}/outcome/")
        context = {"subject": subject, "lines": lines, "url": url}
        return mail.send("meetings/emails/notice", context, to=user, kind="meeting")
