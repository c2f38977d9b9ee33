"""Background work of the meetings app: e-mails, the B2B scheduler, expiry."""

from celery import shared_task

from accounts.models import User
from meetings import emails
from meetings.models import B2BSession, Meeting, MeetingRequest, ProposedTime


@shared_task(name="meetings.notify_request")
def notify_request_task(kind: str, request_id: int, user_id: int) -> None:
    request = MeetingRequest.objects.select_related("requester", "recipient").get(
        pk=request_id
    )
    emails.notify_request(kind, request, User.objects.get(pk=user_id))


@shared_task(name="meetings.notify_proposed_time")
def notify_proposed_time_task(proposed_id: int, user_id: int) -> None:
    proposed = ProposedTime.objects.select_related(
        "request", "proposed_by", "request__requester", "request__recipient"
    ).get(pk=proposed_id)
    emails.notify_proposed_time(proposed, User.objects.get(pk=user_id))


@shared_task(name="meetings.notify_meeting")
def notify_meeting_task(kind: str, meeting_id: int, user_id: int) -> None:
    meeting = Meeting.objects.select_related(
        "request", "request__requester", "request__recipient", "table"
    ).get(pk=meeting_id)
    emails.notify_meeting(kind, meeting, User.objects.get(pk=user_id))


@shared_task(name="meetings.notify_disruption")
def notify_disruption_task(
    session_id: int, user_id: int, moved: int, postponed: int
) -> None:
    session = B2BSession.objects.get(pk=session_id)
    emails.notify_disruption(session, User.objects.get(pk=user_id), moved, postponed)


@shared_task(name="meetings.run_scheduler")
def run_scheduler_task(session_id: int, user_id: int | None = None) -> None:
    from meetings import services

    session = B2BSession.objects.get(pk=session_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    services.schedule_session(session, by=user)


@shared_task(name="meetings.expire_requests")
def expire_requests_task() -> int:
    from meetings import services

    return services.expire_requests()


@shared_task(name="meetings.notify_outcome_reminder")
def notify_outcome_reminder_task(meeting_id: int, user_id: int) -> None:
    meeting = Meeting.objects.select_related(
        "request", "request__requester", "request__recipient"
    ).get(pk=meeting_id)
    emails.remind_outcome(meeting, User.objects.get(pk=user_id))


@shared_task(name="meetings.remind_outcomes")
def remind_outcomes_task() -> int:
    from meetings import services

    return services.remind_outcomes()
