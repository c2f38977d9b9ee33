"""Background work of talent: expiry of roles and invitations, the weekly digest."""

from celery import shared_task


@shared_task(name="talent.expire")
def expire_task() -> str:
    """Daily: expire overdue roles and invitations."""
    from talent import services

    roles = services.expire_roles()
    invitations = services.expire_invitations()
    return f"{roles} roles and {invitations} invitations expired"


@shared_task(name="talent.weekly_digest")
def weekly_digest_task() -> str:
    """Weekly: new matching roles to everyone who did not switch the digest off."""
    from talent import services

    return f"{services.send_weekly_digests()} digests sent"
