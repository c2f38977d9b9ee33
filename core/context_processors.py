import functools

from django.conf import settings
from django.utils.module_loading import import_string


def site(request):
    """Values every page needs: the public site URL and the language list."""
    return {"SITE_URL": settings.SITE_URL, "MIST_TAGLINE": settings.MIST_TAGLINE}


class Menu:
    """The header's menu entries the signed-in user may open: `menu.<entry>` in a
    template asks the app's own permission predicate (MIST_MENU), only when the
    template reads it and once per request."""

    def __init__(self, user):
        self._user = user
        self._answers: dict[str, bool] = {}

    def __getitem__(self, entry: str) -> bool:
        if entry not in self._answers:
            predicate = _predicate(settings.MIST_MENU[entry])
            self._answers[entry] = bool(predicate(self._user))
        return self._answers[entry]

    def facts(self) -> tuple[bool, ...]:
        """Every entry's answer, in MIST_MENU's order (what the header's cached
        fragments vary by: role facts, never the person)."""
        return tuple(self[entry] for entry in settings.MIST_MENU)


_predicate = functools.cache(import_string)


def menu(request):
    """`menu`: which entries of the header's menu the user may open (core cannot
    import the apps above it: their predicates are named in MIST_MENU)."""
    return {"menu": Menu(getattr(request, "user", None))}
