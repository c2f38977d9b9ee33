"""The preferences form: one channel per kind."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import KINDS, Channel


class PreferencesForm(forms.Form):
    """Kind × {in the app, e-mail at once, daily digest, off}."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in KINDS:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.CHOICES,
                initial=initial_channels.get(kind.code, kind.default),
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how to hear about this.")},
            )
