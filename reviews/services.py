"""Operations of the reviews app: invite reviewers, review, decide, release, send."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import services as account_services
from accounts.models import Role, User
from core import audit
from core.tasks import enqueue
from exchange import services as exchange_services
from exchange.emails import submitters_of
from exchange.models import Call, Criterion, Submission
from reviews import emails, permissions, queries
from reviews.models import (
    Assignment,
    CallReviewer,
    ConflictOfInterest,
    Decision,
    DecisionTemplate,
    OutboxMessage,
    Review,
    ReviewerInvitation,
    Score,
)

# Reviewers


def invite_reviewer(
    call: Call, *, email: str, invited_by: User, language: str = "en", message: str = ""
) -> ReviewerInvitation:
    """Ask someone to review for `call`: a person with an account becomes a reviewer
    of the call at once (and is told by e-mail); anyone else gets an account
    invitation with the reviewer role, and becomes a reviewer on signing in."""
    if not permissions.can_invite_reviewers(invited_by, call):
        raise PermissionDenied
    email = account_services.normalize_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and CallReviewer.objects.filter(call=call, user=user).exists():
        raise ValidationError(
            {
                "email": gettext("%(email)s already reviews for this call.")
                % {"email": email}
            }
        )
    with transaction.atomic():
        account_invitation = None
        if user is None:
            account_invitation = account_services.invite_user(
                email, role=Role.REVIEWER, invited_by=invited_by, language=language
            )
        invitation = ReviewerInvitation.objects.create(
            call=call,
            email=email,
            user=user,
            account_invitation=account_invitation,
            message=message,
            invited_by=invited_by,
        )
        if user is not None:
            CallReviewer.objects.create(
                call=call,
                user=user,
                invited_by=invited_by,
                languages=[user.preferred_language],
            )
            from reviews import tasks

            enqueue(tasks.send_reviewer_invitation, invitation.pk)
        audit.record("reviews.reviewer_invited", call, actor=invited_by, email=email)
    return invitation


def claim_invitations(user: User) -> list[CallReviewer]:
    """Turn pending invitations to `user`'s address into reviewer places (for people
    who signed up through the account invitation)."""
    if not (user and user.is_authenticated):
        return []
    pending = ReviewerInvitation.objects.filter(
        email__iexact=user.email,
        status=ReviewerInvitation.Status.PENDING,
        user__isnull=True,
    )
    created = []
    for invitation in pending:
        with transaction.atomic():
            reviewer, made = CallReviewer.objects.get_or_create(
                call=invitation.call,
                user=user,
                defaults={
                    "invited_by": invitation.invited_by,
                    "languages": [user.preferred_language],
                },
            )
            invitation.user = user
            invitation.save(update_fields=["user", "updated_at"])
            if made:
                created.append(reviewer)
    return created


def update_reviewer_profile(
    reviewer: CallReviewer,
    *,
    by: User,
    languages: list[str],
    max_load: int,
    expertise=(),
    expertise_sectors=(),
    ties=(),
) -> CallReviewer:
    """The reviewer's profile for one call; saving it accepts the invitation."""
    if reviewer.user_id != by.pk and not permissions.can_manage_reviews(
        by, reviewer.call
    ):
        raise PermissionDenied
    if not languages:
        raise ValidationError({"languages": gettext("Choose at least one language.")})
    with transaction.atomic():
        reviewer.languages = sorted(set(languages))
        reviewer.max_load = max_load
        if reviewer.accepted_at is None and reviewer.user_id == by.pk:
            reviewer.accepted_at = timezone.now()
            ReviewerInvitation.objects.filter(
                call=reviewer.call,
                user=reviewer.user,
                status=ReviewerInvitation.Status.PENDING,
            ).update(
                status=ReviewerInvitation.Status.ACCEPTED, responded_at=timezone.now()
            )
        reviewer.save()
        reviewer.expertise.set(expertise)
        reviewer.expertise_sectors.set(expertise_sectors)
        reviewer.ties.set(ties)
    return reviewer


