from celery import shared_task

from translations import services


@shared_task(name="translations.translate_record")
def translate_record(label: str, pk) -> int:
    return services.translate_record(label, pk)
