from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """The landing page: what Mist is and where to go. Public."""
    return render(request, "core/home.html")
