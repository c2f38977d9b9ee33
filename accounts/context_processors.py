from django.utils.functional import SimpleLazyObject

from accounts import permissions


def account_links(request):
    """Which account pages the navigation offers the signed-in user."""
    user = getattr(request, "user", None)
    return {
        "nav_can_invite": SimpleLazyObject(lambda: permissions.can_invite(user)),
        "nav_can_manage_users": SimpleLazyObject(
            lambda: permissions.can_manage_users(user)
        ),
    }
