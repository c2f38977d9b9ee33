"""Every model with machine translations: a human edit drops the replaced machine
text before the save, and the missing translations are asked for after it."""

from django.db.models.signals import post_save, pre_save

from core.translation import MachineTranslatable


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or not issubclass(sender, MachineTranslatable):
        return
    from translations.services import drop_replaced

    drop_replaced(instance)


def _after_save(sender, instance, raw=False, **kwargs):
    if raw or not issubclass(sender, MachineTranslatable):
        return
    from translations.services import schedule

    schedule(instance)


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="translations.before_save")
    post_save.connect(_after_save, dispatch_uid="translations.after_save")