# Assigning (automatic and by hand) lives in reviews/assignment/services.py.


# Conflicts and reviews


def confirm_no_conflict(assignment: Assignment, *, by: User) -> Assignment:
    """The reviewer states they have no conflict: confidential fields open."""
    if not permissions.is_own_assignment(by, assignment):
        raise PermissionDenied
    if assignment.no_conflict_confirmed_at is None:
        assignment.no_conflict_confirmed_at = timezone.now()
        assignment.save(update_fields=["no_conflict_confirmed_at", "updated_at"])
        audit.record("reviews.no_conflict_confirmed", assignment, actor=by)
    return assignment


def declare_conflict(
    assignment: Assignment, *, by: User, detail: str
) -> ConflictOfInterest:
    """The reviewer declares a conflict: the assignment ends and the organizers see
    why (the solver will not assign them again)."""
    if not permissions.is_own_assignment(by, assignment):
        raise PermissionDenied
    with transaction.atomic():
        conflict, _ = ConflictOfInterest.objects.get_or_create(
            call_reviewer=assignment.call_reviewer,
            submission=assignment.submission,
            reason=ConflictOfInterest.Reason.DECLARED_BY_REVIEWER,
            defaults={"detail": detail[:300]},
        )
        audit.record(
            "reviews.conflict_declared",
            assignment.submission,
            actor=by,
            reviewer=assignment.call_reviewer_id,
        )
        assignment.delete()
        Call.reviews_changed(assignment.submission.call_id)
    return conflict


def review_of(assignment: Assignment) -> Review:
    """The assignment's review, created as an empty draft on first use."""
    try:
        return assignment.review
    except Review.DoesNotExist:
        try:
            with transaction.atomic():
                return Review.objects.create(assignment=assignment)
        except IntegrityError:
            return Review.objects.get(assignment=assignment)


def mark_seen(review: Review, version: int) -> Review:
    """Remember which version of the submission the reviewer last looked at."""
    if review.seen_version != version:
        review.seen_version = version
        review.save(update_fields=["seen_version", "updated_at"])
    return review


