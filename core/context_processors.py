from django.conf import settings


def site(request):
    """Values every page needs: the public site URL and the language list."""
    return {"SITE_URL": settings.SITE_URL}
