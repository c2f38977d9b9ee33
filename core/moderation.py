"""The moderation life cycle of listings that cluster staff publish (needs and
offers, talent roles), written once.

    draft → pending → published or rejected (with a reason, mailed to the editors);
    an edit of a published or expired one sends it back to pending;
    a published one expires at its date and its editors may renew it.

Each app describes its listing by subclassing `Lifecycle` in its services module
(the model, the allowed moves, its predicates, how it is saved and whom it tells)
and calls these steps; its pages are a `ListingPages`.
"""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import audit, search
from core.forms import ReasonForm
from core.pagination import paginate
from core.routing import routes
from core.services import required_reason
from core.views import (
    add_errors_to_form,
    redirect_to_next,
    render_page,
    visible_or_404,
)


class Lifecycle(ABC):
    """What one app tells the shared life cycle about its listing."""

    model = None
    # status → the statuses it may move to.
    transitions: dict = {}
    # The fields an edit may change.
    fields: tuple = ()
    # Audit actions: this prefix + "created", "updated", "status", "rejected",
    # "renewed".
    audit_prefix = ""
    # Message (gettext_noop) with %(old)s and %(new)s for a move that is not allowed.
    cannot_move = ""
    # How long a listing stays valid when no date is given, and the furthest date.
    default_validity = datetime.timedelta(days=90)
    max_validity = datetime.timedelta(days=366)
    # Fields set back to None by a renewal (such as "reminder sent").
    reset_on_renew: tuple = ()
    # Many-to-many fields the steps take by name ("tags", "skills"): a new listing
    # has none unless given, an edit leaves them as they are unless given.
    relations: tuple = ()

    # The app's predicates.
    def can_create_in(self, user, organization) -> bool:
        return self.can_edit(user, self.model(organization=organization))

    @abstractmethod
    def can_edit(self, user, obj) -> bool:
        """The app's predicate."""

    @abstractmethod
    def can_submit(self, user, obj) -> bool:
        """The app's predicate."""

    @abstractmethod
    def can_moderate(self, user) -> bool:
        """The app's predicate."""

    @abstractmethod
    def can_renew(self, user, obj) -> bool:
        """The app's predicate."""

    # The app's own work around the steps.
    def check(self, obj) -> None:
        """Rules beyond the model's own validation (raise ValidationError)."""
        return None  # an optional hook: nothing by default

    def store(self, obj, relations: dict):
        """Save `obj` and its many-to-many `relations` (None: leave as they are)."""
        obj.save()
        for name, values in relations.items():
            if values is not None:
                getattr(obj, name).set(values)

    def changed(self, *, bulk: bool = False) -> None:
        """What the public set changing means (indexes, aggregates), after commit;
        `bulk`: rows changed by an UPDATE, which sends no model signals."""
        return None  # an optional hook: nothing by default

    def mail(self, obj, template: str, **context) -> None:
        """Tell the listing's editors: `template` is "published" or "rejected"."""
        return None  # an optional hook: nothing by default

    # The steps.
    def check_validity(self, valid_until: datetime.date) -> None:
        today = timezone.localdate()
        if valid_until < today:
            raise ValidationError(
                {"valid_until": _("Choose a date from today on.")}, code="past"
            )
        if valid_until > today + self.max_validity:
            raise ValidationError(
                {"valid_until": _("Choose a date within a year from today.")},
                code="too_far",
            )

    def set_status(self, obj, new: str, *, by=None):
        """Move `obj` to status `new` if the life cycle allows it (audited)."""
        if new not in self.transitions.get(obj.status, set()):
            labels = self.model.Status
            raise ValidationError(
                _(self.cannot_move)
                % {"old": labels(obj.status).label, "new": labels(new).label},
                code="transition",
            )
        old = obj.status
        obj.status = new
        audit.record(f"{self.audit_prefix}status", obj, actor=by, old=old, new=new)
        return obj

    def _lock(self, obj):
        return self.model.objects.select_for_update().get(pk=obj.pk)

    def _relations(self, fields: dict, default) -> dict:
        return {name: fields.pop(name, default) for name in self.relations}

    @transaction.atomic
    def create(self, *, by, submit: bool = False, **fields):
        """An editor drafts a listing for their organization (and may submit it)."""
        relations = self._relations(fields, ())
        if not self.can_create_in(by, fields["organization"]):
            raise PermissionDenied
        fields.setdefault("valid_until", timezone.localdate() + self.default_validity)
        self.check_validity(fields["valid_until"])
        obj = self.model(created_by=by, status=self.model.Status.DRAFT, **fields)
        self.check(obj)
        obj.full_clean(exclude=["match_terms"])
        self.store(obj, relations)
        audit.record(f"{self.audit_prefix}created", obj, actor=by)
        if submit:
            self.submit(obj, by=by)
        return obj

    @transaction.atomic
    def update(self, obj, *, by, submit: bool = False, **fields):
        """Change a listing. A published or expired one goes back to review, since
        the public sees only what staff approved."""
        relations = self._relations(fields, None)
        if not self.can_edit(by, obj):
            raise PermissionDenied
        obj = self._lock(obj)
        if "organization" in fields and not self.can_edit(
            by, self.model(organization=fields["organization"])
        ):
            raise PermissionDenied
        for name, value in fields.items():
            if name not in self.fields:
                raise ValidationError(_("This field cannot be changed."), code="field")
            setattr(obj, name, value)
        self.check_validity(obj.valid_until)
        self.check(obj)
        obj.full_clean(exclude=["match_terms"])
        Status = self.model.Status
        if obj.status in (Status.PUBLISHED, Status.EXPIRED):
            self.set_status(obj, Status.PENDING, by=by)
            obj.submitted_at = timezone.now()
        self.store(obj, relations)
        audit.record(f"{self.audit_prefix}updated", obj, actor=by)
        if submit and obj.may_be_submitted:
            self.submit(obj, by=by)
        return obj

    @transaction.atomic
    def submit(self, obj, *, by):
        """Send a draft (or a corrected rejected one) to staff for review."""
        if not self.can_submit(by, obj):
            raise PermissionDenied
        self.set_status(obj, self.model.Status.PENDING, by=by)
        obj.submitted_at = timezone.now()
        obj.rejection_reason = ""
        obj.save(
            update_fields=["status", "submitted_at", "rejection_reason", "updated_at"]
        )
        return obj

    @transaction.atomic
    def approve(self, obj, *, by):
        """Staff publish a listing; its editors are told."""
        if not self.can_moderate(by):
            raise PermissionDenied
        obj = self._lock(obj)
        self.set_status(obj, self.model.Status.PUBLISHED, by=by)
        obj.published_at = timezone.now()
        obj.decided_by = by
        obj.rejection_reason = ""
        if obj.valid_until < timezone.localdate():
            obj.valid_until = timezone.localdate() + self.default_validity
        obj.save()
        self.changed()
        self.mail(obj, "published")
        return obj

    @transaction.atomic
    def reject(self, obj, *, by, reason: str):
        """Staff decline a listing; its editors get the reason."""
        if not self.can_moderate(by):
            raise PermissionDenied
        reason = required_reason(reason)
        obj = self._lock(obj)
        self.set_status(obj, self.model.Status.REJECTED, by=by)
        obj.decided_by = by
        obj.rejection_reason = reason
        obj.save()
        audit.record(f"{self.audit_prefix}rejected", obj, actor=by, reason=reason)
        self.mail(obj, "rejected", reason=reason)
        return obj

    @transaction.atomic
    def renew(self, obj, *, by, until: datetime.date | None = None):
        """Extend a published or expired listing; it stays public without a new
        review, since its text did not change."""
        if not self.can_renew(by, obj):
            raise PermissionDenied
        obj = self._lock(obj)
        today = timezone.localdate()
        until = until or max(today, obj.valid_until) + self.default_validity
        until = min(until, today + self.max_validity)
        self.check_validity(until)
        self.set_status(obj, self.model.Status.PUBLISHED, by=by)
        obj.valid_until = until
        for name in self.reset_on_renew:
            setattr(obj, name, None)
        obj.save()
        audit.record(f"{self.audit_prefix}renewed", obj, actor=by, until=str(until))
        self.changed()
        return obj

    def expire(self, *, today: datetime.date | None = None) -> int:
        """Mark published listings past their date as expired."""
        today = today or timezone.localdate()
        Status = self.model.Status
        count = self.model.objects.filter(
            status=Status.PUBLISHED, valid_until__lt=today
        ).update(status=Status.EXPIRED, updated_at=timezone.now())
        if count:
            self.changed(bulk=True)
        return count


