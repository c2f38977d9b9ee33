"""Small helpers for the directory's templates."""

from django import template

register = template.Library()


@register.filter
def initials(name) -> str:
    """Up to two initials for a logo placeholder: "Kharkiv IT Cluster" → "KI"."""
    words = [word for word in str(name).replace("«", " ").split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


@register.filter
def paragraphs(text) -> list[str]:
    """Split a plain-text description into paragraphs at blank lines."""
    blocks = str(text or "").replace("\r\n", "\n").split("\n\n")
    return [block.strip() for block in blocks if block.strip()]
