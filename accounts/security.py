"""How django-axes identifies who is trying to sign in."""


def login_username(request, credentials) -> str:
    """The e-mail as the login form cleans it, so case changes count as one user."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username", "") if request is not None else ""
    return str(value).strip().lower()
