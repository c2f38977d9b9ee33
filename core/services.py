"""Steps that the services of several apps share."""

from django.db.models import QuerySet
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from translitua import translit


def unique_slug(text: str, taken: QuerySet, *, fallback: str) -> str:
    """A URL address from `text` (transliterated; `fallback` when nothing is left),
    with a random suffix while a row of `taken` already has it."""
    base = slugify(translit(text))[:100].strip("-") or fallback
    slug = base
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug
