"""The pages every moderated listing has (core.moderation's life cycle), written
once: an app builds one `ListingPages` and routes its `urls()`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import search
from core.forms import ReasonForm
from core.moderation import Lifecycle, sort_listings
from core.pagination import paginate
from core.routing import routes
from core.views import (
    add_errors_to_form,
    redirect_to_next,
    render_page,
    visible_or_404,
)


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
