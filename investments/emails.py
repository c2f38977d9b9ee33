"""E-mails of the investor pipeline: who hears about an interest, and what."""

from django.urls import reverse

from accounts.models import Role, User
from core import mail
from investments.models import Interest, InvestmentProject


def _link(name: str):
    return lambda: mail.absolute_url(reverse(name))


def officers_for(project: InvestmentProject) -> list[User]:
    """Who hears about a project's investors: its author if still an officer, else
    every active city officer."""
    author = project.created_by
    if author and author.is_active and author.role in (Role.CITY_OFFICER, Role.STAFF):
        return [author]
    return list(User.objects.filter(role=Role.CITY_OFFICER, is_active=True))


def send_new_interest(interest: Interest) -> None:
    context = {"interest": interest, "url": _link("investments:pipeline")}
    mail.send(
        "investments/emails/new_interest",
        context,
        to=officers_for(interest.project),
        kind="investment",
    )


def send_stage_changed(interest: Interest, old_stage: str) -> None:
    context = {
        "interest": interest,
        "old_stage": Interest.Stage(old_stage).label,
        "new_stage": Interest.Stage(interest.stage).label,
        "url": _link("investments:my-interests"),
    }
    mail.send(
        "investments/emails/stage_changed",
        context,
        to=interest.investor,
        kind="investment",
    )


def send_accepted(interest: Interest) -> None:
    context = {"interest": interest, "url": _link("investments:my-interests")}
    mail.send(
        "investments/emails/accepted", context, to=interest.investor, kind="investment"
    )


def send_stale_reminder(officer: User, interests: list[Interest]) -> None:
    """Sent at once: the daily job that calls it runs outside any transaction."""
    context = {"interests": interests, "url": _link("investments:pipeline")}
    mail.send(
        "investments/emails/stale_reminder",
        context,
        to=officer,
        after_commit=False,
        kind="investment",
    )
