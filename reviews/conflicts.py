"""Detecting conflicts of interest between a call's reviewers and its submissions.

Conflicts are detected, not only declared:

- same organization: the reviewer is a member of the submitting organization, or
  of an organization with the same EDRPOU code;
- same e-mail domain: the reviewer's e-mail domain is the domain of the
  submission's creator, of a member of the submitting organization, of the
  organization's contact e-mail or of its website (public mail services such as
  gmail.com or ukr.net never count);
- declared tie: the reviewer listed the submitting organization among their ties;
- past co-submission: the reviewer's organizations and the submitting
  organization appear together on a submission (in any call): a member of one
  created a submission for the other; or the reviewer themself created a
  submission for the submitting organization;
- declared by the reviewer (rows the reviewer added; never recomputed here).

Everything is read with a handful of set-based queries per call, then matched
through in-memory indexes, so 2,000 submissions × 200 reviewers costs the same
few queries as one pair.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction

from accounts.models import Membership
from exchange.models import Call, Submission
from reviews.models import CallReviewer, ConflictOfInterest

Reason = ConflictOfInterest.Reason
Pair = tuple[int, int]  # (submission id, call reviewer id)

#: Mail services anyone can sign up to: sharing one says nothing about ties.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "ukr.net",
        "i.ua",
        "meta.ua",
        "email.ua",
        "bigmir.net",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "zoho.com",
        # reserved for documentation and tests (RFC 2606): shared by nobody
        "example.com",
        "example.org",
        "example.net",
    }
)

#: Reasons computed here; DECLARED_BY_REVIEWER rows are the reviewer's own.
DETECTED_REASONS = (
    Reason.SAME_ORGANIZATION,
    Reason.EMAIL_DOMAIN,
    Reason.DECLARED_TIE,
    Reason.CO_SUBMISSION,
)


def email_domain(address: str | None) -> str:
    """The lower-cased domain of an e-mail address, '' for a public mail service."""
    if not address or "@" not in address:
        return ""
    domain = address.rsplit("@", 1)[1].strip().lower().rstrip(".")
    return "" if domain in PUBLIC_MAIL_DOMAINS else domain


def website_domain(url: str | None) -> str:
    """The host of a website without a leading "www.", '' when there is none."""
    if not url:
        return ""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    host = host.removeprefix("www.")
    return "" if host in PUBLIC_MAIL_DOMAINS else host


def _org_label(name_uk: str, name_en: str) -> str:
    if name_en and name_en != name_uk:
        return f"{name_uk} / {name_en}"
    return name_uk or name_en


def find_conflicts(
    call: Call,
    *,
    submission_ids: set[int] | None = None,
    call_reviewer_ids: set[int] | None = None,
) -> dict[Pair, dict[str, str]]:
    """Detected conflicts as {(submission id, call reviewer id): {reason: detail}}.

    Reads only; covers the call's submitted submissions and active reviewers, or
    the given ones. Details are evidence (names, domains), not sentences, so they
    read the same in both languages next to the translated reason.
    """
    submissions = Submission.objects.filter(call=call)
    if submission_ids is None:
        submissions = submissions.filter(status=Submission.Status.SUBMITTED)
    else:
        submissions = submissions.filter(pk__in=submission_ids)
    subs = list(
        submissions.values_list(
            "pk",
            "organization_id",
            "organization__edrpou",
            "organization__name_uk",
            "organization__name_en",
            "organization__website",
            "organization__email",
            "created_by__email",
        )
    )
    reviewers = CallReviewer.objects.filter(call=call)
    if call_reviewer_ids is None:
        reviewers = reviewers.filter(is_active=True)
    else:
        reviewers = reviewers.filter(pk__in=call_reviewer_ids)
    revs = list(reviewers.values_list("pk", "user_id", "user__email"))
    if not subs or not revs:
        return {}
    submitted = _index_submissions(subs)
    return _match(revs, submitted, _index_reviewers(revs, set(submitted.by_org)))


@dataclass
class _Submitted:
    """The submissions indexed by what a reviewer may share with them."""

    by_org: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_edrpou: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    org_label: dict[int, str] = field(default_factory=dict)
    # domain -> {submission id: evidence}
    by_domain: dict[str, dict[int, str]] = field(
        default_factory=lambda: defaultdict(dict)
    )


def _index_submissions(subs: list[tuple]) -> _Submitted:
    index = _Submitted()
    for pk, org_id, edrpou, name_uk, name_en, website, org_email, creator in subs:
        index.by_org[org_id].append(pk)
        index.org_label[org_id] = _org_label(name_uk, name_en)
        if edrpou:
            index.by_edrpou[edrpou].append(pk)
        for domain in (website_domain(website), email_domain(org_email)):
            if domain:
                index.by_domain[domain].setdefault(pk, domain)
        if domain := email_domain(creator):
            index.by_domain[domain].setdefault(pk, domain)
    for org_id, member_email in Membership.objects.filter(
        organization_id__in=set(index.by_org)
    ).values_list("organization_id", "user__email"):
        if domain := email_domain(member_email):
            for pk in index.by_org[org_id]:
                index.by_domain[domain].setdefault(pk, domain)
    return index


@dataclass
class _Reviewers:
    """What the reviewers are tied to: organizations, declared ties, submissions."""

    # user id -> [(organization id, EDRPOU, label)]
    orgs_of_user: dict[int, list[tuple[int, str | None, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # call reviewer id -> [submitting organization id]
    ties_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Organizations linked by a submission one of them made with the other:
    # {reviewer's organization: {submitting organization}}.
    linked: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    # user id -> {submitting organization they created a submission for}
    created_for: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def _index_reviewers(revs: list[tuple], sub_org_ids: set[int]) -> _Reviewers:
    index = _Reviewers()
    user_ids = {user_id for _, user_id, _ in revs}
    reviewer_org_ids: set[int] = set()
    for user_id, org_id, edrpou, name_uk, name_en in Membership.objects.filter(
        user_id__in=user_ids
    ).values_list(
        "user_id",
        "organization_id",
        "organization__edrpou",
        "organization__name_uk",
        "organization__name_en",
    ):
        index.orgs_of_user[user_id].append(
            (org_id, edrpou, _org_label(name_uk, name_en))
        )
        reviewer_org_ids.add(org_id)
    for reviewer_id, org_id in CallReviewer.ties.through.objects.filter(
        callreviewer_id__in=[pk for pk, _, _ in revs], organization_id__in=sub_org_ids
    ).values_list("callreviewer_id", "organization_id"):
        index.ties_of[reviewer_id].append(org_id)
    if reviewer_org_ids:
        for rev_org, sub_org in Membership.objects.filter(
            organization_id__in=reviewer_org_ids,
            user__submissions__organization_id__in=sub_org_ids,
        ).values_list("organization_id", "user__submissions__organization_id"):
            index.linked[rev_org].add(sub_org)
        for sub_org, rev_org in Membership.objects.filter(
            organization_id__in=sub_org_ids,
            user__submissions__organization_id__in=reviewer_org_ids,
        ).values_list("organization_id", "user__submissions__organization_id"):
            index.linked[rev_org].add(sub_org)
    for user_id, org_id in Submission.objects.filter(
        created_by_id__in=user_ids, organization_id__in=sub_org_ids
    ).values_list("created_by_id", "organization_id"):
        index.created_for[user_id].add(org_id)
    return index


def _match(
    revs: list[tuple], subs: _Submitted, reviewers: _Reviewers
) -> dict[Pair, dict[str, str]]:
    """Every reviewer against the indexes: the first detail of each reason."""
    found: dict[Pair, dict[str, str]] = defaultdict(dict)

    def mark(sub_ids, reviewer_id: int, reason: str, detail: str) -> None:
        for sub_id in sub_ids:
            found[(sub_id, reviewer_id)].setdefault(reason, detail[:300])

    for reviewer_id, user_id, user_email in revs:
        orgs = reviewers.orgs_of_user[user_id]
        member_of = {org_id for org_id, _, _ in orgs}
        for org_id, edrpou, label in orgs:
            mark(
                subs.by_org.get(org_id, ()),
                reviewer_id,
                Reason.SAME_ORGANIZATION,
                label,
            )
            if edrpou:  # another record of the same legal entity
                mark(
                    subs.by_edrpou.get(edrpou, ()),
                    reviewer_id,
                    Reason.SAME_ORGANIZATION,
                    f"{label} · EDRPOU {edrpou}",
                )
            for sub_org in reviewers.linked.get(org_id, ()):
                if sub_org not in member_of:
                    mark(
                        subs.by_org[sub_org],
                        reviewer_id,
                        Reason.CO_SUBMISSION,
                        f"{subs.org_label[sub_org]} ↔ {label}",
                    )
        if domain := email_domain(user_email):
            for pk, evidence in subs.by_domain.get(domain, {}).items():
                mark((pk,), reviewer_id, Reason.EMAIL_DOMAIN, f"@{evidence}")
        for org_id in reviewers.ties_of.get(reviewer_id, ()):
            mark(
                subs.by_org[org_id],
                reviewer_id,
                Reason.DECLARED_TIE,
                subs.org_label[org_id],
            )
        for org_id in reviewers.created_for.get(user_id, ()):
            if org_id not in member_of:
                mark(
                    subs.by_org[org_id],
                    reviewer_id,
                    Reason.CO_SUBMISSION,
                    subs.org_label[org_id],
                )
    return dict(found)


def declared_conflicts(call: Call) -> dict[Pair, dict[str, str]]:
    """Conflicts the reviewers declared themselves, in the same shape."""
    found: dict[Pair, dict[str, str]] = defaultdict(dict)
    for sub_id, reviewer_id, detail in ConflictOfInterest.objects.filter(
        call_reviewer__call=call, reason=Reason.DECLARED_BY_REVIEWER
    ).values_list("submission_id", "call_reviewer_id", "detail"):
        found[(sub_id, reviewer_id)][Reason.DECLARED_BY_REVIEWER] = detail
    return dict(found)


@transaction.atomic
def detect_conflicts(call: Call) -> dict[Pair, dict[str, str]]:
    """Recompute and store the call's detected conflicts; return every conflict
    (detected and declared by reviewers) as {(submission id, reviewer id):
    {reason: detail}}. Only the difference is written, so a re-run over an
    unchanged call writes nothing."""
    found = find_conflicts(call)
    wanted = {
        (sub_id, reviewer_id, reason): detail
        for (sub_id, reviewer_id), reasons in found.items()
        for reason, detail in reasons.items()
    }
    stale = []
    for pk, sub_id, reviewer_id, reason, detail in ConflictOfInterest.objects.filter(
        call_reviewer__call=call, reason__in=DETECTED_REASONS
    ).values_list("pk", "submission_id", "call_reviewer_id", "reason", "detail"):
        key = (sub_id, reviewer_id, reason)
        if wanted.get(key) == detail:
            del wanted[key]  # stored as it is
        else:
            stale.append(pk)
    for start in range(0, len(stale), 5000):
        ConflictOfInterest.objects.filter(pk__in=stale[start : start + 5000]).delete()
    ConflictOfInterest.objects.bulk_create(
        [
            ConflictOfInterest(
                submission_id=sub_id,
                call_reviewer_id=reviewer_id,
                reason=reason,
                detail=detail,
            )
            for (sub_id, reviewer_id, reason), detail in wanted.items()
        ],
        batch_size=2000,
    )
    merged = {pair: dict(reasons) for pair, reasons in found.items()}
    for pair, reasons in declared_conflicts(call).items():
        merged.setdefault(pair, {}).update(reasons)
    return merged
