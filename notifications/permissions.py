"""Who may do what with notifications: only their owner, ever."""


def can_open(user, notification) -> bool:
    """A notification is its owner's alone."""
    return bool(
        getattr(user, "is_authenticated", False) and notification.user_id == user.pk
    )
