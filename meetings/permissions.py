"""Who may do what with meeting requests, meetings and B2B sessions. Pure predicates."""

from accounts.permissions import is_cluster_staff, is_signed_in
from directory.permissions import is_editor_of
from meetings.models import B2BSession, Meeting, MeetingRequest, ProposedTime


def _pk(user):
    return getattr(user, "pk", None)


def can_request_meeting(user) -> bool:
    """Any signed-in person may ask another for a meeting."""
    return bool(is_signed_in(user))


def is_party(user, request: MeetingRequest) -> bool:
    """The requester or the recipient of the request."""
    return bool(is_signed_in(user)) and _pk(user) in (
        request.requester_id,
        request.recipient_id,
    )


def can_answer_request(user, request: MeetingRequest) -> bool:
    """The recipient accepts or declines a pending request."""
    return (
        is_signed_in(user)
        and request.recipient_id == _pk(user)
        and request.status == MeetingRequest.Status.PENDING
    )


def can_cancel_request(user, request: MeetingRequest) -> bool:
    """Either side may call off a request that is still open."""
    return is_party(user, request) and request.is_open


def can_propose_time(user, request: MeetingRequest) -> bool:
    """Either side proposes times while the request is open."""
    return is_party(user, request) and request.is_open


def can_accept_time(user, proposed: ProposedTime) -> bool:
    """The side that did not propose the time accepts it."""
    return (
        is_party(user, proposed.request)
        and proposed.request.is_open
        and proposed.status == ProposedTime.Status.PROPOSED
        and proposed.proposed_by_id != _pk(user)
    )


def can_record_outcome(user, meeting: Meeting) -> bool:
    """Each side records what came of a meeting."""
    return is_party(user, meeting.request) and meeting.starts_at is not None


def can_organize_session(user, session: B2BSession) -> bool:
    """Cluster staff and the editors of the event's organizer run its B2B sessions."""
    return bool(is_cluster_staff(user) or is_editor_of(user, session.event.organizer))


def can_create_session(user, event) -> bool:
    return bool(is_cluster_staff(user) or is_editor_of(user, event.organizer))


def can_run_scheduler(user, session: B2BSession) -> bool:
    """The organizers start the scheduler, unless a run is under way."""
    return (
        can_organize_session(user, session)
        and session.run_status != B2BSession.RunStatus.RUNNING
    )
