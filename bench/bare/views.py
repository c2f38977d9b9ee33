"""The 20 first public organizations of the directory and their count, as Mist's
directory and API list them, read with one raw query; and a bare "hello"."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html, format_html_join

QUERY = """
    SELECT name_uk, slug, kind, count(*) OVER ()
    FROM directory_organization
    WHERE deleted_at IS NULL AND verification = 'verified' AND visibility = 'public'
    ORDER BY name_uk, id
    LIMIT 20
"""


def _rows():
    with connection.cursor() as cursor:
        cursor.execute(QUERY)
        rows = cursor.fetchall()
    total = rows[0][3] if rows else 0
    return [(name, slug, kind) for name, slug, kind, _count in rows], total


def organizations_html(request):
    rows, total = _rows()
    table = format_html_join(
        "\n",
        '<tr><td><a href="/uk/directory/o/{1}/">{0}</a></td><td>{2}</td></tr>',
        rows,
    )
    body = format_html(
        '<!doctype html><html lang="uk"><head><meta charset="utf-8">'
        "<title>bare</title></head><body><p>{}</p><table>{}</table></body></html>",
        total,
        table,
    )
    return HttpResponse(body)


def organizations_json(request):
    rows, total = _rows()
    results = [{"name": name, "slug": slug, "kind": kind} for name, slug, kind in rows]
    return JsonResponse({"count": total, "results": results})


def hello(request):
    """Nothing but an answer: the floor of a request on this app server."""
    return HttpResponse("hello", content_type="text/plain")