def sort_listings(queryset, sort: str):
    """A list's order: "expiring" (soonest first), "title", else the newest first."""
    if sort == "expiring":
        return queryset.order_by("valid_until", "pk")
    if sort == "title":
        return queryset.order_by("title_uk", "pk")
    return queryset.order_by("-published_at", "-created_at", "-pk")


# Pages.


def saved_message(obj) -> str:
    if obj.status == obj.Status.PENDING:
        return _("Sent for review. Cluster staff will publish it or tell you why not.")
    return _("Saved as a draft. Submit it for review when it is ready.")


@dataclass(eq=False)
class ListingPages:
    """The pages every moderated listing has, written once: the public list, the
    form (new and edit), submit, renew, the editors' own list, the review queue
    and the moderation page. The app names its queries, predicates, forms and
    templates (`<app>/<stem>_list.html`, `_form`, `_mine`, `_moderate` and
    `<app>/moderation_queue.html`); its detail page stays its own and finds the
    listing through `visible`."""

    lifecycle: Lifecycle
    app: str  # the app's label: templates and the moderation-queue URL name
    stem: str  # of templates and URL names: "role" → role_list.html, role-list
    name: str  # the context's name for one listing ("role")
    plural: str  # … and for a page of them ("roles")
    visible_to: Callable  # user → the listings they may see
    can_view: Callable  # (user, listing) → bool
    can_create: Callable  # user → bool
    published: Callable  # () → the public listings
    filter_listings: Callable  # (queryset, **the filter form's filters())
    filter_form: type
    form: type  # takes `organizations`, where the user may post
    editable_organizations: Callable  # user → organizations
    of_user: Callable  # user → the listings of the organizations they edit
    awaiting: Callable  # () → the listings waiting for review

    def __post_init__(self):
        self.list = require_GET(self._list)
        self.create = _editor_page(self._create, ["GET", "POST"])
        self.edit = _editor_page(self._edit, ["GET", "POST"])
        self.submit = _editor_page(self._submit, ["POST"])
        self.renew = _editor_page(self._renew, ["POST"])
        self.mine = _editor_page(self._mine, ["GET"])
        self.queue = _editor_page(self._queue, ["GET"])
        self.moderate = _editor_page(self._moderate, ["GET", "POST"])

    def urls(self, prefix: str, *, detail, more=()) -> list:
        """The listing's addresses under `prefix`, named `<stem>-list`,
        `<stem>-create` … and `moderation-queue`; `detail` is the app's own page
        and `more` its further `(suffix, view, name)` rows below one listing."""
        stem = self.stem
        one = f"{prefix}<int:pk>/"
        return routes(
            prefix,
            ("", self.list, f"{stem}-list"),
            ("new/", self.create, f"{stem}-create"),
            ("mine/", self.mine, f"{stem}-mine"),
            ("moderation/", self.queue, "moderation-queue"),
        ) + routes(
            one,
            ("", detail, f"{stem}-detail"),
            ("edit/", self.edit, f"{stem}-edit"),
            ("submit/", self.submit, f"{stem}-submit"),
            ("renew/", self.renew, f"{stem}-renew"),
            ("moderate/", self.moderate, f"{stem}-moderate"),
            *more,
        )

    @property
    def page_size(self) -> int:
        return getattr(settings, "MIST_DIRECTORY_PAGE_SIZE", 20)

    def template(self, page: str) -> str:
        return f"{self.app}/{self.stem}_{page}.html"

    def visible(self, request, pk: int, *, may=None):
        """The listing the user may see (else 404); with `may`, a predicate on the
        user and it that must also hold (else 403)."""
        user = request.user
        queryset = self.visible_to(user)
        return visible_or_404(user, queryset, pk, can_view=self.can_view, may=may)

    def _list(self, request):
        """Published listings: search, filters, sorting, pagination."""
        form = self.filter_form(request.GET or None)
        if form.is_bound:
            form.is_valid()
        listings = self.filter_listings(self.published(), **form.filters())
        if form.search_text:
            listings = search.filter_by_terms(listings, form.search_text)
        listings = sort_listings(listings, form.ordering)
        page = paginate(request, listings, self.page_size)
        context = {
            "form": form,
            "page_obj": page,
            self.plural: page.object_list,
            "total": page.paginator.count,
            "active_filters": form.active_filter_count(),
            "can_create": self.can_create(request.user),
            "can_moderate": self.lifecycle.can_moderate(request.user),
        }
        return render_page(request, self.template("list"), context)

    def _create(self, request):
        if not self.can_create(request.user):
            raise PermissionDenied
        return self._form(request, None)

    def _edit(self, request, pk):
        return self._form(
            request, self.visible(request, pk, may=self.lifecycle.can_edit)
        )

    def _form(self, request, obj):
        """The form: the service makes a new listing when `obj` is None, else
        changes it; the "submit" button sends it for review."""
        form = self.form(
            request.POST or None,
            instance=obj,
            organizations=self.editable_organizations(request.user),
        )
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                if obj is None:
                    saved = self.lifecycle.create(
                        by=request.user, submit=submit, **form.cleaned_data
                    )
                else:
                    # Validation wrote the input onto `obj`; the service compares
                    # against the stored row.
                    saved = self.lifecycle.update(
                        type(obj).objects.get(pk=obj.pk),
                        by=request.user,
                        submit=submit,
                        **form.cleaned_data,
                    )
            except ValidationError as error:
                add_errors_to_form(form, error)
            else:
                messages.success(request, saved_message(saved))
                return redirect(saved)
        return render(request, self.template("form"), {"form": form, self.name: obj})

    def _submit(self, request, pk):
        obj = self.visible(request, pk, may=self.lifecycle.can_submit)
        self.lifecycle.submit(obj, by=request.user)
        messages.success(request, saved_message(obj))
        return redirect(obj)

    def _renew(self, request, pk):
        obj = self.visible(request, pk, may=self.lifecycle.can_renew)
        obj = self.lifecycle.renew(obj, by=request.user)
        messages.success(
            request,
            _("Renewed: public until %(date)s.")
            % {"date": obj.valid_until.strftime("%d.%m.%Y")},
        )
        return redirect_to_next(request, obj)

    def _mine(self, request):
        """The listings of the organizations the person edits, any status."""
        page = paginate(request, self.of_user(request.user), self.page_size)
        context = {
            "page_obj": page,
            self.plural: page.object_list,
            "can_create": self.can_create(request.user),
        }
        return render(request, self.template("mine"), context)

    def _queue(self, request):
        if not self.lifecycle.can_moderate(request.user):
            raise PermissionDenied
        page = paginate(request, self.awaiting(), self.page_size)
        context = {"page": page, "page_obj": page, self.plural: page.object_list}
        return render(request, f"{self.app}/moderation_queue.html", context)

    def _moderate(self, request, pk):
        """Staff publish or reject (with a reason) the pending listing `pk`."""
        if not self.lifecycle.can_moderate(request.user):
            raise PermissionDenied
        obj = get_object_or_404(self.visible_to(request.user), pk=pk)
        if obj.status != obj.Status.PENDING:
            messages.info(request, _("This one has already been decided."))
            return redirect(obj)
        action = request.POST.get("action")
        form = ReasonForm(request.POST if action == "reject" else None)
        if request.method == "POST":
            queue = f"{self.app}:moderation-queue"
            if action == "approve":
                self.lifecycle.approve(obj, by=request.user)
                messages.success(request, _("Published."))
                return redirect(queue)
            if action == "reject" and form.is_valid():
                self.lifecycle.reject(
                    obj, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Rejected; the editors were told why."))
                return redirect(queue)
        return render(
            request, self.template("moderate"), {self.name: obj, "form": form}
        )


def _editor_page(view, methods: list[str]):
    """A page for signed-in people only, answering `methods`."""
    return login_required(require_http_methods(methods)(view))
