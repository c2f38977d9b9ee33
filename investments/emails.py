"""E-mails of the investor pipeline, each in its reader's language."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.emails import absolute_url
from accounts.models import Role, User
from investments.models import Interest, InvestmentProject


def _send(template: str, context: dict, *, to: User) -> None:
    language = to.preferred_language or "uk"
    with translation.override(language):
        context = {**context, "recipient": to}
        subject = render_to_string(
            f"investments/emails/{template}_subject.txt", context
        )
        body = render_to_string(f"investments/emails/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to.email])


def _url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return absolute_url(reverse(name, kwargs=kwargs or None))


def officers_for(project: InvestmentProject) -> list[User]:
    """Who hears about a project's investors: its author if still an officer, else
    every active city officer."""
    author = project.created_by
    if author and author.is_active and author.role in (Role.CITY_OFFICER, Role.STAFF):
        return [author]
    return list(User.objects.filter(role=Role.CITY_OFFICER, is_active=True))


def send_new_interest(interest: Interest) -> None:
    for officer in officers_for(interest.project):
        url = _url("investments:pipeline", officer.preferred_language or "uk")
        _send("new_interest", {"interest": interest, "url": url}, to=officer)


def send_stage_changed(interest: Interest, old_stage: str) -> None:
    investor = interest.investor
    url = _url("investments:my-interests", investor.preferred_language or "uk")
    with translation.override(investor.preferred_language or "uk"):
        context = {
            "interest": interest,
            "old_stage": str(Interest.Stage(old_stage).label),
            "new_stage": str(Interest.Stage(interest.stage).label),
            "url": url,
        }
        _send("stage_changed", context, to=investor)


def send_accepted(interest: Interest) -> None:
    investor = interest.investor
    url = _url("investments:my-interests", investor.preferred_language or "uk")
    _send("accepted", {"interest": interest, "url": url}, to=investor)


def send_stale_reminder(officer: User, interests: list[Interest]) -> None:
    url = _url("investments:pipeline", officer.preferred_language or "uk")
    _send("stale_reminder", {"interests": interests, "url": url}, to=officer)
