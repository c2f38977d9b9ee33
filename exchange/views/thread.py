"""The questions and answers of a submission: the thread as each reader may see it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exchange import permissions, queries, services
from exchange.forms import MessageForm
from exchange.views.common import submission_or_404

# The submission page shows the newest messages of the thread; the thread's own
# page shows them all, so the submission page costs the same however long it grows.
THREAD_PREVIEW = 5


def thread_rows(request, submission, *, latest: int | None = None):
    """Messages with their authors as the viewer may see them, and whether older
    ones were left out."""
    show_names = permissions.sees_message_authors(request.user, submission)
    messages, has_earlier = queries.messages_of(
        submission, with_names=show_names, latest=latest
    )
    submitter = _("Submitter")
    when_format = get_format("SHORT_DATETIME_FORMAT")
    reviewer_numbers = None
    rows = []
    for message in messages:
        author_id = message["author_id"]
        if show_names and author_id:
            label = message["author_name"] or message["author_email"]
        elif message["is_from_reviewer"]:
            if reviewer_numbers is None:
                reviewer_numbers = queries.reviewer_numbers(submission)
            label = _("Reviewer %(number)s") % {"number": reviewer_numbers[author_id]}
        else:
            label = submitter
        moment = timezone.localtime(message["created_at"])
        rows.append(
            {
                "body": message["body"],
                "from_reviewer": message["is_from_reviewer"],
                "author": label,
                "is_mine": author_id == request.user.pk,
                "iso": moment.isoformat(),
                "when": dateformat.format(moment, when_format),
            }
        )
    return rows, has_earlier


@login_required
@require_http_methods(["GET", "POST"])
def submission_messages(request, pk):
    submission = submission_or_404(request, pk)  # it is visible to the user
    can_post = permissions.can_post_message(request.user, submission, visible=True)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        if form.is_valid():
            services.post_message(
                submission, form.cleaned_data["body"], by=request.user
            )
            return redirect(f"{submission.get_absolute_url()}#questions")
    context = {
        "submission": submission,
        "thread": thread_rows(request, submission)[0],
        "message_form": form,
        "can_post": can_post,
    }
    return render(request, "exchange/submission_messages.html", context)
