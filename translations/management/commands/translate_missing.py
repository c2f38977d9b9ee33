"""Machine-translate the texts saved before an engine was configured."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from core.translation import MachineTranslatable
from translations import services
from translations.engines import EngineError, configured_engine


class Command(BaseCommand):
    help = "Machine-translate bilingual texts written in one language only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=0, help="at most this many records per model"
        )

    def handle(self, *args, limit, **options):
        try:
            engine = configured_engine()
        except EngineError as error:
            raise CommandError(str(error)) from error
        if engine is None:
            raise CommandError("MIST_TRANSLATION_ENGINE is not set.")
        for model in apps.get_models():
            if not issubclass(model, MachineTranslatable):
                continue
            records = stored = 0
            for obj in model.objects.order_by("pk").iterator(chunk_size=200):
                if next(services.missing(obj, engine.name), None) is None:
                    continue
                stored += services.translate_record(model._meta.label, obj.pk)
                records += 1
                if limit and records >= limit:
                    break
            self.stdout.write(
                f"{model._meta.label}: {stored} translation(s) for {records} record(s)"
            )
