from django.utils.functional import SimpleLazyObject

from notifications import queries


def unread(request):
    """`unread_notifications`: the bell's count, queried only when a template reads
    it (base.html reads it for signed-in people only)."""
    user = getattr(request, "user", None)
    return {
        "unread_notifications": SimpleLazyObject(lambda: queries.unread_count(user))
    }