def save_review(
    assignment: Assignment,
    *,
    by: User,
    scores: dict[int, int | None],
    comments_to_submitters: str = "",
    confidential_notes: str = "",
    recommendation: str = "",
    offers_mentoring: bool = False,
    submit: bool = False,
) -> Review:
    """Save the review as a draft, or submit it: submitting needs a score for every
    required criterion and a recommendation. Values must lie within the scale."""
    if not permissions.can_review(by, assignment):
        raise PermissionDenied
    if assignment.no_conflict_confirmed_at is None:
        raise PermissionDenied
    criteria = {
        c.pk: c for c in Criterion.objects.filter(call_id=assignment.submission.call_id)
    }
    errors: dict[str, list[str]] = {}
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(gettext("Unknown criterion."))
        if (
            value is not None
            and not criterion.scale_min <= value <= criterion.scale_max
        ):
            errors[f"score_{criterion_id}"] = [
                gettext("Give a score from %(min)s to %(max)s.")
                % {"min": criterion.scale_min, "max": criterion.scale_max}
            ]
    if submit:
        for criterion in criteria.values():
            if criterion.is_required and scores.get(criterion.pk) is None:
                errors.setdefault(f"score_{criterion.pk}", []).append(
                    gettext("This criterion needs a score.")
                )
        if not recommendation:
            errors["recommendation"] = [gettext("Choose a recommendation.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = review_of(assignment)
        review.comments_to_submitters = comments_to_submitters
        review.confidential_notes = confidential_notes
        review.recommendation = recommendation
        review.offers_mentoring = offers_mentoring
        if submit:
            review.status = Review.Status.SUBMITTED
            review.submitted_at = review.submitted_at or timezone.now()
            review.reviewed_version = assignment.submission.version
        review.save()
        existing = {s.criterion_id: s for s in review.scores.all()}
        for criterion_id, value in scores.items():
            score = existing.get(criterion_id)
            if value is None:
                if score is not None:
                    score.delete()
            elif score is None:
                Score.objects.create(
                    review=review, criterion_id=criterion_id, value=value
                )
            elif score.value != value:
                score.value = value
                score.save(update_fields=["value"])
        Call.reviews_changed(assignment.submission.call_id)
        if submit:
            audit.record("reviews.review_submitted", review, actor=by)
    return review


def _record_notes_read(reviews: list[Review], *, by: User, via: str) -> dict[int, str]:
    """Audit, in one statement, that `by` read these reviews' confidential notes
    (only those that have any); the notes by review id."""
    with_notes = [review for review in reviews if review.confidential_notes]
    audit.record_each(
        "reviews.confidential_read",
        with_notes,
        actor=by,
        details_of=lambda review: {
            "submission": review.assignment.submission_id,
            "via": via,
        },
    )
    return {review.pk: review.confidential_notes for review in with_notes}


def read_confidential_notes(
    reviews: list[Review], *, call, by: User, via: str
) -> dict[int, str]:
    """Organizers read the confidential notes of reviews in their call (the notes
    by review id); every read is audited, all in one statement."""
    if not permissions.can_read_confidential_notes(by, call):
        raise PermissionDenied
    return _record_notes_read(reviews, by=by, via=via)


def read_own_confidential_notes(
    reviews: list[Review], *, by: User, via: str
) -> dict[int, str]:
    """The reviewer reads the notes they wrote (in their form or the API): audited
    like any other read."""
    if not all(permissions.is_own_assignment(by, r.assignment) for r in reviews):
        raise PermissionDenied
    return _record_notes_read(reviews, by=by, via=via)


# Decisions


def record_decision(
    submission: Submission,
    *,
    by: User,
    outcome: str,
    resubmit_by=None,
    note_uk: str = "",
    note_en: str = "",
) -> Decision:
    """Record (or change) a pending decision; released ones stay as they are."""
    if not permissions.can_record_decision(by, submission):
        raise PermissionDenied
    if outcome == Decision.Outcome.REVISE and resubmit_by is None:
        raise ValidationError(
            {"resubmit_by": gettext("Give a new deadline for the revision.")}
        )
    if outcome != Decision.Outcome.REVISE:
        resubmit_by = None
    decision = Decision.objects.filter(submission=submission).first()
    if (
        decision is not None
        and decision.status == Decision.Status.RELEASED
        and decision.round >= submission.review_round
    ):
        raise ValidationError(
            gettext("This decision has been released; it cannot change.")
        )
    with transaction.atomic():
        decision = decision or Decision(submission=submission)
        if decision.round < submission.review_round:
            # The next round's decision takes the released "revise"'s place.
            decision.status = Decision.Status.PENDING
            decision.released_at = None
        decision.round = submission.review_round
        decision.outcome = outcome
        decision.resubmit_by = resubmit_by
        decision.note_uk = note_uk
        decision.note_en = note_en
        decision.decided_by = by
        decision.save()
        Call.reviews_changed(submission.call_id)
        audit.record(
            "reviews.decision_recorded",
            decision,
            actor=by,
            outcome=outcome,
            round=decision.round,
        )
    return decision


DEFAULT_TEMPLATES = {
    Decision.Outcome.ACCEPT: (
        "Рішення щодо «{title}»: прийнято",
        "Decision on “{title}”: accepted",
        "Вітаємо! Вашу заявку «{title}» до конкурсу «{call}» прийнято.\n\n{note}\n\n"
        "Відгуки рецензентів: {feedback_url}",
        "Congratulations! Your submission “{title}” to “{call}” has been accepted.\n\n"
        "{note}\n\nThe reviewers' comments: {feedback_url}",
    ),
    Decision.Outcome.REVISE: (
        "Рішення щодо «{title}»: доопрацювати",
        "Decision on “{title}”: revise and resubmit",
        "Просимо доопрацювати заявку «{title}» до конкурсу «{call}» і подати її знову "
        "до {resubmit_by}.\n\n{note}\n\nВідгуки рецензентів: {feedback_url}",
        "Please revise your submission “{title}” to “{call}” and resubmit it by "
        "{resubmit_by}.\n\n{note}\n\nThe reviewers' comments: {feedback_url}",
    ),
    Decision.Outcome.DECLINE: (
        "Рішення щодо «{title}»",
        "Decision on “{title}”",
        "Дякуємо за заявку «{title}» до конкурсу «{call}». Цього разу ми не можемо її "
        "прийняти.\n\n{note}\n\nВідгуки рецензентів: {feedback_url}",
        "Thank you for submitting “{title}” to “{call}”. This time we cannot accept "
        "it.\n\n{note}\n\nThe reviewers' comments: {feedback_url}",
    ),
}

PLACEHOLDERS = ("title", "call", "outcome", "resubmit_by", "note", "feedback_url")


def templates_of(call: Call) -> dict[str, DecisionTemplate]:
    """The call's decision e-mail templates, made from the defaults on first use."""
    existing = {t.outcome: t for t in DecisionTemplate.objects.filter(call=call)}
    for outcome, (
        subject_uk,
        subject_en,
        body_uk,
        body_en,
    ) in DEFAULT_TEMPLATES.items():
        if outcome not in existing:
            existing[outcome], _ = DecisionTemplate.objects.get_or_create(
                call=call,
                outcome=outcome,
                defaults={
                    "subject_uk": subject_uk,
                    "subject_en": subject_en,
                    "body_uk": body_uk,
                    "body_en": body_en,
                },
            )
    return existing


def update_template(
    template: DecisionTemplate, *, by: User, **fields
) -> DecisionTemplate:
    if not permissions.can_manage_reviews(by, template.call):
        raise PermissionDenied
    for name in ("subject_uk", "subject_en", "body_uk", "body_en"):
        text = fields[name]
        try:
            text.format(**dict.fromkeys(PLACEHOLDERS, ""))
        except (KeyError, IndexError, ValueError):
            raise ValidationError(
                {
                    name: gettext("Unknown placeholder; use only: %(names)s")
                    % {"names": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)}
                }
            ) from None
        setattr(template, name, text)
    template.save()
    return template


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _render(text: str, values: dict) -> str:
    return text.format_map(_Blank(values))


def _values(decision: Decision, language: str, feedback_url: str) -> dict:
    from zoneinfo import ZoneInfo

    from django.utils.formats import date_format

    submission = decision.submission
    call = submission.call
    with translation.override(language):
        resubmit = ""
        if decision.resubmit_by:
            local = decision.resubmit_by.astimezone(ZoneInfo(call.time_zone))
            resubmit = f"{date_format(local, 'DATETIME_FORMAT')} ({call.time_zone})"
        return {
            "title": getattr(submission, f"title_{language}") or str(submission.title),
            "call": getattr(call, f"title_{language}") or str(call.title),
            "outcome": str(Decision.Outcome(decision.outcome).label),
            "resubmit_by": resubmit,
            "note": getattr(decision, f"note_{language}")
            or decision.note_uk
            or decision.note_en,
            "feedback_url": feedback_url,
        }


def render_decision_email(
    decision: Decision, template: DecisionTemplate, language: str
) -> tuple[str, str]:
    """Subject and body in `language`, with the other language below the body."""
    from django.urls import reverse

    from core.mail import absolute_url

    other = "en" if language == "uk" else "uk"
    with translation.override(language):
        url = absolute_url(
            reverse(
                "reviews:submission-feedback", kwargs={"pk": decision.submission_id}
            )
        )
    first = _values(decision, language, url)
    second = _values(decision, other, url)
    subject = _render(getattr(template, f"subject_{language}"), first)
    body = _render(getattr(template, f"body_{language}"), first)
    other_body = _render(getattr(template, f"body_{other}"), second)
    separator = (
        "English version below" if language == "uk" else "Українська версія нижче"
    )
    body = f"{body.strip()}\n\n— {separator} —\n\n{other_body.strip()}\n"
    return subject.strip(), body


def release_decisions(call: Call, *, by: User) -> list[OutboxMessage]:
    """Render an e-mail for every pending decision of `call` into the outbox, in each
    recipient's preferred language with the other language below, and mark the
    decisions released. The e-mails wait there for a final check."""
    if not permissions.can_manage_reviews(by, call):
        raise PermissionDenied
    templates = templates_of(call)
    messages = []
    now = timezone.now()
    late = [
        str(d.submission)
        for d in queries.pending_decisions(call).filter(
            outcome=Decision.Outcome.REVISE, resubmit_by__lte=now
        )
    ]
    if late:
        raise ValidationError(
            gettext(
                "The new deadline of a “revise and resubmit” decision has passed; "
                "change it first: %(titles)s"
            )
            % {"titles": "; ".join(late)}
        )
    with transaction.atomic():
        pending = (
            Decision.objects.select_for_update(of=("self",))
            .filter(submission__call=call, status=Decision.Status.PENDING)
            .select_related("submission__call", "submission__created_by")
        )
        now = timezone.now()
        for decision in pending:
            template = templates[decision.outcome]
            for person in submitters_of(decision.submission):
                language = (
                    person.preferred_language
                    if person.preferred_language
                    in (
                        "uk",
                        "en",
                    )
                    else "uk"
                )
                subject, body = render_decision_email(decision, template, language)
                messages.append(
                    OutboxMessage.objects.create(
                        decision=decision,
                        to=person.email,
                        language=language,
                        subject=subject,
                        body=body,
                    )
                )
            decision.status = Decision.Status.RELEASED
            decision.released_at = now
            decision.save(update_fields=["status", "released_at", "updated_at"])
            if (
                decision.outcome == Decision.Outcome.REVISE
                and decision.submission.status == Submission.Status.SUBMITTED
            ):
                open_next_round(decision.submission, until=decision.resubmit_by, by=by)
            else:
                # The final decision of a later round ends its revision window.
                exchange_services.close_revision(decision.submission, by=by)
        Call.reviews_changed(call.pk)
        audit.record(
            "reviews.decisions_released", call, actor=by, messages=len(messages)
        )
    return messages


def send_outbox(call: Call, *, by: User) -> int:
    """Send every checked message of `call` as a background task."""
    if not permissions.can_manage_reviews(by, call):
        raise PermissionDenied
    from reviews import tasks

    with transaction.atomic():
        waiting = list(
            OutboxMessage.objects.select_for_update().filter(
                decision__submission__call=call, status=OutboxMessage.Status.PENDING
            )
        )
        OutboxMessage.objects.filter(pk__in=[m.pk for m in waiting]).update(
            status=OutboxMessage.Status.APPROVED
        )
        for message in waiting:
            enqueue(tasks.send_outbox_message, message.pk)
        audit.record("reviews.outbox_sent", call, actor=by, messages=len(waiting))
    return len(waiting)


def update_outbox_message(message: OutboxMessage, *, by: User, subject: str, body: str):
    """A last correction before sending."""
    if not permissions.can_manage_reviews(by, message.decision.submission.call):
        raise PermissionDenied
    if message.status != OutboxMessage.Status.PENDING:
        raise ValidationError(gettext("This message has already gone out."))
    message.subject = subject
    message.body = body
    message.save(update_fields=["subject", "body", "updated_at"])
    return message


# Rounds


def _same_reviewers(submission: Submission, round_number: int) -> list[CallReviewer]:
    """The active reviewers who had the submission in `round_number`."""
    return [
        assignment.call_reviewer
        for assignment in Assignment.objects.filter(
            submission=submission,
            round=round_number,
            call_reviewer__is_active=True,
        ).select_related("call_reviewer__user")
    ]


def _assign_to_round(
    submission: Submission, reviewers: list[CallReviewer]
) -> list[Assignment]:
    """Assign `reviewers` in the submission's current round; who confirmed no
    conflict for it before need not confirm again."""
    confirmed = dict(
        Assignment.objects.filter(
            submission=submission,
            call_reviewer__in=reviewers,
            no_conflict_confirmed_at__isnull=False,
        )
        .order_by("round")
        .values_list("call_reviewer_id", "no_conflict_confirmed_at")
    )
    created = []
    for reviewer in reviewers:
        assignment, made = Assignment.objects.get_or_create(
            submission=submission,
            call_reviewer=reviewer,
            round=submission.review_round,
            defaults={
                "source": Assignment.Source.MANUAL,
                "no_conflict_confirmed_at": confirmed.get(reviewer.pk),
            },
        )
        if made:
            created.append(assignment)
    return created


def open_next_round(
    submission: Submission,
    *,
    until,
    by: User,
    reviewers: list[CallReviewer] | None = None,
) -> list[Assignment]:
    """Revise and resubmit: the submission reopens for its submitters until `until`
    (who are told, with the reviewers' comments beside their form), and the
    previous round's reviewers (or `reviewers`) are assigned again and told."""
    if not permissions.can_manage_reviews(by, submission.call):
        raise PermissionDenied
    with transaction.atomic():
        previous = submission.review_round
        exchange_services.reopen_submission(submission, until=until, by=by)
        if reviewers is None:
            # By default the same reviewers, less any with a conflict found since.
            reviewers = [
                r
                for r in _same_reviewers(submission, previous)
                if not _conflicts_of(submission, r)
            ]
        _check_round_reviewers(submission, reviewers)
        created = _assign_to_round(submission, reviewers)
        audit.record(
            "reviews.round_opened",
            submission,
            actor=by,
            round=submission.review_round,
            reviewers=[r.pk for r in reviewers],
        )
        emails.send_round_opened(submission)
        emails.send_round_assigned(created)
    return created


def _conflicts_of(submission: Submission, reviewer: CallReviewer) -> dict:
    from reviews.assignment.services import check_pair

    return check_pair(submission, reviewer).conflicts


def _check_round_reviewers(
    submission: Submission, reviewers: list[CallReviewer]
) -> None:
    for reviewer in reviewers:
        if reviewer.call_id != submission.call_id or not reviewer.is_active:
            raise ValidationError(
                {"reviewers": gettext("This reviewer does not review for this call.")}
            )
        if _conflicts_of(submission, reviewer):
            raise ValidationError(
                {
                    "reviewers": gettext(
                        "%(name)s has a conflict of interest with this submission."
                    )
                    % {"name": reviewer.user.get_full_name() or reviewer.user.email}
                }
            )


def set_round_reviewers(
    submission: Submission, *, reviewers: list[CallReviewer], by: User
) -> list[Assignment]:
    """The organizers choose who reviews the current (later) round: new reviewers
    are assigned and told; those left out lose the assignment unless they already
    submitted their review of this round. Returns the new assignments."""
    if not permissions.can_manage_round(by, submission):
        raise PermissionDenied
    if not reviewers:
        raise ValidationError({"reviewers": gettext("Choose at least one reviewer.")})
    with transaction.atomic():
        _check_round_reviewers(submission, reviewers)
        chosen = {r.pk for r in reviewers}
        dropped = (
            Assignment.objects.filter(
                submission=submission, round=submission.review_round
            )
            .exclude(call_reviewer_id__in=chosen)
            .exclude(review__status=Review.Status.SUBMITTED)
        )
        dropped_ids = list(dropped.values_list("call_reviewer_id", flat=True))
        dropped.delete()
        created = _assign_to_round(submission, reviewers)
        Call.reviews_changed(submission.call_id)
        audit.record(
            "reviews.round_reviewers_set",
            submission,
            actor=by,
            round=submission.review_round,
            added=[a.call_reviewer_id for a in created],
            removed=dropped_ids,
        )
        emails.send_round_assigned(created)
    return created
