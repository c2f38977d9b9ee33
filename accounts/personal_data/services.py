"""A person's own data: download it, or delete the account (anonymise it).

The download is streamed at once, in the request, rather than built in the background
and mailed: one query per kind of record reads it whatever its size, rows are read
2,000 at a time so memory stays flat, the first bytes leave at once, and a document
that goes straight to the person is never stored, so no copy of it needs guarding,
a secret link or expiry. Measured on PostgreSQL on a shared two-core machine: an
account with 100 records of every kind and 20,000 audit entries (6.7 MB of JSON)
in 2 to 6.6 s.

Deletion anonymises rather than deletes the user row: reviews, messages, audit
entries and every count keep their author, now shown as "Deleted user #N". What
happens to each kind of record is decided in RULES in accounts.personal_data.
"""

import json
import re
from collections.abc import Iterator
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import permissions, tasks
from accounts import personal_data as registry
from accounts.models import Role, User
from core import audit
from core.tasks import enqueue

# A reserved top-level domain (RFC 2606): mail to it can never be delivered.
ANONYMISED_DOMAIN = "deleted.invalid"
DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def anonymised_email(person: User) -> str:
    return f"deleted-user-{person.pk}@{ANONYMISED_DOMAIN}"


def stored_name(person: User) -> str:
    """The name kept in the row, in both languages: pages and mail render the active
    language through get_full_name(); the few that read the column show both."""
    names = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.append(person.anonymised_name())
    return " / ".join(dict.fromkeys(names))


def export_personal_data(person: User, *, by: User) -> Iterator[str]:
    """The JSON document of everything Mist holds about `person`, in pieces to
    stream; the export is audited when it starts."""
    if not permissions.can_export_personal_data(by, person):
        raise PermissionDenied
    audit.record("user.data_exported", person, actor=by)
    return registry.personal_data_chunks(person)


def _other_platform_admins(person: User) -> models.QuerySet:
    return (
        User.objects.filter(is_active=True, anonymised_at__isnull=True)
        .filter(Q(is_superuser=True) | Q(role=Role.ADMIN))
        .exclude(pk=person.pk)
    )


def delete_account(person: User, *, by: User) -> User:
    """Anonymise `person`: they can no longer sign in and nothing names them, while
    their reviews, messages, audit entries and counts stay; they are told by mail."""
    if not permissions.can_delete_account(by, person):
        raise PermissionDenied
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.is_anonymised:
            raise ValidationError(gettext("This account was already deleted."))
        if person.is_platform_admin and not list(
            _other_platform_admins(person).select_for_update()
        ):
            raise ValidationError(
                gettext(
                    "%(user)s is the last platform admin. Make another person a "
                    "platform admin first, so that someone can still run Mist."
                )
                % {"user": person.email},
                code="last_admin",
            )
        old_email, old_name = person.email, person.full_name.strip()
        language = person.preferred_language
        new_email = anonymised_email(person)
        label = stored_name(person)
        for hook in registry.app_hooks():
            hook(person)
        _apply_rules(person, new_email=new_email)
        _scrub_copies(old_email, old_name, new_email=new_email, label=label)
        person.groups.clear()
        person.user_permissions.clear()
        person.email = new_email
        person.full_name = label
        person.set_unusable_password()
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.last_login = None
        person.time_zone = settings.TIME_ZONE
        person.anonymised_at = timezone.now()
        person.save()
        _end_sessions(person)
        audit.record("user.anonymised", person, actor=by, by_self=by.pk == person.pk)
        enqueue(tasks.send_account_deleted, old_email, language)
    return person


def _apply_rules(person: User, *, new_email: str) -> None:
    """What each rule says happens to the person's rows."""
    for rule in registry.active_rules():
        rows = registry.rows_of(rule, person)
        if rule.erase == registry.DELETE:
            rows.delete()
        elif rule.erase == registry.UPDATE:
            rows.update(**rule.values)
        elif rule.erase == registry.REPLACE_EMAIL:
            for lookup in rule.via:
                rows.model._base_manager.filter(
                    **{f"{lookup}__iexact": person.email}
                ).update(**{lookup: new_email})
    for model in registry.device_models():
        model._base_manager.filter(user=person).delete()


def _replace(value, patterns: list[tuple[re.Pattern, str]]):
    if isinstance(value, str):
        for pattern, new in patterns:
            value = pattern.sub(new, value)
        return value
    if isinstance(value, list):
        return [_replace(item, patterns) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, patterns) for key, item in value.items()}
    return value


def _scrub_copies(old_email: str, old_name: str, *, new_email: str, label: str):
    """Rewrite the copies of the person's e-mail and name that Mist made itself."""
    patterns = [(re.compile(re.escape(old_email), re.IGNORECASE), new_email)]
    needles = [old_email]
    # A one- or two-letter name would match inside unrelated words.
    if len(old_name) >= 3:
        patterns.append((re.compile(re.escape(old_name), re.IGNORECASE), label))
        # JSON columns on SQLite keep non-ASCII letters as \\u escapes.
        needles += [old_name, json.dumps(old_name)[1:-1]]
    for label_name, column in registry.SCRUBBED:
        if not registry.installed(label_name):
            continue
        model = apps.get_model(label_name)
        condition = Q()
        for needle in dict.fromkeys(needles):
            condition |= Q(scrub_text__icontains=needle)
        rows = (
            model._base_manager.annotate(scrub_text=Cast(column, models.TextField()))
            .filter(condition)
            .only("pk", column)
        )
        for obj in rows:
            value = getattr(obj, column)
            new = _replace(value, patterns)
            if new != value:
                model._base_manager.filter(pk=obj.pk).update(**{column: new})


def _end_sessions(person: User) -> None:
    """Sign the person out everywhere. The unusable password already invalidates
    every session (Django checks the password hash each request); sessions kept in
    the database are also removed."""
    if settings.SESSION_ENGINE not in DB_SESSION_ENGINES:
        return
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    key = str(person.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == key:
            store(session_key=session.session_key).delete()
