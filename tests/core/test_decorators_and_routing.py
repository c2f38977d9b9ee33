import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse

from core.decorators import requires
from core.routing import routes


def _view(request, pk):
    return HttpResponse(f"page {pk}")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_requires_refuses_when_the_predicate_does_not_hold():
    view = requires(lambda user: user == "staff")(_view)
    with pytest.raises(PermissionDenied):
        view(_request("visitor"), pk=1)


def test_requires_passes_the_call_through_when_it_holds():
    view = requires(lambda user: user == "staff")(_view)
    response = view(_request("staff"), pk=7)
    assert response.content == b"page 7"
    assert view.__name__ == "_view"


def test_routes_puts_each_row_under_the_prefix():
    patterns = routes("things/<int:pk>/", ("", _view, "a"), ("edit/", _view, "b"))
    assert [(str(p.pattern), p.name) for p in patterns] == [
        ("things/<int:pk>/", "a"),
        ("things/<int:pk>/edit/", "b"),
    ]


def test_generated_routes_resolve_to_their_views():
    url = reverse("exchange:submission-edit", kwargs={"pk": 3})
    assert url.endswith("/submissions/3/edit/")
    assert resolve(url).url_name == "submission-edit"
