"""Reads of the translations app."""

from translations.models import TranslationFlag


def flags_of(submission) -> list[TranslationFlag]:
    """The translation problems reported on `submission`, newest first."""
    return list(TranslationFlag.objects.filter(submission=submission))
