"""Who may see and change what in the investment portfolio. Pure predicates."""

from accounts.permissions import is_city_officer, is_cluster_staff, is_investor
from investments.models import (
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectDocument,
)


def is_city_side(user) -> bool:
    """City officers and cluster staff (and admins) run the portfolio."""
    return bool(is_city_officer(user) or is_cluster_staff(user))


def is_verified_investor(user) -> bool:
    """An investor account staff have verified."""
    if not is_investor(user):
        return False
    verification = getattr(user, "_investor_verification_cache", None)
    if verification is None:
        verification = InvestorVerification.objects.filter(user=user).first()
        user._investor_verification_cache = verification or False
    return bool(verification) and (
        verification.status == InvestorVerification.Status.VERIFIED
    )


def can_create_project(user) -> bool:
    return is_city_side(user)


def can_edit_project(user, project: InvestmentProject) -> bool:
    return is_city_side(user)


def can_change_status(user, project: InvestmentProject) -> bool:
    return is_city_side(user)


def can_see_history(user, project: InvestmentProject) -> bool:
    return is_city_side(user)


def can_see_document(
    user, document: ProjectDocument, *, interest: Interest | None = None
) -> bool:
    """Open documents of a visible project for all; limited ones for an investor whose
    interest the city accepted and who confirmed the confidentiality terms; restricted
    ones for the city only. `interest` may be passed to save a query."""
    if is_city_side(user):
        return True
    project = document.project
    if not project.is_public:
        return False
    if document.access == ProjectDocument.Access.OPEN:
        return True
    if document.access == ProjectDocument.Access.LIMITED and is_investor(user):
        if interest is None:
            interest = Interest.objects.filter(project=project, investor=user).first()
        return bool(
            interest
            and interest.investor_id == user.pk
            and interest.opens_limited_documents
        )
    return False


def can_express_interest(user, project: InvestmentProject) -> bool:
    """A verified investor, on a published project still looking for money."""
    return project.status in (
        InvestmentProject.Status.PUBLISHED,
        InvestmentProject.Status.IN_NEGOTIATION,
    ) and is_verified_investor(user)


def can_confirm_terms(user, interest: Interest) -> bool:
    return interest.investor_id == getattr(user, "pk", None)


def can_work_pipeline(user) -> bool:
    return is_city_side(user)


def can_view_dashboard(user) -> bool:
    return is_city_side(user)


def can_verify_investors(user) -> bool:
    return is_cluster_staff(user)


def can_request_verification(user) -> bool:
    return is_investor(user)


def needs_investor_verification(user) -> bool:
    """An investor staff have not verified yet: the pages offer the request."""
    return bool(is_investor(user)) and not is_verified_investor(user)


def can_add_party_to_directory(user, project: InvestmentProject) -> bool:
    """Adding an organization an OC4IDS import named to the directory is a staff
    decision (the city side), never the import's."""
    return is_city_side(user)


def can_create_project_from(user, submission) -> bool:
    """The city adopts a submission its call accepted (a released decision) as an
    investment project."""
    from reviews.queries import accepted_submissions

    return (
        can_create_project(user)
        and accepted_submissions().filter(pk=submission.pk).exists()
    )
