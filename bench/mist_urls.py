"""Mist's URLs plus two "hello" pages for bench/bench_production_load.py: the fixed
cost of a signed-in request through the full middleware stack, without a view's own
work (bench.prod_settings serves these; production never does).

- /uk/bench/hello/: the signed-in user's id as plain text (session, user, every
  middleware);
- /uk/bench/hello-page/: the same inside base.html (menu, header, footer, context
  processors, translations).
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as mist_urlpatterns

_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<p>Hello, {{ user.full_name }}</p>'
    "{% endblock %}"
)


@login_required
def hello(request):
    return HttpResponse(f"hello {request.user.pk}", content_type="text/plain")


@login_required
def hello_page(request):
    return HttpResponse(_PAGE.render({}, request))


urlpatterns = [
    *mist_urlpatterns,
    *i18n_patterns(
        path("bench/hello/", hello, name="bench-hello"),
        path("bench/hello-page/", hello_page, name="bench-hello-page"),
        prefix_default_language=True,
    ),
]
