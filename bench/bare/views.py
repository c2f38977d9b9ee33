"""The bare counterparts of Mist's pages: the same rows from the same tables, read
with plain SQL and answered as plain HTML tables or JSON, no template engine, no
middleware but sessions. They are the floor Mist's pages are held to, not copies of
them: no menus, filters, translations or layout, only the rows a page shows and the
check that the person may see them.

Signed-in pages read the session (SessionMiddleware) and then the user row, as
Django's own authentication does; `login` is a plain password form over the same
accounts_user rows and hashes (no second factor: the bare floor has none).
"""

import functools

from django.contrib.auth.hashers import check_password
from django.db import connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils import timezone
from django.utils.html import format_html, format_html_join

PAGE = 20
DASHBOARD_PAGE = 25
PUBLIC_ORGANIZATION = (
    "o.deleted_at IS NULL AND o.verification = 'verified' AND o.visibility = 'public'"
)
PUBLIC_PROJECT = "p.status IN ('published', 'in_negotiation', 'funded')"
LISTED_EVENT = "e.is_public AND e.status <> 'draft'"
STAFF_ROLES = ("admin", "staff")


def _all(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _one(sql, params=()):
    rows = _all(sql, params)
    if not rows:
        raise Http404
    return rows[0]


def _page(title, *parts):
    body = format_html_join("\n", "{}", ((part,) for part in parts))
    return HttpResponse(
        format_html(
            '<!doctype html><html lang="uk"><head><meta charset="utf-8">'
            "<title>{}</title></head><body><h1>{}</h1>{}</body></html>",
            title,
            title,
            body,
        )
    )


def _table(rows, row_format):
    return format_html("<table>{}</table>", format_html_join("\n", row_format, rows))


# --- signing in ------------------------------------------------------------------


def login(request):
    """POST email and password: the session remembers the user's id."""
    if request.method != "POST":
        return HttpResponse(
            '<form method="post"><input name="username"><input name="password" '
            'type="password"><button>Sign in</button></form>'
        )
    rows = _all(
        "SELECT id, password FROM accounts_user WHERE email = %s AND is_active",
        [request.POST.get("username", "")],
    )
    if not rows or not check_password(request.POST.get("password", ""), rows[0][1]):
        return HttpResponseForbidden("wrong e-mail or password")
    request.session.cycle_key()
    request.session["user"] = rows[0][0]
    return HttpResponseRedirect("/bare/hello/")


def signed_in(view):
    """The session's user row (id, full name, role) as request.bare_user."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user_id = request.session.get("user")
        rows = (
            _all(
                "SELECT id, full_name, role FROM accounts_user "
                "WHERE id = %s AND is_active",
                [user_id],
            )
            if user_id
            else []
        )
        if not rows:
            return HttpResponseRedirect("/bare/login/")
        request.bare_user = rows[0]
        return view(request, *args, **kwargs)

    return wrapper


def hello(request):
    """Nothing but an answer: the floor of a request on this app server."""
    return HttpResponse("hello", content_type="text/plain")


# --- directory ---------------------------------------------------------------------


def _organizations():
    rows = _all(
        f"""SELECT o.name_uk, o.slug, o.kind, o.locality, count(*) OVER ()
        FROM directory_organization o WHERE {PUBLIC_ORGANIZATION}
        ORDER BY o.name_uk, o.id LIMIT %s""",
        [PAGE],
    )
    return [row[:4] for row in rows], (rows[0][4] if rows else 0)


def organizations_html(request):
    rows, total = _organizations()
    return _page(
        "Organizations",
        format_html("<p>{}</p>", total),
        _table(
            rows,
            '<tr><td><a href="/bare/directory/o/{1}/">{0}</a></td><td>{2}</td>'
            "<td>{3}</td></tr>",
        ),
    )


def organizations_json(request):
    rows, total = _organizations()
    return JsonResponse(
        {
            "count": total,
            "results": [
                {"name": name, "slug": slug, "kind": kind, "locality": locality}
                for name, slug, kind, locality in rows
            ],
        }
    )


def organization(request, slug):
    org = _one(
        f"""SELECT o.id, o.name_uk, o.kind, o.description_uk, o.locality, o.address,
            o.website, o.email, o.phone, o.founded_year, o.cluster_status,
            pl.name_uk
        FROM directory_organization o LEFT JOIN directory_place pl ON pl.id = o.place_id
        WHERE o.slug = %s AND {PUBLIC_ORGANIZATION}""",
        [slug],
    )
    sectors = _all(
        """SELECT s.name_uk FROM directory_sector s
        JOIN directory_organization_sectors os ON os.sector_id = s.id
        WHERE os.organization_id = %s ORDER BY s.name_uk""",
        [org[0]],
    )
    return _page(
        org[1],
        _table([org[2:]], "<tr>" + "<td>{}</td>" * 10 + "</tr>"),
        _table(sectors, "<tr><td>{}</td></tr>"),
    )


# --- investments ---------------------------------------------------------------------


def _projects():
    rows = _all(
        f"""SELECT p.title_uk, p.slug, p.summary_uk, p.status, p.total_cost,
            p.currency, p.financing_sought, p.financing_currency, pl.name_uk,
            count(*) OVER ()
        FROM investments_investmentproject p
        LEFT JOIN directory_place pl ON pl.id = p.place_id
        WHERE {PUBLIC_PROJECT}
        ORDER BY p.published_at DESC NULLS LAST, p.id DESC LIMIT %s""",
        [PAGE],
    )
    return [row[:9] for row in rows], (rows[0][9] if rows else 0)


def projects_html(request):
    rows, total = _projects()
    return _page(
        "Projects",
        format_html("<p>{}</p>", total),
        _table(
            rows,
            '<tr><td><a href="/bare/investments/projects/{1}/">{0}</a></td>'
            + "".join(f"<td>{{{i}}}</td>" for i in range(2, 9))
            + "</tr>",
        ),
    )


def projects_json(request):
    rows, total = _projects()
    keys = (
        "title",
        "slug",
        "summary",
        "status",
        "total_cost",
        "currency",
        "financing_sought",
        "financing_currency",
        "place",
    )
    return JsonResponse(
        {"count": total, "results": [dict(zip(keys, row, strict=True)) for row in rows]}
    )


def project(request, slug):
    row = _one(
        f"""SELECT p.id, p.title_uk, p.code, p.summary_uk, p.description_uk,
            p.problem_uk, p.risks_uk, p.status, p.readiness, p.total_cost, p.currency,
            p.financing_sought, p.financing_currency, p.starts_on, p.ends_on,
            p.contact_name, p.contact_email, pl.name_uk, o.name_uk
        FROM investments_investmentproject p
        LEFT JOIN directory_place pl ON pl.id = p.place_id
        LEFT JOIN directory_organization o ON o.id = p.owner_id
        WHERE p.slug = %s AND {PUBLIC_PROJECT}""",
        [slug],
    )
    lines = _all(
        """SELECT category, kind, amount, currency, description_uk
        FROM investments_budgetline WHERE project_id = %s ORDER BY id""",
        [row[0]],
    )
    sources = _all(
        """SELECT source_name, instrument, amount, currency, secured_on
        FROM investments_fundingsource WHERE project_id = %s ORDER BY id""",
        [row[0]],
    )
    return _page(
        row[1],
        _table([row[2:]], "<tr>" + "<td>{}</td>" * 17 + "</tr>"),
        _table(lines, "<tr>" + "<td>{}</td>" * 5 + "</tr>"),
        _table(sources, "<tr>" + "<td>{}</td>" * 5 + "</tr>"),
    )


# --- events ---------------------------------------------------------------------------


def _events():
    rows = _all(
        f"""SELECT e.title_uk, e.slug, e.kind, e.starts_at, e.ends_at, e.venue_uk,
            o.name_uk, count(*) OVER ()
        FROM events_event e LEFT JOIN directory_organization o ON o.id = e.organizer_id
        WHERE {LISTED_EVENT} AND e.ends_at >= %s
        ORDER BY e.starts_at, e.id LIMIT %s""",
        [timezone.now(), PAGE],
    )
    return [row[:7] for row in rows], (rows[0][7] if rows else 0)


def events_html(request):
    rows, total = _events()
    return _page(
        "Events",
        format_html("<p>{}</p>", total),
        _table(
            rows,
            '<tr><td><a href="/bare/events/e/{1}/">{0}</a></td>'
            + "".join(f"<td>{{{i}}}</td>" for i in range(2, 7))
            + "</tr>",
        ),
    )


def events_json(request):
    rows, total = _events()
    keys = ("title", "slug", "kind", "starts_at", "ends_at", "venue", "organizer")
    return JsonResponse(
        {"count": total, "results": [dict(zip(keys, row, strict=True)) for row in rows]}
    )


def event(request, slug):
    row = _one(
        f"""SELECT e.title_uk, e.kind, e.description_uk, e.starts_at, e.ends_at,
            e.time_zone, e.venue_uk, e.online_url, e.capacity, e.status, o.name_uk,
            (SELECT count(*) FROM events_registration r
             WHERE r.event_id = e.id AND r.status IN ('confirmed', 'waitlisted'))
        FROM events_event e LEFT JOIN directory_organization o ON o.id = e.organizer_id
        WHERE e.slug = %s AND {LISTED_EVENT}""",
        [slug],
    )
    return _page(row[0], _table([row[1:]], "<tr>" + "<td>{}</td>" * 11 + "</tr>"))


# --- exchange and reviews (signed in) -------------------------------------------------


def _may_see_submission(user, submission_id) -> bool:
    """Staff see every submission; a reviewer the ones assigned to them."""
    if user[2] in STAFF_ROLES:
        return True
    return bool(
        _all(
            """SELECT 1 FROM reviews_assignment a
            JOIN reviews_callreviewer cr ON cr.id = a.call_reviewer_id
            WHERE a.submission_id = %s AND cr.user_id = %s""",
            [submission_id, user[0]],
        )
    )


@signed_in
def submission(request, pk):
    if not _may_see_submission(request.bare_user, pk):
        return HttpResponseForbidden()
    row = _one(
        """SELECT s.title_uk, s.summary_uk, s.problem_uk, s.solution_uk, s.team_uk,
            s.stage, s.funding_amount, s.funding_currency, s.status, s.submitted_at,
            s.version, o.name_uk, c.title_uk
        FROM exchange_submission s
        JOIN exchange_call c ON c.id = s.call_id
        LEFT JOIN directory_organization o ON o.id = s.organization_id
        WHERE s.id = %s""",
        [pk],
    )
    return _page(row[0], _table([row[1:]], "<tr>" + "<td>{}</td>" * 12 + "</tr>"))


@signed_in
def review_form(request, pk):
    """The signed-in reviewer's review of one submission: the submission, the
    call's criteria and the review's scores, as a plain form."""
    user = request.bare_user
    row = _one(
        """SELECT s.title_uk, s.summary_uk, s.problem_uk, s.solution_uk, s.team_uk,
            s.call_id, r.id, r.recommendation, r.comments_to_submitters,
            r.confidential_notes, r.status
        FROM exchange_submission s
        JOIN reviews_assignment a ON a.submission_id = s.id
        JOIN reviews_callreviewer cr ON cr.id = a.call_reviewer_id AND cr.user_id = %s
        LEFT JOIN reviews_review r ON r.assignment_id = a.id
        WHERE s.id = %s""",
        [user[0], pk],
    )
    criteria = _all(
        """SELECT c.id, c.name_uk, c.scale_min, c.scale_max, sc.value
        FROM exchange_criterion c
        LEFT JOIN reviews_score sc ON sc.criterion_id = c.id AND sc.review_id = %s
        WHERE c.call_id = %s ORDER BY c.position, c.id""",
        [row[6], row[5]],
    )
    fields = format_html_join(
        "\n",
        '<p><label>{1} <input type="number" name="score-{0}" min="{2}" max="{3}" '
        'value="{4}"></label></p>',
        (
            (c, name, low, high, "" if value is None else value)
            for c, name, low, high, value in criteria
        ),
    )
    return _page(
        row[0],
        _table([row[1:5]], "<tr>" + "<td>{}</td>" * 4 + "</tr>"),
        format_html(
            '<form method="post">{}<select name="recommendation"><option>{}</option>'
            '</select><textarea name="comments">{}</textarea>'
            '<textarea name="notes">{}</textarea><button>Save</button></form>',
            fields,
            row[7],
            row[8],
            row[9],
        ),
    )


@signed_in
def dashboard(request, slug):
    """A call's submissions ranked by their mean weighted score over submitted
    reviews, with their review counts: one page (25) or ?per_page=N rows."""
    if request.bare_user[2] not in STAFF_ROLES:
        return HttpResponseForbidden()
    call_id, title = _one(
        "SELECT id, title_uk FROM exchange_call WHERE slug = %s", [slug]
    )
    try:
        per_page = min(int(request.GET.get("per_page", DASHBOARD_PAGE)), 5000)
    except ValueError:
        per_page = DASHBOARD_PAGE
    rows = _all(
        """WITH totals AS (
            SELECT a.submission_id, r.id AS review,
                sum(sc.value * c.weight) / nullif(sum(c.weight), 0) AS total
            FROM reviews_review r
            JOIN reviews_assignment a ON a.id = r.assignment_id
            JOIN reviews_score sc ON sc.review_id = r.id
            JOIN exchange_criterion c ON c.id = sc.criterion_id
                AND c.counts_toward_total
            WHERE r.status = 'submitted' AND c.call_id = %s
            GROUP BY a.submission_id, r.id)
        SELECT s.id, s.title_uk, o.name_uk, s.status, count(t.review),
            round(avg(t.total), 2), count(*) OVER ()
        FROM exchange_submission s
        LEFT JOIN totals t ON t.submission_id = s.id
        LEFT JOIN directory_organization o ON o.id = s.organization_id
        WHERE s.call_id = %s AND s.status <> 'draft'
        GROUP BY s.id, o.name_uk
        ORDER BY avg(t.total) DESC NULLS LAST, s.id LIMIT %s""",
        [call_id, call_id, per_page],
    )
    return _page(
        title,
        format_html("<p>{}</p>", rows[0][6] if rows else 0),
        _table(
            [row[:6] for row in rows],
            '<tr><td><a href="/bare/submissions/{0}/">{1}</a></td>'
            + "".join(f"<td>{{{i}}}</td>" for i in range(2, 6))
            + "</tr>",
        ),
    )
