"""The one way to send an e-mail: templated, in the reader's language, after commit.

    mail.send("events/emails/promoted", context, to=user)

renders `events/emails/promoted_subject.txt` and `..._body.txt` with the recipient's
language (and, for a user, time zone) active, and hands the message to the mail
backend once the current transaction commits, so a rolled-back change sends nothing.

The language rule: an explicit `language`, else the recipient's
`preferred_language`, else settings.LANGUAGE_CODE. With `other_languages=True` the
body continues in every other language of settings.LANGUAGES, below a rule.
`after_commit=False` sends at once, for jobs that run outside any transaction.

A context value that depends on the language (a link with its language prefix, a
text built with gettext) is given as a function of no arguments: templates call it
while the reader's language is active. The recipient, when a user, is in the
context as `user`. Messages are plain text (no sender sends HTML).
A mail outage is logged, never raised: the change that caused the e-mail is already
saved and must not look failed.

`kind` names what the e-mail is about (a code of notifications.kinds). For a user
recipient the hooks in settings.MIST_MAIL_HOOKS (dotted paths) each receive a
`Delivery` and may record an in-app notification, hold the e-mail back (the
person's preference) or add headers (List-Unsubscribe). Security e-mails pass no
kind, so nothing can stop them.

`notify(to, kind=..., title=..., link=...)` is for events that send no e-mail: the
same hooks receive a Delivery marked `in_app_only` and record it in the person's
notification centre as their preference for the kind says (never an e-mail).
"""

import functools
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

LANGUAGE_RULE = "\n\n" + "~" * 40 + "\n\n"


def absolute_url(path: str) -> str:
    """A link for an e-mail: mail is read outside any request, so use SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path


def language_of(recipient) -> str:
    """The language a person reads mail in: their choice, else the site's default."""
    return getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE


@dataclass
class Delivery:
    """What the mail hooks see of one e-mail to a user, and may change: `send`
    (False holds it back) and `headers` (added to the message)."""

    kind: str
    recipient: object
    template: str
    context: dict
    language: str
    subject: str
    send: bool = True
    headers: dict = field(default_factory=dict)
    # A notification with no e-mail behind it (see notify()).
    in_app_only: bool = False


@functools.cache
def _hook(path: str):
    return import_string(path)


def send(
    template: str,
    context: dict,
    *,
    to,
    language: str | None = None,
    other_languages: bool = False,
    after_commit: bool = True,
    kind: str | None = None,
) -> int:
    """E-mail `to` (a user, an address, or a list of them) after commit; returns how
    many messages were queued."""
    recipients = to if isinstance(to, list | tuple) else [to]
    messages = []
    for recipient in recipients:
        code = language or language_of(recipient)
        message = _message(
            template,
            context,
            recipient,
            language=code,
            other_languages=other_languages,
        )
        if kind and not isinstance(recipient, str):
            delivery = Delivery(
                kind, recipient, template, context, code, message.subject
            )
            for path in getattr(settings, "MIST_MAIL_HOOKS", ()):
                _hook(path)(delivery)
            if not delivery.send:
                continue
            message.extra_headers.update(delivery.headers)
        messages.append(message)

    def deliver_mail():
        try:
            with get_connection() as connection:
                connection.send_messages(messages)
        except Exception:
            logger.exception("Could not send %d e-mails", len(messages))

    if messages:
        if after_commit:
            transaction.on_commit(deliver_mail)
        else:
            deliver_mail()
    return len(messages)


def notify(to, *, kind: str, title, link="") -> int:
    """Record an in-app notification of `kind` for each user in `to` (addresses
    are skipped), through the mail hooks, with no e-mail: `title` and `link` may
    be functions of no arguments, called in each reader's language. Returns how
    many people it was offered to."""
    recipients = to if isinstance(to, list | tuple) else [to]
    offered = 0
    for recipient in recipients:
        if recipient is None or isinstance(recipient, str):
            continue
        code = language_of(recipient)
        with translation.override(code):
            subject = str(title() if callable(title) else title)
        delivery = Delivery(
            kind,
            recipient,
            "",
            {"url": link},
            code,
            " ".join(subject.split()),
            send=False,
            in_app_only=True,
        )
        for path in getattr(settings, "MIST_MAIL_HOOKS", ()):
            _hook(path)(delivery)
        offered += 1
    return offered


def _message(
    template: str, context, recipient, *, language: str, other_languages: bool
) -> EmailMessage:
    is_user = not isinstance(recipient, str)
    languages = [language]
    if other_languages:
        languages += [code for code, _name in settings.LANGUAGES if code != language]
    zone = getattr(recipient, "time_zone", "") or settings.TIME_ZONE
    subject, bodies = "", []
    for code in languages:
        with translation.override(code), timezone.override(zone):
            full = dict(context)
            if is_user:
                full.setdefault("user", recipient)
            if code == language:
                subject = render_to_string(f"{template}_subject.txt", full)
            bodies.append(render_to_string(f"{template}_body.txt", full))
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=_join(bodies),
        to=[recipient.email if is_user else recipient],
    )


def _join(bodies: list[str]) -> str:
    if len(bodies) == 1:
        return bodies[0]
    return LANGUAGE_RULE.join(body.strip() for body in bodies) + "\n"
